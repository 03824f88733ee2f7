/**
 * RMSprop — torch.optim.RMSprop (PyTorch ≥ 1.13, single-tensor path):
 *   g ← ∇f + wd·θ;  v ← αv + (1 − α)g²;  centered: ḡ ← αḡ + (1 − α)g, avg = √(v − ḡ²) + eps, else avg = √v + eps;
 *   μ > 0: b ← μ·b + g/avg, θ ← θ − lr·b;  else θ ← θ − lr·g/avg.  No bias correction (v starts at 0).
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { Algorithm, Params } from '../types';
import { num, quadraticModel, valueAndGrads } from './common';

export const rmspropHyper = z
  .object({
    lr: z.number().gt(0, 'lr must be > 0').lte(100, 'lr must be ≤ 100').default(1e-2),
    alpha: z.number().min(0, 'alpha must be in [0, 1)').lt(1, 'alpha must be in [0, 1)').default(0.99),
    eps: z.number().gt(0, 'eps must be > 0').lte(1, 'eps must be ≤ 1').default(1e-8),
    weight_decay: z.number().min(0, 'weight_decay must be ≥ 0').max(10, 'weight_decay must be ≤ 10').default(0),
    momentum: z.number().min(0, 'momentum must be in [0, 1)').lt(1, 'momentum must be in [0, 1)').default(0),
    centered: z.boolean().default(false),
  })
  .strict();
export type RMSpropHyper = z.infer<typeof rmspropHyper>;

// A type alias, not an interface: tf.TensorContainer needs the implicit index signature.
export type RMSpropState = {
  /** Steps taken. */
  t: number;
  /** Running mean of g² (square_avg). */
  v: tf.Tensor[];
  /** Running mean of g (grad_avg); empty unless centered. */
  gavg: tf.Tensor[];
  /** Momentum buffers (momentum_buffer); empty unless momentum > 0. */
  buf: tf.Tensor[];
};

/** v′, ḡ′ and avg = √(v′ − ḡ′²) + eps (or √v′ + eps) for one parameter after incorporating g. */
function moments(state: RMSpropState, i: number, p: tf.Tensor, g: tf.Tensor, h: RMSpropHyper) {
  const v = tf.add(tf.mul(state.v[i] ?? tf.zerosLike(p), h.alpha), tf.mul(tf.mul(g, g), 1 - h.alpha));
  let gavg: tf.Tensor | null = null;
  let avg: tf.Tensor;
  if (h.centered) {
    gavg = tf.add(tf.mul(state.gavg[i] ?? tf.zerosLike(p), h.alpha), tf.mul(g, 1 - h.alpha));
    avg = tf.sqrt(tf.sub(v, tf.mul(gavg, gavg)));
  } else avg = tf.sqrt(v);
  return { v, gavg, avg: tf.add(avg, h.eps) };
}

export const rmsprop: Algorithm<RMSpropHyper, RMSpropState> = {
  id: 'rmsprop',
  label: 'RMSprop',
  family: 'gradient',
  problems: ['mlp'],
  hyper: rmspropHyper,
  summary:
    'RMSprop: divides the gradient by the root of a running mean of its square (optionally centred by the running mean of the gradient), with optional momentum, exactly as torch.optim.RMSprop.',
  formula: String.raw`v_k = \alpha v_{k-1} + (1-\alpha) g_k^2,\quad b_k = \mu b_{k-1} + \frac{g_k}{\sqrt{v_k - \bar g_k^2} + \epsilon},\quad \theta_{k+1} = \theta_k - \eta\, b_k,\quad g_k = \nabla f(\theta_k) + \lambda\theta_k`,
  init: (params, h) =>
    tf.tidy(() => ({
      t: 0,
      v: params.map((p) => tf.zerosLike(p)),
      gavg: h.centered ? params.map((p) => tf.zerosLike(p)) : [],
      buf: h.momentum > 0 ? params.map((p) => tf.zerosLike(p)) : [],
    })),
  step(obj, params, state, h) {
    return tf.tidy(() => {
      const { grads } = valueAndGrads(obj, params);
      const next: Params = [];
      const v: tf.Tensor[] = [];
      const gavg: tf.Tensor[] = [];
      const buf: tf.Tensor[] = [];
      params.forEach((p, i) => {
        let g = grads[i];
        if (h.weight_decay !== 0) g = tf.add(g, tf.mul(p, h.weight_decay));
        const mo = moments(state, i, p, g, h);
        v.push(mo.v);
        if (mo.gavg) gavg.push(mo.gavg);
        if (h.momentum > 0) {
          const b = tf.add(tf.mul(state.buf[i] ?? tf.zerosLike(p), h.momentum), tf.div(g, mo.avg));
          buf.push(b);
          next.push(tf.add(p, tf.mul(b, -h.lr)));
        } else next.push(tf.add(p, tf.mul(tf.div(g, mo.avg), -h.lr)));
      });
      return { params: next, state: { t: state.t + 1, v, gavg, buf }, info: {} };
    });
  },
  /** Implied model: diagonal quadratic with c = avg′/lr, whose minimiser is the momentum-free next step. */
  model(obj, params, state, h) {
    const parts = tf.tidy(() => {
      const { value, grads } = valueAndGrads(obj, params);
      const g: tf.Tensor[] = [];
      const c: tf.Tensor[] = [];
      params.forEach((p, i) => {
        const gi = h.weight_decay !== 0 ? tf.add(grads[i], tf.mul(p, h.weight_decay)) : grads[i];
        g.push(gi);
        c.push(tf.div(moments(state, i, p, gi, h).avg, h.lr));
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
        formula: 'f(θₖ) + g·Δ + ½ Σ c⊙Δ², g = ∇f + wd·θₖ, c = (√(v′ − ḡ′²) + eps)/lr, v′ = αv + (1−α)g² (momentum-free RMSprop step)',
      });
    } finally {
      tf.dispose([parts.value, ...parts.g, ...parts.c]);
    }
  },
};
