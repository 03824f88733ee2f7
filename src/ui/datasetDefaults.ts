/**
 * Per-dataset default noise: the largest round value at which each set's shape still shows (measured:
 * a 5-nearest-neighbour vote recovers ≥ 90% of the labels of 256 points, tests/ui-preview.test.ts).
 * The spiral's arms lie ~0.2 apart, so its noise is much smaller than the moons'.
 */
import type { MLPProblemConfig } from '../core/config';
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
