/**
 * The true risk f and an algorithm's model g(·|θₖ) on the same points, on any engine (the surrogate
 * view of the lab and the MM tests):
 *  - surrogateSlice: along θ(t) = θₖ + t·(θₖ₊₁ − θₖ) (or the surrogate's own path), t ∈ [−0.5, 1.5];
 *  - surrogatePlane: on a 2-D grid through θₖ spanned by the step and a second, seeded random direction.
 * θₖ₊₁ comes from `alg.step` at (θₖ, state) — steps are pure, so the run is untouched — and every Vec
 * made here is freed (on tfjs these helpers leave `tf.memory().numTensors` as they found it).
 */
import type { AnyEngineAlgorithm, VecSurrogate } from '../engine/algorithm';
import type { ParamTensor } from '../engine/problem';
import type { StepContext, Vec } from '../engine/types';
import { Rng } from '../rng';

export type Certificate = 'global' | 'step' | 'none';

/** Where a run stands: the step's context (engine ops and objective), the algorithm and its point. */
export interface ModelPoint {
  c: StepContext;
  alg: AnyEngineAlgorithm;
  theta: Vec;
  state: object;
  hyper: object;
  /** θ's parameter tensors (the random direction moves a tensor only where the step moves it). */
  layout: readonly Pick<ParamTensor, 'offset' | 'size'>[];
  /** Frees what `old` holds that `next` does not (EngineProblem.releaseReplaced). */
  release(old: unknown, next: unknown): void;
}

export interface SliceOptions {
  /** Number of t values (default 41). */
  points?: number;
  tMin?: number;
  tMax?: number;
  /** A point violates majorization when g < f − tol (default 1e-5·max(1, |f(θₖ)|): float32 noise). */
  tol?: number;
}

export interface SurrogateSlice {
  t: number[];
  f: number[];
  /** g(θ(t)|θₖ); +Infinity where a block surrogate is not defined (off its block). */
  g: number[];
  certified: boolean;
  /** 'global' majorizer, certificate at the 'step' only, or 'none' (an implied model). */
  certificate: Certificate;
  /** The t where g < f − tol. */
  violations: number[];
  tol: number;
  fCurrent: number;
  gCurrent: number;
  /** f and g at t = 1 (the step's point on the path). */
  fNext: number;
  gNext: number;
  /** ‖θ(1) − θₖ‖. */
  stepNorm: number;
  /** The surrogate's own far point on its path (e.g. an equalization point), when it names one. */
  stepT?: number;
  formula: string;
}

export interface PlaneOptions {
  /** Grid points per axis (default 21). */
  points?: number;
  /** Range of the step coordinate a (default [−0.5, 1.5]) and of the second coordinate b (default [−1, 1]). */
  aRange?: [number, number];
  bRange?: [number, number];
  /** Seed of the second direction (default 1). */
  seed?: number;
  tol?: number;
}

export interface SurrogatePlane {
  a: number[];
  b: number[];
  /** f[i][j] and g[i][j] at θₖ + a[j]·d₁ + b[i]·d₂. */
  f: number[][];
  g: number[][];
  certified: boolean;
  certificate: Certificate;
  /** Number of grid points with g < f − tol. */
  violations: number;
  tol: number;
  /** ‖d₁‖ = ‖d₂‖ (d₁ the step, d₂ the random direction). */
  scale: number;
  formula: string;
}

export const certificateOf = (s: Pick<VecSurrogate, 'certified' | 'scope'>): Certificate => (s.certified ? (s.scope ?? 'global') : 'none');

export function linspace(lo: number, hi: number, n: number): number[] {
  return n <= 1 ? [lo] : Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/** θₖ₊₁ − θₖ of one step at the point (a new Vec; the run's θ and state are not touched). */
export function stepDelta(p: ModelPoint): Vec {
  const { ops } = p.c;
  // The step's state may hold Vecs kept outside any tidy (e.g. a gradient for the next step).
  const out = ops.tidy(() => {
    const o = p.alg.step(p.c, p.theta, p.state, p.hyper);
    return { theta: o.theta, state: o.state };
  });
  try {
    return ops.tidy(() => ops.sub(out.theta, p.theta));
  } finally {
    p.release(out, { theta: p.theta, state: p.state });
  }
}

/** The model and the curve θ(t) it is compared on; dispose() frees both. */
function modelAndPath(p: ModelPoint): { model: VecSurrogate; path: (t: number) => Vec; dispose(): void } {
  const { ops } = p.c;
  const model = p.alg.model(p.c, p.theta, p.state, p.hyper);
  if (model.path) return { model, path: model.path, dispose: () => model.dispose() };
  const delta = stepDelta(p);
  return { model, path: (t) => ops.addScaled(p.theta, delta, t), dispose: () => (model.dispose(), ops.dispose(delta)) };
}

/** f and g at θ; θ is freed afterwards when `owned`. */
function fg(p: ModelPoint, model: VecSurrogate, theta: Vec, owned: boolean): { f: number; g: number } {
  try {
    return { f: p.c.f.value(theta), g: model.value(theta) };
  } finally {
    if (owned) p.c.ops.dispose(theta);
  }
}

const norm = (p: ModelPoint, v: Vec): number => Math.sqrt(p.c.ops.sumSquares(v));

/** f and g(·|θₖ) along the step (or the surrogate's path) for t ∈ [tMin, tMax]. */
export function surrogateSlice(p: ModelPoint, opts: SliceOptions = {}): SurrogateSlice {
  const { ops } = p.c;
  const { model, path, dispose } = modelAndPath(p);
  try {
    const at = (t: number) => fg(p, model, ops.tidy(() => path(t)), true);
    const cur = at(0);
    const nxt = at(1);
    const stepNorm = ops.tidy(() => norm(p, ops.sub(path(1), p.theta)));
    const tol = opts.tol ?? 1e-5 * Math.max(1, Math.abs(cur.f));
    const ts = linspace(opts.tMin ?? -0.5, opts.tMax ?? 1.5, opts.points ?? 41);
    const f: number[] = [];
    const g: number[] = [];
    const violations: number[] = [];
    for (const t of ts) {
      const v = at(t);
      f.push(v.f);
      g.push(v.g);
      if (v.g < v.f - tol) violations.push(t);
    }
    return {
      t: ts,
      f,
      g,
      certified: model.certified,
      certificate: certificateOf(model),
      violations,
      tol,
      fCurrent: cur.f,
      gCurrent: cur.g,
      fNext: nxt.f,
      gNext: nxt.g,
      stepNorm,
      ...(model.stepT !== undefined ? { stepT: model.stepT } : {}),
      formula: model.formula,
    };
  } finally {
    dispose();
  }
}

/**
 * A seeded Gaussian direction on the parameter tensors that `support` moves (a block step gets a
 * second direction inside its block, where its surrogate is finite), orthogonal to `support`. The
 * normals are drawn tensor by tensor in θ's layout order (all of them, moving or not).
 */
export function randomDirection(p: Pick<ModelPoint, 'theta' | 'layout'> & { c: Pick<StepContext, 'ops'> }, seed: number, support: Vec | null): Vec {
  const rng = new Rng(seed);
  const total = p.layout.reduce((s, t) => s + t.size, 0);
  const r = new Float64Array(total);
  for (let i = 0; i < total; i++) r[i] = Math.fround(rng.normal());
  if (support) {
    const s = p.c.ops.toArray(support);
    for (const t of p.layout) {
      let moves = false;
      for (let i = t.offset; i < t.offset + t.size && !moves; i++) moves = s[i] !== 0;
      if (!moves) r.fill(0, t.offset, t.offset + t.size);
    }
    let ss = 0;
    let sr = 0;
    for (let i = 0; i < total; i++) {
      ss += s[i] * s[i];
      sr += s[i] * r[i];
    }
    if (ss > 0) for (let i = 0; i < total; i++) r[i] -= s[i] * (sr / ss);
  }
  return p.c.ops.fromArray(p.theta, r);
}

/** f and g on a grid through θₖ spanned by the step d₁ and a random direction d₂ ⟂ d₁, ‖d₂‖ = ‖d₁‖. */
export function surrogatePlane(p: ModelPoint, opts: PlaneOptions = {}): SurrogatePlane {
  const { ops } = p.c;
  const { model, path, dispose } = modelAndPath(p);
  const owned: Vec[] = [];
  try {
    let d1 = ops.tidy(() => ops.sub(path(1), p.theta));
    owned.push(d1);
    let scale = norm(p, d1);
    if (!(scale > 0)) {
      // No step (at a stationary point or a refused step): two random directions of a small size.
      scale = 1e-2 * Math.max(1, norm(p, p.theta));
      const r = randomDirection(p, (opts.seed ?? 1) + 7919, null);
      d1 = ops.scale(r, scale / norm(p, r));
      ops.dispose(r);
      owned.push(d1);
    }
    const r = randomDirection(p, opts.seed ?? 1, d1);
    const rn = norm(p, r);
    const d2 = rn > 0 ? ops.scale(r, scale / rn) : ops.fill(r, 0);
    ops.dispose(r);
    owned.push(d2);
    const n = opts.points ?? 21;
    const [a0, a1] = opts.aRange ?? [-0.5, 1.5];
    const [b0, b1] = opts.bRange ?? [-1, 1];
    const a = linspace(a0, a1, n);
    const b = linspace(b0, b1, n);
    const tol = opts.tol ?? 1e-5 * Math.max(1, Math.abs(p.c.f.value(p.theta)));
    const F: number[][] = [];
    const G: number[][] = [];
    let violations = 0;
    for (const bi of b) {
      const fr: number[] = [];
      const gr: number[] = [];
      for (const aj of a) {
        const v = fg(p, model, ops.tidy(() => ops.add(p.theta, ops.axpby(d1, aj, d2, bi))), true);
        fr.push(v.f);
        gr.push(v.g);
        if (v.g < v.f - tol) violations++;
      }
      F.push(fr);
      G.push(gr);
    }
    return { a, b, f: F, g: G, certified: model.certified, certificate: certificateOf(model), violations, tol, scale, formula: model.formula };
  } finally {
    ops.dispose(owned);
    dispose();
  }
}
