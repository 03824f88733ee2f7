/**
 * SGD with momentum, dampening, Nesterov and weight decay — torch.optim.SGD (PyTorch ≥ 1.13):
 *   g ← ∇f + wd·θ;  if μ ≠ 0: b ← g (first step) else b ← μ·b + (1 − τ)·g;  g ← g + μ·b (Nesterov) or b;
 *   θ ← θ − lr·g.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { Algorithm, Params } from '../types';
import { num, quadraticModel, valueAndGrads } from './common';

export const sgdHyper = z
  .object({
    lr: z.number().gt(0, 'lr must be > 0').lte(100, 'lr must be ≤ 100').default(0.01),
    momentum: z.number().min(0, 'momentum must be in [0, 1)').lt(1, 'momentum must be in [0, 1)').default(0),
    dampening: z.number().min(0, 'dampening must be in [0, 1]').max(1, 'dampening must be in [0, 1]').default(0),
    nesterov: z.boolean().default(false),
    weight_decay: z.number().min(0, 'weight_decay must be ≥ 0').max(10, 'weight_decay must be ≤ 10').default(0),
  })
  .strict()
  .refine((h) => !h.nesterov || (h.momentum > 0 && h.dampening === 0), {
    message: 'Nesterov momentum requires momentum > 0 and dampening = 0 (as in torch.optim.SGD)',
    path: ['nesterov'],
  });
export type SGDHyper = z.infer<typeof sgdHyper>;

// A type alias, not an interface: tf.TensorContainer needs the implicit index signature.
export type SGDState = {
  t: number;
  /** Momentum buffers (empty until the first step when momentum ≠ 0). */
  buf: tf.Tensor[];
};

export const sgd: Algorithm<SGDHyper, SGDState> = {
  id: 'sgd',
  label: 'SGD',
  family: 'gradient',
  problems: ['mlp'],
  hyper: sgdHyper,
  summary: 'Stochastic gradient descent with optional (Nesterov) momentum, exactly as torch.optim.SGD.',
  formula: String.raw`b_k = \mu b_{k-1} + (1-\tau)\,g_k,\quad \theta_{k+1} = \theta_k - \eta\,(g_k + \mu b_k \text{ or } b_k)`,
  init: () => ({ t: 0, buf: [] }),
  step(obj, params, state, h) {
    return tf.tidy(() => {
      const { grads } = valueAndGrads(obj, params);
      const next: Params = [];
      const buf: tf.Tensor[] = [];
      params.forEach((p, i) => {
        let g = grads[i];
        if (h.weight_decay !== 0) g = tf.add(g, tf.mul(p, h.weight_decay));
        if (h.momentum !== 0) {
          const b =
            state.buf.length === 0 ? g.clone() : tf.add(tf.mul(state.buf[i], h.momentum), tf.mul(g, 1 - h.dampening));
          buf.push(b);
          g = h.nesterov ? tf.add(g, tf.mul(b, h.momentum)) : b;
        }
        next.push(tf.sub(p, tf.mul(g, h.lr)));
      });
      return { params: next, state: { t: state.t + 1, buf }, info: {} };
    });
  },
  model(obj, params, _state, h) {
    const { value, g } = tf.tidy(() => {
      const { value, grads } = valueAndGrads(obj, params);
      const g = h.weight_decay === 0 ? grads : grads.map((gi, i) => tf.add(gi, tf.mul(params[i], h.weight_decay)));
      return { value, g };
    });
    try {
      return quadraticModel({
        obj,
        params,
        grads: g,
        f0: num(value),
        curvature: 1 / h.lr,
        certified: false,
        formula: 'f(θₖ) + ∇f(θₖ)·Δ + ‖Δ‖²/(2·lr)',
      });
    } finally {
      tf.dispose([value, ...g]);
    }
  },
};
