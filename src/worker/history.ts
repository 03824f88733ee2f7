/**
 * Past steps of a live session, for the step scrubber: per run a bounded set of kept steps, each with
 * what the run's next step was taken from — θₖ, the algorithm, its hyper-parameters and its state
 * (Vecs copied out as float32 arrays) — so that the views and the surrogate g(·|θₖ) at a kept step are
 * rebuilt exactly as they were shown live at step k (the same algorithm, state and step objective).
 *
 * Thinning: a run keeps step 0 and then a step whenever it is at least `spacing` steps after the last
 * kept one. When the run's set holds more than `maxCount` steps or more than its share of the byte
 * budget, the spacing doubles and the set is thinned to it (step 0 and the newest kept step always
 * stay, and so does the step the scrubber shows: `pinned`), so the kept steps span the whole run at
 * roughly even spacing. Steps are recorded at tick
 * boundaries (before each tick), so while playing the kept steps are those ticks' starts.
 *
 * Memory: θ of a 784-256-10 MLP is 203k floats (0.8 MB) and Adam's state twice that; the byte budget
 * (64 MiB by default) is shared evenly by the runs, and a run whose one step would take more than half
 * its share keeps no steps (the scrubber says so).
 */
import type { AlgorithmState, AnyEngineAlgorithm } from '../core/engine/algorithm';
import type { Vec, VectorOps } from '../core/engine/types';
import type { Experiment } from '../core/fold/experiment';
import type { Run } from '../core/fold/run';

export const HISTORY_BUDGET_BYTES = 64 * 1024 * 1024;
export const HISTORY_MAX_STEPS = 64;

/** A state Vec copied out (float32, θ's layout order). */
export class KeptVec {
  constructor(readonly data: Float32Array) {}
}

export interface KeptStep {
  step: number;
  algorithm: AnyEngineAlgorithm;
  hyper: Record<string, unknown>;
  theta: Float32Array;
  /** The algorithm state with every Vec as a KeptVec (numbers and arrays copied). */
  state: Record<string, unknown>;
  bytes: number;
}

/** One run's kept steps (pure bookkeeping: no engine). */
export class RunHistory {
  entries: KeptStep[] = [];
  spacing = 1;
  /** Why nothing is kept, when a single step is too large for the budget. */
  refused: string | null = null;
  /** The step the scrubber shows (a past view was asked for it): never thinned away while shown. */
  pinned: number | null = null;

  constructor(
    readonly maxCount: number,
    readonly maxBytes: number,
  ) {}

  get bytes(): number {
    return this.entries.reduce((n, e) => n + e.bytes, 0);
  }
  get steps(): number[] {
    return this.entries.map((e) => e.step);
  }

  /** Whether step `step` is to be kept (the first one, or `spacing` after the last kept). */
  wants(step: number): boolean {
    const last = this.entries[this.entries.length - 1];
    return !last || step >= last.step + this.spacing;
  }

  /** Keeps `e` (its arrays are owned by the history from now on), then thins to the bounds. */
  add(e: KeptStep): void {
    if (e.bytes * 2 > this.maxBytes) {
      this.refused = `one step of this run takes ${(e.bytes / 2 ** 20).toFixed(1)} MB; the history keeps at most ${(this.maxBytes / 2 ** 20).toFixed(1)} MB per run`;
      this.entries = [];
      return;
    }
    const last = this.entries[this.entries.length - 1];
    if (last && e.step <= last.step) return;
    this.entries.push(e);
    while ((this.entries.length > this.maxCount || this.bytes > this.maxBytes) && this.entries.length > this.floor()) this.thin(this.spacing * 2);
  }

  /** The fewest steps thinning leaves: the first, the newest and the pinned one between them. */
  private floor(): number {
    const n = this.entries.length;
    return 2 + (this.entries.some((e, i) => i > 0 && i < n - 1 && e.step === this.pinned) ? 1 : 0);
  }

  /** Keeps the first, the pinned and the newest step and, between them, each step at least `spacing` after the last kept. */
  private thin(spacing: number): void {
    this.spacing = spacing;
    const all = this.entries;
    const kept = [all[0]];
    const pin = (e: KeptStep) => e.step === this.pinned;
    for (let i = 1; i < all.length - 1; i++) if (all[i].step >= kept[kept.length - 1].step + spacing || pin(all[i])) kept.push(all[i]);
    const newest = all[all.length - 1];
    if (kept.length > 1 && !pin(kept[kept.length - 1]) && newest.step - kept[kept.length - 1].step < spacing) kept.pop();
    kept.push(newest);
    this.entries = kept;
  }

  /** The kept step at `at`, or else the nearest kept step before it (else the first). */
  find(at: number): KeptStep | null {
    let best: KeptStep | null = null;
    for (const e of this.entries) if (e.step <= at) best = e;
    return best ?? this.entries[0] ?? null;
  }
}

const readVec = (ops: VectorOps, v: Vec): Promise<Float32Array> => (ops.read ? ops.read(v) : Promise.resolve(ops.toArray(v)));

/** Every run's kept steps in one experiment; `clear` for a new one. */
export class History {
  private runs: RunHistory[] = [];

  constructor(
    readonly budgetBytes = HISTORY_BUDGET_BYTES,
    readonly maxSteps = HISTORY_MAX_STEPS,
  ) {}

  clear(): void {
    this.runs = [];
  }

  /** Run i's bookkeeping (its share of the budget: budget / number of runs). */
  of(i: number, nRuns: number): RunHistory {
    return (this.runs[i] ??= new RunHistory(this.maxSteps, Math.floor(this.budgetBytes / Math.max(1, nRuns))));
  }

  get totalBytes(): number {
    return this.runs.reduce((n, r) => n + (r?.bytes ?? 0), 0);
  }

  /** Keeps the current point of every running run that is due (call before its next step). */
  async record(exp: Experiment): Promise<void> {
    const ops = exp.problem.ops;
    for (let i = 0; i < exp.runs.length; i++) {
      const run = exp.runs[i];
      const h = this.of(i, exp.runs.length);
      if (!run.active || h.refused || !h.wants(run.t)) continue;
      h.add(await keep(ops, run));
    }
  }

  /** The kept steps of run i (ascending) and, when none can be kept, why. */
  kept(i: number): { steps: number[]; note: string | null } {
    const h = this.runs[i];
    return { steps: h ? h.steps : [], note: h?.refused ?? null };
  }

  /** Run i at step `at` (a past run from `pastRun`) or, when `at` is absent, not past or nothing is kept, the live run. */
  pick(exp: Experiment, i: number, at: number | undefined): { run: Run; past: boolean; release(): void } {
    const live = exp.runs[i];
    // Back to live: the step shown before may be thinned again.
    if (at === undefined && this.runs[i]) this.runs[i].pinned = null;
    const past = at !== undefined && at < live.t ? this.pastRun(exp, i, at) : null;
    return past ? { ...past, past: true } : { run: live, past: false, release: () => {} };
  }

  /**
   * Run i as it was at the kept step nearest `at` from below: an object that reads like the run (its
   * methods, its problem) with θ, state, algorithm, hyper-parameters and step count of that step, for
   * the views and the surrogate; `release` frees the Vecs rebuilt for it. Null when nothing is kept.
   */
  pastRun(exp: Experiment, i: number, at: number): { run: Run; release(): void } | null {
    const e = this.runs[i]?.find(at);
    if (!e) return null;
    // Shown by the scrubber now: kept while training goes on (its list of kept steps keeps growing).
    this.runs[i].pinned = e.step;
    const { ops } = exp.problem;
    const like = exp.problem.theta0();
    try {
      const theta = ops.fromArray(like, e.theta);
      const state: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(e.state)) state[k] = v instanceof KeptVec ? ops.fromArray(like, v.data) : structuredClone(v);
      const live = exp.runs[i];
      const run = Object.create(live) as Run;
      Object.assign(run, { theta, state: state as AlgorithmState, algorithm: e.algorithm, hyper: structuredClone(e.hyper), t: e.step, status: 'running', lastInfo: null });
      return {
        run,
        release: () => {
          exp.problem.releaseReplaced(theta, null);
          exp.problem.releaseReplaced(state, null);
        },
      };
    } finally {
      exp.problem.releaseReplaced(like, null);
    }
  }
}

/** A copy of the run's point: θ and every state Vec read back (without blocking a GPU). */
async function keep(ops: VectorOps, run: Run): Promise<KeptStep> {
  const theta = await readVec(ops, run.theta);
  let bytes = theta.byteLength;
  const state: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(run.state)) {
    if (ops.isVec(v)) {
      const data = await readVec(ops, v);
      bytes += data.byteLength;
      state[k] = new KeptVec(data);
    } else state[k] = structuredClone(v);
  }
  return { step: run.t, algorithm: run.algorithm, hyper: structuredClone(run.hyper), theta, state, bytes };
}
