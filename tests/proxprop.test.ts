/**
 * ProxProp (src/core/algorithms/proxprop.ts): registered as a gradient-family method with an
 * uncertified implied model; τ → 0 is gradient descent with lr η·τ; it trains moons; its model is
 * minimised by the step and touches f at θₖ; and the lab's surrogate check flags its non-monotone
 * steps (g < f at the step's point) when η is large.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { getTfjsAlgorithm as getAlgorithm } from '../src/core/engines/tfjs/algorithms';
import { proxprop as proxpropEngine } from '../src/core/algorithms/proxprop';
import { loadExperiment, parseExperiment } from '../src/core/config';
import { runExperiment } from '../src/core/experiment';
import { onTfjs } from '../src/core/engines/tfjs/adapter';
import { surrogateSlice } from '../src/core/surrogate';
import { Fold, problemFrom } from './mm-helpers';

// The algorithm is written once against the engine interface; on tensors it runs through onTfjs.
const proxprop = onTfjs(proxpropEngine);

const moons = { data: { kind: 'dataset', name: 'moons', n: 128, testRatio: 0 }, hidden: [8, 8], activation: 'tanh', loss: 'bce' };

describe('ProxProp', () => {
  it('is registered as a gradient-family method for MLPs, with lr and tau', () => {
    expect((getAlgorithm('proxprop') as typeof proxprop).engineAlgorithm).toBe(proxpropEngine);
    expect(proxprop.family).toBe('gradient');
    expect(proxprop.hyper.parse({})).toEqual({ lr: 1, tau: 10 });
    expect(parseExperiment({ version: 1, problem: { kind: 'mlp', ...moons }, runs: [{ algorithm: 'proxprop', hyper: { tau: 0.5 } }] }).ok).toBe(true);
    const bad = parseExperiment({ version: 1, problem: { kind: 'mlp' }, runs: [{ algorithm: 'proxprop', hyper: { tau: 0 } }] });
    expect(bad.ok).toBe(false);
    expect(parseExperiment({ version: 1, problem: { kind: 'nmf' }, runs: [{ algorithm: 'proxprop' }] }).ok).toBe(false);
  });

  it('trains moons (2-8-8-1 tanh, full batch): f drops 50× in 200 steps, accuracy ≥ 95%', () => {
    const r = runExperiment(loadExperiment({ version: 1, problem: { kind: 'mlp', ...moons }, runs: [{ algorithm: 'proxprop' }], steps: 200 }));
    const f = r.runs[0].losses;
    expect(r.runs[0].status).toBe('done');
    expect(f[200]).toBeLessThan(f[0] / 50);
    const prob = problemFrom(moons, 1); // the config's default seeds (data 1, init 2)
    const fold = new Fold(prob, 'proxprop');
    for (let k = 0; k < 200; k++) fold.step();
    expect(fold.loss()).toBeCloseTo(f[200], 5);
    expect(tf.tidy(() => prob.accuracy!(fold.params, 'train').dataSync()[0])).toBeGreaterThanOrEqual(0.95);
    fold.dispose();
    prob.dispose();
  });

  it('τ → 0 is gradient descent with lr η·τ (one step, relative difference O(τ))', () => {
    const prob = problemFrom(moons, 4);
    const pp = new Fold(prob, 'proxprop', { lr: 2, tau: 1e-4 });
    const sgd = new Fold(prob, 'sgd', { lr: 2e-4 });
    pp.step();
    sgd.step();
    const p0 = prob.initialParams();
    pp.params.forEach((p, i) => {
      const [dp, ds] = tf.tidy(() => [tf.sub(p, p0[i]), tf.sub(sgd.params[i], p0[i])].map((t) => Array.from(t.dataSync())));
      const scale = Math.max(...ds.map(Math.abs));
      dp.forEach((v, j) => expect(Math.abs(v - ds[j])).toBeLessThanOrEqual(1e-3 * scale + 1e-9));
    });
    tf.dispose(p0);
    pp.dispose();
    sgd.dispose();
    prob.dispose();
  });

  it('its implied model touches f at θₖ, is minimised by the step, and is not certified', () => {
    const prob = problemFrom(moons, 5);
    const fold = new Fold(prob, 'proxprop', { lr: 1, tau: 10 });
    const g = proxprop.model(prob.full, fold.params, fold.state as { t: number }, fold.hyper as { lr: number; tau: number });
    try {
      expect(g.certified).toBe(false);
      expect(g.value(fold.params)).toBeCloseTo(fold.loss(), 6);
      const out = proxprop.step(prob.full, fold.params, { t: 0 }, fold.hyper as { lr: number; tau: number });
      out.params.forEach((p, i) => expect(tf.tidy(() => tf.max(tf.abs(tf.sub(p, g.minimiser![i]))).dataSync()[0])).toBeLessThan(1e-6));
      // minimum along the step: g(θₖ + tΔ) is a parabola with its vertex at t = 1
      const at = (t: number) => {
        const q = tf.tidy(() => fold.params.map((p, i) => tf.add(p, tf.mul(tf.sub(out.params[i], p), t))));
        const v = g.value(q);
        tf.dispose(q);
        return v;
      };
      expect(at(1)).toBeLessThan(at(0.8));
      expect(at(1)).toBeLessThan(at(1.2));
      tf.dispose(out.params);
    } finally {
      g.dispose();
      fold.dispose();
      prob.dispose();
    }
  });

  it('the surrogate check flags a non-monotone step (η = 20): f(θₖ₊₁) > f(θₖ) and g < f at t = 1', () => {
    const prob = problemFrom(moons, 3);
    const fold = new Fold(prob, 'proxprop', { lr: 20, tau: 100 });
    let found = false;
    for (let k = 0; k < 30 && !found; k++) {
      const slice = surrogateSlice(prob.full, proxprop, fold.params, fold.state, fold.hyper);
      if (slice.fNext > slice.fCurrent * (1 + 1e-4)) {
        found = true;
        expect(slice.certified).toBe(false);
        expect(slice.certificate).toBe('none');
        expect(slice.gNext).toBeLessThan(slice.fNext - slice.tol);
        expect(slice.violations).toContain(1);
        expect(slice.gCurrent).toBeCloseTo(slice.fCurrent, 5);
      }
      fold.step();
    }
    expect(found).toBe(true);
    fold.dispose();
    prob.dispose();
  });

  it('tensor count is stable over steps and model use', () => {
    const prob = problemFrom(moons, 6);
    const fold = new Fold(prob, 'proxprop');
    fold.step();
    const before = tf.memory().numTensors;
    for (let k = 0; k < 50; k++) fold.step();
    const g = proxprop.model(prob.full, fold.params, fold.state as { t: number }, fold.hyper as { lr: number; tau: number });
    g.value(fold.params);
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
    fold.dispose();
    prob.dispose();
  });
});
