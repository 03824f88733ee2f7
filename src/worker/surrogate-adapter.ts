/**
 * Answers `requestSurrogate` with core/views/surrogate.ts (surrogateSlice / surrogatePlane) at a run's
 * current point, on the session's own run and engine, converted to the protocol's typed arrays. The
 * objective is the one the run's next step minimises (the full training set, or that step's
 * mini-batch), so θₜ₊₁ and g refer to the same f. Steps are pure: the run is not touched. The helpers
 * read scalars synchronously; that is fine here (one request, not the tick loop).
 */
import type { ExperimentConfig } from '../core/config';
import { mmExponent } from '../core/algorithms/nmf-updates';
import type { Experiment } from '../core/fold/experiment';
import type { Run } from '../core/fold/run';
import { surrogatePlane, surrogateSlice, type ModelPoint } from '../core/views/surrogate';
import type { RequestSurrogateCmd, SurrogateEvt } from './protocol';

export type SurrogatePayload = Omit<SurrogateEvt, 'type' | 'epoch' | 'run' | 'requestId' | 't'>;

const clampInt = (v: number | undefined, d: number, lo: number, hi: number): number =>
  v === undefined || !Number.isFinite(v) ? d : Math.max(lo, Math.min(hi, Math.floor(v)));

export async function computeSurrogate(config: ExperimentConfig, exp: Experiment, run: Run, cmd: RequestSurrogateCmd): Promise<SurrogatePayload> {
  const rows = exp.rowsAt(run.t);
  const objective = rows ? 'minibatch' : 'full';
  // float64 where the engine can (near convergence f varies below float32 resolution along a step).
  const precise = exp.problem.precise?.(rows) ?? null;
  const { f, release } = precise ?? exp.stepObjective(run.t);
  const precision = precise ? 'float64' : 'float32';
  const point: ModelPoint = {
    c: run.context(f),
    alg: run.algorithm,
    theta: run.theta,
    state: run.state,
    hyper: run.hyper,
    layout: exp.problem.layout,
    release: (old, next) => exp.problem.releaseReplaced(old, next),
  };
  const marks: Record<string, number> = {};
  if (config.problem.kind === 'nmf') {
    // NMF path H̃ ⊙ Rᵗ: t = γ(β) is the MM point, t = 1 the heuristic multiplicative update.
    const gamma = mmExponent(config.problem.beta);
    if (gamma !== 1) marks.mmPoint = gamma;
  }
  try {
    const range = cmd.range && cmd.range.every(Number.isFinite) && cmd.range[0] < cmd.range[1] ? cmd.range : undefined;
    if (cmd.kind === 'slice') {
      const s = surrogateSlice(point, {
        points: clampInt(cmd.points, 41, 3, 401),
        ...(range ? { tMin: range[0], tMax: range[1] } : {}),
      });
      return {
        algorithm: run.algorithm.id,
        certified: s.certified,
        certificate: s.certificate,
        formula: s.formula,
        data: { kind: 'slice', s: Float32Array.from(s.t), f: Float64Array.from(s.f), g: Float64Array.from(s.g) },
        marks,
        violations: s.violations.length,
        tol: s.tol,
        stepNorm: s.stepNorm,
        objective,
        precision,
      };
    }
    const p = surrogatePlane(point, {
      points: clampInt(cmd.points, 21, 3, 81),
      ...(range ? { aRange: range } : {}),
    });
    return {
      algorithm: run.algorithm.id,
      certified: p.certified,
      certificate: p.certificate,
      formula: p.formula,
      data: { kind: 'plane', a: Float32Array.from(p.a), b: Float32Array.from(p.b), f: Float64Array.from(p.f.flat()), g: Float64Array.from(p.g.flat()) },
      marks,
      violations: p.violations,
      tol: p.tol,
      stepNorm: p.scale,
      objective,
      precision,
    };
  } finally {
    release();
  }
}
