/**
 * Hyper-parameter sweeps, engine-free: which run is swept, the grid of values (each checked by the
 * algorithm's own zod schema, so an out-of-range value is refused with the value and the reason), the
 * one-run experiment of each point, and a point's summary from that experiment's result. Running the
 * points (in parallel, anywhere) is the caller's: a point is an ordinary experiment, so its numbers are
 * those of the same experiment run alone.
 */
import { runLabel, SWEEP_MAX_POINTS, type ExperimentConfig, type RunConfig, type SweepConfig } from './config';
import { findAlgorithmSpec } from './algorithms/spec-registry';
import type { ExperimentResult } from './fold/result';

export type SweepValue = number | boolean;

export interface SweepPlan {
  /** The swept run: its index in the experiment, id (label) and algorithm. */
  runIndex: number;
  run: string;
  algorithm: string;
  hyper: string;
  values: SweepValue[];
  /** One experiment per value: the swept run alone, `hyper` set to the value. */
  points: ExperimentConfig[];
}

export interface SweepPoint {
  value: SweepValue;
  finalLoss: number | null;
  losses: number[];
  testLosses?: number[];
  /** The steps of `losses` when f was not evaluated every step (evalEvery > 1). */
  lossSteps?: number[];
  status: string;
  divergedAt?: number;
  message?: string;
  steps: number;
  wallMs: number;
  stepsPerSec: number;
}

export type Result<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** `n` log-spaced values from `a` to `b` (both > 0), rounded to 12 significant digits: 1e-4..1:5 → 1e-4, 1e-3, …, 1. */
export function logGrid(a: number, b: number, n: number): number[] {
  if (n === 1) return [a];
  const la = Math.log10(a);
  const step = (Math.log10(b) - la) / (n - 1);
  return Array.from({ length: n }, (_, i) => (i === 0 ? a : i === n - 1 ? b : Number((10 ** (la + i * step)).toPrecision(12))));
}

const GRID = /^([^.:]+(?:\.[^.:]+)?)\.\.([^:]+):(\d+)$/;

/**
 * Parses `1e-4,1e-3,0.01` (or `true,false`) into values; an entry `a..b:n` is n log-spaced values from a
 * to b. Names each entry that is not a number.
 */
export function parseSweepValues(text: string): Result<SweepValue[]> {
  const parts = text.split(',').map((s) => s.trim());
  const values: SweepValue[] = [];
  const errors: string[] = [];
  for (const p of parts) {
    const grid = GRID.exec(p);
    if (grid) {
      const [a, b, n] = [Number(grid[1]), Number(grid[2]), Number(grid[3])];
      if (a > 0 && b > 0 && Number.isFinite(a) && Number.isFinite(b) && n >= 1 && n <= SWEEP_MAX_POINTS) values.push(...logGrid(a, b, n));
      else errors.push(`--values: '${p}' is a log-spaced grid a..b:n, which needs a, b > 0 and n from 1 to ${SWEEP_MAX_POINTS}`);
    } else if (p === 'true' || p === 'false') values.push(p === 'true');
    else if (p !== '' && Number.isFinite(Number(p))) values.push(Number(p));
    else errors.push(`--values: '${p}' is not a number (give numbers separated by commas, e.g. 1e-3,0.01,0.1)`);
  }
  if (values.length > SWEEP_MAX_POINTS) errors.push(`--values: at most ${SWEEP_MAX_POINTS} points (got ${values.length})`);
  return errors.length ? { ok: false, errors } : { ok: true, value: values };
}

/** The run named by `sel` (an id, a label, or a 0-based index), or the only run. */
function findRun(config: ExperimentConfig, sel: string | number | undefined): Result<number> {
  const runs = config.runs;
  const names = runs.map((r, i) => `${i}: ${runLabel(r, i)}`).join(', ');
  if (sel === undefined) {
    if (runs.length === 1) return { ok: true, value: 0 };
    return { ok: false, errors: [`the experiment has ${runs.length} runs: say which one to sweep with --run <id or index> (${names})`] };
  }
  const s = String(sel);
  const byId = runs.findIndex((r, i) => r.id === s || runLabel(r, i) === s);
  if (byId >= 0) return { ok: true, value: byId };
  if (/^\d+$/.test(s) && Number(s) < runs.length) return { ok: true, value: Number(s) };
  return { ok: false, errors: [`--run '${s}': no run has this id or index (runs: ${names})`] };
}

/** Plans the sweep of `spec` over `config` (validated, hyper-parameters with defaults filled). */
export function planSweep(config: ExperimentConfig, spec: SweepConfig): Result<SweepPlan> {
  const found = findRun(config, spec.run);
  if (!found.ok) return found;
  const runIndex = found.value;
  const base = config.runs[runIndex];
  const alg = findAlgorithmSpec(base.algorithm);
  if (!alg) return { ok: false, errors: [`run ${runIndex}: unknown algorithm '${base.algorithm}'`] };
  const names = Object.keys(base.hyper);
  const errors: string[] = [];
  const points: ExperimentConfig[] = [];
  for (const value of spec.values) {
    const r = alg.hyper.safeParse({ ...base.hyper, [spec.hyper]: value });
    if (r.success) {
      const run: RunConfig = { ...base, hyper: r.data as Record<string, unknown> };
      const { sweep: _sweep, ...rest } = config;
      points.push({ ...rest, runs: [run] });
      continue;
    }
    if (r.error.issues.some((i) => i.code === 'unrecognized_keys'))
      return {
        ok: false,
        errors: [
          names.length
            ? `${alg.label} has no hyper-parameter '${spec.hyper}' (its hyper-parameters: ${names.join(', ')})`
            : `${alg.label} has no hyper-parameters: there is nothing to sweep in run ${runIndex}`,
        ],
      };
    errors.push(`${spec.hyper} = ${String(value)} is out of range for ${alg.label}: ${r.error.issues.map((i) => i.message).join('; ')}`);
  }
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    value: { runIndex, run: runLabel(base, runIndex), algorithm: base.algorithm, hyper: spec.hyper, values: spec.values, points },
  };
}

/** A point's summary from its one-run experiment's result. */
export function sweepPoint(value: SweepValue, result: ExperimentResult): SweepPoint {
  const r = result.runs[0];
  return {
    value,
    finalLoss: r.losses.length ? r.losses[r.losses.length - 1] : null,
    losses: r.losses,
    ...(r.testLosses ? { testLosses: r.testLosses } : {}),
    ...(r.lossSteps ? { lossSteps: r.lossSteps } : {}),
    status: r.status,
    ...(r.divergedAt !== undefined ? { divergedAt: r.divergedAt } : {}),
    ...(r.message ? { message: r.message } : {}),
    steps: r.steps,
    wallMs: r.wallMs,
    stepsPerSec: r.stepsPerSec,
  };
}
