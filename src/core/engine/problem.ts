/**
 * A problem built on one engine: the objectives the fold hands to the algorithms (the training set,
 * a mini-batch, the test set), θ₀, and the parameter layout. The fold (core/fold/) is written against
 * this and the algorithm interface only, so it runs every algorithm on every engine.
 */
import type { ObjectiveKind, ObjectiveOps, Vec, VectorOps } from './types';

/**
 * f(θ) (and the test f) asked for now and read later: an engine that computes asynchronously (a GPU)
 * returns a handle with `known` null and reads many at once in `readPending`; a synchronous engine has
 * the numbers already (`known`).
 */
export interface PendingLosses {
  readonly known: { train: number; test: number } | null;
}

/** One parameter tensor of θ: its name (W1, b1, …, W, H), shape and place in θ's layout order. */
export interface ParamTensor {
  name: string;
  shape: number[];
  offset: number;
  size: number;
}

export interface EngineProblem {
  /** The engine's name ('tfjs', 'cpu'). */
  readonly engine: string;
  readonly kind: ObjectiveKind;
  readonly ops: VectorOps;
  /** Number of training examples (mini-batches index into 0..nTrain-1). */
  readonly nTrain: number;
  readonly hasTest: boolean;
  readonly layout: readonly ParamTensor[];
  /** f on the whole training set. */
  readonly full: ObjectiveOps;
  /** f on the rows of a mini-batch; `release` after the step (the objective may be reused). */
  batch(rows: Int32Array): { f: ObjectiveOps; release(): void };
  /** A fresh θ₀ (seeded or explicit initial parameters). */
  theta0(): Vec;
  /**
   * f(θ) on the training set (float32 value) and, when `test`, on the test set (NaN otherwise).
   * `prefetchGrad`: ∇f(θ) on the training set is needed next; an engine may compute it in the same pass.
   */
  losses(theta: Vec, test: boolean, prefetchGrad: boolean): { train: number; test: number };
  /**
   * f(θ) and the test f without waiting for them (engines without it: `losses`, known at once). Every
   * handle must go to `readPending` exactly once, which frees it.
   */
  pendingLosses?(theta: Vec, test: boolean, prefetchGrad: boolean): PendingLosses;
  /** The handles' [train, test] pairs, in order, read back together. */
  readPending?(handles: readonly PendingLosses[]): Promise<Float32Array>;
  /**
   * An MLP's outputs c(θ) (the last layer's z, n×K row-major, float32) on arbitrary inputs X (n×d
   * row-major): the views' decision boundaries and fitted curves. Read back asynchronously.
   */
  predict?(theta: Vec, X: Float32Array, n: number): Promise<Float32Array>;
  /**
   * An MLP's hidden activations a_1, …, a_{L−1} on arbitrary inputs X (n×d row-major): one n×width
   * float32 array per hidden layer, read back asynchronously. The network view's per-neuron heatmaps.
   */
  hiddenActivations?(theta: Vec, X: Float32Array, n: number): Promise<Float32Array[]>;
  /**
   * A classification MLP's accuracy at θ (the share of examples whose predicted class — argmax of the
   * logits, or logit > 0 for bce — is the label) on the training or the test set, read at once. NaN
   * where it does not apply (regression, no test set). Costs a forward pass: the fold and the worker
   * ask for it every few steps, not every step.
   */
  accuracy?(theta: Vec, which: 'train' | 'test'): number;
  /**
   * The objective of a step (its mini-batch rows, or null for the full set) evaluated in float64, where
   * the engine has such a path (the cpu engine's JS kernels): the surrogate view uses it, because near
   * convergence f varies along a step by less than float32 resolves. Engines without it: the views use
   * the step's own objective.
   */
  precise?(rows: Int32Array | null): { f: ObjectiveOps; release(): void };
  /** Frees what `old` (θ or a state) holds that `next` does not reference (tfjs tensors; cpu: nothing). */
  releaseReplaced(old: unknown, next: unknown): void;
  dispose(): void;
}
