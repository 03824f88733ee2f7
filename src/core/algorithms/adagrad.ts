/**
 * Adagrad — torch.optim.Adagrad (PyTorch ≥ 1.13, single-tensor path, dense gradients):
 *   t ← t + 1;  g ← ∇f + wd·θ;  clr = lr/(1 + (t − 1)·lr_decay);  s ← s + g²;  θ ← θ − clr·g/(√s + eps),
 *   with s starting at initial_accumulator_value.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { Algorithm, Params } from '../types';
import { num, quadraticModel, valueAndGrads } from './common';

export const adagradHyper = z
  .object({
    lr: z.number().gt(0, 'lr must be > 0').lte(100, 'lr must be ≤ 100').default(1e-2),
    lr_decay: z.number().min(0, 'lr_decay must be ≥ 0').max(10, 'lr_decay must be ≤ 10').default(0),
    weight_decay: z.number().min(0, 'weight_decay must be ≥ 0').max(10, 'weight_decay must be ≤ 10').default(0),
    initial_accumulator_value: z
      .number()
      .min(0, 'initial_accumulator_value must be ≥ 0')
      .max(1e6, 'initial_accumulator_value must be ≤ 1e6')
      .default(0),
    eps: z.number().gt(0, 'eps must be > 0').lte(1, 'eps must be ≤ 1').default(1e-10),
  })
  .strict();
export type AdagradHyper = z.infer<typeof adagradHyper>;

// A type alias, not an interface: tf.TensorContainer needs the implicit index signature.
export type AdagradState = {
  /** Steps taken (torch's state['step']). */
  t: number;
  /** Sums of squared gradients (state['sum']), starting at initial_accumulator_value. */
  sum: tf.Tensor[];
};

export const adagrad: Algorithm<AdagradHyper, AdagradState> = {
  id: 'adagrad',
  label: 'Adagrad',
  family: 'gradient',
  problems: ['mlp'],
  hyper: adagradHyper,
  summary:
    'Adagrad: divides the gradient by the root of the sum of all past squared gradients, with optional learning-rate decay, exactly as torch.optim.Adagrad.',
  formula: String.raw`s_k = s_{k-1} + g_k^2,\quad \theta_{k+1} = \theta_k - \frac{\eta}{1 + (k-1)\,\delta}\,\frac{g_k}{\sqrt{s_k} + \epsilon},\quad g_k = \nabla f(\theta_k) + \lambda\theta_k`,
  init: (params, h) =>
    tf.tidy(() => ({ t: 0, sum: params.map((p) => tf.fill(p.shape, h.initial_accumulator_value)) })),
  step(obj, params, state, h) {
    return tf.tidy(() => {
      const { grads } = valueAndGrads(obj, params);
      const t = state.t + 1;
      const clr = h.lr / (1 + (t - 1) * h.lr_decay);
      const next: Params = [];
      const sum: tf.Tensor[] = [];
      params.forEach((p, i) => {
        let g = grads[i];
        if (h.weight_decay !== 0) g = tf.add(g, tf.mul(p, h.weight_decay));
        const s = tf.add(state.sum[i] ?? tf.fill(p.shape, h.initial_accumulator_value), tf.mul(g, g));
        sum.push(s);
        next.push(tf.add(p, tf.mul(tf.div(g, tf.add(tf.sqrt(s), h.eps)), -clr)));
      });
      return { params: next, state: { t, sum }, info: {} };
    });
  },
  /** Implied model: diagonal quadratic with c = (√s′ + eps)/clr, whose minimiser is exactly the next step. */
  model(obj, params, state, h) {
    const parts = tf.tidy(() => {
      const { value, grads } = valueAndGrads(obj, params);
      const clr = h.lr / (1 + state.t * h.lr_decay);
      const g: tf.Tensor[] = [];
      const c: tf.Tensor[] = [];
      params.forEach((p, i) => {
        const gi = h.weight_decay !== 0 ? tf.add(grads[i], tf.mul(p, h.weight_decay)) : grads[i];
        const s = tf.add(state.sum[i] ?? tf.fill(p.shape, h.initial_accumulator_value), tf.mul(gi, gi));
        g.push(gi);
        c.push(tf.div(tf.add(tf.sqrt(s), h.eps), clr));
      });
      return { value, g, c };
    });
    try {
      return quadraticModel({
        obj,
        params,
        grads: parts.g,
        f0: num(parts.value),
        curvature: parts.c,
        certified: false,
        formula: 'f(θₖ) + g·Δ + ½ Σ c⊙Δ², g = ∇f + wd·θₖ, c = (√(s + g²) + eps)/clr, clr = lr/(1 + t·lr_decay) (the next Adagrad step)',
      });
    } finally {
      tf.dispose([parts.value, ...parts.g, ...parts.c]);
    }
  },
};
