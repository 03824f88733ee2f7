/**
 * The page side of image problems: picking a data set in the form (pickDataset: the page defaults, and
 * back to 2-D), steps per epoch as the fold counts them (the loss chart's epoch axis), and share links
 * of an image problem with the epoch axis round-tripping through the link and the form.
 */
import { describe, expect, it } from 'vitest';
import { parseExperiment, type MLPProblemConfig } from '../src/core/config';
import { loadImageSetNode } from '../src/cli/data-files';
import { FusedExperiment } from '../src/core/fused/fused-experiment';
import { IMAGE_PAGE_DEFAULTS, pickDataset } from '../src/ui/datasetDefaults';
import { checkDraft, configToDraft } from '../src/ui/draft';
import { classLabel, isImageProblem, stepsPerEpoch } from '../src/ui/imageViews';
import { defaultExperiment } from '../src/ui/presets';
import { DEFAULT_VIEW, decodeShare, encodeShare } from '../src/ui/share';

const base = (): MLPProblemConfig => {
  const p = defaultExperiment().problem;
  if (p.kind !== 'mlp') throw new Error('the default problem is an MLP');
  return { ...p, features: ['x1', 'x2', 'x1sq'] };
};
const parse = (problem: unknown, runs: unknown[] = [{ algorithm: 'adam', hyper: { lr: 0.01 } }]) => {
  const r = parseExperiment({ version: 1, problem, runs, steps: 300 });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.config;
};

describe('picking a data set in the form', () => {
  it('an image set takes the page defaults and drops the 2-D input features; the config is valid', () => {
    for (const name of ['digits', 'mnist', 'fashion-mnist'] as const) {
      const p = pickDataset(base(), name);
      expect(p.features).toBeUndefined();
      expect(p).toMatchObject({ loss: 'softmax_ce', activation: 'relu', batchSize: 64, hidden: IMAGE_PAGE_DEFAULTS[name].hidden, data: { name, n: IMAGE_PAGE_DEFAULTS[name].n, testRatio: 0.2 } });
      expect(isImageProblem(parse(p))).toBe(true);
    }
    expect(IMAGE_PAGE_DEFAULTS.digits).toEqual({ n: 1797, hidden: [32] });
    // Between image sets the net and split are kept; a linear model stays linear.
    const digits = { ...pickDataset(base(), 'digits'), hidden: [20, 20], data: { ...pickDataset(base(), 'digits').data, testRatio: 0.3 } } as MLPProblemConfig;
    expect(pickDataset(digits, 'mnist')).toMatchObject({ hidden: [20, 20], data: { name: 'mnist', n: 2000, testRatio: 0.3 } });
    expect(pickDataset({ ...base(), hidden: [] }, 'mnist').hidden).toEqual([]);
  });

  it('back to a 2-D set: the 2-D defaults, and each 2-D set its noise and loss', () => {
    const back = pickDataset(pickDataset(base(), 'mnist'), 'spiral');
    expect(back).toMatchObject({ hidden: [8, 8], activation: 'tanh', batchSize: null, loss: 'softmax_ce', data: { name: 'spiral', n: 256, testRatio: 0.25, noise: 0.03 } });
    expect(isImageProblem(parse(back))).toBe(false);
    expect(pickDataset(base(), 'sine')).toMatchObject({ loss: 'mse', features: ['x1', 'x2', 'x1sq'], data: { name: 'sine' } });
    expect(classLabel(parse(pickDataset(base(), 'fashion-mnist')), 9)).toBe('Boot');
    expect(classLabel(parse(pickDataset(base(), 'digits')), 9)).toBe('9');
  });

  it('convolution blocks (the form’s CNN switch) stay between image sets and go with a 2-D set', () => {
    const cnn = { ...pickDataset(base(), 'digits'), conv: [{ filters: 4, kernel: 3, pool: 2 }] } as MLPProblemConfig;
    expect(parse(cnn).problem).toMatchObject({ conv: [{ filters: 4, kernel: 3, pool: 2 }] });
    expect(pickDataset(cnn, 'mnist').conv).toEqual([{ filters: 4, kernel: 3, pool: 2 }]);
    const back = pickDataset(cnn, 'moons');
    expect('conv' in back).toBe(false);
    expect(isImageProblem(parse(back))).toBe(false);
  });
});

describe('steps per epoch (the loss chart’s epoch axis)', () => {
  it('equals the fold’s count: ceil(nTrain / batchSize), 1 for the full batch', async () => {
    await loadImageSetNode('digits');
    const configs = [
      parse(pickDataset(base(), 'digits')),
      parse({ ...pickDataset(base(), 'digits'), batchSize: 50, data: { kind: 'dataset', name: 'digits', n: 333, testRatio: 0.15 } }),
      parse({ kind: 'mlp', batchSize: 7, data: { kind: 'dataset', name: 'moons', n: 100, testRatio: 0.9 } }),
      parse({ kind: 'mlp', batchSize: 4, data: { kind: 'explicit', X: [[0, 0], [1, 0], [0, 1], [1, 1], [2, 2]], y: [0, 1, 1, 0, 1] } }),
      parse({ kind: 'mlp' }),
    ];
    const counts = configs.map((c) => {
      const exp = new FusedExperiment(c);
      const n = exp.stepsPerEpoch;
      exp.dispose();
      expect(stepsPerEpoch(c)).toBe(n);
      return n;
    });
    expect(counts).toEqual([23, 6, 2, 2, 1]); // 1,438/64, 283/50, 10/7, 5/4
    expect(stepsPerEpoch(null)).toBe(1);
  });
});

describe('share links of an image problem', () => {
  it('round-trip the data set, its subset and split, and the epoch axis, through the link and the form', () => {
    const c = parse({ ...pickDataset(base(), 'mnist'), data: { kind: 'dataset', name: 'mnist', n: 3000, testRatio: 0.25, noise: 0.1, classes: 3 } });
    const view = { ...DEFAULT_VIEW, x: 'epoch' as const, sel: 0 };
    const d = decodeShare(encodeShare(c, view));
    expect(d.kind).toBe('ok');
    if (d.kind !== 'ok') return;
    expect(d.config).toEqual(c);
    expect(d.view).toEqual(view);
    expect(d.warnings).toEqual([]);
    const again = checkDraft(configToDraft(d.config)).result;
    expect(again.ok && again.config).toEqual(c);
    // An out-of-range subset is refused with the set's limits.
    const bad = parseExperiment({ version: 1, problem: { ...c.problem, data: { ...(c.problem as MLPProblemConfig).data, n: 10_001 } }, runs: c.runs });
    expect(bad.ok ? [] : bad.errors).toContain("problem.data.n: 'mnist' has 10,000 images; n must be in [20, 10000]");
  });
});
