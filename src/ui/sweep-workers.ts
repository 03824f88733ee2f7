/**
 * The page's hyper-parameter sweep: plans the points with core/sweep.ts (planSweep: the swept run
 * alone, one experiment per value, the same θ₀ and batch order), adds the experiment's tuning-free MM
 * runs as reference runs, and spreads them over up to hardwareConcurrency − 1 headless workers
 * (src/worker/sweep-point.ts), one point per worker at a time; progress, cancel (the workers are
 * terminated), and the summary metric of each point. The main thread only posts and receives.
 */
import { findAlgorithmSpec } from '../core/algorithms/spec-registry';
import { runLabel, type ExperimentConfig } from '../core/config';
import { logGrid, planSweep, type SweepPoint, type SweepValue } from '../core/sweep';
import type { SweepPointReply, SweepPointRequest } from '../worker/sweep-point-run';

/** What a point is summarised by: its final f, f after k steps, or the steps to reach f ≤ target. */
export type SweepMetric = { kind: 'final' } | { kind: 'at'; step: number } | { kind: 'target'; target: number };

/**
 * The metric of one run's losses (f(θ₀), f(θ₁), …, or f at `steps` when evalEvery > 1): null when it
 * never reached the target; +∞ when it stopped before. With sparse steps, 'at' reads f at the last
 * evaluated step ≤ k and 'target' counts steps to the first evaluated point at or under it.
 */
export function metricOf(losses: readonly number[], m: SweepMetric, steps?: readonly number[]): number | null {
  if (m.kind === 'final') return losses.length ? (Number.isFinite(losses[losses.length - 1]) ? losses[losses.length - 1] : Infinity) : null;
  const stepOf = (j: number) => (steps ? steps[j] : j);
  if (m.kind === 'at') {
    const last = losses.length ? stepOf(losses.length - 1) : -1;
    if (m.step > last) return losses.length ? Infinity : null;
    let j = 0;
    while (j + 1 < losses.length && stepOf(j + 1) <= m.step) j++;
    return Number.isFinite(losses[j]) ? losses[j] : Infinity;
  }
  const k = losses.findIndex((v) => v <= m.target);
  return k >= 0 ? stepOf(k) : null;
}

export interface SweepJob {
  /** The swept run's index, name and hyper-parameter; the values; one config per job (points, then references). */
  runIndex: number;
  run: string;
  hyper: string;
  values: SweepValue[];
  jobs: { config: ExperimentConfig; value: SweepValue | null; label: string }[];
  /** Indices (into the experiment's runs) and labels of the MM reference runs. */
  references: { runIndex: number; label: string }[];
}

/** The sweep of `hyper` of run `runIndex` over `n` log-spaced values from lo to hi, plus the MM runs as references. */
export function planPageSweep(config: ExperimentConfig, runIndex: number, hyper: string, lo: number, hi: number, n: number): { ok: true; job: SweepJob } | { ok: false; errors: string[] } {
  if (!(lo > 0 && hi > 0 && lo < hi)) return { ok: false, errors: ['the grid needs 0 < from < to'] };
  if (!(Number.isInteger(n) && n >= 2 && n <= 64)) return { ok: false, errors: ['points must be an integer in [2, 64]'] };
  const values = logGrid(lo, hi, n);
  const plan = planSweep(config, { run: runIndex, hyper, values });
  if (!plan.ok) return plan;
  const { sweep: _s, ...base } = config;
  const references = config.runs
    .map((r, i) => ({ r, i }))
    .filter(({ r, i }) => i !== runIndex && findAlgorithmSpec(r.algorithm)?.family === 'mm')
    .map(({ r, i }) => ({ runIndex: i, label: runLabel(r, i) }));
  const jobs = [
    ...plan.value.points.map((c, k) => ({ config: c, value: values[k] as SweepValue | null, label: `${hyper} = ${values[k]}` })),
    ...references.map((ref) => ({ config: { ...base, runs: [config.runs[ref.runIndex]] }, value: null, label: ref.label })),
  ];
  return { ok: true, job: { runIndex, run: plan.value.run, hyper, values, jobs, references } };
}

export interface WorkerLike {
  postMessage(m: SweepPointRequest): void;
  onmessage: ((e: MessageEvent<SweepPointReply>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
  terminate(): void;
}

export interface PoolOptions {
  /** Workers to start (default: hardwareConcurrency − 1, at least 1, at most the jobs). */
  workers?: number;
  create?: () => WorkerLike;
  /** steps done of all jobs / their total; called on every answer. */
  onProgress?: (done: number, total: number) => void;
  onResult?: (index: number, r: SweepPoint | { error: string }) => void;
}

const defaultCreate = (): WorkerLike => new Worker(new URL('../worker/sweep-point.ts', import.meta.url), { type: 'module', name: 'mm-lab-sweep' }) as unknown as WorkerLike;

export function defaultWorkers(): number {
  const n = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2;
  return Math.max(1, n - 1);
}

let nextId = 1;

/** Runs every job, at most `workers` at a time; `cancel` terminates the workers (results so far are kept). */
export function runPool(job: SweepJob, opts: PoolOptions = {}): { done: Promise<(SweepPoint | { error: string } | null)[]>; cancel(): void; workers: number } {
  const id = nextId++;
  const n = Math.max(1, Math.min(opts.workers ?? defaultWorkers(), job.jobs.length));
  const results: (SweepPoint | { error: string } | null)[] = job.jobs.map(() => null);
  const steps = job.jobs.map(() => 0);
  const total = job.jobs.reduce((s, j) => s + Math.max(1, j.config.steps), 0);
  const pool: WorkerLike[] = [];
  /** The job each worker holds. */
  const held = new Map<WorkerLike, number>();
  let next = 0;
  let finished = 0;
  let cancelled = false;
  let resolve!: (r: typeof results) => void;
  const done = new Promise<typeof results>((r) => (resolve = r));
  const progress = () => opts.onProgress?.(steps.reduce((a, b) => a + b, 0), total);
  const end = () => {
    pool.forEach((w) => w.terminate());
    resolve(results);
  };
  const feed = (w: WorkerLike) => {
    if (cancelled || next >= job.jobs.length) return;
    const index = next++;
    held.set(w, index);
    w.postMessage({ id, index, config: job.jobs[index].config, value: job.jobs[index].value });
  };
  const settle = (w: WorkerLike, index: number, r: SweepPoint | { error: string }) => {
    results[index] = r;
    steps[index] = Math.max(1, job.jobs[index].config.steps);
    finished += 1;
    progress();
    opts.onResult?.(index, r);
    if (finished === job.jobs.length) end();
    else feed(w);
  };
  for (let k = 0; k < n; k++) {
    const w = (opts.create ?? defaultCreate)();
    w.onmessage = (e) => {
      const m = e.data;
      if (cancelled || m.id !== id) return;
      if (m.type === 'progress') {
        steps[m.index] = m.t;
        progress();
      } else settle(w, m.index, m.type === 'done' ? m.point : { error: m.message });
    };
    w.onerror = (e) => {
      e.preventDefault?.();
      const index = held.get(w);
      if (!cancelled && index !== undefined && results[index] === null) settle(w, index, { error: e.message || 'the sweep worker failed' });
    };
    pool.push(w);
  }
  pool.forEach(feed);
  if (job.jobs.length === 0) end();
  return {
    done,
    workers: n,
    cancel() {
      if (cancelled) return;
      cancelled = true;
      end();
    },
  };
}
