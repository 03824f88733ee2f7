/**
 * The image views' page side: the latest `imageViews` answer of the inspected run and the image data
 * set's loading progress in a small store of their own, and the request pump. The pump asks at once
 * when paused (the step or the inspected run changed); while playing at most every 0.5 s, and only once
 * the worker has spent 10× the last answer's compute time on training ticks since the previous request
 * (progress events' tickMs: the same clock, so a loaded worker stretches both alike). The views then take
 * ~1/10 of the training time (one forward pass over ≤ 1,000 test images each). Measured: the e2e test's
 * worker time on digits, and an A/B of CPU time on MNIST (README, "Data sets"). One request in flight; a
 * lost answer is given up after 3 s.
 */
import { create } from 'zustand';
import type { ExperimentConfig } from '../core/config';
import { isImageDataset } from '../core/data/image-sets';
import type { ImageViewsEvt, LabEvent, ToWorker } from '../worker/protocol';
import { getLab, useLab, type LabState } from './store';

interface ImageViewsState {
  views: ImageViewsEvt | null;
  error: string | null;
  /** The image set being fetched by the worker (null when none is). */
  loading: { name: string; fraction: number } | null;
  /** Answers and the worker's total compute ms for them this session (the panel shows them as data attributes: the e2e test's cost measure). */
  answered: number;
  computeMs: number;
  /** Per run, the accuracy samples of its progress blocks (step, train, test), for the accuracy chart. */
  accuracy: { t: number; train: number; test: number }[][];
}

export const useImageViews = create<ImageViewsState>()(() => ({ views: null, error: null, loading: null, answered: 0, computeMs: 0, accuracy: [] }));

/** Whether a config trains an MLP on an image data set (the image views apply, the 2-D ones do not). */
export function isImageProblem(config: Pick<ExperimentConfig, 'problem'> | null | undefined): boolean {
  const p = config?.problem;
  return p?.kind === 'mlp' && p.data.kind === 'dataset' && isImageDataset(p.data.name);
}

/** The store selector: the session is an image problem. */
export const imageSession = (s: LabState): boolean => isImageProblem(s.session?.config);

/** The least time between two requests while playing, and the share of the worker's time they may take. */
export const MIN_INTERVAL_MS = 500;
const COST_FACTOR = 10;
const LOST_MS = 3000;

let send: (cmd: ToWorker) => void = () => {};
let sentAt = -1e9;
let sentKey = '';
let answeredKey = '';
let lastCost = 0;
/** Training compute (progress events' tickMs) since the last request. */
let trainedMs = 0;
let seq = 0;
let timer: ReturnType<typeof setTimeout> | null = null;

const keyOf = (s: LabState): string => `${s.session?.epoch}:${s.view.sel}:${s.t}`;

/** Sends a request if one is due (called on store changes, answers and a timer while playing). */
export function pumpImageViews(): void {
  const s = getLab();
  if (!s.session || !imageSession(s) || s.starting) return;
  const key = keyOf(s);
  const now = performance.now();
  if (answeredKey === key || sentKey === key) return;
  if (sentKey && now - sentAt < LOST_MS) return;
  if (s.playing && now - sentAt < MIN_INTERVAL_MS) {
    timer ??= setTimeout(() => {
      timer = null;
      pumpImageViews();
    }, MIN_INTERVAL_MS - (now - sentAt));
    return;
  }
  // Progress events call the pump again as training time accrues.
  if (s.playing && trainedMs < COST_FACTOR * lastCost) return;
  sentAt = now;
  trainedMs = 0;
  sentKey = key;
  send({ type: 'requestImageViews', run: s.view.sel, requestId: ++seq });
}

/**
 * Handles the worker events the image views need (ui/engine.ts hands it every event); true when the
 * event was the image views' own (an answer, or the refusal of a request).
 */
export function noteImageViewsEvent(e: LabEvent): boolean {
  if (e.type === 'started') {
    useImageViews.setState({ views: null, error: null, answered: 0, computeMs: 0, accuracy: [] });
    answeredKey = '';
    sentKey = '';
    return false;
  }
  if (e.type === 'progress') {
    trainedMs += e.tickMs;
    if (sentKey === '') queueMicrotask(pumpImageViews);
  }
  if (e.type === 'progress' && e.blocks.some((b) => b.accuracy)) {
    useImageViews.setState((st) => {
      const accuracy = st.accuracy.slice();
      for (const b of e.blocks)
        if (b.accuracy && !(accuracy[b.run]?.at(-1)?.t === b.accuracy.t)) accuracy[b.run] = [...(accuracy[b.run] ?? []), b.accuracy];
      return { accuracy };
    });
    return false;
  }
  if (e.type === 'dataLoad') {
    useImageViews.setState({ loading: e.done ? null : { name: e.name, fraction: e.fraction } });
    return false;
  }
  if (e.type === 'imageViews' || (e.type === 'error' && e.command === 'requestImageViews' && !e.fatal)) {
    lastCost = e.type === 'imageViews' ? e.computeMs : performance.now() - sentAt;
    answeredKey = sentKey;
    sentKey = '';
    if (e.type === 'imageViews') useImageViews.setState((st) => ({ views: e, error: null, answered: st.answered + 1, computeMs: st.computeMs + e.computeMs }));
    else useImageViews.setState({ error: e.message });
    queueMicrotask(pumpImageViews);
    return true;
  }
  return false;
}

let started = false;
/** Starts the pump once (ui/engine.ts's send passed in, as requests.ts takes it). */
export function startImageViewsPump(sendToWorker: (cmd: ToWorker) => void): void {
  if (started) return;
  started = true;
  send = sendToWorker;
  useLab.subscribe(pumpImageViews);
  pumpImageViews();
}

/** Fashion-MNIST's classes (Zalando's label order), short enough for the strip's captions. */
const FASHION = ['T-shirt', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Boot'];

/** The name of class k of an image set: the digit itself, or Fashion-MNIST's garment. */
export function classLabel(config: Pick<ExperimentConfig, 'problem'> | null | undefined, k: number): string {
  const p = config?.problem;
  return p?.kind === 'mlp' && p.data.kind === 'dataset' && p.data.name === 'fashion-mnist' ? (FASHION[k] ?? String(k)) : String(k);
}

/**
 * Steps per epoch of a config, as the fold counts them (Experiment.stepsPerEpoch): ceil(nTrain /
 * batchSize) for a mini-batch MLP, 1 otherwise; nTrain is what the dataset's split leaves for training.
 */
export function stepsPerEpoch(config: ExperimentConfig | null | undefined): number {
  const p = config?.problem;
  if (p?.kind !== 'mlp' || p.batchSize === null) return 1;
  const nTrain = p.data.kind === 'explicit' ? p.data.X.length : p.data.n - Math.min(p.data.n - 1, Math.round(p.data.testRatio * p.data.n));
  return Math.max(1, Math.ceil(nTrain / p.batchSize));
}
