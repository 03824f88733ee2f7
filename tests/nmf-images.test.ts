/**
 * NMF of images (config data.kind 'images'): V is the digits as columns (64 × n, pixels / 16), built
 * from the shipped file; validation; the parts grid's layout; and the "Parts of digits" preset's claims,
 * the parts claim measured on the run's final W against the same measure on the images themselves.
 */
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseExperiment, type ExperimentConfig } from '../src/core/config';
import { imageSetOf } from '../src/core/data/images';
import { IMAGE_SETS } from '../src/core/data/image-sets';
import { FusedExperiment } from '../src/core/fused';
import { nmfData } from '../src/core/problems/nmf-data';
import type { NMFProblemConfig } from '../src/core/config-nmf';
import { loadImageSetNode } from '../src/cli/data-files';
import { executeFull } from '../src/cli/execute';
import { partImage, partsGrid } from '../src/ui/charts/NMFParts';
import { checkClaim, claimText, nearZeroFraction, type ClaimRun } from '../src/ui/presetClaims';
import { presets } from '../src/ui/presets';

const config = (problem: Record<string, unknown>, steps = 10) =>
  parseExperiment({ version: 1, problem: { kind: 'nmf', beta: 1, rank: 4, ...problem }, runs: [{ algorithm: 'nmf-mm' }], steps });
const ok = (r: ReturnType<typeof parseExperiment>): ExperimentConfig => {
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.config;
};
const errors = (r: ReturnType<typeof parseExperiment>): string => (r.ok ? '' : JSON.stringify(r.errors));

/** sklearn.datasets.load_digits().images[0] (the first image of the UCI set). */
const FIRST_DIGIT = [
  [0, 0, 5, 13, 9, 1, 0, 0], [0, 0, 13, 15, 10, 15, 5, 0], [0, 3, 15, 2, 0, 11, 8, 0], [0, 4, 12, 0, 0, 8, 8, 0],
  [0, 5, 8, 0, 0, 9, 8, 0], [0, 4, 11, 0, 1, 12, 7, 0], [0, 2, 14, 5, 10, 12, 0, 0], [0, 0, 6, 13, 10, 0, 0, 0],
].flat();

beforeAll(() => loadImageSetNode('digits'));

describe('NMF data: images', () => {
  it('V is 64 × n, the images as columns scaled to [0, 1], the first column the file’s first image', () => {
    const c = ok(config({ data: { kind: 'images', name: 'digits', n: 500 } }));
    expect(imageSetOf(c.problem)).toBe('digits');
    const V = nmfData(c.problem as NMFProblemConfig, c.seeds.data);
    expect([V.length, V[0].length]).toEqual([64, 500]);
    const flat = V.flat();
    expect(Math.min(...flat)).toBe(0);
    expect(Math.max(...flat)).toBe(1);
    const first = V.map((row) => row[0] * 16);
    expect(first).toEqual(FIRST_DIGIT);
    expect(first.reduce((a, b) => a + b, 0)).toBe(294); // sklearn: load_digits().data[0].sum()
    // the same pixels read straight from the file: 32-byte header, 1797 labels, then the images
    const raw = gunzipSync(readFileSync(new URL('../data/digits.u8.gz', import.meta.url)));
    expect(Array.from(raw.subarray(32 + 1797, 32 + 1797 + 64))).toEqual(FIRST_DIGIT);
    expect(flat.reduce((a, b) => a + b, 0) * 16).toBeCloseTo(157720, 6); // sklearn: load_digits().data[:500].sum()
  });

  it('refuses what it cannot run, with a message that says why', () => {
    expect(errors(config({ beta: 0, data: { kind: 'images', name: 'digits', n: 100 } }))).toMatch(/β ≤ 0 .*zero .*pixels/);
    expect(errors(config({ data: { kind: 'images', name: 'digits', n: 1900 } }))).toContain("'digits' has 1797 images");
    expect(errors(config({ data: { kind: 'images', name: 'digits', n: 5000 } }))).toMatch(/n must be/);
    expect(errors(config({ data: { kind: 'images', name: 'cifar', n: 10 } }))).toContain('images name must be one of digits, mnist, fashion-mnist');
    expect(ok(config({ data: { kind: 'images', name: 'mnist', n: 100 } })).problem).toMatchObject({ data: { n: 100 } });
    // MNIST's 784 pixels × 2000 images is over V's entry limit: refused by the size check
    expect(IMAGE_SETS.mnist.rows * IMAGE_SETS.mnist.cols).toBe(784);
    expect(errors(config({ data: { kind: 'images', name: 'mnist', n: 2000 } }))).toContain('at most 1048576 entries in V');
  });
});

describe('parts grid', () => {
  it('lays K parts out in rows of at most 8 square cells, each image scaled to its own max', () => {
    expect(partsGrid(16, 460, [8, 8])).toMatchObject({ cols: 8, rows: 2 });
    const g = partsGrid(16, 460, [8, 8]);
    expect(g.cell * 8 + 7 * 4).toBeLessThanOrEqual(460);
    expect(partsGrid(5, 460, [8, 8])).toMatchObject({ cols: 5, rows: 1 });
    expect(partsGrid(16, 200, [8, 8])).toMatchObject({ cols: 4, rows: 4 });
    const W = { shape: [3, 2] as [number, number], data: Float32Array.from([1, 0, 4, 0, 2, 0]) };
    expect(Array.from(partImage(W, 0))).toEqual([0.25, 1, 0.5]);
    expect(Array.from(partImage(W, 1))).toEqual([0, 0, 0]);
  });
});

describe('preset "Parts of digits"', () => {
  it('every claim holds on the cpu engine; the parts are sparser than the images', () => {
    const p = presets().find((x) => x.slug === 'nmf-digits-parts');
    if (!p?.ok) throw new Error(p ? p.reason : 'missing');
    const exp = new FusedExperiment(p.config);
    const losses: number[][] = exp.runs.map(() => []);
    const onRecord = (i: number, run: { lastLoss: number }) => losses[i].push(run.lastLoss);
    exp.evaluateAll({ withTest: false, onRecord });
    for (let t = 0; t < p.config.steps; t++) exp.step({ withTest: false, onRecord });
    const { m, K } = { m: 64, K: 16 };
    const runs: ClaimRun[] = exp.runs.map((run, i) => {
      const theta = Float32Array.from(exp.problem.ops.toArray(run.theta) as ArrayLike<number>);
      return { losses: losses[i], diverged: !run.active, partsNearZero: nearZeroFraction(theta.subarray(0, m * K), m, K) };
    });
    exp.dispose();
    for (const c of p.claims) expect(checkClaim(c, runs), claimText(c, p.names)).toBeNull();
    // the measure on the images themselves (V's columns), for comparison: about half their pixels
    const V = nmfData(p.config.problem as NMFProblemConfig, p.config.seeds.data);
    const vFrac = nearZeroFraction(V.flat(), V.length, V[0].length);
    expect(vFrac).toBeGreaterThan(0.45);
    expect(vFrac).toBeLessThan(0.55);
    expect(runs[0].partsNearZero!).toBeGreaterThan(vFrac + 0.2);
    // and the claim can fail: the images themselves are not "sparse parts"
    expect(checkClaim({ kind: 'sparseParts', run: 0, min: 0.7 }, [{ losses: [], diverged: false, partsNearZero: vFrac }])).not.toBeNull();
  });
});

describe('examples/nmf-digits-parts.json', () => {
  it('runs as the CLI runs it: 100 iterations, MM and the heuristic give the same monotone cost', async () => {
    const c = ok(parseExperiment(JSON.parse(readFileSync(new URL('../examples/nmf-digits-parts.json', import.meta.url), 'utf8'))));
    const r = await executeFull(c, { backend: null, threads: 1, recordTest: false });
    expect(r.backend).toBe('js-fused');
    const [mm, mu] = r.runs.map((x) => x.losses);
    expect(mm).toHaveLength(101);
    expect(mu).toEqual(mm);
    expect(checkClaim({ kind: 'monotone', run: 0 }, [{ losses: mm, diverged: false }])).toBeNull();
    expect(mm[100]).toBeLessThan(mm[0] / 10);
  });
});
