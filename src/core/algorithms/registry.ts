/**
 * Every algorithm MM Lab knows, by id. The config schema, the CLI, the worker and the UI all look
 * algorithms up here. One algorithm per file; add new ones to this table.
 */
import type { AnyAlgorithm } from '../types';
import { sgd } from './sgd';

export const ALGORITHMS: Record<string, AnyAlgorithm> = {
  sgd,
};

export function algorithmIds(): string[] {
  return Object.keys(ALGORITHMS);
}

export function getAlgorithm(id: string): AnyAlgorithm {
  const alg = ALGORITHMS[id];
  if (!alg) throw new Error(`unknown algorithm '${id}' (one of ${algorithmIds().join(', ')})`);
  return alg;
}
