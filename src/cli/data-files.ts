/**
 * The image data sets in Node (CLI, sweeps' worker threads, bench, tests): read from the checkout's
 * data/ directory, where tools/make_image_sets.py writes them (the browser fetches the same files:
 * src/worker/image-assets.ts).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ensureImageData, loadImageSet, type ImageSource } from '../core/data/images';
import type { ImageDatasetName } from '../core/data/image-sets';

/** The checkout's data/ directory. */
export const DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));

export const nodeImageSource: ImageSource = async (info) => {
  try {
    return new Uint8Array(await readFile(new URL(info.file, new URL('../../data/', import.meta.url))));
  } catch (e) {
    throw new Error(`data set '${info.name}': cannot read ${DATA_DIR}${info.file} (${(e as Error).message}); rebuild it with tools/make_image_sets.py`);
  }
};

/** Loads the image set `problem` names, if any, from data/. */
export function loadImageDataNode(problem: unknown): Promise<void> {
  return ensureImageData(problem, nodeImageSource);
}

/** Loads one image set from data/. */
export function loadImageSetNode(name: ImageDatasetName) {
  return loadImageSet(name, nodeImageSource);
}
