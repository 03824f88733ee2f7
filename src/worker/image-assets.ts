/**
 * The image data sets in the browser: each file of data/ is a Vite asset (its URL only; nothing is
 * fetched until a config names the set), fetched by the worker with progress from the body's bytes.
 * Node reads the same files from disk (src/cli/data-files.ts).
 */
import digits from '../../data/digits.u8.gz?url';
import mnist from '../../data/mnist.u8.gz?url';
import fashion from '../../data/fashion-mnist.u8.gz?url';
import type { ExperimentConfig } from '../core/config';
import type { ImageDatasetName } from '../core/data/image-sets';
import { ensureImageData, imageSetOf, isImageSetLoaded, type ImageSource } from '../core/data/images';
import type { DataLoadEvt } from './protocol';

const URLS: Record<ImageDatasetName, string> = { digits, mnist, 'fashion-mnist': fashion };

export const browserImageSource: ImageSource = async (info, onProgress) => {
  const url = new URL(URLS[info.name], self.location.href);
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`data set '${info.name}': ${url.pathname} answered ${res.status} ${res.statusText}`);
  // A server may gzip the body itself (Content-Length is then the compressed size): count what arrives.
  const total = Number(res.headers.get('content-length')) || info.bytes;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let got = 0;
  let shown = -1;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    got += value.length;
    const f = Math.min(1, got / total);
    if (f - shown >= 0.05) {
      shown = f;
      onProgress?.(f);
    }
  }
  const bytes = new Uint8Array(got);
  let o = 0;
  for (const c of chunks) {
    bytes.set(c, o);
    o += c.length;
  }
  onProgress?.(1);
  return bytes;
};

/**
 * Loads the image set `config` names, if any, posting `dataLoad` progress; null when ready, else the
 * message (the start is then refused with it).
 */
export async function loadImagesFor(config: ExperimentConfig, emit: (e: Omit<DataLoadEvt, 'epoch'>) => void): Promise<string | null> {
  const name = imageSetOf(config.problem);
  if (!name || isImageSetLoaded(name)) return null;
  try {
    await ensureImageData(config.problem, browserImageSource, (n, fraction) => emit({ type: 'dataLoad', name: n, fraction, done: false }));
    emit({ type: 'dataLoad', name, fraction: 1, done: true });
    return null;
  } catch (e) {
    emit({ type: 'dataLoad', name, fraction: 0, done: true });
    return e instanceof Error ? e.message : String(e);
  }
}
