/**
 * Page defaults in datasetDefaults.ts: the NMF image sets the form offers (each a valid problem with
 * its default n), and SGD's default on a CNN (lr 0.1, momentum 0.9), which trains the digits CNN where
 * the schema's SGD (lr 0.01) barely moves in 23 steps (one epoch at batch 64).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseExperiment, type ExperimentConfig } from '../src/core/config';
import { IMAGE_DATASETS, IMAGE_SETS } from '../src/core/data/image-sets';
import { MAX_NMF_IMAGES } from '../src/core/config-nmf';
import { loadImageSetNode } from '../src/cli/data-files';
import { executeFull } from '../src/cli/execute';
import { CNN_SGD_DEFAULTS, NMF_IMAGE_OPTIONS, pageHyper, pickNmfImages, withPageRunDefaults } from '../src/ui/datasetDefaults';
import { newRun } from '../src/ui/draft';

const ok = (r: ReturnType<typeof parseExperiment>): ExperimentConfig => {
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.config;
};

beforeAll(() => loadImageSetNode('digits'));

describe('NMF image sets in the form', () => {
  it('offers every image set, each a valid NMF problem with its default n', () => {
    expect(NMF_IMAGE_OPTIONS.map((o) => o.value)).toEqual([...IMAGE_DATASETS]);
    for (const { value } of NMF_IMAGE_OPTIONS) {
      const data = pickNmfImages(value);
      expect(data.n).toBeLessThanOrEqual(Math.min(MAX_NMF_IMAGES, IMAGE_SETS[value].count));
      const c = ok(parseExperiment({ version: 1, problem: { kind: 'nmf', beta: 1, rank: 16, data }, runs: [{ algorithm: 'nmf-mu' }] }));
      expect(c.problem.kind === 'nmf' && c.problem.data).toEqual(data);
    }
    expect(pickNmfImages('mnist').n).toBe(1000);
  });
});

describe("SGD's page default on a CNN", () => {
  const cnn = { kind: 'mlp', data: { kind: 'dataset', name: 'digits', n: 1797, testRatio: 0.2 }, conv: [{ filters: 8, kernel: 3, pool: 2 }], hidden: [32], activation: 'relu', loss: 'softmax_ce', batchSize: 64 };
  const problem = ok(parseExperiment({ version: 1, problem: cnn, runs: [{ algorithm: 'sgd' }] })).problem;
  const dense = ok(parseExperiment({ version: 1, problem: { ...cnn, conv: undefined }, runs: [{ algorithm: 'sgd' }] })).problem;

  it('SGD on a CNN starts with lr 0.1 and momentum 0.9; on a dense net, and other algorithms, keep their schema defaults', () => {
    expect(pageHyper(problem, 'sgd')).toEqual({ ...CNN_SGD_DEFAULTS });
    expect(pageHyper(dense, 'sgd')).toEqual({});
    expect(pageHyper(problem, 'adam')).toEqual({});
    const runs = withPageRunDefaults(problem, [newRun('sgd'), newRun('sgd', { momentum: 0.5 }), newRun('adam')]);
    expect(runs.map((r) => [r.hyper.lr, r.hyper.momentum])).toEqual([['0.1', '0.9'], ['0.01', '0.5'], ['0.001', undefined]]);
    expect(withPageRunDefaults(dense, [newRun('sgd')])[0].hyper.momentum).toBe('0');
  });

  it('with it, one epoch of SGD trains the digits CNN (test accuracy > 35 %), where the schema defaults stay near chance (< 20 %)', async () => {
    const c = ok(parseExperiment({ version: 1, problem: cnn, steps: 23, runs: [{ algorithm: 'sgd' }, { algorithm: 'sgd', hyper: pageHyper(problem, 'sgd') }] }));
    const r = await executeFull(c, { backend: null, threads: 1, recordTest: true });
    const [plain, withMomentum] = r.runs.map((x) => x.testAccuracy ?? NaN);
    expect(plain).toBeLessThan(0.2);
    expect(withMomentum).toBeGreaterThan(0.35);
  }, 30_000);
});
