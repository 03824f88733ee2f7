/**
 * What the cpu engine runs for MLPs: every algorithm written against the engine interface
 * (algorithms/registry.ts) that applies to MLPs. The others (Böhning,
 * Gauss–Newton, ProxProp, INNA) are still written on tfjs and run there.
 */
import type { AnyEngineAlgorithm } from '../engine/algorithm';
import { ALGORITHMS } from '../algorithms/registry';

export type FusedAlgorithmId = string;

export const FUSED_ALGORITHMS: readonly string[] = Object.keys(ALGORITHMS).filter((id) => ALGORITHMS[id].problems.includes('mlp'));
export const FUSED_MM: readonly string[] = FUSED_ALGORITHMS.filter((id) => ALGORITHMS[id].family === 'mm');

/** What the fused engine runs, in words (for messages). */
export const FUSED_SCOPE = `MLP problems whose runs use ${FUSED_ALGORITHMS.join(', ')}`;

export function isFusedMM(id: string): boolean {
  return FUSED_MM.includes(id);
}

export function isFusedAlgorithm(id: string): boolean {
  return FUSED_ALGORITHMS.includes(id);
}

/** The engine algorithm behind a fused id. */
export function fusedAlgorithm(id: string): AnyEngineAlgorithm {
  if (!isFusedAlgorithm(id)) throw new Error(`the fused engine runs ${FUSED_ALGORITHMS.join(', ')} only, not '${id}'`);
  return ALGORITHMS[id];
}
