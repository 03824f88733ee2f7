/**
 * An engine algorithm as a core `Algorithm` on tfjs tensors (core/types.ts), for the tfjs fold
 * (core/run.ts), the surrogate views and the tests: a tfjs Vec *is* the parameter list, so θ and the
 * state pass through unchanged. Each call runs inside tf.tidy, so the algorithm's intermediates are
 * freed and only its result survives.
 */
import * as tf from '@tensorflow/tfjs';
import type { AnyEngineAlgorithm, VecSurrogate } from '../../engine/algorithm';
import type { StepContext } from '../../engine/types';
import type { Algorithm, Objective, Params, Surrogate } from '../../types';
import { powerIteration } from '../../algorithms/lipschitz';
import { tfjsObjective } from './objective';
import { tensorsOf, tfjsVec, tfjsVectorOps } from './vector-ops';

export function tfjsContext(obj: Objective, params: Params): StepContext {
  return { ops: tfjsVectorOps, f: tfjsObjective(obj, params.length) };
}

/** A VecSurrogate built on the tfjs engine, as a core Surrogate. */
export function tfjsSurrogate(s: VecSurrogate): Surrogate {
  return {
    ...s,
    value: (p) => s.value(tfjsVec(p)),
    minimiser: s.minimiser ? tensorsOf(s.minimiser) : undefined,
    path: s.path ? (t) => tensorsOf(s.path!(t)) : undefined,
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function onTfjs<A extends AnyEngineAlgorithm>(alg: A): Algorithm<any, any> & { readonly engineAlgorithm: A } {
  return {
    id: alg.id,
    label: alg.label,
    family: alg.family,
    problems: alg.problems,
    hyper: alg.hyper,
    summary: alg.summary,
    formula: alg.formula,
    engineAlgorithm: alg,
    init: (params, h, obj) => tf.tidy(() => alg.init(tfjsContext(obj, params), tfjsVec(params), h)),
    step: (obj, params, state, h) =>
      tf.tidy(() => {
        const r = alg.step(tfjsContext(obj, params), tfjsVec(params), state, h);
        return { params: tensorsOf(r.theta), state: r.state, info: r.info };
      }),
    model: (obj, params, state, h) => tfjsSurrogate(alg.model(tfjsContext(obj, params), tfjsVec(params), state, h)),
  };
}

/**
 * Largest-magnitude Hessian eigenvalue at θ on tfjs tensors (algorithms/lipschitz.ts's power iteration),
 * for the implied-model probe. Returns |λ| and the unit direction (owned by the caller).
 */
export function tfjsPowerIteration(obj: Objective, params: Params, iterations: number, seed = 1): { lambda: number; vector: tf.Tensor[] } {
  return tf.tidy(() => {
    const r = powerIteration(tfjsContext(obj, params), tfjsVec(params), iterations, seed);
    return { lambda: r.lambda, vector: tensorsOf(r.vector) };
  });
}
