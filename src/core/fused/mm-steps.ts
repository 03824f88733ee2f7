/**
 * The Lipschitz-quadratic MM algorithms on the fused engine: mm-lipschitz (one block, all of θ) and
 * mm-layerwise (a sweep of per-layer blocks), with the semantics of src/core/algorithms/mm-lipschitz.ts,
 * mm-layerwise.ts and mm-shared.ts's lipschitzSearch:
 *
 *   g(θ|θₖ) = f(θₖ) + g_B·Δ_B + (L/2)‖Δ_B‖²  on the block B, minimised at θ_B − g_B/L;
 *   L from L_{k−1}/decrease (L_{k−1} itself after a decrease below f's float32 rounding), doubled until
 *   f(θₖ − g_B/L) ≤ f(θₖ) − ‖g_B‖²/(2L) (+ fSlack(f(θₖ))), at most maxBacktracks times,
 *
 * so f(θₖ₊₁) ≤ g(θₖ₊₁|θₖ) ≤ g(θₖ|θₖ) = f(θₖ) at every accepted step. Values of f are compared as float32
 * numbers (Math.fround), and candidates are rounded as tfjs rounds θ − g·(1/L), so the acceptance tests
 * are those of the tfjs versions up to the float32 rounding of f and ∇f themselves.
 */
import type { MMLayerwiseHyper } from '../algorithms/mm-layerwise';
import type { MMLipschitzHyper } from '../algorithms/mm-lipschitz';
import { fSlack } from '../algorithms/mm-shared';
import type { FusedData, FusedNet } from './mlp-net';

const f32 = Math.fround;
const L_MIN = 1e-10;

/** The MM part of a fused run's state: L and the shrink flag per block (one block for mm-lipschitz). */
export interface FusedMMState {
  L: number[];
  shrink: boolean[];
}

/** What an MM step needs from its run: θ (float32 and its float64 mirror), ∇f and f at θ, the objective. */
export interface MMContext {
  net: FusedNet;
  data: FusedData;
  rows: Int32Array | null;
  theta: Float32Array;
  theta64: Float64Array;
  /** ∇f(θ) on the step's objective (overwritten by block sweeps). */
  grad: Float64Array;
  /** f(θ) on the step's objective. */
  f0: number;
  /** Scratch, the length of θ. */
  cand64: Float64Array;
}

/** Half-open index range [start, end) of θ. */
export interface Block {
  start: number;
  end: number;
}

/** Step info, as the tfjs versions report it (numbers, and `accepted`). */
export type MMInfo = Record<string, number | boolean>;

interface SearchResult {
  gradNorm2: number;
  L: number;
  accepted: boolean;
  backtracks: number;
  strict: boolean;
  fNext: number;
}

/**
 * Backtracked Lipschitz search on `block` at θ (f0, grad at θ); on acceptance θ (and its mirror) move
 * to θ_B − g_B/L. A non-finite f at a candidate counts as a failure (L doubles).
 */
function blockSearch(ctx: MMContext, block: Block, Lstart: number, maxBacktracks: number): SearchResult {
  const { theta, theta64, grad, cand64 } = ctx;
  const f0 = f32(ctx.f0);
  let gradNorm2 = 0;
  for (let i = block.start; i < block.end; i++) {
    const g = f32(grad[i]);
    gradNorm2 += g * g;
  }
  gradNorm2 = f32(gradNorm2);
  if (!Number.isFinite(f0) || !Number.isFinite(gradNorm2)) return { gradNorm2, L: Lstart, accepted: false, backtracks: 0, strict: false, fNext: f0 };
  if (gradNorm2 === 0) return { gradNorm2, L: Lstart, accepted: true, backtracks: 0, strict: false, fNext: f0 };
  cand64.set(theta64);
  let L = Lstart;
  for (let b = 0; b <= maxBacktracks; b++) {
    const inv = f32(1 / L);
    for (let i = block.start; i < block.end; i++) cand64[i] = f32(theta[i] - f32(f32(grad[i]) * inv));
    const fc = f32(ctx.net.evaluate(cand64, ctx.data, ctx.rows, true));
    const bound = f0 - gradNorm2 / (2 * L);
    if (Number.isFinite(fc) && fc <= bound + fSlack(f0)) {
      for (let i = block.start; i < block.end; i++) theta64[i] = theta[i] = cand64[i];
      return { gradNorm2, L, accepted: true, backtracks: b, strict: fc <= bound, fNext: fc };
    }
    if (b < maxBacktracks) L *= 2;
  }
  return { gradNorm2, L, accepted: false, backtracks: maxBacktracks, strict: false, fNext: f0 };
}

function startL(s: FusedMMState, l: number, decrease: number): number {
  return Math.max(L_MIN, s.shrink[l] ? s.L[l] / decrease : s.L[l]);
}

/** One mm-lipschitz step in place (θ, state); returns its info. */
export function lipschitzStep(ctx: MMContext, s: FusedMMState, h: MMLipschitzHyper): MMInfo {
  const r = blockSearch(ctx, { start: 0, end: ctx.theta.length }, startL(s, 0, h.decrease), h.maxBacktracks);
  s.L[0] = r.L;
  s.shrink[0] = r.strict;
  return { lossBefore: f32(ctx.f0), lossAfter: r.fNext, L: r.L, backtracks: r.backtracks, accepted: r.accepted, gradNorm: Math.sqrt(r.gradNorm2) };
}

/** The layer blocks [W_l, b_l] of θ, in the sweep order of `order`. */
export function layerBlocks(sizes: number[], order: MMLayerwiseHyper['order']): { layer: number; block: Block }[] {
  const blocks: { layer: number; block: Block }[] = [];
  let o = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const size = sizes[l] * sizes[l + 1] + sizes[l + 1];
    blocks.push({ layer: l, block: { start: o, end: o + size } });
    o += size;
  }
  return order === 'input-first' ? blocks : blocks.reverse();
}

/**
 * One mm-layerwise sweep in place. The first block uses ctx's f0 and ∇f; each later block re-evaluates
 * f and ∇f at the current θ (the earlier blocks moved it), on the same objective.
 */
export function layerwiseStep(ctx: MMContext, s: FusedMMState, h: MMLayerwiseHyper): MMInfo {
  const info: MMInfo = {};
  let backtracks = 0;
  let accepted = true;
  let first = true;
  for (const { layer, block } of layerBlocks(ctx.net.spec.sizes, h.order)) {
    if (!first) ctx.f0 = ctx.net.evaluate(ctx.theta64, ctx.data, ctx.rows, true, ctx.grad);
    const r = blockSearch(ctx, block, startL(s, layer, h.decrease), h.maxBacktracks);
    if (first) info.lossBefore = f32(ctx.f0);
    first = false;
    backtracks += r.backtracks;
    accepted &&= r.accepted;
    s.L[layer] = r.L;
    s.shrink[layer] = r.strict;
    info[`L${layer + 1}`] = r.L;
    info.lossAfter = r.accepted ? r.fNext : f32(ctx.f0);
  }
  return { ...info, backtracks, accepted };
}

/**
 * mm-lipschitz's optional seed: |λ_max| of the Hessian of f (full training objective) at θ by power
 * iteration on central-difference Hessian-vector products (∇f(θ + εv) − ∇f(θ − εv))/(2ε),
 * ε = 1e-3(1 + ‖θ‖)/‖v‖, from the same xorshift32 start vector as mm-shared.ts's powerIteration.
 */
export function powerIterationSeed(net: FusedNet, data: FusedData, theta: Float32Array, iterations: number, seed = 1): number {
  const n = theta.length;
  let state = seed >>> 0 || 1;
  const rand = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) / 4294967296) * 2 - 1;
  };
  const v = Float64Array.from({ length: n }, () => f32(rand()));
  const norm = (a: Float64Array): number => Math.sqrt(a.reduce((s, x) => s + x * x, 0));
  let nv = norm(v);
  for (let i = 0; i < n; i++) v[i] /= nv;
  const pNorm = Math.sqrt(theta.reduce((s, x) => s + x * x, 0));
  const x = new Float64Array(n);
  const gp = new Float64Array(n);
  const gm = new Float64Array(n);
  let lambda = 0;
  for (let k = 0; k < Math.max(1, iterations); k++) {
    nv = norm(v);
    if (nv === 0) return 0;
    const eps = (1e-3 * (1 + pNorm)) / nv;
    for (let i = 0; i < n; i++) x[i] = f32(theta[i] + v[i] * eps);
    net.evaluate(x, data, null, true, gp);
    for (let i = 0; i < n; i++) x[i] = f32(theta[i] - v[i] * eps);
    net.evaluate(x, data, null, true, gm);
    for (let i = 0; i < n; i++) gp[i] = (gp[i] - gm[i]) / (2 * eps);
    const hn = norm(gp);
    lambda = hn;
    if (!(hn > 0) || !Number.isFinite(hn)) break;
    for (let i = 0; i < n; i++) v[i] = gp[i] / hn;
  }
  return lambda;
}
