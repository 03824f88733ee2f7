/**
 * Adam — torch.optim.Adam (PyTorch ≥ 1.13, single-tensor path), with L2 weight decay and AMSGrad:
 *   t ← t + 1;  g ← ∇f + wd·θ;  m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  v̂ ← max(v̂, v) (AMSGrad, else v̂ = v);
 *   denom = √v̂ / √(1 − β₂ᵗ) + eps  (eps after the bias correction);  θ ← θ − lr/(1 − β₁ᵗ) · m/denom.
 * AdamW (adamw.ts) shares the update through `adamUpdate` with decoupled decay instead of L2.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { Algorithm, Objective, Params, Surrogate } from '../types';
import { num, quadraticModel, valueAndGrads } from './common';

const beta = (name: string, d: number) =>
  z.number().min(0, `${name} must be in [0, 1)`).lt(1, `${name} must be in [0, 1)`).default(d);

/** Adam's and AdamW's hyper-parameters (torch's names); only weight_decay's default differs. */
export const adamFamilyHyper = (weightDecayDefault: number) =>
  z
    .object({
      lr: z.number().gt(0, 'lr must be > 0').lte(100, 'lr must be ≤ 100').default(1e-3),
      betas: z
        .tuple([beta('betas[0]', 0.9), beta('betas[1]', 0.999)], { error: 'betas must be a pair [β₁, β₂], each in [0, 1)' })
        .default([0.9, 0.999]),
      eps: z.number().gt(0, 'eps must be > 0').lte(1, 'eps must be ≤ 1').default(1e-8),
      weight_decay: z.number().min(0, 'weight_decay must be ≥ 0').max(10, 'weight_decay must be ≤ 10').default(weightDecayDefault),
      amsgrad: z.boolean().default(false),
    })
    .strict();

export const adamHyper = adamFamilyHyper(0);
export type AdamHyper = z.infer<typeof adamHyper>;

// A type alias, not an interface: tf.TensorContainer needs the implicit index signature.
export type AdamState = {
  /** Steps taken (torch's state['step']). */
  t: number;
  /** First moments m (exp_avg). */
  m: tf.Tensor[];
  /** Second moments v (exp_avg_sq). */
  v: tf.Tensor[];
  /** Running max of v (max_exp_avg_sq); empty unless amsgrad. */
  vmax: tf.Tensor[];
};

export function adamInit(params: Params, h: AdamHyper): AdamState {
  return tf.tidy(() => ({
    t: 0,
    m: params.map((p) => tf.zerosLike(p)),
    v: params.map((p) => tf.zerosLike(p)),
    vmax: h.amsgrad ? params.map((p) => tf.zerosLike(p)) : [],
  }));
}

/** One Adam (decoupled = false) or AdamW (decoupled = true) step, in torch's order of operations. */
export function adamUpdate(obj: Objective, params: Params, state: AdamState, h: AdamHyper, decoupled: boolean) {
  return tf.tidy(() => {
    const { grads } = valueAndGrads(obj, params);
    const t = state.t + 1;
    const [b1, b2] = h.betas;
    const stepSize = h.lr / (1 - b1 ** t);
    const bc2Sqrt = Math.sqrt(1 - b2 ** t);
    const next: Params = [];
    const m: tf.Tensor[] = [];
    const v: tf.Tensor[] = [];
    const vmax: tf.Tensor[] = [];
    params.forEach((p0, i) => {
      let p = p0;
      let g = grads[i];
      if (decoupled) {
        if (h.weight_decay !== 0) p = tf.mul(p, 1 - h.lr * h.weight_decay);
      } else if (h.weight_decay !== 0) g = tf.add(g, tf.mul(p, h.weight_decay));
      // States may be missing after a hyper-parameter change that kept the state (e.g. amsgrad on).
      const mi = tf.add(tf.mul(state.m[i] ?? tf.zerosLike(p), b1), tf.mul(g, 1 - b1));
      const vi = tf.add(tf.mul(state.v[i] ?? tf.zerosLike(p), b2), tf.mul(tf.mul(g, g), 1 - b2));
      let vhat = vi;
      if (h.amsgrad) {
        vhat = tf.maximum(state.vmax[i] ?? tf.zerosLike(p), vi);
        vmax.push(vhat);
      }
      const denom = tf.add(tf.div(tf.sqrt(vhat), bc2Sqrt), h.eps);
      next.push(tf.add(p, tf.mul(tf.div(mi, denom), -stepSize)));
      m.push(mi);
      v.push(vi);
    });
    return { params: next, state: { t, m, v, vmax }, info: {} };
  });
}

/**
 * Implied model: the diagonal quadratic whose minimiser is the next step with the momentum m̂ = m/(1 − β₁ᵗ)
 * replaced by the gradient itself (exactly the first step of Adam, where m̂ = g):
 *   c = (√v̂′/√(1 − β₂ᵗ⁺¹) + eps)/lr, with v′ = β₂v + (1 − β₂)g² the state after this gradient.
 * Adam: g = ∇f + wd·θ. AdamW: the decoupled decay enters as ĝ = ∇f + wd·lr·c⊙θₖ, so argmin = θₖ(1 − lr·wd) − ∇f/c.
 */
export function adamModel(obj: Objective, params: Params, state: AdamState, h: AdamHyper, decoupled: boolean): Surrogate {
  const parts = tf.tidy(() => {
    const { value, grads } = valueAndGrads(obj, params);
    const t = state.t + 1;
    const [, b2] = h.betas;
    const bc2Sqrt = Math.sqrt(1 - b2 ** t);
    const g: tf.Tensor[] = [];
    const c: tf.Tensor[] = [];
    params.forEach((p, i) => {
      let gi = grads[i];
      if (!decoupled && h.weight_decay !== 0) gi = tf.add(gi, tf.mul(p, h.weight_decay));
      let vi = tf.add(tf.mul(state.v[i] ?? tf.zerosLike(p), b2), tf.mul(tf.mul(gi, gi), 1 - b2));
      if (h.amsgrad) vi = tf.maximum(state.vmax[i] ?? tf.zerosLike(p), vi);
      const denom = tf.add(tf.div(tf.sqrt(vi), bc2Sqrt), h.eps);
      if (decoupled && h.weight_decay !== 0) gi = tf.add(gi, tf.mul(tf.mul(denom, p), h.weight_decay));
      g.push(gi);
      c.push(tf.div(denom, h.lr));
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
      formula: decoupled
        ? 'f(θₖ) + ĝ·Δ + ½ Σ c⊙Δ², c = (√v̂′/√(1−β₂ᵗ⁺¹) + eps)/lr, ĝ = ∇f + wd·lr·c⊙θₖ (momentum-free AdamW step)'
        : 'f(θₖ) + g·Δ + ½ Σ c⊙Δ², g = ∇f + wd·θₖ, c = (√v̂′/√(1−β₂ᵗ⁺¹) + eps)/lr (momentum-free Adam step)',
    });
  } finally {
    tf.dispose([parts.value, ...parts.g, ...parts.c]);
  }
}

export const adam: Algorithm<AdamHyper, AdamState> = {
  id: 'adam',
  label: 'Adam',
  family: 'gradient',
  problems: ['mlp'],
  hyper: adamHyper,
  summary:
    'Adam: bias-corrected running means of the gradient and its square give a per-parameter step size; optional L2 weight decay and AMSGrad, exactly as torch.optim.Adam.',
  formula: String.raw`m_k = \beta_1 m_{k-1} + (1-\beta_1) g_k,\quad v_k = \beta_2 v_{k-1} + (1-\beta_2) g_k^2,\quad \theta_{k+1} = \theta_k - \frac{\eta}{1-\beta_1^k}\,\frac{m_k}{\sqrt{v_k}/\sqrt{1-\beta_2^k} + \epsilon},\quad g_k = \nabla f(\theta_k) + \lambda\theta_k`,
  init: (params, h) => adamInit(params, h),
  step: (obj, params, state, h) => adamUpdate(obj, params, state, h, false),
  model: (obj, params, state, h) => adamModel(obj, params, state, h, false),
};
