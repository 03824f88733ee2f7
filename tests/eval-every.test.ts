/**
 * evalEvery: the "auto" rule's known answers, and the fold with f evaluated every k steps — the same
 * θ trajectory as the every-step fold (its losses at the evaluated steps, bit for bit), on the cpu
 * engine and on tfjs, mini-batch and full batch (where the every-step fold prefetches ∇f).
 */
import { describe, expect, it } from 'vitest';
import { loadExperiment, parseExperiment, type ExperimentInput } from '../src/core/config';
import { runExperiment } from '../src/core/experiment';
import { CHEAP_EVALUATION, evaluationMacsPerExample, resolveEvalEvery, splitSizes } from '../src/core/fold/eval-every';
import type { ExperimentResult } from '../src/core/fold/result';
import { runFusedExperiment, runFusedNMFExperiment } from '../src/core/fused';
import { readFileSync } from 'node:fs';

const example = (name: string) => loadExperiment(JSON.parse(readFileSync(new URL(`../examples/${name}.json`, import.meta.url), 'utf8')));
const moons = (extra: Partial<ExperimentInput> & { batchSize?: number | null } = {}) => {
  const { batchSize = 16, ...rest } = extra;
  return loadExperiment({
    version: 1,
    problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 96 }, hidden: [6], batchSize },
    runs: [{ algorithm: 'adam', hyper: { lr: 0.05 } }, { algorithm: 'mm-lipschitz' }, { algorithm: 'sgd-armijo' }],
    steps: 23,
    ...rest,
  } as ExperimentInput);
};

describe('evalEvery "auto"', () => {
  it('evaluates every step on the full batch, on 2-D functions, on NMF and on small mini-batch problems', () => {
    expect(resolveEvalEvery(moons({ batchSize: null }))).toEqual({ every: 1, reason: 'full batch' });
    expect(resolveEvalEvery(example('moons-sgd'))).toMatchObject({ every: 1 });
    expect(resolveEvalEvery(example('nmf-digits-parts'))).toEqual({ every: 1, reason: 'full batch' });
    expect(resolveEvalEvery(loadExperiment({ version: 1, problem: { kind: 'function', name: 'rosenbrock' }, runs: [{ algorithm: 'sgd' }] }))).toEqual({ every: 1, reason: 'full batch' });
    // moons 96 points on a 2-6-1 net, batches of 16: 96 × 25 multiply-adds.
    const m = moons();
    expect(splitSizes(m.problem as never)).toEqual({ nTrain: 72, nTest: 24 });
    expect(evaluationMacsPerExample(m.problem as never)).toBe(25);
    expect(resolveEvalEvery(m)).toEqual({ every: 1, reason: 'cheap' });
    // A batch as large as the training set is the full batch.
    expect(resolveEvalEvery(moons({ batchSize: 72 }))).toEqual({ every: 1, reason: 'full batch' });
  });

  it('evaluates once per epoch on digits and MNIST (MLP and CNN): min(steps/epoch, ⌈4n/(3B)⌉)', () => {
    // digits 1797 (1438 train + 359 test), 64-32-10 MLP: 2,410 parameters; 1797 × 2410 = 4.33·10⁶ > 4·10⁶.
    const digits = example('digits-mlp');
    expect(evaluationMacsPerExample(digits.problem as never)).toBe(2410);
    expect(1797 * 2410).toBeGreaterThan(CHEAP_EVALUATION);
    expect(resolveEvalEvery(digits)).toEqual({ every: 23, reason: 'epoch' }); // ⌈1438/64⌉ = 23 < ⌈4·1797/192⌉ = 38
    // digits CNN: 2,746 parameters + 2,592 conv multiply-adds per image.
    const digitsCnn = example('digits-cnn');
    expect(evaluationMacsPerExample(digitsCnn.problem as never)).toBe(2746 + 2592);
    expect(resolveEvalEvery(digitsCnn)).toEqual({ every: 23, reason: 'epoch' });
    // MNIST 10,000 (8,000 train), batches of 128: 63 steps an epoch.
    expect(evaluationMacsPerExample(example('mnist-mlp').problem as never)).toBe(785 * 256 + 257 * 10);
    expect(resolveEvalEvery(example('mnist-mlp'))).toEqual({ every: 63, reason: 'epoch' });
    expect(evaluationMacsPerExample(example('mnist-cnn').problem as never)).toBe(27562 + 26 * 26 * 9 * 8 + 11 * 11 * 9 * 8 * 16);
    expect(resolveEvalEvery(example('mnist-cnn'))).toEqual({ every: 63, reason: 'epoch' });
    // A small batch on a large set: ⌈4n/(3B)⌉ can come before the epoch only when an epoch has < 3 steps… so epochs rule.
    const big = loadExperiment({ ...JSON.parse(readFileSync(new URL('../examples/mnist-mlp.json', import.meta.url), 'utf8')), evalEvery: 7 });
    expect(resolveEvalEvery(big)).toEqual({ every: 7, reason: 'set' });
  });

  it('every preset evaluates f at every step (their claims read losses[k] as f(θₖ))', async () => {
    const { presets } = await import('../src/ui/presets');
    const built = presets().filter((p) => p.ok);
    expect(built.length).toBeGreaterThan(5);
    for (const p of built) if (p.ok) expect([p.slug, resolveEvalEvery(p.config).every]).toEqual([p.slug, 1]);
  });

  it('the config refuses an evalEvery that is not a positive integer or "auto", and keeps old configs unchanged', () => {
    const base = { version: 1, problem: { kind: 'function', name: 'rosenbrock' }, runs: [{ algorithm: 'sgd' }] };
    for (const bad of [0, -3, 2.5, 'every', null, 2_000_000]) {
      const r = parseExperiment({ ...base, evalEvery: bad });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors[0]).toMatch(/^evalEvery: evalEvery must be .*in \[1, 1000000\] or "auto"/);
    }
    const old = parseExperiment(base);
    expect(old.ok && 'evalEvery' in old.config).toBe(false);
    expect(parseExperiment({ ...base, evalEvery: 'auto' })).toMatchObject({ ok: true, config: { evalEvery: 'auto' } });
  });
});

/** The every-step result's series at `steps`. */
const at = (series: number[], steps: number[]) => steps.map((t) => series[t]);

function expectSameAtEvaluated(every: ExperimentResult, sparse: ExperimentResult, k: number, steps: number): void {
  const want = [...Array.from({ length: Math.floor(steps / k) + 1 }, (_, j) => j * k), ...(steps % k ? [steps] : [])];
  expect(sparse.evalEvery).toBe(k);
  expect(every.evalEvery).toBeUndefined();
  sparse.runs.forEach((r, i) => {
    expect(every.runs[i].lossSteps).toBeUndefined();
    expect(r.status).toBe('done');
    expect(r.lossSteps).toEqual(want);
    expect(r.losses).toEqual(at(every.runs[i].losses, want));
    if (every.runs[i].testLosses) expect(r.testLosses).toEqual(at(every.runs[i].testLosses, want));
    else expect(r.testLosses).toBeUndefined();
    expect(r.steps).toBe(steps);
  });
}

describe('the fold with evalEvery k', () => {
  for (const [engine, run, steps] of [
    ['cpu engine', runFusedExperiment, 23],
    ['tfjs', runExperiment, 11],
  ] as const) {
    it(`${engine}: f at steps 0, k, 2k, … and the last equals the every-step fold's (mini-batch and full batch)`, () => {
      for (const batchSize of [16, null]) {
        const full = run(moons({ batchSize, steps }));
        const sparse = run(moons({ batchSize, steps, evalEvery: 5 }));
        expectSameAtEvaluated(full, sparse, 5, steps);
      }
    });
  }

  it('NMF (the fused NMF engine, whose f pass feeds the next update) and 2-D functions: the same f at the evaluated steps', () => {
    const nmf = (evalEvery?: number) =>
      loadExperiment({
        version: 1,
        problem: { kind: 'nmf', beta: 1, rank: 3, data: { kind: 'spectrogram', bins: 24, frames: 32 } },
        runs: [{ algorithm: 'nmf-mm' }, { algorithm: 'nmf-mu' }],
        steps: 13,
        ...(evalEvery ? { evalEvery } : {}),
      });
    expectSameAtEvaluated(runFusedNMFExperiment(nmf(), { threads: 1 }), runFusedNMFExperiment(nmf(3), { threads: 1 }), 3, 13);
    const fn = (evalEvery?: number) =>
      loadExperiment({ version: 1, problem: { kind: 'function', name: 'rosenbrock' }, runs: [{ algorithm: 'adam', hyper: { lr: 0.01 } }, { algorithm: 'mm-curvature' }], steps: 13, ...(evalEvery ? { evalEvery } : {}) });
    const a = runFusedExperiment(fn());
    const b = runFusedExperiment(fn(3));
    b.runs.forEach((r, i) => expect(r.losses).toEqual(r.lossSteps!.map((t) => a.runs[i].losses[t])));
  });

  it('a non-finite f stops the run at the next evaluation (divergedAt = that step)', () => {
    const cfg = (evalEvery?: number) =>
      loadExperiment({
        version: 1,
        problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 96 }, hidden: [6], loss: 'mse', batchSize: 16 },
        runs: [{ algorithm: 'sgd', hyper: { lr: 100 } }],
        steps: 40,
        ...(evalEvery ? { evalEvery } : {}),
      });
    const every = runFusedExperiment(cfg()).runs[0];
    expect(every.status).toBe('diverged');
    const t = every.divergedAt!;
    const sparse = runFusedExperiment(cfg(6)).runs[0];
    expect(sparse.status).toBe('diverged');
    expect(sparse.divergedAt).toBe(6 * Math.ceil(t / 6));
    expect(sparse.lossSteps!.at(-1)).toBe(sparse.divergedAt);
    expect(sparse.message).toMatch(new RegExp(`^diverged at step ${sparse.divergedAt}`));
  });

  it('accuracy is measured at evaluated steps (its interval a multiple of k)', () => {
    const cfg = loadExperiment({
      version: 1,
      problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 96 }, hidden: [6], batchSize: 16 },
      runs: [{ algorithm: 'adam' }],
      steps: 23,
      evalEvery: 4,
    });
    const r = runFusedExperiment(cfg, { accuracyEvery: 3 }).runs[0];
    expect(r.accuracySteps).toEqual([0, 4, 8, 12, 16, 20, 23]);
  });
});
