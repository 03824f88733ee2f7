/**
 * The fused engine's view of an MLP problem: the same data (mlpData), the same initial parameters
 * (explicit layers or the seeded Glorot-uniform draw of problems/mlp.ts) and the same objective, as
 * flat typed arrays. Data values are rounded to float32 exactly as tfjs stores them.
 */
import type { ExperimentConfig, MLPProblemConfig } from '../config';
import { mlpSizes } from '../config';
import { glorotUniform, mlpData, type LayerInit } from '../problems/mlp-data';
import { FusedMLP, paramLayout, type FusedData, type FusedNet, type KernelKind, type NetSpec } from './mlp-net';
import { FusedMLPWasm } from './mlp-net-wasm';
import { wasmKernelModule } from './wasm-kernels';

export interface FusedProblem {
  readonly spec: NetSpec;
  readonly net: FusedNet;
  readonly train: FusedData;
  /** Held-out data (the test objective has no penalty, as problems/mlp.ts's testLoss). */
  readonly test: FusedData | null;
  /** θ₀ as float32, laid out [W1 (in×out row-major), b1, W2, b2, …]. */
  readonly theta0: Float32Array;
  /** ['W1', 'b1', …] with their shapes ([in, out] and [out]) and offsets in θ. */
  readonly tensors: { name: string; shape: number[]; offset: number; size: number }[];
}

function toData(X: number[][], y: number[], inDim: number): FusedData {
  const n = X.length;
  const Xf = new Float64Array(n * inDim);
  for (let i = 0; i < n; i++) for (let k = 0; k < inDim; k++) Xf[i * inDim + k] = Math.fround(X[i][k]);
  const yf = new Float64Array(n);
  for (let i = 0; i < n; i++) yf[i] = Math.fround(y[i]);
  return { n, X: Xf, y: yf };
}

/** Flattens layers [{W: [in][out], b: [out]}, …] into θ (float32). */
export function flattenLayers(sizes: number[], layers: LayerInit[]): Float32Array {
  const { wOff, bOff, nParams } = paramLayout(sizes);
  const theta = new Float32Array(nParams);
  layers.forEach((layer, l) => {
    const out = sizes[l + 1];
    for (let k = 0; k < sizes[l]; k++) for (let j = 0; j < out; j++) theta[wOff[l] + k * out + j] = layer.W[k][j];
    for (let j = 0; j < out; j++) theta[bOff[l] + j] = layer.b[j];
  });
  return theta;
}

/** θ back as layers [{W: [in][out], b: [out]}, …] (plain numbers, e.g. to build tfjs tensors). */
export function unflattenLayers(sizes: number[], theta: ArrayLike<number>): LayerInit[] {
  const { wOff, bOff } = paramLayout(sizes);
  return wOff.map((w, l) => {
    const out = sizes[l + 1];
    return {
      W: Array.from({ length: sizes[l] }, (_, k) => Array.from({ length: out }, (_, j) => theta[w + k * out + j])),
      b: Array.from({ length: out }, (_, j) => theta[bOff[l] + j]),
    };
  });
}

export interface FusedOptions {
  /** 'auto' (default): WebAssembly SIMD where available, else JS. */
  kernels?: KernelKind | 'auto';
  /** Rows per forward/backward chunk (default 256 for SIMD, 128 for JS). */
  chunkRows?: number;
}

/** True when this runtime has WebAssembly SIMD (the fast kernels). */
export function simdAvailable(): boolean {
  return wasmKernelModule() !== null;
}

export function buildNet(spec: NetSpec, opts: FusedOptions = {}): FusedNet {
  const kind = opts.kernels ?? 'auto';
  if (kind === 'wasm-simd' || (kind === 'auto' && simdAvailable())) return new FusedMLPWasm(spec, opts.chunkRows);
  return new FusedMLP(spec, opts.chunkRows);
}

export function buildFusedProblem(config: Pick<ExperimentConfig, 'problem' | 'seeds'>, opts: FusedOptions = {}): FusedProblem {
  if (config.problem.kind !== 'mlp') throw new Error('the fused engine runs MLP problems only');
  const p: MLPProblemConfig = config.problem;
  const sizes = mlpSizes(p);
  const spec: NetSpec = { sizes, activation: p.activation, loss: p.loss, l2: p.l2 };
  const data = mlpData(p, config.seeds.data);
  const hasTest = !!data.Xtest && data.Xtest.length > 0 && !!data.ytest;
  const layers = p.init ?? glorotUniform(sizes, config.seeds.init);
  const { wOff, bOff } = paramLayout(sizes);
  const tensors = wOff.flatMap((w, l) => [
    { name: `W${l + 1}`, shape: [sizes[l], sizes[l + 1]], offset: w, size: sizes[l] * sizes[l + 1] },
    { name: `b${l + 1}`, shape: [sizes[l + 1]], offset: bOff[l], size: sizes[l + 1] },
  ]);
  return {
    spec,
    net: buildNet(spec, opts),
    train: toData(data.X, data.y, sizes[0]),
    test: hasTest ? toData(data.Xtest!, data.ytest!, sizes[0]) : null,
    theta0: flattenLayers(sizes, layers),
    tensors,
  };
}
