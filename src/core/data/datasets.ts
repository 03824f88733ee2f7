/**
 * Seeded synthetic datasets: 2-D classification (moons, circles, xor, gaussians, spiral) and 1-D / 2-D
 * regression (sine, ripple). Pure TypeScript; the problem turns them into tensors. The image sets
 * (digits, mnist, fashion-mnist: images.ts) go through the same `makeDataset` once loaded.
 */
import { Rng } from '../rng';
import { IMAGE_DATASETS, IMAGE_SETS, isImageDataset } from './image-sets';
import { makeImageDataset } from './images';

export const CLASSIFICATION_DATASETS = ['moons', 'circles', 'xor', 'gaussians', 'spiral'] as const;
export const REGRESSION_DATASETS = ['sine', 'ripple'] as const;
/** The synthetic (2-D and 1-D) sets, generated from the seed. */
export const DATASETS = [...CLASSIFICATION_DATASETS, ...REGRESSION_DATASETS] as const;
/** Every set a config may name: the synthetic ones and the image files. */
export const ALL_DATASETS = [...DATASETS, ...IMAGE_DATASETS] as const;
export type SyntheticDatasetName = (typeof DATASETS)[number];
export type DatasetName = (typeof ALL_DATASETS)[number];

export interface DatasetSpec {
  name: DatasetName;
  n: number;
  noise: number;
  /** Fraction of points held out for the test objective, in [0, 0.9]. */
  testRatio: number;
  /** Number of classes (gaussians, spiral); others are binary. */
  classes: number;
}

/** Row-major data: X is n×d, y holds class indices (classification) or real targets (regression). */
export interface Dataset {
  X: number[][];
  y: number[];
  /** 0 for regression. */
  classes: number;
}

export interface SplitDataset {
  train: Dataset;
  test: Dataset;
  d: number;
  classes: number;
}

export function isClassification(name: DatasetName): boolean {
  return (CLASSIFICATION_DATASETS as readonly string[]).includes(name) || isImageDataset(name);
}

export function datasetClasses(spec: Pick<DatasetSpec, 'name' | 'classes'>): number {
  if (isImageDataset(spec.name)) return IMAGE_SETS[spec.name].classes;
  if (!isClassification(spec.name)) return 0;
  return spec.name === 'gaussians' || spec.name === 'spiral' ? Math.max(2, spec.classes) : 2;
}

function generate(spec: DatasetSpec & { name: SyntheticDatasetName }, rng: Rng): Dataset {
  const { n, noise } = spec;
  const K = datasetClasses(spec);
  const X: number[][] = [];
  const y: number[] = [];
  const jitter = () => noise * rng.normal();
  for (let i = 0; i < n; i++) {
    switch (spec.name) {
      case 'moons': {
        // scikit-learn's make_moons geometry: two interleaved half circles.
        const c = i % 2;
        const a = Math.PI * rng.uniform();
        const x = c === 0 ? Math.cos(a) : 1 - Math.cos(a);
        const z = c === 0 ? Math.sin(a) : 0.5 - Math.sin(a);
        X.push([x - 0.5 + jitter(), z - 0.25 + jitter()]);
        y.push(c);
        break;
      }
      case 'circles': {
        const c = i % 2;
        const a = 2 * Math.PI * rng.uniform();
        const r = c === 0 ? 1 : 0.5;
        X.push([r * Math.cos(a) + jitter(), r * Math.sin(a) + jitter()]);
        y.push(c);
        break;
      }
      case 'xor': {
        const u = rng.range(-1, 1);
        const v = rng.range(-1, 1);
        X.push([u + jitter(), v + jitter()]);
        y.push(u * v > 0 ? 1 : 0);
        break;
      }
      case 'gaussians': {
        const c = i % K;
        const a = (2 * Math.PI * c) / K;
        X.push([Math.cos(a) + (0.35 + noise) * rng.normal(), Math.sin(a) + (0.35 + noise) * rng.normal()]);
        y.push(c);
        break;
      }
      case 'spiral': {
        // K interleaved arms, radius growing with the angle.
        const c = i % K;
        const r = rng.uniform();
        const a = (2 * Math.PI * c) / K + 3 * Math.PI * r;
        X.push([r * Math.cos(a) + jitter(), r * Math.sin(a) + jitter()]);
        y.push(c);
        break;
      }
      case 'sine': {
        const x = rng.range(-3, 3);
        X.push([x]);
        y.push(Math.sin(x) + jitter());
        break;
      }
      case 'ripple': {
        const u = rng.range(-2, 2);
        const v = rng.range(-2, 2);
        X.push([u, v]);
        y.push(Math.sin(u) * Math.cos(v) + jitter());
        break;
      }
    }
  }
  return { X, y, classes: K };
}

/** Generates the dataset with the data seed and splits it (shuffled by the same seed) into train/test. */
export function makeDataset(spec: DatasetSpec, seed: number): SplitDataset {
  if (isImageDataset(spec.name)) return makeImageDataset({ name: spec.name, n: spec.n, testRatio: spec.testRatio }, seed);
  const rng = new Rng(seed);
  const all = generate(spec as DatasetSpec & { name: SyntheticDatasetName }, rng);
  const order = rng.permutation(all.X.length);
  const nTest = Math.min(all.X.length - 1, Math.round(spec.testRatio * all.X.length));
  const pick = (idx: ArrayLike<number>): Dataset => ({
    X: Array.from(idx, (i) => all.X[i]),
    y: Array.from(idx, (i) => all.y[i]),
    classes: all.classes,
  });
  return {
    train: pick(order.subarray(nTest)),
    test: pick(order.subarray(0, nTest)),
    d: all.X[0]?.length ?? (spec.name === 'sine' ? 1 : 2),
    classes: all.classes,
  };
}
