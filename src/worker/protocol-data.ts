/**
 * The protocol's data payloads (part of ./protocol.ts, which re-exports them): f and g along a step
 * or on a plane (surrogate events) and the pictures of a run (view events). Numeric arrays are typed
 * arrays whose buffers are transferred.
 */
/** f and g along the step θ(s) = θₜ + s·Δ (Δ = the algorithm's next step; NMF: its own path). */
export interface SurrogateSliceData {
  kind: 'slice';
  /** Positions s along the path; s = 0 is θₜ, s = 1 the algorithm's next point. */
  s: Float32Array;
  /** f(θ(s)), as computed (float64: near convergence f varies along a step below float32 resolution) */
  f: Float64Array;
  /** g(θ(s)|θₜ) */
  g: Float64Array;
}

/** f and g on the plane θₜ + a·u + b·v (u = the step, v = a seeded random direction ⟂ u, ‖v‖ = ‖u‖). */
export interface SurrogatePlaneData {
  kind: 'plane';
  /** Axis coordinates (a along the step, b across). */
  a: Float32Array;
  b: Float32Array;
  /** Row-major: f[j·a.length + i] is at (a[i], b[j]) (float64, as computed). */
  f: Float64Array;
  g: Float64Array;
}

export interface SurrogateEvt {
  type: 'surrogate';
  epoch: number;
  run: number;
  requestId?: number;
  /** Step count the surrogate was built at (θₜ). */
  t: number;
  /** ms the worker spent computing it (not counting the wait for its turn): the page paces requests by it. */
  computeMs?: number;
  /** The arithmetic f and g were evaluated in ('float64' on the cpu engine; 'float32' on tfjs). */
  precision?: 'float64' | 'float32';
  algorithm: string;
  /** true ⇔ g is a proven majorizer (MM). */
  certified: boolean;
  /** 'global': g ≥ f everywhere; 'step': proven at the accepted next iterate only; 'none': implied model. */
  certificate: 'global' | 'step' | 'none';
  /** Legend formula, e.g. "f(θₖ) + ∇f(θₖ)·Δ + ‖Δ‖²/(2·lr)". */
  formula: string;
  data: SurrogateSliceData | SurrogatePlaneData;
  /** Extra positions along s to mark (e.g. { mmPoint: γ } on NMF's path H̃ ⊙ Rᵗ, where s = 1 is the heuristic MU point). */
  marks?: Record<string, number>;
  /** Grid points where g < f − tol (g fails to majorize f there). */
  violations: number;
  /** The float32 tolerance used for `violations`. */
  tol: number;
  /** ‖θₜ₊₁ − θₜ‖ (slice) or the plane's direction length ‖d₁‖ = ‖d₂‖ (plane). */
  stepNorm: number;
  /** f here is the full training risk, or the mini-batch objective the next step minimises. */
  objective: 'full' | 'minibatch';
  /** The run's kept past steps (the scrubber's stops) and, when none can be kept, why. */
  kept?: KeptSteps;
}

/** The steps the worker keeps θ and state of, for the scrubber (src/worker/history.ts). */
export interface KeptSteps {
  steps: number[];
  note: string | null;
}

/** A matrix as a flat row-major Float32Array. */
export interface Matrix {
  data: Float32Array;
  shape: [number, number];
}

/** Data points for an MLP view (inputs row-major [n, d], labels/targets y). */
export interface PointSet {
  X: Matrix;
  y: Float32Array;
}

export interface MLPGridView {
  kind: 'mlp2d';
  /** Grid resolution G; inputs (x0 + i·dx, y0 + j·dy), i, j ∈ [0, G). */
  grid: number;
  extent: { x0: number; x1: number; y0: number; y1: number };
  /**
   * Network outputs on the grid, row-major [G·G, outDim] with row index j·G + i (j along y).
   * bce: logits (p = σ(z)); softmax_ce: logits per class; mse: the prediction.
   */
  outputs: Matrix;
  loss: 'bce' | 'softmax_ce' | 'mse';
  train?: PointSet;
  test?: PointSet;
  /** With `neurons` asked: the hidden layers' activations on a coarser grid over the same extent. */
  neurons?: NeuronsView;
}

/** Per hidden layer, its activations [g·g, width] on a g×g grid (row index j·g + i, j along y). */
export interface NeuronsView {
  grid: number;
  layers: Matrix[];
  activation: 'tanh' | 'relu' | 'sigmoid' | 'linear';
}

export interface MLPCurveView {
  kind: 'mlp1d';
  /** Inputs x_i (G of them, over the data range) and predictions. */
  x: Float32Array;
  outputs: Matrix;
  loss: 'bce' | 'softmax_ce' | 'mse';
  train?: PointSet;
  test?: PointSet;
}

export interface NMFView {
  kind: 'nmf';
  V: Matrix;
  WH: Matrix;
  W: Matrix;
  H: Matrix;
  beta: number;
}

/** The problem has no picture (e.g. an MLP with more than 2 inputs); `message` says why. */
export interface NoView {
  kind: 'none';
  message: string;
}

export interface ViewEvt {
  type: 'view';
  epoch: number;
  run: number;
  requestId?: number;
  t: number;
  /** ms the worker spent computing it (not counting the wait for its turn). */
  computeMs?: number;
  view: MLPGridView | MLPCurveView | NMFView | NoView;
  /** The run's kept past steps (the scrubber's stops); `t` is the step the view shows. */
  kept?: KeptSteps;
}

/**
 * What run `run`'s NMF components sound like (answer to `requestAudio`, audio data only): each
 * component's signal by Wiener masking (W_k H_k / WH ⊙ the mixture's STFT) and the inverse STFT
 * (core/audio/wiener.ts), with W and H and their axes. The components sum to the mixture.
 */
export interface AudioEvt {
  type: 'audio';
  epoch: number;
  run: number;
  requestId?: number;
  t: number;
  sampleRate: number;
  /** The analysed signal (mono). */
  mixture: Float32Array;
  /** K signals of mixture.length samples each, one after the other: component k at [k·length, (k+1)·length). */
  components: Float32Array;
  rank: number;
  /** W (bins × K) and H (K × frames) at step t. */
  W: Matrix;
  H: Matrix;
  /** Bin b is at b·hzPerBin Hz; frame t is centred at t·secondsPerFrame s. */
  hzPerBin: number;
  secondsPerFrame: number;
}

/**
 * A 2-D function's picture (answer to `requestContour`): f and run `run`'s surrogate g(·|θₜ) on a G×G
 * grid over `x` × `y` (row i at y_i, column j at x_j, row-major, float64), θₜ and θₜ₊₁ (the step's
 * point: g's minimiser for MM), and every run's path θ₀ … θₜ as x, y pairs (every `stride`-th point and
 * the last, at most 4000 points a run) with the steps of its switches.
 */
export interface ContourEvt {
  type: 'contour';
  epoch: number;
  run: number;
  requestId?: number;
  t: number;
  computeMs?: number;
  grid: number;
  x: [number, number];
  y: [number, number];
  f: Float64Array;
  /** null when the run has stopped (no surrogate at a non-finite point). */
  g: Float64Array | null;
  algorithm: string;
  certified: boolean;
  certificate: 'global' | 'step' | 'none';
  formula: string;
  theta: [number, number];
  next: [number, number] | null;
  paths: { points: Float64Array; stride: number; steps: number; switches: number[] }[];
}

/**
 * The image views of run `run` (answer to `requestImageViews`, MLPs on an image data set;
 * src/worker/image-views.ts): the confusion matrix and a strip of images from the first `evaluated`
 * test images, and the first layer's weights, at step `t`.
 */
export interface ImageViewsData {
  /** Image size: each image (and each unit's weights) is rows×cols, row-major. */
  rows: number;
  cols: number;
  classes: number;
  /** Images the confusion matrix counts (the first of the test set, at most the request's maxTest). */
  evaluated: number;
  /** 'train' only when the problem has no test split. */
  split: 'test' | 'train';
  /** classes×classes counts, row = true class, column = predicted class. */
  confusion: Int32Array;
  /** Images with their true and predicted labels: misclassified first, then correct ones. */
  strip: { pixels: Float32Array; truth: Int32Array; predicted: Int32Array };
  /** First layer: one row of rows·cols weights per unit (the first `shape[0]` of `units`); null if not an image-shaped layer. */
  weights: { data: Float32Array; shape: [number, number]; units: number } | null;
}

export interface ImageViewsEvt extends ImageViewsData {
  type: 'imageViews';
  epoch: number;
  run: number;
  requestId?: number;
  t: number;
  /** ms the worker spent computing it: the page paces its requests by it. */
  computeMs: number;
}
