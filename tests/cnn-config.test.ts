/**
 * The CNN's config (problems/cnn-spec.ts, cnn-config.ts): the examples parse, a block's defaults, and
 * every refusal names the field and the reason — no image set, a kernel or pool larger than the image
 * left, out-of-range blocks, too many parameters or multiply-adds, explicit layers, and the algorithms
 * that need the dense structure (MLPOps).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseExperiment, type ExperimentInput } from '../src/core/config';
import { cnnShapeOf } from '../src/core/problems/cnn-config';
import { cnnLayout, cnnSummary, convMacs } from '../src/core/problems/cnn-spec';

const input = (problem: Record<string, unknown>, runs: ExperimentInput['runs'] = [{ algorithm: 'adam' }]): unknown => ({
  version: 1,
  problem: { kind: 'mlp', data: { kind: 'dataset', name: 'mnist', n: 1000 }, conv: [{ filters: 8, kernel: 3 }], hidden: [32], activation: 'relu', loss: 'softmax_ce', ...problem },
  runs,
});

const errors = (x: unknown): string[] => {
  const r = parseExperiment(x);
  return r.ok ? [] : r.errors;
};

describe('CNN config', () => {
  it('the examples parse; digits-cnn is 8×8 → 6×6×8 → pool 3×3×8 → 32 → 10', () => {
    for (const f of ['digits-cnn', 'mnist-cnn', 'digits-cnn-mm']) {
      const r = parseExperiment(JSON.parse(readFileSync(`examples/${f}.json`, 'utf8')));
      expect(r.ok ? [] : r.errors, f).toEqual([]);
    }
    const r = parseExperiment(JSON.parse(readFileSync('examples/digits-cnn.json', 'utf8')));
    if (!r.ok || r.config.problem.kind !== 'mlp') throw new Error('parse');
    const s = cnnShapeOf(r.config.problem);
    expect(s.dense).toEqual([72, 32, 10]);
    expect(cnnLayout(s).nParams).toBe(3 * 3 * 8 + 8 + 72 * 32 + 32 + 32 * 10 + 10);
    expect(convMacs(s)).toBe(6 * 6 * 9 * 8);
    // README's numbers for examples/mnist-cnn.json.
    const m = parseExperiment(JSON.parse(readFileSync('examples/mnist-cnn.json', 'utf8')));
    if (!m.ok || m.config.problem.kind !== 'mlp') throw new Error('parse');
    const ms = cnnShapeOf(m.config.problem);
    expect(ms.dense).toEqual([400, 64, 10]);
    expect([cnnLayout(ms).nParams, convMacs(ms)]).toEqual([27_562, 188_064]);
  });

  it('a block’s pool defaults to 2', () => {
    const r = parseExperiment(input({}));
    expect(r.ok && r.config.problem.kind === 'mlp' && r.config.problem.conv).toEqual([{ filters: 8, kernel: 3, pool: 2 }]);
  });

  it('refuses conv blocks without an image set', () => {
    expect(errors(input({ data: { kind: 'dataset', name: 'moons', n: 100 }, loss: 'bce' }))).toEqual([
      "problem.conv: convolution blocks need an image data set (digits, mnist, fashion-mnist); 'moons' is not one",
    ]);
  });

  it('refuses blocks whose output would be empty, naming the block', () => {
    // digits: 8×8 → k5 → 4×4 → pool 2 → 2×2 → k3: too small.
    expect(errors(input({ data: { kind: 'dataset', name: 'digits', n: 100 }, conv: [{ filters: 4, kernel: 5, pool: 2 }, { filters: 4, kernel: 3 }] }))).toEqual([
      'problem.conv[1]: block 1 gets a 2×2 image, smaller than its 3×3 kernel (valid padding); use a smaller kernel or pool, or fewer blocks',
    ]);
    expect(errors(input({ data: { kind: 'dataset', name: 'digits', n: 100 }, conv: [{ filters: 4, kernel: 6, pool: 4 }] }))).toEqual([
      "problem.conv[0]: block 0's 3×3 output is smaller than its 4×4 pool; use a smaller pool or kernel, or fewer blocks",
    ]);
  });

  it('refuses out-of-range blocks with the allowed range', () => {
    expect(errors(input({ conv: [{ filters: 65, kernel: 3 }] }))).toEqual(['problem.conv[0].filters: conv filters must be in [1, 64]']);
    expect(errors(input({ conv: [{ filters: 8, kernel: 9 }] }))).toEqual(['problem.conv[0].kernel: conv kernel must be in [1, 7]']);
    expect(errors(input({ conv: [{ filters: 8, kernel: 3, pool: 0 }] }))).toEqual(['problem.conv[0].pool: conv pool must be in [1, 4]']);
    expect(errors(input({ conv: [] }))).toEqual(['problem.conv: conv must have at least one block (leave it out for an MLP)']);
    expect(errors(input({ conv: Array(4).fill({ filters: 2, kernel: 1, pool: 1 }) }))).toEqual(['problem.conv: at most 3 blocks']);
    expect(errors(input({ conv: [{ filters: 8, kernel: 3, stride: 2 }] }))[0]).toMatch(/^problem\.conv\[0\]: Unrecognized key: "stride"/);
  });

  it('refuses too many multiply-adds or parameters', () => {
    // 28×28, k7: 22·22·49·1·64 = 1,517,824; then 64 → 64 filters k7 on 22×22 (pool 1): 16·16·49·64·64 = 51,380,224.
    expect(errors(input({ conv: [{ filters: 64, kernel: 7, pool: 1 }, { filters: 64, kernel: 7, pool: 1 }] }))).toEqual([
      'problem.conv: the convolutions cost 52,898,048 multiply-adds per image, at most 5,000,000 (fewer filters or smaller kernels)',
    ]);
    // 28×28 → k1 → 28×28×64, no pool: (1 + 1)·64 + (50,176 + 1)·128 + (128 + 1)·10 = 6,424,074 parameters.
    expect(errors(input({ conv: [{ filters: 64, kernel: 1, pool: 1 }], hidden: [128] }))).toEqual([
      'problem: the CNN has 6,424,074 parameters, at most 4,000,000 (fewer filters, more pooling or narrower dense layers)',
    ]);
  });

  it('refuses explicit initial layers', () => {
    expect(errors(input({ init: [{ W: [[1]], b: [0] }] }))).toContain(
      'problem.init: explicit initial layers describe a dense network; a CNN starts from the seeded Glorot draw (drop init)',
    );
  });

  it('refuses the algorithms that need the dense structure, in runs and switches, with the reason', () => {
    const e = errors(input({}, [{ algorithm: 'proxprop' }, { algorithm: 'adam', switches: [{ at: 5, algorithm: 'agd' }] }]));
    expect(e).toHaveLength(2);
    expect(e[0]).toBe(
      "runs[0].algorithm: 'proxprop' does not run on a CNN: it takes proximal steps on each dense layer through MLPOps (layer inputs and their Gram matrices), which convolution layers do not offer (use mm-lipschitz, mm-layerwise, mm-gauss-newton, mm-bohning or a gradient algorithm)",
    );
    expect(e[1]).toMatch(/^runs\[1\]\.switches\[0\]\.algorithm: 'agd' does not run on a CNN: it scales each dense weight matrix/);
    // Gauss–Newton and Böhning MM run on a CNN (engine/net-ops.ts), as the gradient and Lipschitz ones.
    const ok = [{ algorithm: 'mm-lipschitz' }, { algorithm: 'mm-layerwise' }, { algorithm: 'inna' }, { algorithm: 'mm-gauss-newton' }, { algorithm: 'mm-bohning' }];
    expect(errors(input({}, ok))).toEqual([]);
  });

  it('the page’s summary of the shapes (ConvFields)', () => {
    expect(cnnSummary(8, 8, [{ filters: 8, kernel: 3, pool: 2 }], [32], 10)).toEqual({ ok: true, text: '8×8 → conv 3×3: 6×6×8 → pool 2: 3×3×8 → 72 → 32 → 10 (2,746 parameters)' });
    expect(cnnSummary(28, 28, [{ filters: 4, kernel: 5, pool: 1 }], [], 10).text).toBe('28×28 → conv 5×5: 24×24×4 → 2304 → 10 (23,154 parameters)');
    expect(cnnSummary(8, 8, [{ filters: 4, kernel: 5, pool: 2 }, { filters: 4, kernel: 3, pool: 1 }], [], 10)).toEqual({
      ok: false,
      text: 'Block 2: gets a 2×2 image, smaller than its 3×3 kernel (valid padding); use a smaller kernel or pool, or fewer blocks',
    });
  });
});
