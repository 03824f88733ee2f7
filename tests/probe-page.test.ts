/**
 * Issue 16, point 4: heavy work and the page. Large NMF images are painted from block means (never a
 * million pixels on the main thread); a network too big for the page is refused up front (the
 * 1×190,000 input on a 6×256 net that made WebAssembly abort); a WebAssembly abort that still happens
 * is said plainly; slow preparation can be cancelled; the work of a step is estimated to say so.
 */
import { describe, expect, it, vi } from 'vitest';
import { LIMITS, loadExperiment, parseExperiment } from '../src/core/config';
import { downsample, MAX_IMAGE_SIDE } from '../src/ui/charts/NMFImages';
import { workEstimate } from '../src/ui/cost';

vi.mock('../src/worker/client', () => ({ createLabWorker: () => ({ send() {}, dispose() {} }) }));

describe('NMF images are painted downsampled', () => {
  it('a 1024×1024 matrix becomes 256×256 block means; small ones are untouched', () => {
    const data = new Float32Array(1024 * 1024).map((_, k) => (k % 1024) + 1024 * Math.floor(k / 1024));
    const d = downsample({ shape: [1024, 1024], data });
    expect(d.shape).toEqual([MAX_IMAGE_SIDE, MAX_IMAGE_SIDE]);
    // block (0, 0) holds rows 0–3, cols 0–3: mean of c + 1024 r
    expect(d.data[0]).toBeCloseTo(1.5 + 1024 * 1.5, 3);
    const small = { shape: [64, 3] as [number, number], data: new Float32Array(192) };
    expect(downsample(small)).toBe(small);
    expect(downsample({ shape: [1000, 7], data: new Float32Array(7000).fill(2) }).shape).toEqual([250, 7]);
  });
});

describe('too big for the page: said up front', () => {
  it('refuses the 1×190,000 input on a 6×256 net with the parameter count', () => {
    const r = parseExperiment({
      version: 1,
      problem: { kind: 'mlp', data: { kind: 'explicit', X: [new Array(190_000).fill(0)], y: [1] }, hidden: [256, 256, 256, 256, 256, 256] },
      runs: [{ algorithm: 'adam' }],
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toMatch(/the network has 48,969,473 parameters .* at most 4,000,000/);
  });

  it('the largest nets the form can make are well inside the limit', () => {
    const c = loadExperiment({ version: 1, problem: { kind: 'mlp', hidden: new Array(LIMITS.hiddenLayers).fill(LIMITS.width) }, runs: [{ algorithm: 'sgd' }] });
    expect(c.problem.kind).toBe('mlp');
  });

  it('estimates the work of a step: NMF 1024² rank 64 × 8 runs and an MLP at every limit are heavy, the defaults are not', () => {
    const nmf = loadExperiment({
      version: 1,
      problem: { kind: 'nmf', rank: 64, data: { kind: 'synthetic', rows: 1024, cols: 1024 } },
      runs: new Array(8).fill({ algorithm: 'nmf-mm' }),
    });
    expect(workEstimate(nmf).heavy).toBe(true);
    const mlp = loadExperiment({
      version: 1,
      problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: LIMITS.points }, hidden: new Array(6).fill(256) },
      runs: new Array(8).fill({ algorithm: 'adam' }),
    });
    expect(workEstimate(mlp).heavy).toBe(true);
    expect(workEstimate(mlp).text).toMatch(/G multiply-adds per step \(8 runs\)/);
    expect(workEstimate(loadExperiment({ version: 1, problem: { kind: 'mlp' }, runs: [{ algorithm: 'sgd' }] })).heavy).toBe(false);
  });
});

describe('aborts and cancel', () => {
  it('a WebAssembly abort is explained; other messages pass through', async () => {
    const { explainWorkerError } = await import('../src/ui/engine');
    expect(explainWorkerError('RuntimeError: Aborted(). Build with -sASSERTIONS for more info.')).toMatch(/ran out of memory in the page .* too big for the browser/);
    expect(explainWorkerError('run 0 has stopped')).toBe('run 0 has stopped');
  });

  it('Cancel during preparation ends it and says so', async () => {
    const { cancelStart } = await import('../src/ui/engine');
    const { getLab, setLab } = await import('../src/ui/store');
    setLab({ starting: true });
    cancelStart();
    expect(getLab().starting).toBe(false);
    expect(getLab().session).toBeNull();
    expect(getLab().workerNotice?.title).toBe('Preparation cancelled');
  });
});
