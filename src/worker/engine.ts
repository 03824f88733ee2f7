/**
 * The session's experiment: the one fold (core/fold) on the tfjs engine (an Experiment) or on the cpu
 * engine (a FusedExperiment, backend 'fused': MLP or NMF on flat float32 arrays, ./fused-engine.ts). The
 * session sees the same runs, step counter, K-step collection of losses and snapshots either way.
 *
 * - collect(K): K steps of every active run, each followed by f (and test f), in runExperiment's order.
 *   On tfjs the losses stay tensors and are read back once (`await data()`, no dataSync, so a GPU is
 *   never stalled for a loss); the cpu engine computes them synchronously.
 * - withTfjsRun(): a tfjs Run for views and surrogates; on the cpu engine a copy, disposed after use.
 */
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '../core/config';
import { Experiment } from '../core/experiment';
import { FusedExperiment, type FusedRun } from '../core/fused';
import type { Run } from '../core/run';
import { shadowExperiment, tfjsCopy } from './fused-engine';
import type { StartedEvt } from './protocol';
import { restoreFused, restoreTfjs, snapshotFused, snapshotTfjs, type Snapshot } from './snapshot';

/** A run of either engine. */
export type AnyRun = Run | FusedRun;

export const algId = (r: AnyRun): string => (typeof r.algorithm === 'string' ? r.algorithm : r.algorithm.id);

/** What K steps computed, engine-independent (losses as [train, test] pairs at idxOf). */
export interface Collected {
  done: number;
  /** Per run: the step counts reached, the index of each one's train loss in `values` (test at +1), numeric StepInfo. */
  stepsOf: number[][];
  idxOf: number[][];
  infoOf: [string, number][][][];
  values: Float32Array;
  /** Per run: ms of its own synchronous work. */
  runMs: Float64Array;
  /** ms of synchronous work (the rest of the tick waited for the readback). */
  syncMs: number;
  hasTest: boolean;
}

const NO_INFO: [string, number][] = [];

/** A numeric-only copy of StepInfo values (NaN for missing / non-numeric). */
function numericInfo(info: Record<string, unknown>): [string, number][] {
  const out: [string, number][] = [];
  for (const [k, v] of Object.entries(info)) {
    if (typeof v === 'number') out.push([k, v]);
    else if (typeof v === 'boolean') out.push([k, v ? 1 : 0]);
  }
  return out;
}

const clone = <T>(x: T): T => structuredClone(x);

export class LabEngine {
  /** tfjs experiment (exactly one of exp and fx is set while an experiment exists). */
  exp: Experiment | null = null;
  fx: FusedExperiment | null = null;
  /** While on the fused engine: a tfjs Experiment with the problem, for views and surrogates (lazy). */
  private shadow: Experiment | null = null;

  get built(): boolean {
    return this.exp !== null || this.fx !== null;
  }
  get runs(): AnyRun[] {
    return this.fx?.runs ?? this.exp?.runs ?? [];
  }
  get t(): number {
    return this.fx?.t ?? this.exp?.t ?? 0;
  }
  /** A new experiment at step 0: fused (then `config` must pass fusableFromStart) or tfjs. */
  build(config: ExperimentConfig, fused: boolean): void {
    this.dispose();
    if (fused) this.fx = new FusedExperiment(clone(config));
    else this.exp = new Experiment(clone(config));
  }

  /** For `started`. */
  problemInfo(): StartedEvt['problem'] {
    const fx = this.fx;
    if (fx) return { kind: 'mlp', nTrain: fx.problem.nTrain, paramNames: fx.problem.layout.map((x) => x.name), hasTest: fx.hasTest };
    const p = this.exp!.problem;
    return { kind: p.kind, nTrain: p.nTrain, paramNames: p.layout.map((x) => x.name), hasTest: p.hasTest };
  }

  /** f and test f of every run at the current point, read back asynchronously. */
  async readLosses(): Promise<{ loss: Float32Array; testLoss: Float32Array }> {
    const n = this.runs.length;
    const loss = new Float32Array(n);
    const testLoss = new Float32Array(n);
    if (this.fx) {
      const fx = this.fx;
      fx.runs.forEach((r, i) => {
        loss[i] = r.evaluate(fx.hasTest, fx.fullBatch);
        testLoss[i] = r.lastTestLoss;
      });
      return { loss, testLoss };
    }
    const exp = this.exp!;
    const ts: tf.Tensor[] = [];
    for (const run of exp.runs) {
      const { train, test } = exp.evaluate(run);
      ts.push(train, test ?? tf.scalar(NaN));
    }
    const stacked = tf.stack(ts);
    tf.dispose(ts);
    const v = (await stacked.data()) as Float32Array;
    stacked.dispose();
    for (let i = 0; i < n; i++) {
      loss[i] = v[2 * i];
      testLoss[i] = v[2 * i + 1];
    }
    return { loss, testLoss };
  }

  collect(K: number): Promise<Collected> | Collected {
    return this.fx ? this.collectFused(this.fx, K) : this.collectTfjs(this.exp!, K);
  }

  /** K steps on tfjs: f (and test f) after each step stay tensors, stacked and read back once. */
  private async collectTfjs(exp: Experiment, K: number): Promise<Collected> {
    const runs = exp.runs;
    const t0 = performance.now();
    const ts: tf.Tensor[] = [];
    const stepsOf: number[][] = runs.map(() => []);
    const idxOf: number[][] = runs.map(() => []);
    const infoOf: [string, number][][][] = runs.map(() => []);
    const runMs = new Float64Array(runs.length);
    let done = 0;
    try {
      for (let k = 0; k < K; k++) {
        if (!runs.some((r) => r.active)) break;
        const { f, release } = exp.stepObjective(exp.t);
        try {
          runs.forEach((run, i) => {
            if (!run.active) return;
            const s0 = performance.now();
            run.step(f);
            if (run.active) {
              const { train, test } = exp.evaluate(run);
              idxOf[i].push(ts.length);
              ts.push(train, test ?? tf.scalar(NaN));
              stepsOf[i].push(run.t);
              infoOf[i].push(run.lastInfo ? numericInfo(run.lastInfo) : NO_INFO);
            }
            runMs[i] += performance.now() - s0;
          });
        } finally {
          release();
        }
        exp.t += 1;
        runs.forEach((run, i) => run.active && exp.applySwitches(run, i));
        done += 1;
      }
    } catch (e) {
      tf.dispose(ts);
      throw e;
    }
    const syncMs = performance.now() - t0;
    let values: Float32Array = new Float32Array(0);
    if (ts.length) {
      const stacked = tf.stack(ts);
      tf.dispose(ts);
      try {
        values = (await stacked.data()) as Float32Array;
      } finally {
        stacked.dispose();
      }
    }
    return { done, stepsOf, idxOf, infoOf, values, runMs, syncMs, hasTest: exp.hasTest };
  }

  /** K steps on the cpu engine (synchronous, no readback). A non-finite f stops its run inside the step, so no point follows it. */
  private collectFused(fx: FusedExperiment, K: number): Collected {
    const runs = fx.runs;
    const t0 = performance.now();
    const stepsOf: number[][] = runs.map(() => []);
    const idxOf: number[][] = runs.map(() => []);
    const infoOf: [string, number][][][] = runs.map(() => []);
    const vals: number[] = [];
    const before = fx.wallMs.slice();
    const onRecord = (i: number, run: FusedRun): void => {
      idxOf[i].push(vals.length);
      vals.push(run.lastLoss, run.lastTestLoss);
      stepsOf[i].push(run.t);
      infoOf[i].push(run.lastInfo ? numericInfo(run.lastInfo) : NO_INFO);
    };
    let done = 0;
    for (let k = 0; k < K; k++) {
      if (!runs.some((r) => r.active)) break;
      fx.step({ withTest: fx.hasTest, onRecord });
      done += 1;
    }
    const runMs = Float64Array.from(fx.wallMs, (w, i) => w - before[i]);
    return { done, stepsOf, idxOf, infoOf, values: Float32Array.from(vals), runMs, syncMs: performance.now() - t0, hasTest: fx.hasTest };
  }

  /** Switch run i (θ kept; state from init unless `keepState` and the same algorithm). */
  switchRun(i: number, algorithm: string, hyper: Record<string, unknown>, keepState: boolean): void {
    if (this.fx) this.fx.runs[i].switchTo(algorithm, hyper, keepState);
    else this.exp!.runs[i].switchTo(algorithm, hyper, keepState);
  }

  async snapshot(): Promise<Snapshot> {
    return this.fx ? snapshotFused(this.fx) : snapshotTfjs(this.exp!);
  }

  /** Rebuilds the experiment from a snapshot, on the fused engine or on the current tfjs backend. */
  restore(config: ExperimentConfig, snap: Snapshot, fused: boolean): void {
    this.dispose();
    if (fused) this.fx = restoreFused(config, snap);
    else this.exp = restoreTfjs(config, snap);
  }

  /**
   * Runs `fn` on run i as a tfjs Run: the run itself on tfjs; on the fused engine a copy (exact θ and
   * optimizer state) on a tfjs Experiment with the same problem, disposed afterwards.
   */
  async withTfjsRun<T>(i: number, fn: (exp: Experiment, run: Run) => Promise<T>): Promise<T> {
    if (this.exp) return fn(this.exp, this.exp.runs[i]);
    const fx = this.fx!;
    this.shadow ??= shadowExperiment(fx);
    const copy = tfjsCopy(fx.runs[i], this.shadow);
    try {
      return await fn(this.shadow, copy);
    } finally {
      copy.dispose();
    }
  }

  /** Drops the tfjs copy's problem (its backend was lost, or a new experiment comes). */
  disposeShadow(): void {
    const shadow = this.shadow;
    this.shadow = null;
    try {
      shadow?.dispose();
    } catch {
      /* its backend is gone */
    }
  }

  dispose(): void {
    const exp = this.exp;
    const fx = this.fx;
    this.exp = null;
    this.fx = null;
    this.disposeShadow();
    exp?.dispose();
    fx?.dispose();
  }
}
