/**
 * Reads one image file of data/ (format in tools/make_image_sets.py): gzip-compressed, a 32-byte
 * header, n labels, n images of uint8 pixels. Checked against image-sets.ts (shape, count, FNV-1a of
 * labels and pixels), so a truncated or stale file is refused with a message instead of training on it.
 * Decompression uses the standard DecompressionStream (browsers, workers and Node ≥ 18 alike).
 */
import { IMAGE_SETS, type ImageDatasetName, type ImageSetInfo } from './image-sets';

export interface ImageSet {
  info: ImageSetInfo;
  /** n class indices. */
  labels: Uint8Array;
  /** n·rows·cols pixels, image after image, row-major. */
  pixels: Uint8Array;
}

const MAGIC = [0x4d, 0x4d, 0x49, 0x4d, 0x47, 0x01, 0x00, 0x00]; // "MMIMG\x01\0\0"
const HEADER = 32;

/** FNV-1a (32-bit) of the bytes. */
export function fnv1a(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return h >>> 0;
}

/** Gunzips `bytes` (a server may already have removed the gzip layer: then they are returned as they are). */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Parses and checks a decompressed file of set `name`. */
export function parseImageFile(name: ImageDatasetName, raw: Uint8Array): ImageSet {
  const info = IMAGE_SETS[name];
  const bad = (why: string) => new Error(`data set '${name}' (${info.file}): ${why}; rebuild it with tools/make_image_sets.py`);
  if (raw.length < HEADER || MAGIC.some((b, i) => raw[i] !== b)) throw bad('not an MM Lab image file (bad header)');
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const [n, rows, cols, classes, max] = [8, 12, 16, 20, 24].map((o) => view.getUint32(o, true));
  if (n !== info.count || rows !== info.rows || cols !== info.cols || classes !== info.classes || max !== info.max)
    throw bad(`holds ${n} images of ${rows}×${cols}, ${classes} classes, max ${max}; expected ${info.count} of ${info.rows}×${info.cols}, ${info.classes} classes, max ${info.max}`);
  const size = n * rows * cols;
  if (raw.length !== HEADER + n + size) throw bad(`has ${raw.length} bytes, expected ${HEADER + n + size}`);
  const payload = raw.subarray(HEADER);
  const hash = fnv1a(payload);
  if (hash !== info.fnv1a) throw bad(`checksum 0x${hash.toString(16).padStart(8, '0')} differs from 0x${info.fnv1a.toString(16).padStart(8, '0')}`);
  const labels = payload.subarray(0, n);
  for (let i = 0; i < n; i++) if (labels[i] >= classes) throw bad(`label ${labels[i]} at image ${i} is not a class index`);
  return { info, labels, pixels: payload.subarray(n) };
}

/** Gunzips and parses a file of set `name` as read from disk or the network. */
export async function decodeImageFile(name: ImageDatasetName, bytes: Uint8Array): Promise<ImageSet> {
  return parseImageFile(name, await gunzip(bytes));
}
