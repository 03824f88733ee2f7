/**
 * An MLP problem's data and initial parameters as plain numbers (no tfjs): the data set a config
 * describes (seeded) and the seeded Glorot-uniform layers. Both engines build their MLP problem from
 * these (problems/mlp.ts on tfjs, fused/problem.ts on the cpu engine), so they train on the same points
 * from the same θ₀.
 */
import type { MLPProblemConfig } from '../config';
import { makeDataset } from '../data/datasets';
import { mapFeatures } from './features';
import { Rng } from '../rng';

export interface LayerInit {
  W: number[][];
  b: number[];
}

export interface MLPData {
  X: number[][];
  /** Class index (bce: 0/1, softmax_ce: 0..K-1) or real target (mse, one output). */
  y: number[];
  Xtest?: number[][];
  ytest?: number[];
}

/** The network's inputs: the points mapped to the config's input features (if any). */
export function mlpData(p: MLPProblemConfig, dataSeed: number): MLPData {
  const raw = mlpPoints(p, dataSeed);
  const f = p.features;
  if (!f) return raw;
  return { ...raw, X: mapFeatures(f, raw.X), ...(raw.Xtest ? { Xtest: mapFeatures(f, raw.Xtest) } : {}) };
}

/** The data points themselves (x₁, x₂ before any feature map): what the views draw. */
export function mlpPoints(p: MLPProblemConfig, dataSeed: number): MLPData {
  if (p.data.kind === 'explicit') return { X: p.data.X, y: p.data.y, Xtest: p.data.Xtest, ytest: p.data.ytest };
  const ds = makeDataset(p.data, dataSeed);
  return { X: ds.train.X, y: ds.train.y, Xtest: ds.test.X, ytest: ds.test.y };
}

export function glorotUniform(sizes: number[], seed: number): LayerInit[] {
  const rng = new Rng(seed);
  const layers: LayerInit[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [fin, fout] = [sizes[l], sizes[l + 1]];
    const a = Math.sqrt(6 / (fin + fout));
    const W = Array.from({ length: fin }, () => Array.from({ length: fout }, () => rng.range(-a, a)));
    layers.push({ W, b: new Array(fout).fill(0) });
  }
  return layers;
}
