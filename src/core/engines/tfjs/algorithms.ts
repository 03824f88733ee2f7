/**
 * The algorithms as core `Algorithm`s on tfjs tensors (core/types.ts), for the tfjs fold (core/run.ts),
 * the surrogate views (core/surrogate.ts) and the tests: each registry entry wrapped once by `onTfjs`.
 * The page never imports this module (it would load tfjs); it reads specs from algorithms/registry.ts.
 */
import { ALGORITHMS, algorithmIds } from '../../algorithms/registry';
import type { AnyAlgorithm } from '../../types';
import { onTfjs } from './adapter';

const wrapped = new Map<string, AnyAlgorithm>();

/** The algorithm with this id on tfjs, or undefined (own registry keys only). */
export function findTfjsAlgorithm(id: string): AnyAlgorithm | undefined {
  if (typeof id !== 'string' || !Object.hasOwn(ALGORITHMS, id)) return undefined;
  let a = wrapped.get(id);
  if (!a) wrapped.set(id, (a = onTfjs(ALGORITHMS[id])));
  return a;
}

export function getTfjsAlgorithm(id: string): AnyAlgorithm {
  const alg = findTfjsAlgorithm(id);
  if (!alg) throw new Error(`unknown algorithm '${id}' (one of ${algorithmIds().join(', ')})`);
  return alg;
}
