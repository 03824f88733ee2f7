/**
 * Headless folds whose memory is bounded by the output asked for (the CLI's `--stream` and `--every k`).
 *
 * `foldExperiment` steps an experiment on any engine exactly as runExperiment / runFusedExperiment /
 * runFusedNMFExperiment do (same order of steps, evaluations, switches and timers, hence the same
 * numbers) but hands every recorded f (and test f) to a callback instead of storing it. The two sinks:
 *   - `thinned(k)`: keeps f at steps 0, k, 2k, … and at the last step (`losses`, `testLosses`, with
 *     their step numbers in `lossSteps`);
 *   - `streamLines(k, write)`: writes one JSON line per run at steps 0, k, 2k, … (and at its last step),
 *     keeps nothing but the last value, then a summary line.
 * The fold evaluates f only every `evalEvery` steps (config, core/fold/eval-every.ts), so k is rounded up
 * to a multiple of it (`alignEvery`); the output's `every` is the k used.
 * Uses only the experiment classes' stepping API (Experiment, FusedExperiment, FusedNMFExperiment).
 */
import * as tf from '@tensorflow/tfjs';
import { runLabel, type ExperimentConfig } from '../core/config';
import { Experiment, finishRunResult, type RunResult } from '../core/experiment';
import { resolveEvalEvery } from '../core/fold/eval-every';
import { accuracyInterval } from '../core/fold/result';
import { FUSED_BACKEND, FusedExperiment, FusedNMFExperiment, type FusedOptions } from '../core/fused';
import type { RunStatus, SwitchRecord } from '../core/run';
import type { NMFWorkspaceOptions } from '../core/fused/nmf-engine';
import { hasTrajectory, pair, type Pair } from './trajectory';

export type FoldEngine = { kind: 'tfjs' } | { kind: 'fused'; opts?: FusedOptions } | { kind: 'fused-nmf'; opts?: NMFWorkspaceOptions };

/** A classification run's accuracy on the training set and the test set (null: not recorded). */
export interface Accuracy {
  train: number;
  test: number | null;
}

/** f (and test f, or null) of run i after its step t, with its accuracy when measured at t, and θ there (read on demand). */
export type RecordFn = (i: number, t: number, loss: number, test: number | null, accuracy: Accuracy | null, theta: () => Float32Array) => void;

/** Classification: run i's accuracy at step t, every `every` steps, at the budget's last step and at a run's end. */
export interface AccuracySink {
  every: number;
  record(i: number, t: number, accuracy: Accuracy): void;
}

/** A run's result without its series. */
export type RunSummary = Omit<RunResult, 'losses' | 'testLosses'>;

interface RunLike {
  id: string;
  status: RunStatus;
  message: string;
  divergedAt: number | null;
  t: number;
  switches: SwitchRecord[];
}

function summary(run: RunLike, algorithm: string, wallMs: number): RunSummary {
  const r = { id: run.id, algorithm, status: run.status, switches: run.switches, steps: 0, wallMs: 0, stepsPerSec: 0 } as RunResult;
  finishRunResult(r, run, wallMs);
  return r;
}

/** Steps `config` on `engine`, calling `record` for f(θ₀) and for f after every step of every active run. */
export function foldExperiment(
  config: ExperimentConfig,
  engine: FoldEngine,
  recordTest: boolean,
  record: RecordFn,
  onStep?: (t: number) => void,
  accuracy?: AccuracySink,
): { backend: string; steps: number; recordsTest: boolean; stepsPerEpoch?: number; epochs?: number; runs: RunSummary[] } {
  // The engine-generic fold (core/fold) on the cpu engine (MLP or NMF) or on tfjs: one loop, recording through `record`.
  const fx =
    engine.kind === 'fused' ? new FusedExperiment(config, engine.opts) : engine.kind === 'fused-nmf' ? new FusedNMFExperiment(config, engine.opts) : new Experiment(config);
  const backend = engine.kind === 'tfjs' ? tf.getBackend() : FUSED_BACKEND;
  try {
    const withTest = recordTest && fx.hasTest;
    const algorithms = fx.runs.map((r) => r.algorithm.id);
    const acc = accuracy && fx.classifies ? accuracy : null;
    const accAt = config.runs.map(() => -1);
    const measure = (i: number, t: number): Accuracy | null => {
      if (!acc || accAt[i] === t) return null;
      accAt[i] = t;
      const a = { train: fx.accuracy(i, 'train'), test: withTest ? fx.accuracy(i, 'test') : null };
      acc.record(i, t, a);
      return a;
    };
    const onRecord = (i: number, run: { t: number; lastLoss: number; lastTestLoss: number; thetaArray(): Float32Array }): void => {
      const a = acc && (run.t % acc.every === 0 || run.t === config.steps) ? measure(i, run.t) : null;
      record(i, run.t, run.lastLoss, withTest ? run.lastTestLoss : null, a, () => run.thetaArray());
    };
    fx.evaluateAll({ withTest, prefetch: config.steps > 0, onRecord });
    for (let t = 0; t < config.steps; t++) {
      if (!fx.runs.some((r) => r.active)) break;
      fx.step({ withTest, prefetch: t + 1 < config.steps, onRecord });
      onStep?.(t + 1);
    }
    fx.runs.forEach((run, i) => measure(i, run.t));
    const epochs = config.problem.kind === 'mlp' ? { stepsPerEpoch: fx.stepsPerEpoch, epochs: Math.round((config.steps / fx.stepsPerEpoch) * 1000) / 1000 } : {};
    return { backend, steps: config.steps, recordsTest: withTest, ...epochs, runs: fx.runs.map((run, i) => summary(run, algorithms[i], fx.wallMs[i])) };
  } finally {
    fx.dispose();
  }
}

/** --every K rounded up to a multiple of the config's evaluation interval (f exists only there), and that interval. */
export function alignEvery(config: ExperimentConfig, every: number): { every: number; evalEvery: number } {
  const k = resolveEvalEvery(config).every;
  return { every: k * Math.ceil(every / k), evalEvery: k };
}

/** The result's `evalEvery` field: present when f is not evaluated every step. */
const evalField = (k: number) => (k > 1 ? { evalEvery: k } : {});

/** Whether step t is kept: 0, k, 2k, … (the last step of each run is added at the end). */
const kept = (t: number, every: number): boolean => t % every === 0;


/** The ExperimentResult with series thinned to every k-th step (and the last): memory O(steps / k). */
export function runThinned(config: ExperimentConfig, engine: FoldEngine, recordTest: boolean, everyAsked: number, onStep?: (t: number) => void) {
  const { every, evalEvery } = alignEvery(config, everyAsked);
  const runs = config.runs.map(() => ({ losses: [] as number[], testLosses: [] as number[], lossSteps: [] as number[], last: null as null | [number, number, number | null], trajectory: [] as Pair[], lastTheta: null as Pair | null }));
  const traj = hasTrajectory(config);
  const acc = config.runs.map(() => ({ accuracySteps: [] as number[], trainAccuracies: [] as number[], testAccuracies: [] as number[] }));
  const accuracy: AccuracySink = {
    every: accuracyInterval(config.steps, every),
    record: (i, t, a) => {
      acc[i].accuracySteps.push(t);
      acc[i].trainAccuracies.push(a.train);
      if (a.test !== null) acc[i].testAccuracies.push(a.test);
    },
  };
  const r = foldExperiment(config, engine, recordTest, (i, t, loss, test, _a, theta) => {
    const s = runs[i];
    s.last = [t, loss, test];
    if (traj) s.lastTheta = pair(theta());
    if (!kept(t, every)) return;
    s.lossSteps.push(t);
    s.losses.push(loss);
    if (test !== null) s.testLosses.push(test);
    if (traj) s.trajectory.push(s.lastTheta!);
  }, onStep, accuracy);
  return {
    backend: r.backend,
    steps: r.steps,
    ...(r.stepsPerEpoch !== undefined ? { stepsPerEpoch: r.stepsPerEpoch, epochs: r.epochs } : {}),
    every,
    ...evalField(evalEvery),
    runs: r.runs.map((run, i) => {
      const s = runs[i];
      if (s.last && s.lossSteps.at(-1) !== s.last[0]) {
        s.lossSteps.push(s.last[0]);
        s.losses.push(s.last[1]);
        if (s.last[2] !== null) s.testLosses.push(s.last[2]);
        if (traj) s.trajectory.push(s.lastTheta!);
      }
      const a = acc[i];
      const accuracies = a.accuracySteps.length
        ? { ...a, trainAccuracy: a.trainAccuracies.at(-1), ...(r.recordsTest ? { testAccuracy: a.testAccuracies.at(-1) } : { testAccuracies: undefined }) }
        : {};
      return { ...run, lossSteps: s.lossSteps, losses: s.losses, ...(r.recordsTest ? { testLosses: s.testLosses } : {}), ...accuracies, ...(traj ? { trajectory: s.trajectory } : {}) };
    }),
  };
}

/** A line writer that batches small writes (flushed at 16 KiB, every 250 ms, and at the end). */
export function lineWriter(write: (chunk: string) => void): { line(obj: unknown): void; flush(): void } {
  let buf = '';
  let last = Date.now();
  const flush = (): void => {
    if (buf) write(buf);
    buf = '';
    last = Date.now();
  };
  return {
    line(obj) {
      buf += `${JSON.stringify(obj)}\n`;
      if (buf.length > 16_384 || Date.now() - last > 250) flush();
    },
    flush,
  };
}

/**
 * Streams the experiment as JSON lines: {"run", "id", "t", "loss"[, "testLoss"]} for each run at steps
 * 0, k, 2k, … and at its last step, then {"summary": {backend, steps, every, runs: [… without series,
 * with finalLoss (and finalTestLoss)]}}. Keeps only the last value of each run.
 */
export function runStreamed(
  config: ExperimentConfig,
  engine: FoldEngine,
  recordTest: boolean,
  everyAsked: number,
  write: (chunk: string) => void,
  onStep?: (t: number) => void,
): void {
  const { every, evalEvery } = alignEvery(config, everyAsked);
  const out = lineWriter(write);
  const ids = config.runs.map((rc, i) => runLabel(rc, i));
  const last = config.runs.map(() => null as null | { t: number; loss: number; test: number | null; sent: boolean; a: Accuracy | null; theta: Pair | null });
  const traj = hasTrajectory(config);
  const line = (i: number, t: number, loss: number, test: number | null, a: Accuracy | null = null, theta: Pair | null = null): void =>
    out.line({
      run: i,
      id: ids[i],
      t,
      loss,
      ...(theta ? { theta } : {}),
      ...(test !== null ? { testLoss: test } : {}),
      ...(a ? { trainAccuracy: a.train, ...(a.test !== null ? { testAccuracy: a.test } : {}) } : {}),
    });
  const finalAcc = config.runs.map(() => null as null | { train: number; test: number | null });
  const accuracy: AccuracySink = {
    every: accuracyInterval(config.steps, every),
    record: (i, _t, a) => {
      finalAcc[i] = a;
    },
  };
  const r = foldExperiment(config, engine, recordTest, (i, t, loss, test, a, theta) => {
    const send = kept(t, every);
    last[i] = { t, loss, test, sent: send, a, theta: traj ? pair(theta()) : null };
    if (send) line(i, t, loss, test, a, last[i]!.theta);
  }, onStep, accuracy);
  last.forEach((l, i) => l && !l.sent && line(i, l.t, l.loss, l.test, l.a, l.theta));
  out.line({
    summary: {
      backend: r.backend,
      steps: r.steps,
      ...(r.stepsPerEpoch !== undefined ? { stepsPerEpoch: r.stepsPerEpoch, epochs: r.epochs } : {}),
      every,
      ...evalField(evalEvery),
      runs: r.runs.map((run, i) => ({
        ...run,
        finalLoss: last[i]?.loss ?? null,
        ...(r.recordsTest ? { finalTestLoss: last[i]?.test ?? null } : {}),
        ...(finalAcc[i] ? { trainAccuracy: finalAcc[i]!.train, ...(finalAcc[i]!.test !== null ? { testAccuracy: finalAcc[i]!.test } : {}) } : {}),
      })),
    },
  });
  out.flush();
}
