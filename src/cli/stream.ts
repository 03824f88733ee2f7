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
 * Uses only the experiment classes' stepping API (Experiment, FusedExperiment, FusedNMFExperiment).
 */
import * as tf from '@tensorflow/tfjs';
import { runLabel, type ExperimentConfig } from '../core/config';
import { Experiment, finishRunResult, type RunResult } from '../core/experiment';
import { FUSED_BACKEND, FusedExperiment, FusedNMFExperiment, type FusedOptions } from '../core/fused';
import type { RunStatus, SwitchRecord } from '../core/run';
import type { NMFWorkspaceOptions } from '../core/fused/nmf-engine';

export type FoldEngine = { kind: 'tfjs' } | { kind: 'fused'; opts?: FusedOptions } | { kind: 'fused-nmf'; opts?: NMFWorkspaceOptions };

/** f (and test f, or null) of run i after its step t. */
export type RecordFn = (i: number, t: number, loss: number, test: number | null) => void;

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
): { backend: string; steps: number; recordsTest: boolean; runs: RunSummary[] } {
  // The engine-generic fold (core/fold) on the cpu engine (MLP or NMF) or on tfjs: one loop, recording through `record`.
  const fx =
    engine.kind === 'fused' ? new FusedExperiment(config, engine.opts) : engine.kind === 'fused-nmf' ? new FusedNMFExperiment(config, engine.opts) : new Experiment(config);
  const backend = engine.kind === 'tfjs' ? tf.getBackend() : FUSED_BACKEND;
  try {
    const withTest = recordTest && fx.hasTest;
    const algorithms = fx.runs.map((r) => r.algorithm.id);
    const onRecord = (i: number, run: { t: number; lastLoss: number; lastTestLoss: number }): void =>
      record(i, run.t, run.lastLoss, withTest ? run.lastTestLoss : null);
    fx.evaluateAll({ withTest, prefetch: config.steps > 0, onRecord });
    for (let t = 0; t < config.steps; t++) {
      if (!fx.runs.some((r) => r.active)) break;
      fx.step({ withTest, prefetch: t + 1 < config.steps, onRecord });
      onStep?.(t + 1);
    }
    return { backend, steps: config.steps, recordsTest: withTest, runs: fx.runs.map((run, i) => summary(run, algorithms[i], fx.wallMs[i])) };
  } finally {
    fx.dispose();
  }
}

/** Whether step t is kept: 0, k, 2k, … (the last step of each run is added at the end). */
const kept = (t: number, every: number): boolean => t % every === 0;

/** The ExperimentResult with series thinned to every k-th step (and the last): memory O(steps / k). */
export function runThinned(config: ExperimentConfig, engine: FoldEngine, recordTest: boolean, every: number, onStep?: (t: number) => void) {
  const runs = config.runs.map(() => ({ losses: [] as number[], testLosses: [] as number[], lossSteps: [] as number[], last: null as null | [number, number, number | null] }));
  const r = foldExperiment(config, engine, recordTest, (i, t, loss, test) => {
    const s = runs[i];
    s.last = [t, loss, test];
    if (!kept(t, every)) return;
    s.lossSteps.push(t);
    s.losses.push(loss);
    if (test !== null) s.testLosses.push(test);
  }, onStep);
  return {
    backend: r.backend,
    steps: r.steps,
    every,
    runs: r.runs.map((run, i) => {
      const s = runs[i];
      if (s.last && s.lossSteps.at(-1) !== s.last[0]) {
        s.lossSteps.push(s.last[0]);
        s.losses.push(s.last[1]);
        if (s.last[2] !== null) s.testLosses.push(s.last[2]);
      }
      return { ...run, lossSteps: s.lossSteps, losses: s.losses, ...(r.recordsTest ? { testLosses: s.testLosses } : {}) };
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
  every: number,
  write: (chunk: string) => void,
  onStep?: (t: number) => void,
): void {
  const out = lineWriter(write);
  const ids = config.runs.map((rc, i) => runLabel(rc, i));
  const last = config.runs.map(() => null as null | { t: number; loss: number; test: number | null; sent: boolean });
  const line = (i: number, t: number, loss: number, test: number | null): void =>
    out.line({ run: i, id: ids[i], t, loss, ...(test !== null ? { testLoss: test } : {}) });
  const r = foldExperiment(config, engine, recordTest, (i, t, loss, test) => {
    const send = kept(t, every);
    last[i] = { t, loss, test, sent: send };
    if (send) line(i, t, loss, test);
  }, onStep);
  last.forEach((l, i) => l && !l.sent && line(i, l.t, l.loss, l.test));
  out.line({
    summary: {
      backend: r.backend,
      steps: r.steps,
      every,
      runs: r.runs.map((run, i) => ({ ...run, finalLoss: last[i]?.loss ?? null, ...(r.recordsTest ? { finalTestLoss: last[i]?.test ?? null } : {}) })),
    },
  });
  out.flush();
}
