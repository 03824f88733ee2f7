/**
 * The image data sets (data/*.u8.gz): known answers on what the files hold (counts, shapes, label
 * histograms, the first labels and the first image's pixel sum, as tools/make_image_sets.py printed
 * them; the loader checks the FNV-1a checksum), refusal of damaged files, the seeded draw and split,
 * and the config contract for image problems.
 */
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadExperiment, mlpSizes, parseExperiment } from '../src/core/config';
import { makeDataset } from '../src/core/data/datasets';
import { decodeImageFile, fnv1a, parseImageFile } from '../src/core/data/image-file';
import { IMAGE_DATASETS, IMAGE_SETS } from '../src/core/data/image-sets';
import { getImageSet, imageSetOf } from '../src/core/data/images';
import { DATA_DIR, loadImageSetNode } from '../src/cli/data-files';

const KNOWN = {
  digits: { hist: [178, 182, 177, 183, 181, 182, 181, 179, 174, 180], first: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], sum0: 294 },
  mnist: { hist: [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978], first: [5, 8, 3, 8, 6, 6, 5, 9, 4, 1], sum0: 18305 },
  'fashion-mnist': { hist: Array(10).fill(600), first: [9, 0, 0, 3, 0, 2, 7, 2, 5, 5], sum0: 76247 },
} as const;

describe('image files', () => {
  it('a set is refused before it is loaded, with how to load it', () => {
    expect(() => getImageSet('fashion-mnist')).toThrow(/not loaded yet/);
  });

  for (const name of IMAGE_DATASETS) {
    it(`${name}: count, shape, labels, first image, checksum`, async () => {
      const set = await loadImageSetNode(name);
      const info = IMAGE_SETS[name];
      expect(set.labels.length).toBe(info.count);
      expect(set.pixels.length).toBe(info.count * info.rows * info.cols);
      const hist = Array(10).fill(0);
      set.labels.forEach((l) => hist[l]++);
      expect(hist).toEqual(KNOWN[name].hist);
      expect(Array.from(set.labels.subarray(0, 10))).toEqual(KNOWN[name].first);
      expect(set.pixels.subarray(0, info.rows * info.cols).reduce((s, v) => s + v, 0)).toBe(KNOWN[name].sum0);
      expect(Math.max(...set.pixels.subarray(0, 50_000))).toBeLessThanOrEqual(info.max);
      const payload = new Uint8Array(set.labels.length + set.pixels.length);
      payload.set(set.labels);
      payload.set(set.pixels, set.labels.length);
      expect(fnv1a(payload)).toBe(info.fnv1a);
      expect(getImageSet(name)).toBe(set);
    });
  }

  it('a damaged or truncated file is refused with the reason', async () => {
    const raw = new Uint8Array(await new Response(new Blob([readFileSync(`${DATA_DIR}digits.u8.gz`)]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
    const flipped = raw.slice();
    flipped[5000] ^= 1;
    expect(() => parseImageFile('digits', flipped)).toThrow(/checksum 0x[0-9a-f]{8} differs/);
    expect(() => parseImageFile('digits', raw.subarray(0, raw.length - 1))).toThrow(/has \d+ bytes, expected/);
    expect(() => parseImageFile('mnist', raw)).toThrow(/expected 10000 of 28×28/);
    expect(() => parseImageFile('digits', new Uint8Array(64))).toThrow(/bad header/);
    // A server that removed the gzip layer: the bytes are read as they are; a re-gzipped file decodes too.
    expect((await decodeImageFile('digits', raw)).labels.length).toBe(1797);
    expect((await decodeImageFile('digits', gzipSync(raw))).labels.length).toBe(1797);
  });
});

describe('seeded draw and split', () => {
  beforeAll(async () => {
    await loadImageSetNode('digits');
    await loadImageSetNode('mnist');
  });
  const spec = (n: number, testRatio = 0.2) => ({ name: 'digits' as const, n, noise: 0, testRatio, classes: 10 });

  it('is deterministic, disjoint, sized by n and testRatio, inputs in [0, 1]', () => {
    const a = makeDataset(spec(500), 7);
    const b = makeDataset(spec(500), 7);
    const c = makeDataset(spec(500), 8);
    expect(a).toEqual(b);
    expect(a.train.X).not.toEqual(c.train.X);
    expect([a.train.X.length, a.test.X.length, a.d, a.classes]).toEqual([400, 100, 64, 10]);
    const key = (r: number[]) => r.join(',');
    const train = new Set(a.train.X.map(key));
    // digits has a few duplicate images; the draw has none of its indices twice, so overlap is at most those.
    expect(a.test.X.filter((r) => train.has(key(r))).length).toBeLessThan(3);
    expect(a.train.X.flat().every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(a.train.X.flat().some((v) => v === 1)).toBe(true);
    // Every label of a drawn image is the file's label of that image.
    const set = getImageSet('digits');
    const i = set.pixels.findIndex((_, j) => j % 64 === 0 && Array.from(set.pixels.subarray(j, j + 64), (p) => p / 16).join(',') === key(a.test.X[0]));
    expect(set.labels[i / 64]).toBe(a.test.y[0]);
  });

  it('mnist: 784 inputs scaled by 255, the whole file when n = 10,000', () => {
    const m = makeDataset({ name: 'mnist', n: 10_000, noise: 0, testRatio: 0.2, classes: 10 }, 1);
    expect([m.train.X.length, m.test.X.length, m.d]).toEqual([8000, 2000, 784]);
    expect(m.train.X[0].length).toBe(784);
    expect(new Set(m.train.y.concat(m.test.y)).size).toBe(10);
  });
});

describe('config contract', () => {
  const exact = (name: string, n: number, testRatio: number) =>
    JSON.parse(`{"version": 1, "problem": {"kind": "mlp", "data": {"kind": "dataset", "name": "${name}", "n": ${n}, "testRatio": ${testRatio}},
      "hidden": [256], "activation": "relu", "loss": "softmax_ce", "batchSize": 128}, "runs": [{"algorithm": "adam"}], "steps": 10}`);

  it('parses the documented JSON; input size follows from the set', () => {
    const c = loadExperiment(exact('mnist', 10000, 0.2));
    expect(c.problem.kind === 'mlp' && mlpSizes(c.problem)).toEqual([784, 256, 10]);
    expect(imageSetOf(c.problem)).toBe('mnist');
    const d = loadExperiment(exact('digits', 1797, 0.25));
    expect(d.problem.kind === 'mlp' && mlpSizes(d.problem)).toEqual([64, 256, 10]);
    const f = loadExperiment(exact('fashion-mnist', 6000, 0.1));
    expect(f.problem.kind === 'mlp' && mlpSizes(f.problem)).toEqual([784, 256, 10]);
  });

  it('refuses n out of range, a wrong loss and a wrong name, naming the allowed values', () => {
    const r1 = parseExperiment(exact('digits', 1798, 0.2));
    expect(r1.ok ? [] : r1.errors).toEqual(["problem.data.n: 'digits' has 1,797 images; n must be in [20, 1797]"]);
    const r2 = parseExperiment(exact('fashion-mnist', 10, 0.2));
    expect(r2.ok ? [] : r2.errors).toEqual(["problem.data.n: 'fashion-mnist' has 6,000 images; n must be in [20, 6000]"]);
    const bce = exact('mnist', 100, 0.2);
    bce.problem.loss = 'bce';
    const r3 = parseExperiment(bce);
    expect(r3.ok ? [] : r3.errors).toEqual(["problem.loss: 'mnist' is a 10-class image set; use softmax_ce"]);
    const r4 = parseExperiment(exact('emnist', 100, 0.2));
    expect(r4.ok ? [] : r4.errors.join()).toMatch(/dataset name must be one of .*digits, mnist, fashion-mnist/);
  });
});
