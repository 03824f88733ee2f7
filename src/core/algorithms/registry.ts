/**
 * Every algorithm MM Lab knows, by id. The config schema, the CLI, the worker and the UI all look
 * algorithms up here. One algorithm per file; add new ones to this table.
 */
import { onTfjs } from '../engines/tfjs/adapter';
import type { AnyEngineAlgorithm } from '../engine/algorithm';
import type { AnyAlgorithm } from '../types';
import { adagrad } from './adagrad';
import { adam } from './adam';
import { adamw } from './adamw';
import { inna } from './inna';
import { mmBohning } from './mm-bohning';
import { mmGaussNewton } from './mm-gauss-newton';
import { mmLayerwise } from './mm-layerwise';
import { mmLipschitz } from './mm-lipschitz';
import { nmfMM } from './nmf-mm';
import { nmfMU } from './nmf-mu';
import { proxprop } from './proxprop';
import { rmsprop } from './rmsprop';
import { sgd } from './sgd';

// A null-prototype table: ids come from links and files, and '__proto__' or 'constructor' must not
// resolve to Object.prototype's members.
export const ALGORITHMS: Record<string, AnyAlgorithm> = Object.assign(Object.create(null) as Record<string, AnyAlgorithm>, {
  sgd: onTfjs(sgd),
  adam: onTfjs(adam),
  adamw: onTfjs(adamw),
  rmsprop: onTfjs(rmsprop),
  adagrad: onTfjs(adagrad),
  inna: onTfjs(inna),
  'mm-lipschitz': onTfjs(mmLipschitz),
  'mm-bohning': onTfjs(mmBohning),
  'mm-layerwise': onTfjs(mmLayerwise),
  'mm-gauss-newton': onTfjs(mmGaussNewton),
  'nmf-mm': onTfjs(nmfMM),
  'nmf-mu': onTfjs(nmfMU),
  proxprop: onTfjs(proxprop),
});

/** The algorithms written against the engine interface (they run on every engine), by id. */
export const ENGINE_ALGORITHMS: Record<string, AnyEngineAlgorithm> = Object.assign(Object.create(null) as Record<string, AnyEngineAlgorithm>, {
  sgd,
  adam,
  adamw,
  rmsprop,
  adagrad,
  inna,
  'mm-lipschitz': mmLipschitz,
  'mm-layerwise': mmLayerwise,
  'mm-bohning': mmBohning,
  'mm-gauss-newton': mmGaussNewton,
  proxprop,
  'nmf-mm': nmfMM,
  'nmf-mu': nmfMU,
});

export function algorithmIds(): string[] {
  return Object.keys(ALGORITHMS);
}

/** The algorithm with this id, or undefined (own keys only: '__proto__' is not an algorithm). */
export function findAlgorithm(id: string): AnyAlgorithm | undefined {
  return typeof id === 'string' && Object.hasOwn(ALGORITHMS, id) ? ALGORITHMS[id] : undefined;
}

export function getAlgorithm(id: string): AnyAlgorithm {
  const alg = findAlgorithm(id);
  if (!alg) throw new Error(`unknown algorithm '${id}' (one of ${algorithmIds().join(', ')})`);
  return alg;
}
