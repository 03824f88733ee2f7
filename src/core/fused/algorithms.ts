/**
 * What the fused engine runs: the gradient optimizers (./optimizers.ts) and the Lipschitz-quadratic MM
 * algorithms (./mm-steps.ts: mm-lipschitz, mm-layerwise). The other MM algorithms (Böhning,
 * Gauss–Newton, …) and ProxProp/INNA need tfjs (linear solves, Jacobian products).
 */
import type { MMLayerwiseHyper } from '../algorithms/mm-layerwise';
import type { MMLipschitzHyper } from '../algorithms/mm-lipschitz';
import { FUSED_OPTIMIZERS, initOptState, isFusedOptimizer, type FusedOptimizerId, type FusedOptState } from './optimizers';
import { powerIterationSeed } from './mm-steps';
import type { FusedProblem } from './problem';

export const FUSED_MM = ['mm-lipschitz', 'mm-layerwise'] as const;
export type FusedMMId = (typeof FUSED_MM)[number];
export const FUSED_ALGORITHMS = [...FUSED_OPTIMIZERS, ...FUSED_MM] as const;
export type FusedAlgorithmId = FusedOptimizerId | FusedMMId;

/** What the fused engine runs, in words (for messages). */
export const FUSED_SCOPE = `MLP problems whose runs use ${FUSED_ALGORITHMS.join(', ')}`;

export function isFusedMM(id: string): id is FusedMMId {
  return (FUSED_MM as readonly string[]).includes(id);
}

export function isFusedAlgorithm(id: string): id is FusedAlgorithmId {
  return isFusedOptimizer(id) || isFusedMM(id);
}

/** The state the tfjs algorithm's `init` gives, in the fused layout, for θ on `problem`. */
export function initFusedState(id: FusedAlgorithmId, problem: FusedProblem, theta: Float32Array, hyper: Record<string, unknown>): FusedOptState {
  if (id === 'mm-lipschitz') {
    const h = hyper as MMLipschitzHyper;
    let L = h.L0;
    if (h.powerIterations > 0) {
      const lambda = powerIterationSeed(problem.net, problem.train, theta, h.powerIterations);
      if (Number.isFinite(lambda) && lambda > 0) L = Math.max(1e-10, lambda);
    }
    return { t: 0, slots: {}, mm: { L: [L], shrink: [false] } };
  }
  if (id === 'mm-layerwise') {
    const layers = problem.spec.sizes.length - 1;
    return { t: 0, slots: {}, mm: { L: new Array(layers).fill((hyper as MMLayerwiseHyper).L0), shrink: new Array(layers).fill(false) } };
  }
  return initOptState(id, theta.length, hyper);
}
