/**
 * The core's shapes. A run is a fold: (params, state) → step → (params', state'), the same in the
 * worker, the CLI and the tests. Switching algorithm mid-run is `state = next.init(params, hyper)`.
 */
import type * as tf from '@tensorflow/tfjs';
import type { AlgorithmSpec } from './engine/algorithm';

/** Model parameters, e.g. [W1, b1, W2, b2] for an MLP (W stored [in, out]) or [W, H] for NMF. */
export type Params = tf.Tensor[];

export type { ObjectiveKind as ProblemKind } from './engine/types';
import type { ObjectiveKind as ProblemKind } from './engine/types';

/**
 * A risk restricted to the data of one step (the full training set, or one mini-batch).
 * Algorithms minimise `loss`; structured algorithms downcast on `kind` to reach the structure.
 */
export interface Objective {
  readonly kind: ProblemKind;
  /** f(θ): mean loss over this objective's data plus any penalty. Differentiable through tfjs. */
  loss(p: Params): tf.Scalar;
}

/** A problem built from a config: owns its data tensors and knows its initial parameters. */
export interface Problem<O extends Objective = Objective> {
  readonly kind: ProblemKind;
  /** The objective on the whole training set. */
  readonly full: O;
  /** Number of training examples (mini-batches index into 0..nTrain-1). */
  readonly nTrain: number;
  /** An objective on a subset of the training set; the caller disposes it after the step. */
  batch(indices: Int32Array): O & { dispose(): void };
  /** Objective on held-out data, when the problem has any. */
  testLoss?(p: Params): tf.Scalar;
  /** Fresh copies of the initial parameters (seeded or explicit). */
  initialParams(): Params;
  /** Names of the parameter tensors, e.g. ['W1', 'b1', 'W2', 'b2']. */
  readonly paramNames: string[];
  dispose(): void;
}

/** Scalars an algorithm reports about one step (all optional, all plain numbers). */
export interface StepInfo {
  /** f(θₖ) when the algorithm computed it anyway (full-batch value before the step). */
  lossBefore?: number;
  /** Curvature constant used (Lipschitz MM), damping λ (Gauss–Newton), … */
  [key: string]: number | boolean | undefined;
}

export interface StepResult<S> {
  params: Params;
  state: S;
  info: StepInfo;
}

/**
 * g(·|θₖ): an MM algorithm's surrogate, or a gradient algorithm's implied model of f around θₖ.
 * `certified` is true only when g is a proven majorizer of f (g ≥ f everywhere, g(θₖ) = f(θₖ)).
 */
export interface Surrogate {
  /** g(θ|θₖ) at an arbitrary point. */
  value(p: Params): number;
  /** true ⇔ the algorithm proves g ≥ f (MM); false for implied models of gradient steps. */
  certified: boolean;
  /**
   * How far the certificate reaches. 'global': g ≥ f everywhere (Böhning's curvature bound, Jensen's
   * auxiliary function for NMF, Gauss–Newton on a linear model). 'step': proven at the accepted next
   * iterate only — a backtracked constant L or damping λ certifies f(θₖ₊₁) ≤ g(θₖ₊₁|θₖ) ≤ f(θₖ), which
   * is all MM's monotone decrease needs, while g may dip below f elsewhere. Default 'global'.
   */
  scope?: SurrogateScope;
  /** argmin g, when it has one in closed form (the MM step's target). Owned by the surrogate. */
  minimiser?: Params;
  /**
   * The curve along which charts compare f and g, t ↦ θ(t) with θ(0) = θₖ and θ(1) = the step's
   * point. Default: the segment θₖ + t·(θₖ₊₁ − θₖ). NMF uses the geometric path H̃ ⊙ Rᵗ.
   */
  path?: (t: number) => Params;
  /** The t at which `path` reaches the algorithm's next iterate (default 1; NMF MM-MU: γ(β)). */
  stepT?: number;
  /** Short formula for legends, e.g. "f(θₖ) + ∇f·Δ + ‖Δ‖²/(2·lr)". */
  formula: string;
  /** Frees the tensors the surrogate holds (θₖ, ∇f(θₖ), …). */
  dispose(): void;
}

export type SurrogateScope = 'global' | 'step';

/** What a chart may claim about a model: a global majorizer, a certificate at the step only, or none. */
export function certificateOf(s: Pick<Surrogate, 'certified' | 'scope'>): SurrogateScope | 'none' {
  return s.certified ? (s.scope ?? 'global') : 'none';
}

export type { AlgorithmFamily } from './engine/algorithm';

/**
 * An optimisation algorithm as pure values (optax-style). `step` must not mutate or dispose its
 * inputs: the caller disposes what the result no longer references (see `disposeReplaced`).
 * State is a tf.TensorContainer (tensors, numbers, nested objects/arrays) so it can be disposed and
 * serialised generically.
 */
export interface Algorithm<H extends object = Record<string, unknown>, S extends tf.TensorContainer = tf.TensorContainer> extends AlgorithmSpec<H> {
  init(params: Params, h: H, obj: Objective): S;
  step(obj: Objective, params: Params, state: S, h: H): StepResult<S>;
  /** g(·|θₖ) at the current point (see Surrogate). */
  model(obj: Objective, params: Params, state: S, h: H): Surrogate;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAlgorithm = Algorithm<any, any>;
