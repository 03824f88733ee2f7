/**
 * What the cpu engine runs: every algorithm of the registry (each is written once against the engine
 * interface), on MLP problems, and on NMF problems where WebAssembly SIMD is available (the NMF
 * workspace's kernels need it).
 */
import type { ExperimentConfig } from '../config';
import type { AnyEngineAlgorithm } from '../engine/algorithm';
import { ALGORITHMS } from '../algorithms/registry';
import { simdAvailable } from './problem';

export type FusedAlgorithmId = string;

/** The name the cpu engine reports as `backend`. */
export const FUSED_BACKEND = 'js-fused';

export const FUSED_ALGORITHMS: readonly string[] = Object.keys(ALGORITHMS);
export const FUSED_MM: readonly string[] = FUSED_ALGORITHMS.filter((id) => ALGORITHMS[id].family === 'mm' && ALGORITHMS[id].problems.includes('mlp'));

/** What the fused engine runs, in words (for messages). */
export const FUSED_SCOPE = 'MLP problems, 2-D function problems, and NMF problems where WebAssembly SIMD is available';

/** True when the cpu engine can run `config`: an MLP, or an NMF problem with WebAssembly SIMD, every run and switch a registered algorithm. */
export function canFuse(config: ExperimentConfig): boolean {
  const algorithmsOk = config.runs.every((r) => isFusedAlgorithm(r.algorithm) && r.switches.every((s) => isFusedAlgorithm(s.algorithm)));
  return algorithmsOk && (config.problem.kind === 'mlp' || config.problem.kind === 'function' || (config.problem.kind === 'nmf' && simdAvailable()));
}

export function isFusedMM(id: string): boolean {
  return FUSED_MM.includes(id);
}

export function isFusedAlgorithm(id: string): boolean {
  return typeof id === 'string' && Object.hasOwn(ALGORITHMS, id);
}

/** The engine algorithm behind a fused id. */
export function fusedAlgorithm(id: string): AnyEngineAlgorithm {
  if (!isFusedAlgorithm(id)) throw new Error(`the fused engine runs ${FUSED_ALGORITHMS.join(', ')} only, not '${id}'`);
  return ALGORITHMS[id];
}
