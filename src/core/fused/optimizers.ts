/**
 * The gradient family as single loops over the flat parameter vector, in exactly the order of
 * operations of the tfjs versions (src/core/algorithms/*.ts, i.e. torch.optim's single-tensor path).
 * Parameters and state are stored in float32 (Float32Array, or Math.fround where a stored value is
 * re-read in the same step), intermediates are float64. `theta64` mirrors `theta` for the kernels.
 *
 * State slots carry the tfjs state's names (buf, m, v, vmax, gavg, sum). A slot the hyper-parameters
 * do not use is dropped (null), and a needed slot that is missing starts from its initial value, as the
 * tfjs versions do with their `state.x[i] ?? zeros` after a switch that kept the state.
 */
import type { AdagradHyper } from '../algorithms/adagrad';
import type { AdamHyper } from '../algorithms/adam';
import type { RMSpropHyper } from '../algorithms/rmsprop';
import type { SGDHyper } from '../algorithms/sgd';
import type { FusedMMState } from './mm-steps';

export const FUSED_OPTIMIZERS = ['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad'] as const;
export type FusedOptimizerId = (typeof FUSED_OPTIMIZERS)[number];

export function isFusedOptimizer(id: string): id is FusedOptimizerId {
  return (FUSED_OPTIMIZERS as readonly string[]).includes(id);
}

export type SlotName = 'buf' | 'm' | 'v' | 'vmax' | 'gavg' | 'sum';

export interface FusedOptState {
  /** Steps taken (torch's state['step']). */
  t: number;
  slots: Partial<Record<SlotName, Float32Array>>;
  /** The MM algorithms' Lipschitz constants and shrink flags (./mm-steps.ts); absent for optimizers. */
  mm?: FusedMMState;
}

// Scalar hyper-parameters enter as float32 too, as they do in torch's float32 kernels and in tfjs
// (tf.mul(x, 0.9) multiplies by fround(0.9)): AdamW's θ(1 − lr·wd), applied at every step, would
// otherwise drift by a relative 2e-8 per step from both.
const f32 = Math.fround;

/** A slot that the current hyper-parameters need: the existing one, or a fresh one filled with `init`. */
function need(s: FusedOptState, name: SlotName, n: number, init = 0): Float32Array {
  let a = s.slots[name];
  if (!a) {
    a = new Float32Array(n);
    if (init !== 0) a.fill(init);
    s.slots[name] = a;
  }
  return a;
}

function drop(s: FusedOptState, name: SlotName): void {
  delete s.slots[name];
}

/** The state `init` gives (tfjs: zeros for the slots the hyper-parameters use). */
export function initOptState(id: FusedOptimizerId, n: number, h: Record<string, unknown>): FusedOptState {
  const s: FusedOptState = { t: 0, slots: {} };
  switch (id) {
    case 'sgd':
      break; // the momentum buffer appears at the first step (torch: buf ← g)
    case 'adam':
    case 'adamw':
      need(s, 'm', n);
      need(s, 'v', n);
      if ((h as AdamHyper).amsgrad) need(s, 'vmax', n);
      break;
    case 'rmsprop':
      need(s, 'v', n);
      if ((h as RMSpropHyper).centered) need(s, 'gavg', n);
      if ((h as RMSpropHyper).momentum > 0) need(s, 'buf', n);
      break;
    case 'adagrad':
      need(s, 'sum', n, f32((h as AdagradHyper).initial_accumulator_value));
      break;
  }
  return s;
}

/** One update in place: θ (float32) and its float64 mirror from the gradient g = ∇f(θ). */
export function optStep(id: FusedOptimizerId, theta: Float32Array, theta64: Float64Array, g: Float64Array, s: FusedOptState, h: Record<string, unknown>): void {
  switch (id) {
    case 'sgd':
      return sgdStep(theta, theta64, g, s, h as SGDHyper);
    case 'adam':
      return adamStep(theta, theta64, g, s, h as AdamHyper, false);
    case 'adamw':
      return adamStep(theta, theta64, g, s, h as AdamHyper, true);
    case 'rmsprop':
      return rmspropStep(theta, theta64, g, s, h as RMSpropHyper);
    case 'adagrad':
      return adagradStep(theta, theta64, g, s, h as AdagradHyper);
  }
}

function sgdStep(theta: Float32Array, theta64: Float64Array, g: Float64Array, s: FusedOptState, h: SGDHyper): void {
  const n = theta.length;
  const lr = f32(h.lr), mu = f32(h.momentum), wd = f32(h.weight_decay), nesterov = h.nesterov;
  if (mu === 0) {
    drop(s, 'buf');
    for (let i = 0; i < n; i++) {
      const p = theta[i];
      const gi = wd !== 0 ? g[i] + wd * p : g[i];
      theta64[i] = theta[i] = f32(p - gi * lr);
    }
  } else {
    const first = !s.slots.buf;
    const buf = need(s, 'buf', n);
    const damp = f32(1 - h.dampening);
    for (let i = 0; i < n; i++) {
      const p = theta[i];
      const gi = f32(wd !== 0 ? g[i] + wd * p : g[i]);
      const b = first ? gi : f32(buf[i] * mu + gi * damp);
      buf[i] = b;
      theta64[i] = theta[i] = f32(p - (nesterov ? gi + b * mu : b) * lr);
    }
  }
  s.t += 1;
}

function adamStep(theta: Float32Array, theta64: Float64Array, g: Float64Array, s: FusedOptState, h: AdamHyper, decoupled: boolean): void {
  const n = theta.length;
  const t = s.t + 1;
  const beta1 = h.betas[0], beta2 = h.betas[1];
  const stepSize = f32(h.lr / (1 - beta1 ** t));
  const bc2Sqrt = f32(Math.sqrt(1 - beta2 ** t));
  const b1 = f32(beta1), b2 = f32(beta2), c1 = f32(1 - beta1), c2 = f32(1 - beta2);
  const eps = f32(h.eps), wd = f32(h.weight_decay), shrink = f32(1 - h.lr * h.weight_decay);
  const m = need(s, 'm', n);
  const v = need(s, 'v', n);
  if (h.amsgrad) {
    const vmax = need(s, 'vmax', n);
    for (let i = 0; i < n; i++) {
      let p = theta[i];
      let gi = g[i];
      if (decoupled) {
        if (wd !== 0) p = f32(p * shrink);
      } else if (wd !== 0) gi += wd * p;
      const mi = f32(m[i] * b1 + gi * c1);
      const vi = f32(v[i] * b2 + gi * gi * c2);
      const vh = vmax[i] > vi ? vmax[i] : vi;
      m[i] = mi;
      v[i] = vi;
      vmax[i] = vh;
      theta64[i] = theta[i] = f32(p - (mi / (Math.sqrt(vh) / bc2Sqrt + eps)) * stepSize);
    }
  } else {
    drop(s, 'vmax');
    for (let i = 0; i < n; i++) {
      let p = theta[i];
      let gi = g[i];
      if (decoupled) {
        if (wd !== 0) p = f32(p * shrink);
      } else if (wd !== 0) gi += wd * p;
      const mi = f32(m[i] * b1 + gi * c1);
      const vi = f32(v[i] * b2 + gi * gi * c2);
      m[i] = mi;
      v[i] = vi;
      theta64[i] = theta[i] = f32(p - (mi / (Math.sqrt(vi) / bc2Sqrt + eps)) * stepSize);
    }
  }
  s.t = t;
}

function rmspropStep(theta: Float32Array, theta64: Float64Array, g: Float64Array, s: FusedOptState, h: RMSpropHyper): void {
  const n = theta.length;
  const lr = f32(h.lr), alpha = f32(h.alpha), eps = f32(h.eps), wd = f32(h.weight_decay), mu = f32(h.momentum);
  const centered = h.centered;
  const c = f32(1 - h.alpha);
  const v = need(s, 'v', n);
  const gavg = centered ? need(s, 'gavg', n) : null;
  if (!centered) drop(s, 'gavg');
  const buf = mu > 0 ? need(s, 'buf', n) : null;
  if (!buf) drop(s, 'buf');
  for (let i = 0; i < n; i++) {
    const p = theta[i];
    const gi = wd !== 0 ? g[i] + wd * p : g[i];
    const vi = f32(v[i] * alpha + gi * gi * c);
    v[i] = vi;
    let avg: number;
    if (gavg) {
      const ga = f32(gavg[i] * alpha + gi * c);
      gavg[i] = ga;
      avg = Math.sqrt(vi - ga * ga) + eps;
    } else avg = Math.sqrt(vi) + eps;
    if (buf) {
      const b = f32(buf[i] * mu + gi / avg);
      buf[i] = b;
      theta64[i] = theta[i] = f32(p - b * lr);
    } else theta64[i] = theta[i] = f32(p - (gi / avg) * lr);
  }
  s.t += 1;
}

function adagradStep(theta: Float32Array, theta64: Float64Array, g: Float64Array, s: FusedOptState, h: AdagradHyper): void {
  const n = theta.length;
  const t = s.t + 1;
  const clr = f32(h.lr / (1 + (t - 1) * h.lr_decay));
  const eps = f32(h.eps), wd = f32(h.weight_decay);
  const sum = need(s, 'sum', n, f32(h.initial_accumulator_value));
  for (let i = 0; i < n; i++) {
    const p = theta[i];
    const gi = wd !== 0 ? g[i] + wd * p : g[i];
    const si = f32(sum[i] + gi * gi);
    sum[i] = si;
    theta64[i] = theta[i] = f32(p - (gi / (Math.sqrt(si) + eps)) * clr);
  }
  s.t = t;
}
