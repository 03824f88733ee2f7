/**
 * Image data sets in memory: loaded once per process (the worker when a config names one, the CLI
 * before it runs), then turned into a problem's data synchronously, like the 2-D sets of datasets.ts.
 *
 * `makeImageDataset` draws n of the file's images with the data seed and splits them by testRatio
 * (test = the first round(testRatio·n) drawn, train = the rest), inputs scaled to [0, 1] (pixel / max).
 * The same seed gives the same images, split and order on every engine.
 */
import { Rng } from '../rng';
import { decodeImageFile, type ImageSet } from './image-file';
import { IMAGE_SETS, isImageDataset, type ImageDatasetName, type ImageSetInfo } from './image-sets';

/** Reads one file's bytes (compressed), reporting progress in [0, 1] when it can. */
export type ImageSource = (info: ImageSetInfo, onProgress?: (fraction: number) => void) => Promise<Uint8Array>;

const loaded = new Map<ImageDatasetName, ImageSet>();
const pending = new Map<ImageDatasetName, Promise<ImageSet>>();

export function isImageSetLoaded(name: ImageDatasetName): boolean {
  return loaded.has(name);
}

/** The loaded set, or an error that says how to load it. */
export function getImageSet(name: ImageDatasetName): ImageSet {
  const set = loaded.get(name);
  if (!set) throw new Error(`data set '${name}' is not loaded yet: load it first (loadImageSet / ensureImageData; the CLI and the worker do)`);
  return set;
}

/** Loads set `name` from `source` once (later calls share the first load). */
export function loadImageSet(name: ImageDatasetName, source: ImageSource, onProgress?: (fraction: number) => void): Promise<ImageSet> {
  const done = loaded.get(name);
  if (done) return Promise.resolve(done);
  let p = pending.get(name);
  if (!p) {
    p = source(IMAGE_SETS[name], onProgress)
      .then((bytes) => decodeImageFile(name, bytes))
      .then((set) => {
        loaded.set(name, set);
        return set;
      })
      .finally(() => pending.delete(name));
    pending.set(name, p);
  }
  return p;
}

/** The image set a problem config names, if any (the config need not be validated yet). */
export function imageSetOf(problem: unknown): ImageDatasetName | null {
  const p = problem as { kind?: unknown; data?: { kind?: unknown; name?: unknown } } | null;
  // an MLP's image data set, or an NMF of images (config-nmf.ts: data.kind 'images')
  const named = p?.kind === 'mlp' ? p.data?.kind === 'dataset' : p?.kind === 'nmf' && p.data?.kind === 'images';
  if (!p || !named || !p.data || typeof p.data.name !== 'string') return null;
  return isImageDataset(p.data.name) ? p.data.name : null;
}

/** Loads the image set a problem needs (none for the 2-D sets, explicit data or NMF of other data). */
export async function ensureImageData(problem: unknown, source: ImageSource, onProgress?: (name: ImageDatasetName, fraction: number) => void): Promise<void> {
  const name = imageSetOf(problem);
  if (name && !loaded.has(name)) await loadImageSet(name, source, (f) => onProgress?.(name, f));
}

export interface ImageSplit {
  train: { X: number[][]; y: number[]; classes: number };
  test: { X: number[][]; y: number[]; classes: number };
  d: number;
  classes: number;
}

/** n images of a loaded set, drawn and split with the data seed (see the file's comment). */
export function makeImageDataset(spec: { name: ImageDatasetName; n: number; testRatio: number }, seed: number): ImageSplit {
  const set = getImageSet(spec.name);
  const { count, rows, cols, classes, max } = set.info;
  if (!(spec.n >= 1 && spec.n <= count)) throw new Error(`data set '${spec.name}' has ${count} images; n = ${spec.n} is out of range [1, ${count}]`);
  const d = rows * cols;
  const scale = Array.from({ length: 256 }, (_, v) => v / max);
  const order = new Rng(seed).permutation(count).subarray(0, spec.n);
  const nTest = Math.min(spec.n - 1, Math.round(spec.testRatio * spec.n));
  const pick = (idx: Int32Array) => ({
    X: Array.from(idx, (i) => {
      const row = new Array<number>(d);
      for (let k = 0, o = i * d; k < d; k++) row[k] = scale[set.pixels[o + k]];
      return row;
    }),
    y: Array.from(idx, (i) => set.labels[i]),
    classes,
  });
  return { train: pick(order.subarray(nTest)), test: pick(order.subarray(0, nTest)), d, classes };
}
