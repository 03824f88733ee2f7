/**
 * The live data of the current session, outside React and zustand: one bounded series buffer per run,
 * switch and divergence markers, and the monotone-decrease check for MM runs (computed here from the
 * full loss stream, before any downsampling). Worker messages only append and mark the data dirty;
 * charts redraw on the next animation frame (at most once per frame, never per message).
 */
import { ALGORITHM_SPECS } from '../core/algorithms/spec-registry';
import type { RunConfig } from '../core/config';
import type { AlgorithmFamily } from '../core/engine/algorithm';
import { SeriesBuffer } from './lttb';

/** Relative tolerance of the monotone check: losses are float32 reductions (≈1e-7 per op). */
export const MONOTONE_RTOL = 1e-5;

export interface SwitchMark {
  at: number;
  from: string;
  to: string;
  keepState: boolean;
  /** Hyper-parameters before and after (when known: marks rebuilt from the session's config). */
  fromHyper?: Record<string, unknown>;
  hyper?: Record<string, unknown>;
}

/** Same algorithm, new hyper-parameters (drawn as a tick on the curve, not as an algorithm switch). */
export const isHyperChange = (s: SwitchMark): boolean => s.from === s.to;

/** The marks a run's config describes: its switches, with the hyper-parameters before and after. */
export function marksFromConfig(run: RunConfig): SwitchMark[] {
  let prev = { algorithm: run.algorithm, hyper: run.hyper };
  return run.switches.map((s) => {
    const m = { at: s.at, from: prev.algorithm, to: s.algorithm, keepState: s.keepState, fromHyper: prev.hyper, hyper: s.hyper };
    prev = { algorithm: s.algorithm, hyper: s.hyper };
    return m;
  });
}

export interface Monotone {
  /** 'n/a' while the run is not MM (or uses mini-batches: f is then not the minimised objective). */
  state: 'held' | 'broken' | 'n/a';
  /**
   * First step k where f(θₖ) > f(θⱼ), j the previous evaluated step (j = k − 1 when f is evaluated
   * every step; evalEvery > 1: the chain f(θⱼ) ≥ … ≥ f(θₖ) spans the steps between), while an MM
   * algorithm took every step j+1…k.
   */
  brokenAt: number | null;
  /** Size of that increase, relative. */
  increase: number;
  /** Steps checked under an MM algorithm (those between evaluations included). */
  checked: number;
}

export class LiveRun {
  readonly buffer = new SeriesBuffer(40_000);
  switches: SwitchMark[] = [];
  divergedAt: number | null = null;
  status = 'running';
  message = '';
  monotone: Monotone = { state: 'n/a', brokenAt: null, increase: 0, checked: 0 };
  /** The same check over every step whatever the algorithm (gradient methods: observed, not promised). */
  observed: Monotone = { state: 'n/a', brokenAt: null, increase: 0, checked: 0 };
  private prevLoss = NaN;
  private prevStep = -1;
  /** The step info the algorithm streamed (e.g. L, lambda) by key, then by step; pruned with the buffer. */
  readonly extras = new Map<string, Map<number, number>>();

  constructor(
    public label: string,
    /** The algorithm at step 0. */
    public baseAlgorithm: string,
    private readonly miniBatch: boolean,
  ) {}

  /** The algorithm that takes step t (1-based): the last switch made before it. */
  algorithmAt(t: number): string {
    let a = this.baseAlgorithm;
    for (const s of this.switches) if (s.at < t) a = s.to;
    return a;
  }

  familyAt(t: number): AlgorithmFamily | undefined {
    return ALGORITHM_SPECS[this.algorithmAt(t)]?.family;
  }

  /** The algorithm that takes the next step (a switch scheduled later does not count yet). */
  get currentAlgorithm(): string {
    return this.algorithmAt(this.prevStep + 1);
  }

  /** Whether an MM algorithm took every step from+1…to (the switches between them included). */
  private mmThrough(from: number, to: number): boolean {
    if (this.familyAt(from + 1) !== 'mm') return false;
    return this.switches.every((s) => s.at <= from || s.at >= to || this.familyAt(s.at + 1) === 'mm');
  }

  private check(m: Monotone, step: number, loss: number): void {
    if (step <= this.prevStep || this.prevStep < 0 || !Number.isFinite(this.prevLoss)) return;
    if (m.state === 'n/a') m.state = 'held';
    m.checked += step - this.prevStep;
    const tol = MONOTONE_RTOL * Math.max(Math.abs(this.prevLoss), 1e-12);
    if (m.state === 'held' && !(loss <= this.prevLoss + tol)) {
      m.state = 'broken';
      m.brokenAt = step;
      m.increase = Number.isFinite(loss) ? (loss - this.prevLoss) / Math.max(Math.abs(this.prevLoss), 1e-12) : Infinity;
    }
  }

  append(step: number, wallMs: number, loss: number, test: number): void {
    if (step <= this.prevStep) return; // replayed or out-of-order points
    if (!this.miniBatch) {
      if (this.mmThrough(this.prevStep, step)) this.check(this.monotone, step, loss);
      this.check(this.observed, step, loss);
    }
    this.prevLoss = loss;
    this.prevStep = step;
    this.buffer.push(step, wallMs, loss, test);
  }

  /** Records a progress block's step info (NaN entries: the key was not reported at that step). */
  noteExtras(steps: ArrayLike<number>, extras: Record<string, ArrayLike<number>>): void {
    for (const [key, values] of Object.entries(extras)) {
      let m = this.extras.get(key);
      if (!m) this.extras.set(key, (m = new Map()));
      for (let i = 0; i < steps.length; i++) if (Number.isFinite(values[i])) m.set(steps[i], values[i]);
      // Keep the steps the buffer still holds once the map outgrows it (the buffer thins long runs).
      if (m.size > 2 * this.buffer.capacity) {
        const held = new Set(Array.from(this.buffer.step.subarray(0, this.buffer.length)));
        for (const k of m.keys()) if (!held.has(k) && k < steps[0]) m.delete(k);
      }
    }
  }

  /** The step info `key` at step t, NaN when not reported. */
  extraAt(key: string, t: number): number {
    return this.extras.get(key)?.get(t) ?? NaN;
  }

  /** Adds a switch; one at the same step replaces it (the session merges them the same way). */
  addSwitch(s: SwitchMark): void {
    const old = this.switches.find((x) => x.at === s.at);
    if (old) Object.assign(old, { to: s.to, keepState: s.keepState, hyper: s.hyper ?? old.hyper });
    else this.switches.push(s);
    this.switches.sort((a, b) => a.at - b.at);
  }

  /** Replaces every switch (from the session's config, the record of truth). */
  setSwitches(marks: SwitchMark[]): void {
    this.switches = marks.slice().sort((a, b) => a.at - b.at);
  }

  /** Keeps the history up to step t (after a worker restart that resumes at t). */
  truncate(t: number): void {
    const b = this.buffer;
    let n = b.length;
    while (n > 0 && b.step[n - 1] > t) n--;
    b.length = n;
    this.prevStep = n ? b.step[n - 1] : -1;
    this.prevLoss = n ? b.loss[n - 1] : NaN;
  }
}

export const live = {
  runs: [] as LiveRun[],
  /** Bumped on every change; charts compare it with what they last drew. */
  version: 0,
};

type FrameListener = () => void;
const listeners = new Set<FrameListener>();
let pending = false;

function frame(): void {
  pending = false;
  listeners.forEach((l) => l());
}

/** Marks the live data changed; listeners run on the next animation frame (coalesced). */
export function markDirty(): void {
  live.version++;
  requestFrame();
}

/** Asks for a frame without marking the data changed. */
export function requestFrame(): void {
  if (pending) return;
  pending = true;
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(frame);
  else setTimeout(frame, 16);
}

/** Runs `l` on every frame after the live data changed. Returns the unsubscribe function. */
export function onFrame(l: FrameListener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function resetLive(runs: LiveRun[]): void {
  live.runs = runs;
  markDirty();
}
