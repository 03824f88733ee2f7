import { describe, expect, it } from 'vitest';
import { CONFIG_VERSION, parseExperiment, type ExperimentConfig } from '../src/core/config';
import { changeLabel, distinctLabels, fmtHyper, inEffect } from '../src/ui/hyperDiff';
import { marksFromConfig } from '../src/ui/live';

function config(runs: unknown[]): ExperimentConfig {
  const r = parseExperiment({ version: CONFIG_VERSION, problem: { kind: 'mlp' }, runs, steps: 50 });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.config;
}

describe('hyper-parameter changes as people read them', () => {
  it('formats values compactly', () => {
    expect(fmtHyper(0.003)).toBe('0.003');
    expect(fmtHyper(1e-8)).toBe('1e-8');
    expect(fmtHyper(2.5e-5)).toBe('2.5e-5');
    expect(fmtHyper(100000)).toBe('1e5');
    expect(fmtHyper([0.9, 0.999])).toBe('[0.9, 0.999]');
    expect(fmtHyper(null)).toBe('none');
    expect(fmtHyper(true)).toBe('true');
  });

  it('labels only what changed', () => {
    expect(changeLabel({ lr: 0.01, eps: 1e-8 }, { lr: 0.003, eps: 1e-8 })).toBe('lr 0.01→0.003');
    expect(changeLabel({ a: 1, b: 2, c: 3 }, { a: 2, b: 3, c: 4 })).toBe('a 1→2, b 2→3 +1');
    expect(changeLabel({ lr: 1 }, { lr: 1 })).toBe('same hyper-parameters');
  });

  it('finds what is in effect at a step and builds the chart marks from the config', () => {
    const c = config([
      {
        algorithm: 'adam',
        hyper: { lr: 0.01 },
        switches: [
          { at: 10, algorithm: 'adam', hyper: { lr: 0.003 }, keepState: true },
          { at: 20, algorithm: 'sgd', hyper: { lr: 0.1 } },
        ],
      },
    ]);
    const run = c.runs[0];
    expect(inEffect(run, 9)).toMatchObject({ algorithm: 'adam', hyper: { lr: 0.01 } });
    expect(inEffect(run, 10)).toMatchObject({ algorithm: 'adam', hyper: { lr: 0.003 } });
    expect(inEffect(run, 25)).toMatchObject({ algorithm: 'sgd', hyper: { lr: 0.1 } });
    const marks = marksFromConfig(run);
    expect(marks.map((m) => [m.at, m.from, m.to])).toEqual([
      [10, 'adam', 'adam'],
      [20, 'adam', 'sgd'],
    ]);
    expect(changeLabel(marks[0].fromHyper!, marks[0].hyper!)).toBe('lr 0.01→0.003');
  });

  it('tells apart runs of the same algorithm by their differing hyper-parameters', () => {
    const c = config([
      { algorithm: 'sgd', hyper: { lr: 0.3 } },
      { algorithm: 'sgd', hyper: { lr: 0.34 } },
      { algorithm: 'adam' },
      { id: 'mine', algorithm: 'adam', hyper: { lr: 0.1 } },
    ]);
    expect(distinctLabels(c, ['1: SGD', '2: SGD', '3: Adam', 'mine'])).toEqual(['1: SGD (lr 0.3)', '2: SGD (lr 0.34)', '3: Adam (lr 0.001)', 'mine']);
  });
});
