/**
 * core/sweep.ts and the config's optional `sweep` block: which run a sweep takes, its value grid, the
 * one-run experiment of each point (everything but the swept hyper-parameter as in the experiment),
 * and the messages for what cannot be swept.
 */
import { describe, expect, it } from 'vitest';
import { loadExperiment, parseExperiment } from '../src/core/config';
import { parseSweepValues, planSweep, sweepPoint } from '../src/core/sweep';

const base = {
  version: 1,
  problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 64 }, hidden: [4] },
  runs: [
    { id: 'gd', algorithm: 'sgd', hyper: { lr: 0.1, momentum: 0.5 } },
    { algorithm: 'adam', switches: [{ at: 5, algorithm: 'mm-lipschitz' }] },
  ],
  steps: 10,
};

describe('parseSweepValues', () => {
  it('reads numbers in any JSON-ish notation and true/false', () => {
    expect(parseSweepValues('1e-4, 0.01,1,true,false')).toEqual({ ok: true, value: [1e-4, 0.01, 1, true, false] });
  });
  it('names every entry that is not a number', () => {
    const r = parseSweepValues('0.1,,abc,Infinity');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => /'([^']*)'/.exec(e)![1])).toEqual(['', 'abc', 'Infinity']);
  });
  it('a..b:n is n log-spaced values from a to b, ends exact, inner values to 12 digits', () => {
    expect(parseSweepValues('1e-4..1:5')).toEqual({ ok: true, value: [1e-4, 1e-3, 0.01, 0.1, 1] });
    expect(parseSweepValues('0.001..0.1:3, 0.5')).toEqual({ ok: true, value: [0.001, 0.01, 0.1, 0.5] });
    expect(parseSweepValues('1e-3..1:7')).toEqual({ ok: true, value: [0.001, 0.00316227766017, 0.01, 0.0316227766017, 0.1, 0.316227766017, 1] });
    const bad = parseSweepValues('0..1:3');
    expect(bad.ok || bad.errors).toEqual(["--values: '0..1:3' is a log-spaced grid a..b:n, which needs a, b > 0 and n from 1 to 256"]);
  });
  it('refuses more than 256 points', () => {
    const r = parseSweepValues(Array.from({ length: 257 }, (_, i) => String(i + 1)).join(','));
    expect(r.ok || r.errors[0]).toMatch(/at most 256 points \(got 257\)/);
  });
});

describe('planSweep', () => {
  const config = loadExperiment(base);

  it('one experiment per value: the swept run alone, its hyper-parameter set, its switches kept', () => {
    const r = planSweep(config, { run: 'gd', hyper: 'lr', values: [0.01, 1] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ runIndex: 0, run: 'gd', algorithm: 'sgd', hyper: 'lr', values: [0.01, 1] });
    expect(r.value.points).toHaveLength(2);
    r.value.points.forEach((p, i) => {
      expect(p.runs).toEqual([{ ...config.runs[0], hyper: { ...config.runs[0].hyper, lr: [0.01, 1][i] } }]);
      expect({ ...p, runs: config.runs }).toEqual(config);
      expect(parseExperiment(p)).toEqual({ ok: true, config: p }); // an ordinary experiment
    });
    const adam = planSweep(config, { run: 1, hyper: 'eps', values: [1e-6] });
    expect(adam.ok && adam.value.points[0].runs[0].switches).toEqual(config.runs[1].switches);
  });

  it('finds a run by id, by label or by index, and takes the only run without --run', () => {
    const byLabel = planSweep(config, { run: '2: Adam', hyper: 'lr', values: [0.1] });
    expect(byLabel.ok && byLabel.value.runIndex).toBe(1);
    expect(planSweep(config, { run: '1', hyper: 'lr', values: [0.1] })).toMatchObject({ ok: true, value: { runIndex: 1 } });
    const single = loadExperiment({ ...base, runs: [base.runs[1]] });
    expect(planSweep(single, { hyper: 'lr', values: [0.1] })).toMatchObject({ ok: true, value: { runIndex: 0, run: '1: Adam' } });
  });

  it('refuses out-of-range values with the value and the schema’s reason, every one', () => {
    const r = planSweep(config, { run: 'gd', hyper: 'momentum', values: [0, 1, 0.9, -0.5] });
    expect(r).toEqual({
      ok: false,
      errors: ['momentum = 1 is out of range for SGD: momentum must be in [0, 1)', 'momentum = -0.5 is out of range for SGD: momentum must be in [0, 1)'],
    });
    // a cross-field rule of the schema is checked too: Nesterov needs momentum > 0
    const nest = loadExperiment({ ...base, runs: [{ algorithm: 'sgd', hyper: { momentum: 0.9, nesterov: true } }] });
    expect(planSweep(nest, { hyper: 'momentum', values: [0] })).toEqual({
      ok: false,
      errors: ['momentum = 0 is out of range for SGD: Nesterov momentum requires momentum > 0 and dampening = 0 (as in torch.optim.SGD)'],
    });
  });

  it('refuses an unknown hyper-parameter or run, listing what there is', () => {
    expect(planSweep(config, { run: 'gd', hyper: 'learning_rate', values: [0.1] })).toEqual({
      ok: false,
      errors: ["SGD has no hyper-parameter 'learning_rate' (its hyper-parameters: lr, momentum, dampening, nesterov, weight_decay)"],
    });
    expect(planSweep(config, { run: 'nope', hyper: 'lr', values: [0.1] })).toEqual({
      ok: false,
      errors: ["--run 'nope': no run has this id or index (runs: 0: gd, 1: 2: Adam)"],
    });
  });
});

describe('the config’s sweep block', () => {
  it('is optional, checked strictly, and kept out of each point', () => {
    const withBlock = parseExperiment({ ...base, sweep: { run: 'gd', hyper: 'lr', values: [0.1, 1] } });
    expect(withBlock.ok && withBlock.config.sweep).toEqual({ run: 'gd', hyper: 'lr', values: [0.1, 1] });
    if (withBlock.ok) {
      const plan = planSweep(withBlock.config, withBlock.config.sweep!);
      expect(plan.ok && plan.value.points.every((p) => !('sweep' in p))).toBe(true);
    }
    const bad = parseExperiment({ ...base, sweep: { hyper: 'lr', values: [], grid: 3 } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.join('\n')).toMatch(/sweep.values: sweep.values must not be empty[\s\S]*Unrecognized key: "grid"/);
  });
});

describe('sweepPoint', () => {
  it('summarises a one-run result: the last f, the series, status and divergence', () => {
    const p = sweepPoint(0.5, {
      backend: 'js-fused',
      steps: 3,
      runs: [{ id: 'a', algorithm: 'sgd', status: 'diverged', losses: [1, 2, NaN], divergedAt: 2, switches: [], steps: 2, wallMs: 1, stepsPerSec: 2000 }],
    });
    expect(p).toEqual({ value: 0.5, finalLoss: NaN, losses: [1, 2, NaN], status: 'diverged', divergedAt: 2, steps: 2, wallMs: 1, stepsPerSec: 2000 });
  });
});
