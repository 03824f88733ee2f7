/**
 * K steps of an experiment for a live session, on any engine: every active run steps on objective t
 * and asks for f (and the test f) after its step when it is due (every evalEvery steps and at the
 * budget's last: eval-every.ts), exactly in foldExperiment's order; the losses come
 * back together at the end (`readPending`: one readback on a GPU, so a loss never stalls it) or are
 * known at once (the cpu engine: a non-finite f then stops its run inside the step, so no point follows).
 */
import type { PendingLosses } from '../engine/problem';
import type { Experiment } from './experiment';
import type { Run } from './run';

/** What K steps computed (losses as [train, test] pairs at idxOf). */
export interface Collected {
  done: number;
  /** Per run: the evaluated step counts, the index of each one's train loss in `values` (test at +1), numeric StepInfo. */
  stepsOf: number[][];
  /** Per run: its step count before the tick (steps taken = run.t − this; stepsOf may skip steps). */
  startOf: number[];
  idxOf: number[][];
  infoOf: [string, number][][][];
  values: Float32Array;
  /** Per run: ms of its own synchronous work. */
  runMs: Float64Array;
  /** ms of synchronous work (the rest waited for the readback). */
  syncMs: number;
  hasTest: boolean;
}

const NO_INFO: [string, number][] = [];

/** A numeric-only copy of StepInfo values (booleans as 0/1; others dropped). */
function numericInfo(info: Record<string, unknown>): [string, number][] {
  const out: [string, number][] = [];
  for (const [k, v] of Object.entries(info)) {
    if (typeof v === 'number') out.push([k, v]);
    else if (typeof v === 'boolean') out.push([k, v ? 1 : 0]);
  }
  return out;
}

/** The handles' [train, test] pairs: read back together, or the numbers already known. */
async function readAll(exp: Experiment, handles: PendingLosses[]): Promise<Float32Array> {
  if (exp.problem.readPending && handles.some((h) => h.known === null)) return exp.problem.readPending(handles);
  const out = new Float32Array(2 * handles.length);
  handles.forEach((h, i) => {
    out[2 * i] = h.known!.train;
    out[2 * i + 1] = h.known!.test;
  });
  return out;
}

/** f (and test f) of every run at its current θ: [train, test] per run. */
export async function readLosses(exp: Experiment): Promise<{ loss: Float32Array; testLoss: Float32Array }> {
  const values = await readAll(
    exp,
    exp.runs.map((r) => r.evaluatePending(exp.hasTest, exp.fullBatch)),
  );
  const n = exp.runs.length;
  return { loss: Float32Array.from({ length: n }, (_, i) => values[2 * i]), testLoss: Float32Array.from({ length: n }, (_, i) => values[2 * i + 1]) };
}

/** K steps of every active run (fewer when every run has stopped); `lastStep`: the budget's last step (always evaluated). */
export async function collectSteps(exp: Experiment, K: number, lastStep = exp.config.steps): Promise<Collected> {
  const runs = exp.runs;
  const startOf = runs.map((r) => r.t);
  const t0 = performance.now();
  const handles: PendingLosses[] = [];
  const stepsOf: number[][] = runs.map(() => []);
  const idxOf: number[][] = runs.map(() => []);
  const infoOf: [string, number][][][] = runs.map(() => []);
  const runMs = new Float64Array(runs.length);
  const stepOne = (run: Run, i: number, f: Parameters<Run['step']>[0]): void => {
    const s0 = performance.now();
    run.step(f);
    if (run.active && exp.evaluatesAt(run.t, lastStep)) {
      const h = run.evaluatePending(exp.hasTest, exp.fullBatch);
      idxOf[i].push(2 * handles.length);
      handles.push(h);
      stepsOf[i].push(run.t);
      infoOf[i].push(run.lastInfo ? numericInfo(run.lastInfo) : NO_INFO);
      if (h.known) run.checkFinite(h.known.train, run.t);
    }
    const ms = performance.now() - s0;
    runMs[i] += ms;
    exp.wallMs[i] += ms;
  };
  let done = 0;
  try {
    for (let k = 0; k < K; k++) {
      if (!runs.some((r) => r.active)) break;
      const { f, release } = exp.stepObjective(exp.t);
      try {
        runs.forEach((run, i) => run.active && stepOne(run, i, f));
      } finally {
        release();
      }
      exp.t += 1;
      runs.forEach((run, i) => run.active && exp.applySwitches(run, i));
      done += 1;
    }
  } catch (e) {
    // Free what is pending (a dead backend may refuse to read it).
    await exp.problem.readPending?.(handles).catch(() => undefined);
    throw e;
  }
  const syncMs = performance.now() - t0;
  const values = await readAll(exp, handles);
  return { done, stepsOf, startOf, idxOf, infoOf, values, runMs, syncMs, hasTest: exp.hasTest };
}
