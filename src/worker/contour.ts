/**
 * Answers `requestContour` for 2-D function problems (config kind 'function'): f on a G×G grid (the
 * exact float64 function of problems/functions.ts), the inspected run's model g(·|θₜ) on the same grid
 * (its algorithm's `model()`, evaluated on the engine like the surrogate view, core/views/surrogate.ts),
 * θₜ₊₁ (g's minimiser, else the step's point: steps are pure, the run is untouched), and every run's
 * path θ₀ … θₜ.
 *
 * The session keeps only each run's current θ, so the paths come from a replay: the same config
 * (switches included: mid-run switches are recorded into it) folded on the cpu engine, advanced
 * incrementally to the session's step and checked against the runs' θ — a 2-D step costs about a
 * microsecond, and the replay's θ are the runs' θ bit for bit (the fold is deterministic).
 */
import type { ExperimentConfig } from '../core/config';
import type { Experiment } from '../core/fold/experiment';
import type { Run } from '../core/fold/run';
import { FusedExperiment } from '../core/fused/fused-experiment';
import { functionOf } from '../core/problems/functions-config';
import { certificateOf, stepDelta } from '../core/views/surrogate';
import type { ContourEvt, RequestContourCmd } from './protocol';

export type ContourPayload = Omit<ContourEvt, 'type' | 'epoch' | 'run' | 'requestId' | 't' | 'computeMs'>;

const MAX_POINTS = 4000;

interface Replay {
  key: string;
  exp: FusedExperiment;
  /** Per run: x, y of θ₀ … θ_t (t = the run's steps), appended as the replay steps. */
  xy: number[][];
}

let replay: Replay | null = null;

const replayKey = (c: ExperimentConfig): string => JSON.stringify({ p: c.problem, s: c.seeds, r: c.runs });

function record(r: Replay): void {
  r.exp.runs.forEach((run, i) => {
    while (r.xy[i].length / 2 <= run.t) {
      const th = run.thetaArray();
      r.xy[i].push(th[0], th[1]);
    }
  });
}

function newReplay(config: ExperimentConfig): Replay {
  const exp = new FusedExperiment({ ...structuredClone(config), steps: Number.MAX_SAFE_INTEGER });
  const r: Replay = { key: replayKey(config), exp, xy: exp.runs.map(() => []) };
  record(r);
  return r;
}

const same = (a: Float32Array, b: Float32Array): boolean => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

/** The replay at the session's step `t`, its runs' θ equal to the session's (rebuilt once if not). */
function replayAt(config: ExperimentConfig, exp: Experiment): Replay {
  for (let attempt = 0; attempt < 2; attempt++) {
    if (!replay || replay.key !== replayKey(config) || replay.exp.t > exp.t || attempt > 0) replay = newReplay(config);
    const r = replay;
    while (r.exp.t < exp.t && r.exp.runs.some((x) => x.active)) {
      r.exp.step({ withTest: false, prefetch: false });
      record(r);
    }
    if (r.exp.runs.every((x, i) => same(x.thetaArray(), exp.runs[i].thetaArray()))) return r;
  }
  throw new Error('the replayed paths do not reach the runs’ current points (the session changed in a way its config does not record)');
}

/** Every `stride`-th point of a path and its last, at most MAX_POINTS. */
function thin(xy: number[]): { points: Float64Array; stride: number; steps: number } {
  const n = xy.length / 2;
  const stride = Math.max(1, Math.ceil(n / MAX_POINTS));
  const out: number[] = [];
  for (let k = 0; k < n; k += stride) out.push(xy[2 * k], xy[2 * k + 1]);
  if ((n - 1) % stride !== 0) out.push(xy[2 * n - 2], xy[2 * n - 1]);
  return { points: Float64Array.from(out), stride, steps: n - 1 };
}

const okRange = (r: unknown): r is [number, number] => Array.isArray(r) && r.length === 2 && r.every(Number.isFinite) && r[0] < r[1];

export function computeContour(config: ExperimentConfig, exp: Experiment, run: Run, cmd: RequestContourCmd): ContourPayload {
  const p = config.problem;
  if (p.kind !== 'function') throw new Error(`the contour view draws 2-D function problems only (this is '${p.kind}')`);
  const fn = functionOf(p);
  const G = Math.max(8, Math.min(160, Math.floor(cmd.grid ?? 64) || 64));
  const x = cmd.box && okRange(cmd.box.x) ? cmd.box.x : ([...fn.box.x] as [number, number]);
  const y = cmd.box && okRange(cmd.box.y) ? cmd.box.y : ([...fn.box.y] as [number, number]);
  // Grid points rounded to float32 (θ's precision), so f and g are evaluated at the very same points.
  const at = (lo: number, hi: number, k: number) => Math.fround(lo + ((hi - lo) * k) / (G - 1));
  const f = new Float64Array(G * G);
  for (let i = 0; i < G; i++) for (let j = 0; j < G; j++) f[i * G + j] = fn.value(at(x[0], x[1], j), at(y[0], y[1], i));

  const r = replayAt(config, exp);
  const paths = r.xy.map((xy, i) => ({ ...thin(xy), switches: exp.runs[i].switches.map((s) => s.at) }));
  const th = run.thetaArray();
  const theta: [number, number] = [th[0], th[1]];
  const base = { grid: G, x, y, f, algorithm: run.algorithm.id, theta, paths };
  if (run.status === 'diverged' || run.status === 'error' || !Number.isFinite(theta[0]) || !Number.isFinite(theta[1]))
    return { ...base, g: null, certified: false, certificate: 'none', formula: `run stopped (${run.status}): no surrogate at a non-finite point`, next: null };

  const { ops } = exp.problem;
  const model = run.model();
  try {
    const g = new Float64Array(G * G);
    for (let i = 0; i < G; i++)
      for (let j = 0; j < G; j++) g[i * G + j] = model.value(ops.fromArray(run.theta, [at(x[0], x[1], j), at(y[0], y[1], i)]));
    let next: [number, number] | null = null;
    if (model.minimiser) {
      const m = ops.toArray(model.minimiser);
      next = [m[0], m[1]];
    } else {
      const d = stepDelta({ c: run.context(exp.problem.full), alg: run.algorithm, theta: run.theta, state: run.state, hyper: run.hyper, layout: exp.problem.layout, release: (o, n) => exp.problem.releaseReplaced(o, n) });
      const dd = ops.toArray(d);
      next = [theta[0] + dd[0], theta[1] + dd[1]];
    }
    return { ...base, g, certified: model.certified, certificate: certificateOf(model), formula: model.formula, next };
  } finally {
    model.dispose();
  }
}

/** Forget the replay (tests; a new session rebuilds it anyway when its config differs). */
export function clearContourReplay(): void {
  replay = null;
}
