/**
 * The contour view's data: asks the worker for `requestContour` (src/worker/contour.ts) for the
 * inspected run whenever a 2-D function session moves (at once when paused, at most every 200 ms while
 * playing, one request in flight) and keeps the latest answer. ui/engine.ts hands answers and refusals
 * here (`onContour`, `onContourError`).
 */
import { create } from 'zustand';
import type { ContourEvt, ToWorker } from '../worker/protocol';
import { getLab, useLab, type LabState } from './store';

/** A plotted window of θ space (the contour view's zoom); null: the function's own box. */
export interface ContourBox {
  x: [number, number];
  y: [number, number];
}

interface ContourState {
  evt: ContourEvt | null;
  error: string | null;
  box: ContourBox | null;
}

export const useContour = create<ContourState>()(() => ({ evt: null, error: null, box: null }));

/** Zooms the contour view to `box` (null: back to the function's own box); the worker recomputes the grid for it. */
export function setContourBox(box: ContourBox | null): void {
  useContour.setState({ box });
  pumpContour();
}

const PLAYING_INTERVAL = 200;
const GRID = 72;

let send: (cmd: ToWorker) => void = () => {};
let seq = 0;
let inFlight = 0;
let sentAt = -1e9;
let sentKey = '';
let answeredKey = '';

const keyOf = (s: LabState): string => `${s.session?.epoch}:${s.view.sel}:${s.t}:${JSON.stringify(s.session?.config.runs.map((r) => r.switches.length))}:${JSON.stringify(useContour.getState().box)}`;
const wanted = (s: LabState): boolean => s.session?.config.problem.kind === 'function';

/** Sends the request that is due (called on store changes and when an answer arrives). */
export function pumpContour(): void {
  const s = getLab();
  if (!wanted(s)) return;
  const key = keyOf(s);
  if (key === answeredKey || key === sentKey) return;
  const now = performance.now();
  if (inFlight && now - sentAt < 3000) return;
  if (s.playing && now - sentAt < PLAYING_INTERVAL) {
    setTimeout(pumpContour, PLAYING_INTERVAL);
    return;
  }
  inFlight = ++seq;
  sentAt = now;
  sentKey = key;
  const box = useContour.getState().box;
  send({ type: 'requestContour', run: s.view.sel, grid: GRID, requestId: inFlight, ...(box ? { box } : {}) });
}

export function onContour(e: ContourEvt): void {
  if (e.requestId !== undefined && e.requestId !== inFlight) return;
  answeredKey = sentKey;
  inFlight = 0;
  sentKey = '';
  useContour.setState({ evt: e, error: null });
  queueMicrotask(pumpContour);
}

export function onContourError(message: string): void {
  answeredKey = sentKey;
  inFlight = 0;
  sentKey = '';
  useContour.setState({ error: message });
}

let started = false;
export function startContourPump(sendToWorker: (cmd: ToWorker) => void): void {
  if (started) return;
  started = true;
  send = sendToWorker;
  let last = '';
  let fn = '';
  useLab.subscribe((s) => {
    const k = `${keyOf(s)}:${s.playing}`;
    if (k === last) return;
    last = k;
    // Another function (or a problem that is not one): the zoom goes back to the function's own box.
    const p = s.session?.config.problem;
    const name = p?.kind === 'function' ? JSON.stringify({ ...p, start: undefined }) : '';
    if (name !== fn) {
      if (fn) useContour.setState({ box: null });
      fn = name;
    }
    if (!wanted(s)) useContour.setState({ evt: null, error: null });
    pumpContour();
  });
}
