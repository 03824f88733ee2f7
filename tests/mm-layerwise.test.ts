/** Layer-wise (block) MM: sweeps, per-layer constants, both orders, and the one-layer case. */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Fold, flat, problemFrom } from './mm-helpers';

describe('mm-layerwise', () => {
  it('with one layer it is exactly mm-lipschitz (one block = all parameters)', () => {
    const prob = problemFrom({ data: { kind: 'dataset', name: 'circles', n: 80 }, hidden: [], loss: 'bce', l2: 1e-3 }, 5);
    const a = new Fold(prob, 'mm-layerwise');
    const b = new Fold(prob, 'mm-lipschitz');
    for (let k = 0; k < 40; k++) {
      a.step();
      b.step();
      expect(flat(a.params)).toEqual(flat(b.params));
      expect(a.info.L1).toBe(b.info.L);
    }
    a.dispose();
    b.dispose();
    prob.dispose();
  });

  it('keeps one constant per layer, moves every layer once per sweep, and both orders are monotone', () => {
    const prob = problemFrom({ data: { kind: 'dataset', name: 'moons', n: 96 }, hidden: [5, 4], loss: 'bce' }, 6);
    const finals: number[] = [];
    for (const order of ['output-first', 'input-first'] as const) {
      const run = new Fold(prob, 'mm-layerwise', { order });
      const start = flat(run.params);
      let prev = run.loss();
      for (let k = 0; k < 150; k++) {
        const before = run.params.map((p) => Array.from(p.dataSync()));
        run.step();
        const f = run.loss();
        expect(run.info.lossBefore).toBe(prev);
        expect(run.info.lossAfter).toBe(f);
        expect(f).toBeLessThanOrEqual(prev * (1 + 1e-5) + 1e-6);
        prev = f;
        if (k === 0) {
          // Every layer's (W, b) moved in the first sweep.
          run.params.forEach((p, i) => expect(Array.from(p.dataSync()), `param ${i}`).not.toEqual(before[i]));
          expect(Object.keys(run.info).filter((key) => /^L\d$/.test(key)).sort()).toEqual(['L1', 'L2', 'L3']);
        }
      }
      const state = run.state as { L: number[]; shrink: boolean[] };
      expect(state.L).toHaveLength(3);
      state.L.forEach((L, l) => expect(L).toBe(run.info[`L${l + 1}`]));
      expect(flat(run.params)).not.toEqual(start);
      finals.push(prev);
      run.dispose();
    }
    // The two orders are different algorithms (different trajectories).
    expect(finals[0]).not.toBe(finals[1]);
    prob.dispose();
  });

  it('model() is the first block of the sweep: its path moves that layer only', () => {
    const prob = problemFrom({ data: { kind: 'dataset', name: 'xor', n: 64 }, hidden: [4], loss: 'bce' }, 7);
    for (const [order, layer] of [['output-first', 1], ['input-first', 0]] as const) {
      const run = new Fold(prob, 'mm-layerwise', { order });
      run.step();
      const m = run.alg.model(prob.full, run.params, run.state, run.hyper);
      expect(m.certified).toBe(true);
      expect(m.formula).toContain(`layer ${layer + 1} only`);
      const end = m.path!(1);
      end.forEach((p, i) => {
        const moved = Array.from(p.dataSync()).some((v, j) => v !== run.params[i].dataSync()[j]);
        expect(moved, `param ${i}`).toBe(Math.floor(i / 2) === layer);
      });
      expect(m.value(end)).toBeLessThanOrEqual(m.value(run.params));
      tf.dispose(end);
      m.dispose();
      run.dispose();
    }
    prob.dispose();
  });
});
