import { describe, expect, it } from 'vitest';
import { loadExperiment, parseExperiment, ConfigError, mlpSizes } from '../src/core/config';

const base = {
  version: 1,
  problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 64 } },
  runs: [{ algorithm: 'sgd', hyper: { lr: 0.1 } }],
};

function errorsOf(input: unknown): string[] {
  const r = parseExperiment(input);
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.errors;
}

describe('experiment config', () => {
  it('fills defaults, including torch defaults of the hyper-parameters', () => {
    const c = loadExperiment(base);
    expect(c.seeds).toEqual({ data: 1, init: 2, batch: 3 });
    expect(c.steps).toBe(200);
    expect(c.runs[0].hyper).toEqual({ lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weight_decay: 0 });
    expect(c.problem.kind === 'mlp' && c.problem.hidden).toEqual([8, 8]);
    if (c.problem.kind === 'mlp') expect(mlpSizes(c.problem)).toEqual([2, 8, 8, 1]);
  });

  it('names the field and the reason for out-of-range hyper-parameters', () => {
    expect(errorsOf({ ...base, runs: [{ algorithm: 'sgd', hyper: { lr: -1 } }] })).toEqual(['runs[0].hyper.lr: lr must be > 0']);
    expect(errorsOf({ ...base, runs: [{ algorithm: 'sgd', hyper: { lr: Number.NaN } }] })[0]).toMatch(/^runs\[0\]\.hyper\.lr: /);
    expect(errorsOf({ ...base, runs: [{ algorithm: 'sgd', hyper: { momentum: 1.5 } }] })[0]).toBe('runs[0].hyper.momentum: momentum must be in [0, 1)');
    expect(errorsOf({ ...base, runs: [{ algorithm: 'sgd', hyper: { nesterov: true } }] })[0]).toMatch(/runs\[0\]\.hyper\.nesterov: Nesterov momentum requires momentum > 0/);
    expect(errorsOf({ ...base, runs: [{ algorithm: 'sgd', hyper: { learning_rate: 1 } }] })[0]).toMatch(/runs\[0\]\.hyper: .*learning_rate/);
  });

  it('rejects unknown algorithms and lists the known ones', () => {
    const [e] = errorsOf({ ...base, runs: [{ algorithm: 'lbfgs' }] });
    expect(e).toMatch(/^runs\[0\]\.algorithm: unknown algorithm 'lbfgs' \(one of .*sgd/);
  });

  it('rejects structural problems with the path', () => {
    expect(errorsOf({ ...base, version: 2 })).toEqual(['version: version must be 1']);
    expect(errorsOf({ ...base, runs: [] })).toEqual(['runs: at least one run is needed']);
    expect(errorsOf({ ...base, problem: { kind: 'mlp', hidden: [8, 1000] } })).toEqual(['problem.hidden[1]: hidden width must be in [1, 256]']);
    expect(errorsOf({ ...base, problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 1e9 } } })[0]).toBe('problem.data.n: n must be in [8, 20000]');
    expect(errorsOf({ ...base, problem: { kind: 'svm' } })[0]).toMatch(/^problem\.kind: /);
    expect(errorsOf({ ...base, steps: 1.5 })).toEqual(['steps: steps must be an integer']);
    expect(errorsOf(null)[0]).toMatch(/expected object/i);
    expect(errorsOf('hello')[0]).toMatch(/expected object/i);
  });

  it('checks explicit data and initial weights against the network shape', () => {
    const explicit = {
      ...base,
      problem: {
        kind: 'mlp',
        data: { kind: 'explicit', X: [[0, 1], [1, 0]], y: [0, 1, 1] },
        hidden: [2],
        init: [{ W: [[1, 2]], b: [0, 0] }],
      },
    };
    const errors = errorsOf(explicit);
    expect(errors).toContain('problem.data.y: has 3 entries but X has 2 rows');
    expect(errors).toContain('problem.init: expected 2 layers for sizes [2, 2, 1], got 1');
    expect(errorsOf({ ...explicit, problem: { ...explicit.problem, data: { kind: 'explicit', X: [[0, 1], [1]], y: [0, 1] } } })).toContain(
      'problem.data.X: X rows must all have the same length',
    );
  });

  it('refuses a classification loss on a regression dataset', () => {
    expect(errorsOf({ ...base, problem: { kind: 'mlp', data: { kind: 'dataset', name: 'sine' } } })).toEqual([
      "problem.loss: 'bce' needs a classification dataset; 'sine' is regression (use mse)",
    ]);
  });

  it('refuses binary cross-entropy on a multi-class dataset (its labels 2, 3, … would give a meaningless, negative loss)', () => {
    expect(errorsOf({ ...base, problem: { kind: 'mlp', data: { kind: 'dataset', name: 'spiral' } } })).toEqual([
      "problem.loss: binary cross-entropy needs 2 classes; 'spiral' has 3 (use softmax_ce, or classes: 2)",
    ]);
    expect(parseExperiment({ ...base, problem: { kind: 'mlp', data: { kind: 'dataset', name: 'gaussians', classes: 2 } } }).ok).toBe(true);
    expect(parseExperiment({ ...base, problem: { kind: 'mlp', data: { kind: 'dataset', name: 'spiral' }, loss: 'softmax_ce' } }).ok).toBe(true);
  });

  it('validates hyper-parameters of scheduled switches', () => {
    const errors = errorsOf({ ...base, runs: [{ algorithm: 'sgd', switches: [{ at: 5, algorithm: 'sgd', hyper: { lr: 0 } }] }] });
    expect(errors).toEqual(['runs[0].switches[0].hyper.lr: lr must be > 0']);
  });

  it('throws a ConfigError listing every problem', () => {
    expect(() => loadExperiment({ ...base, runs: [{ algorithm: 'sgd', hyper: { lr: -1, momentum: 2 } }] })).toThrow(ConfigError);
  });
});
