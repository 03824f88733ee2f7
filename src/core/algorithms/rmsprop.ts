/**
 * RMSprop — torch.optim.RMSprop (PyTorch ≥ 1.13, single-tensor path):
 *   g ← ∇f + wd·θ;  v ← αv + (1 − α)g²;  centered: ḡ ← αḡ + (1 − α)g, avg = √(v − ḡ²) + eps, else avg = √v + eps;
 *   μ > 0: b ← μ·b + g/avg, θ ← θ − lr·b;  else θ ← θ − lr·g/avg.  No bias correction (v starts at 0).
 */
import type { EngineAlgorithm } from '../engine/algorithm';
import type { StepContext, Vec } from '../engine/types';
import { quadraticModel } from './quadratic';
import { rmspropSpec, type RMSpropHyper } from './rmsprop-spec';

export type RMSpropState = {
  /** Steps taken. */
  t: number;
  /** Running mean of g² (square_avg). */
  v: Vec | null;
  /** Running mean of g (grad_avg); null unless centered. */
  gavg: Vec | null;
  /** Momentum buffer (momentum_buffer); null unless momentum > 0. */
  buf: Vec | null;
};

/** v′, ḡ′ and avg = √(v′ − ḡ′²) + eps (or √v′ + eps) after incorporating g. */
function moments({ ops }: StepContext, theta: Vec, state: RMSpropState, g: Vec, h: RMSpropHyper) {
  const zeros = () => ops.fill(theta, 0);
  const v = ops.axpby(state.v ?? zeros(), h.alpha, ops.mul(g, g), 1 - h.alpha);
  let gavg: Vec | null = null;
  let avg: Vec;
  if (h.centered) {
    gavg = ops.axpby(state.gavg ?? zeros(), h.alpha, g, 1 - h.alpha);
    avg = ops.sqrt(ops.sub(v, ops.mul(gavg, gavg)));
  } else avg = ops.sqrt(v);
  return { v, gavg, avg: ops.addScalar(avg, h.eps) };
}

export const rmsprop: EngineAlgorithm<RMSpropHyper, RMSpropState> = {
  ...rmspropSpec,
  init: ({ ops }, theta, h) => ({
    t: 0,
    v: ops.fill(theta, 0),
    gavg: h.centered ? ops.fill(theta, 0) : null,
    buf: h.momentum > 0 ? ops.fill(theta, 0) : null,
  }),
  step(c, theta, state, h) {
    const { ops } = c;
    let g = c.f.valueAndGrad(theta).grad;
    if (h.weight_decay !== 0) g = ops.addScaled(g, theta, h.weight_decay);
    const mo = moments(c, theta, state, g, h);
    let buf: Vec | null = null;
    let next: Vec;
    if (h.momentum > 0) {
      buf = ops.addScaled(ops.div(g, mo.avg), state.buf ?? ops.fill(theta, 0), h.momentum);
      next = ops.addScaled(theta, buf, -h.lr);
    } else next = ops.addScaled(theta, ops.div(g, mo.avg), -h.lr);
    return { theta: next, state: { t: state.t + 1, v: mo.v, gavg: mo.gavg, buf }, info: {} };
  },
  /** Implied model: diagonal quadratic with c = avg′/lr, whose minimiser is the momentum-free next step. */
  model(c, theta, state, h) {
    const { ops } = c;
    return ops.tidy(() => {
      const { value, grad } = c.f.valueAndGrad(theta);
      const g = h.weight_decay !== 0 ? ops.addScaled(grad, theta, h.weight_decay) : grad;
      return quadraticModel(c, {
        theta,
        grad: g,
        f0: value,
        curvature: ops.divScalar(moments(c, theta, state, g, h).avg, h.lr),
        certified: false,
        formula: 'f(θₖ) + g·Δ + ½ Σ c⊙Δ², g = ∇f + wd·θₖ, c = (√(v′ − ḡ′²) + eps)/lr, v′ = αv + (1−α)g² (momentum-free RMSprop step)',
      });
    });
  },
};
