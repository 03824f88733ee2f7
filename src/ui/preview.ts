/**
 * Previews the problem as soon as it changes: when the form's problem or seeds differ from the prepared
 * session's (and nothing is playing), a paused session (`start` with play = false) is prepared after a
 * short pause in typing, so the data points and the initial model are drawn before Start.
 */
import type { ExperimentConfig } from '../core/config';
import { startSession } from './engine';
import { getLab, useLab, validDraft } from './store';

const DEBOUNCE_MS = 300;

const sameProblem = (a: ExperimentConfig, b: ExperimentConfig): boolean =>
  JSON.stringify(a.problem) === JSON.stringify(b.problem) && JSON.stringify(a.seeds) === JSON.stringify(b.seeds);

/** Whether the form describes another problem than the session shows (and a preview may replace it). */
export function previewDue(): ExperimentConfig | null {
  const s = getLab();
  if (s.playing) return null;
  const c = validDraft();
  if (!c) return null;
  if (s.session && sameProblem(s.session.config, c)) return null;
  return c;
}

let started = false;

export function startProblemPreview(): void {
  if (started) return;
  started = true;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = getLab().draft;
  useLab.subscribe((s) => {
    if (s.draft === last) return;
    const prev = last;
    last = s.draft;
    if (s.draft.problem === prev.problem && s.draft.seeds === prev.seeds) return;
    schedule();
  });
  function schedule(): void {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      // A preparation in flight (an earlier preview, a link): look again once it is done.
      if (getLab().starting) return schedule();
      const c = previewDue();
      if (c) startSession(c, false);
    }, DEBOUNCE_MS);
  }
}
