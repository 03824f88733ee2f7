/**
 * Keeps the surrogate and model pictures in step with the session: asks the worker for the selected
 * run's surrogate (slice or plane) and model view at the current step — at once when paused (step-
 * through mode), while playing at least twice a second (more rarely only when one picture alone takes
 * longer than that to compute), one request of each kind in flight.
 */
import { mlpPointDims } from '../core/config';
import type { ToWorker } from '../worker/protocol';
import { getLab, setLab, useLab, type LabState } from './store';
import { imageSession } from './imageViews';

type Kind = 'slice' | 'plane' | 'view';

const answered: Record<Kind, string> = { slice: '', plane: '', view: '' };
const sentAt: Record<Kind, number> = { slice: -1e9, plane: -1e9, view: -1e9 };
const sentKey: Record<Kind, string> = { slice: '', plane: '', view: '' };
const PLAYING_INTERVAL: Record<Kind, number> = { slice: 300, plane: 450, view: 400 };
/** The longest wait between two pictures of a kind while playing: they refresh at least twice a second. */
const MAX_INTERVAL = 500;
/**
 * How long the worker spent computing the last answer of each kind (its `computeMs`; not the round
 * trip, which includes waiting for a training tick or the start-up calibration to finish).
 */
const lastCost: Record<Kind, number> = { slice: 0, plane: 0, view: 0 };
/**
 * While playing, a kind is asked again after max(its base interval, 3× its compute cost), capped at
 * MAX_INTERVAL — or right after its answer when one picture takes longer than that.
 */
const interval = (kind: Kind): number =>
  // An image problem's surrogate evaluates f on every training image at each point (seconds on MNIST): at most ~1/10 of the time.
  imageSession(getLab()) ? Math.max(PLAYING_INTERVAL[kind], 10 * lastCost[kind]) : Math.min(MAX_INTERVAL, Math.max(PLAYING_INTERVAL[kind], 3 * lastCost[kind]));

let seq = 0;

/**
 * A live view is asked at every new step; a scrubbed one (scrubAt: a kept past step) once while paused,
 * and while training plays on again at the playing pace: the picture stays that step's, and the answer
 * brings the run's kept steps as they grow (the scrubber's list).
 */
const keyOf = (s: LabState): string => `${s.session?.epoch}:${s.view.sel}:${s.scrubAt === null ? s.t : `at${s.scrubAt}${s.playing ? `:${s.t}` : ''}`}`;

function wanted(s: LabState): Kind[] {
  if (!s.session) return [];
  // An image problem has no 2-D model picture: its image views have their own pump (imageViews.ts).
  return [s.view.surr === 'contour' ? 'plane' : 'slice', ...(imageSession(s) ? [] : ['view' as const])];
}

/** The network view (one heatmap per hidden neuron) is drawn for 2-D points and nets of ≤ 64 neurons. */
const MAX_NEURONS = 64;
function wantsNeurons(s: LabState): boolean {
  const p = s.session?.config.problem;
  if (p?.kind !== 'mlp' || p.hidden.length === 0 || p.hidden.reduce((a, b) => a + b, 0) > MAX_NEURONS) return false;
  return mlpPointDims(p) === 2;
}

/** Sends the requests that are due; called on store changes and when answers arrive. */
export function pump(): void {
  const s = getLab();
  const key = keyOf(s);
  const now = performance.now();
  for (const kind of wanted(s)) {
    if (answered[kind] === key || sentKey[kind] === key) continue;
    if (s.playing && now - sentAt[kind] < interval(kind)) continue;
    // One request of each kind in flight (a lost answer is given up after 3 s).
    if (sentKey[kind] && now - sentAt[kind] < 3000) continue;
    const run = s.view.sel;
    const requestId = ++seq;
    const points = !s.modelView || s.modelView.epoch !== s.session?.epoch;
    const at = s.scrubAt === null ? {} : { at: s.scrubAt };
    if (kind === 'view') send({ type: 'requestView', run, grid: 64, points, requestId, ...(wantsNeurons(s) ? { neurons: true } : {}), ...at });
    else send({ type: 'requestSurrogate', run, kind, points: kind === 'slice' ? 41 : 21, requestId, ...at });
    sentAt[kind] = now;
    sentKey[kind] = key;
  }
}

/** An answer (or a refusal) for `kind` arrived; `computeMs`: what the worker spent on it. */
export function answeredFor(kind: Kind, error?: string, computeMs?: number): void {
  if (!sentKey[kind]) return;
  lastCost[kind] = Math.min(10_000, computeMs ?? performance.now() - sentAt[kind]);
  answered[kind] = sentKey[kind];
  sentKey[kind] = '';
  if (kind === 'view') setLab({ viewError: error ?? null });
  else setLab({ surrogateError: error ?? null });
  queueMicrotask(pump);
}

let started = false;
/** The channel to the worker (ui/engine.ts's send, passed in: engine.ts reports answers back here). */
let send: (cmd: ToWorker) => void = () => {};

export function startRequestPump(sendToWorker: (cmd: ToWorker) => void): void {
  if (started) return;
  started = true;
  send = sendToWorker;
  let last = '';
  useLab.subscribe((s) => {
    const k = `${keyOf(s)}:${s.view.surr}:${s.playing}`;
    if (k === last && !s.playing) return;
    last = k;
    pump();
  });
}
