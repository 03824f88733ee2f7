/**
 * Layer-wise (block) MM: one step is a sweep over the layers (output-first or input-first). For layer l
 * the surrogate majorizes f in θ_l = (W_l, b_l) alone, the other layers held at their current values:
 *   g_l(θ|θ⁽ˡ⁾) = f(θ⁽ˡ⁾) + ∇_l f·Δ_l + (L_l/2)‖Δ_l‖²  (+∞ if any other layer moves),
 * with its own backtracked constant L_l (kept per layer in the state, the search starting from
 * L_l/decrease, as in mm-lipschitz), minimised at θ_l − ∇_l f/L_l. Each block step satisfies the MM invariant
 * f(θ⁽ˡ⁺¹⁾) ≤ g_l(θ⁽ˡ⁺¹⁾) ≤ f(θ⁽ˡ⁾), so the sweep is monotone by construction.
 *
 * `model()` returns the surrogate of the sweep's first block at θₖ (the last layer for 'output-first'),
 * with `path` along that block step: a sweep is a chain of MM steps, each with its own surrogate
 * around a different point, not one function of θ.
 */
import type { EngineAlgorithm, StepInfo } from '../engine/algorithm';
import { lipschitzSearch } from './lipschitz';
import { blockQuadraticModel } from './quadratic';
import { mmLayerwiseSpec, type MMLayerwiseHyper } from './mm-layerwise-spec';

export type MMLayerwiseState = {
  t: number;
  /** L_l per layer (input layer first), as accepted at the last sweep. */
  L: number[];
  /**
   * Whether layer l's next search starts from L_l/decrease (false before its first step — it starts
   * from L0 — and after a decrease below f's float32 resolution, see LipschitzSearch.strict).
   */
  shrink: boolean[];
};

const L_MIN = 1e-10;

function layerOrder(nLayers: number, order: MMLayerwiseHyper['order']): number[] {
  const up = Array.from({ length: nLayers }, (_, l) => l);
  return order === 'input-first' ? up : up.reverse();
}

function startL(state: MMLayerwiseState, l: number, h: MMLayerwiseHyper): number {
  return Math.max(L_MIN, state.shrink[l] ? state.L[l] / h.decrease : state.L[l]);
}

export const mmLayerwise: EngineAlgorithm<MMLayerwiseHyper, MMLayerwiseState> = {
  ...mmLayerwiseSpec,
  init(c, _theta, h) {
    const n = c.f.blocks;
    return { t: 0, L: new Array(n).fill(h.L0), shrink: new Array(n).fill(false) };
  },
  step(c, theta, state, h) {
    let cur = theta;
    const L = state.L.slice();
    const shrink = state.shrink.slice();
    const info: StepInfo = {};
    let backtracks = 0;
    let accepted = true;
    for (const l of layerOrder(c.f.blocks, h.order)) {
      const s = lipschitzSearch(c, cur, l, startL(state, l, h), h.maxBacktracks);
      if (info.lossBefore === undefined) info.lossBefore = s.f0;
      backtracks += s.backtracks;
      accepted &&= s.accepted;
      L[l] = s.L;
      shrink[l] = s.strict;
      info[`L${l + 1}`] = s.L;
      if (s.next) cur = s.next;
      info.lossAfter = s.next ? s.fNext : s.f0;
    }
    // A fresh Vec even when no layer moved, so the result never aliases the input.
    return { theta: c.ops.clone(cur), state: { t: state.t + 1, L, shrink }, info: { ...info, backtracks, accepted } };
  },
  model(c, theta, state, h) {
    const l = layerOrder(c.f.blocks, h.order)[0];
    return c.ops.tidy(() => {
      const s = lipschitzSearch(c, theta, l, startL(state, l, h), h.maxBacktracks);
      return blockQuadraticModel(c, {
        theta,
        block: l,
        grad: s.grad,
        f0: s.f0,
        L: s.L,
        certified: s.accepted,
        scope: 'step',
        formula:
          `g_${l + 1}(θ|θₖ) = f(θₖ) + ∇_${l + 1}f·Δ_${l + 1} + (L_${l + 1}/2)‖Δ_${l + 1}‖² (layer ${l + 1} only, +∞ if another layer moves), ` +
          `L_${l + 1} = ${s.L.toPrecision(4)}; the first block of the sweep, certified at its accepted point`,
      });
    });
  },
};
