/**
 * Per-dataset default noise: the largest round value at which each set's shape still shows (measured:
 * a 5-nearest-neighbour vote recovers ≥ 90% of the labels of 256 points, tests/ui-preview.test.ts).
 * The spiral's arms lie ~0.2 apart, so its noise is much smaller than the moons'.
 */
import type { MLPProblemConfig, ProblemConfig } from '../core/config';
import type { RunDraft } from './draft';
import { DATASETS, isClassification, type DatasetName, type SyntheticDatasetName } from '../core/data/datasets';
import { isImageDataset, type ImageDatasetName } from '../core/data/image-sets';

export const DEFAULT_NOISE: Record<SyntheticDatasetName, number> = {
  moons: 0.1,
  circles: 0.08,
  xor: 0.05,
  gaussians: 0.1,
  spiral: 0.03,
  sine: 0.1,
  ripple: 0.05,
};

/** The noise a dataset starts with when it is picked in the form (image sets have none). */
export function defaultNoise(name: string, fallback: number): number {
  return (DEFAULT_NOISE as Record<string, number>)[name] ?? fallback;
}

/**
 * What an image set starts with when it is picked in the page: digits whole (1,797 images), MNIST and
 * Fashion-MNIST 2,000 images (the page trains them live; the CLI takes all); one ReLU hidden layer
 * (64-32-10 for digits, 784-64-10 for 28×28 images), softmax cross-entropy, mini-batches of 64.
 */
export const IMAGE_PAGE_DEFAULTS: Record<ImageDatasetName, { n: number; hidden: number[] }> = {
  digits: { n: 1797, hidden: [32] },
  mnist: { n: 2000, hidden: [64] },
  'fashion-mnist': { n: 2000, hidden: [64] },
};
const IMAGE_TEST_RATIO = 0.2;

/**
 * NMF on an image set (V = images as columns): how many images the page starts with — 500 8×8 digits,
 * 1,000 28×28 MNIST or Fashion-MNIST images (V is 784×1000: an update takes ~0.1 s, the parts show
 * within a few hundred steps); the CLI and links take up to MAX_NMF_IMAGES.
 */
export const NMF_IMAGE_N: Record<ImageDatasetName, number> = { digits: 500, mnist: 1000, 'fashion-mnist': 1000 };

/** The NMF image set select's entries. */
export const NMF_IMAGE_OPTIONS: { value: ImageDatasetName; label: string }[] = [
  { value: 'digits', label: 'digits (8×8)' },
  { value: 'mnist', label: 'MNIST (28×28)' },
  { value: 'fashion-mnist', label: 'Fashion-MNIST (28×28)' },
];

/** The NMF images data after picking set `name` in the form: that set with its page default n. */
export function pickNmfImages(name: ImageDatasetName): { kind: 'images'; name: ImageDatasetName; n: number } {
  return { kind: 'images', name, n: NMF_IMAGE_N[name] };
}
const IMAGE_BATCH = 64;

/** The dataset select's entries: the 2-D sets by name, the image sets with their size. */
export const DATASET_OPTIONS: { value: DatasetName; label: string }[] = [
  ...DATASETS.map((n) => ({ value: n, label: n })),
  { value: 'digits', label: 'digits (8×8 images)' },
  { value: 'mnist', label: 'MNIST (28×28 images)' },
  { value: 'fashion-mnist', label: 'Fashion-MNIST (28×28 images)' },
];

/**
 * The problem after picking dataset `name` in the form: an image set takes its page defaults (and drops
 * the 2-D input features, which do not apply to pixels); leaving an image set for a 2-D one goes back to
 * the 2-D defaults (256 points, 8-8 tanh, full batch); between 2-D sets the net is kept and each set
 * takes the noise at which its shape shows. The loss follows the set (bce, softmax_ce or mse).
 */
export function pickDataset(p: MLPProblemConfig, name: DatasetName): MLPProblemConfig {
  if (p.data.kind !== 'dataset') return p;
  const data = p.data;
  const { features: _drop, ...rest } = p;
  if (isImageDataset(name)) {
    const d = IMAGE_PAGE_DEFAULTS[name];
    const keep = isImageDataset(data.name);
    return {
      ...rest,
      loss: 'softmax_ce',
      activation: keep ? p.activation : 'relu',
      hidden: keep || p.hidden.length === 0 ? p.hidden : d.hidden,
      batchSize: keep ? p.batchSize : IMAGE_BATCH,
      data: { ...data, name, n: d.n, testRatio: keep ? data.testRatio : IMAGE_TEST_RATIO },
    };
  }
  const cls = isClassification(name);
  const multi = (name === 'gaussians' || name === 'spiral') && data.classes > 2;
  // Binary cross-entropy needs two classes: a multi-class dataset takes softmax cross-entropy.
  const loss = !cls ? 'mse' : multi ? 'softmax_ce' : 'bce';
  const noise = name === data.name ? data.noise : defaultNoise(name, data.noise);
  if (isImageDataset(data.name)) {
    // Back to a 2-D set: convolution blocks apply to images only.
    const { conv: _conv, ...flat } = rest;
    const base = { ...flat, loss, data: { ...data, name, noise, n: 256, testRatio: 0.25 } } as MLPProblemConfig;
    return p.hidden.length ? { ...base, hidden: [8, 8], activation: 'tanh', batchSize: null } : { ...base, batchSize: null };
  }
  return { ...p, loss, data: { ...data, name, noise } };
}

/**
 * SGD's page default on a CNN: lr 0.1 with momentum 0.9 (torch.optim.SGD's; the schema's defaults are
 * lr 0.01, no momentum). Measured with the CLI on the digits CNN the page builds (8 filters 3×3, pool 2,
 * dense 32, ReLU, batches of 64, the same θ₀), 46 steps = 2 epochs: the schema's defaults reach 12 %
 * test accuracy (loss 2.36 → 2.30), lr 0.5 alone 71 %, lr 0.1 with momentum 0.9 85 % (loss 0.40);
 * tests/dataset-defaults.test.ts checks one epoch.
 */
export const CNN_SGD_DEFAULTS = { lr: 0.1, momentum: 0.9 } as const;

/** Hyper-parameters a run of `algorithm` starts with in the page on `problem`, over its schema defaults. */
export function pageHyper(problem: ProblemConfig, algorithm: string): Record<string, unknown> {
  return problem.kind === 'mlp' && problem.conv && algorithm === 'sgd' ? { ...CNN_SGD_DEFAULTS } : {};
}

/** The runs after the problem became `problem` (the CNN switch): SGD runs still at the schema's lr and momentum take the CNN's defaults. */
export function withPageRunDefaults(problem: ProblemConfig, runs: RunDraft[]): RunDraft[] {
  const d = pageHyper(problem, 'sgd');
  if (d.momentum === undefined) return runs;
  const atSchema = (r: RunDraft) => r.algorithm === 'sgd' && Number(r.hyper.momentum || 0) === 0 && Number(r.hyper.lr || 0.01) === 0.01;
  return runs.map((r) => (atSchema(r) ? { ...r, hyper: { ...r.hyper, lr: String(d.lr), momentum: String(d.momentum) } } : r));
}
