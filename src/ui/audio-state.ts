/**
 * The component sounds of the selected run (worker `audio` answers), in a small store of their own so
 * the main store (store.ts) and its consumers never hold megabytes of samples.
 */
import { create } from 'zustand';
import type { AudioEvt } from '../worker/protocol';

export interface AudioState {
  evt: AudioEvt | null;
  error: string | null;
  pending: boolean;
}

export const useAudio = create<AudioState>()(() => ({ evt: null, error: null, pending: false }));

export function onAudio(e: AudioEvt): void {
  useAudio.setState({ evt: e, error: null, pending: false });
}

export function onAudioError(message: string): void {
  useAudio.setState({ error: message, pending: false });
}
