/**
 * Every algorithm's spec, by id: id, label, family, problems, the zod hyper-parameter schema, summary and
 * formula (and the NMF extras monotone/betaError) — no step code. The page and the config schema read
 * algorithms here, so the page's bundle carries no algorithm implementation; the worker, the CLI and
 * the engines run them from registry.ts, whose entries spread these same specs (tests/algorithm-specs
 * checks the two tables agree). One `<id>-spec.ts` beside each `<id>.ts`; add new ones to both tables.
 */
import type { AlgorithmSpec } from '../engine/algorithm';
import type { NMFAlgorithmExtras } from './nmf-spec';
import { adagradSpec } from './adagrad-spec';
import { adamSpec } from './adam-spec';
import { adamwSpec } from './adamw-spec';
import { agdSpec } from './agd-spec';
import { innaSpec } from './inna-spec';
import { mmBohningSpec } from './mm-bohning-spec';
import { mmCurvatureSpec } from './mm-curvature-spec';
import { mmGaussNewtonSpec } from './mm-gauss-newton-spec';
import { mmLayerwiseSpec } from './mm-layerwise-spec';
import { mmLipschitzSpec } from './mm-lipschitz-spec';
import { nmfJointMMSpec } from './nmf-joint-mm-spec';
import { nmfMESpec } from './nmf-me-spec';
import { nmfMMSpec } from './nmf-mm-spec';
import { nmfMUSpec } from './nmf-mu-spec';
import { proxpropSpec } from './proxprop-spec';
import { rmspropSpec } from './rmsprop-spec';
import { sgdSpec } from './sgd-spec';
import { sgdArmijoSpec } from './sgd-armijo-spec';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAlgorithmSpec = AlgorithmSpec<any> & Partial<NMFAlgorithmExtras>;

// A null-prototype table: ids come from links and files, and '__proto__' or 'constructor' must not
// resolve to Object.prototype's members. The order is the page's (its algorithm menus).
export const ALGORITHM_SPECS: Record<string, AnyAlgorithmSpec> = Object.assign(Object.create(null) as Record<string, AnyAlgorithmSpec>, {
  sgd: sgdSpec,
  adam: adamSpec,
  adamw: adamwSpec,
  rmsprop: rmspropSpec,
  adagrad: adagradSpec,
  inna: innaSpec,
  'mm-lipschitz': mmLipschitzSpec,
  'mm-bohning': mmBohningSpec,
  'mm-layerwise': mmLayerwiseSpec,
  'mm-gauss-newton': mmGaussNewtonSpec,
  'mm-curvature': mmCurvatureSpec,
  'nmf-mm': nmfMMSpec,
  'nmf-mu': nmfMUSpec,
  'nmf-me': nmfMESpec,
  'nmf-joint-mm': nmfJointMMSpec,
  proxprop: proxpropSpec,
  'sgd-armijo': sgdArmijoSpec,
  agd: agdSpec,
});

export function algorithmIds(): string[] {
  return Object.keys(ALGORITHM_SPECS);
}

/** The spec with this id, or undefined (own keys only: '__proto__' is not an algorithm). */
export function findAlgorithmSpec(id: string): AnyAlgorithmSpec | undefined {
  return typeof id === 'string' && Object.hasOwn(ALGORITHM_SPECS, id) ? ALGORITHM_SPECS[id] : undefined;
}
