/**
 * Every algorithm MM Lab knows, by id, with its step code — each written once against the engine
 * interface, so it runs on every engine. The worker, the CLI and the engines run algorithms from here;
 * nothing here imports tfjs (engines/tfjs/algorithms.ts wraps these for the tfjs fold). The page and
 * the config schema read only the specs (spec-registry.ts: the same ids, each entry here spreads its
 * `<id>-spec.ts`), so the page's bundle carries no step code. One algorithm per file; add new ones to
 * both tables.
 */
import type { AnyEngineAlgorithm } from '../engine/algorithm';
import { adagrad } from './adagrad';
import { adam } from './adam';
import { adamw } from './adamw';
import { agd } from './agd';
import { inna } from './inna';
import { mmBohning } from './mm-bohning';
import { mmCurvature } from './mm-curvature';
import { mmGaussNewton } from './mm-gauss-newton';
import { mmLayerwise } from './mm-layerwise';
import { mmLipschitz } from './mm-lipschitz';
import { nmfJointMM } from './nmf-joint-mm';
import { nmfME } from './nmf-me';
import { nmfMM } from './nmf-mm';
import { nmfMU } from './nmf-mu';
import { proxprop } from './proxprop';
import { rmsprop } from './rmsprop';
import { sgd } from './sgd';
import { sgdArmijo } from './sgd-armijo';

// A null-prototype table: ids come from links and files, and '__proto__' or 'constructor' must not
// resolve to Object.prototype's members.
export const ALGORITHMS: Record<string, AnyEngineAlgorithm> = Object.assign(Object.create(null) as Record<string, AnyEngineAlgorithm>, {
  sgd,
  adam,
  adamw,
  rmsprop,
  adagrad,
  inna,
  'mm-lipschitz': mmLipschitz,
  'mm-bohning': mmBohning,
  'mm-layerwise': mmLayerwise,
  'mm-gauss-newton': mmGaussNewton,
  'mm-curvature': mmCurvature,
  'nmf-mm': nmfMM,
  'nmf-mu': nmfMU,
  'nmf-me': nmfME,
  'nmf-joint-mm': nmfJointMM,
  proxprop,
  'sgd-armijo': sgdArmijo,
  agd,
});

export function algorithmIds(): string[] {
  return Object.keys(ALGORITHMS);
}

/** The algorithm with this id, or undefined (own keys only: '__proto__' is not an algorithm). */
export function findAlgorithm(id: string): AnyEngineAlgorithm | undefined {
  return typeof id === 'string' && Object.hasOwn(ALGORITHMS, id) ? ALGORITHMS[id] : undefined;
}

export function getAlgorithm(id: string): AnyEngineAlgorithm {
  const alg = findAlgorithm(id);
  if (!alg) throw new Error(`unknown algorithm '${id}' (one of ${algorithmIds().join(', ')})`);
  return alg;
}
