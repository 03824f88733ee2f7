/**
 * The true risk f and an algorithm's model g(·|θₖ) on the same points, for the charts and the tests:
 *  - surrogateSlice: along θ(t) = θₖ + t·(θₖ₊₁ − θₖ) (or the surrogate's own path), t ∈ [−0.5, 1.5];
 *  - surrogatePlane: on a 2-D grid through θₖ spanned by the step and a second, seeded random direction;
 *  - impliedModelCheck: does the model majorize f along the step, along the top-curvature direction and
 *    along random lines? (For the gradient family: "lr > 1/L: not a majorizer".)
 * θₖ₊₁ comes from `alg.step` on copies of (θₖ, state) — steps are pure — and everything is disposed:
 * these helpers leave `tf.memory().numTensors` as they found it.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from './rng';
import { certificateOf, type AnyAlgorithm, type Objective, type Params, type Surrogate, type SurrogateScope } from './types';

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
  certificate: SurrogateScope | 'none';
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
  formula: string;
}

function collectTensors(x: unknown, out: Set<tf.Tensor>): void {
  if (x instanceof tf.Tensor) out.add(x);
  else if (Array.isArray(x)) x.forEach((v) => collectTensors(v, out));
  else if (x && typeof x === 'object' && !ArrayBuffer.isView(x)) Object.values(x).forEach((v) => collectTensors(v, out));
}

function cloneContainer<T>(x: T): T {
  if (x instanceof tf.Tensor) return x.clone() as T;
  if (Array.isArray(x)) return x.map((v) => cloneContainer(v)) as T;
  if (x && typeof x === 'object' && !ArrayBuffer.isView(x))
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, cloneContainer(v)])) as T;
  return x;
}

/** θₖ₊₁ = alg.step(θₖ) computed on copies; the caller owns the result. */
export function nextParams(obj: Objective, alg: AnyAlgorithm, params: Params, state: tf.TensorContainer, hyper: object): Params {
  const pc = params.map((p) => p.clone());
  const sc = cloneContainer(state);
  const all = new Set<tf.Tensor>();
  try {
    const out = alg.step(obj, pc, sc, hyper);
    const next = out.params.map((p) => p.clone());
    collectTensors(out.params, all);
    collectTensors(out.state, all);
    return next;
  } finally {
    collectTensors(pc, all);
    collectTensors(sc, all);
    all.forEach((t) => t.isDisposed || t.dispose());
  }
}

export function norm(ts: tf.Tensor[]): number {
  return tf.tidy(() => Math.sqrt(tf.addN(ts.map((t) => tf.sum(tf.square(t)))).dataSync()[0]));
}

function lossNumber(obj: Objective, p: Params): number {
  return tf.tidy(() => obj.loss(p).dataSync()[0]);
}

/** The model and the curve θ(t) it is compared on; dispose() frees both. */
function modelAndPath(obj: Objective, alg: AnyAlgorithm, params: Params, state: tf.TensorContainer, hyper: object) {
  const model: Surrogate = alg.model(obj, params, state, hyper);
  let delta: tf.Tensor[] = [];
  let path = model.path;
  if (!path) {
    const next = nextParams(obj, alg, params, state, hyper);
    delta = tf.tidy(() => next.map((x, i) => tf.sub(x, params[i])));
    tf.dispose(next);
    path = (t: number) => tf.tidy(() => params.map((p, i) => tf.add(p, tf.mul(delta[i], t))));
  }
  return { model, path, dispose: () => (model.dispose(), tf.dispose(delta)) };
}

export function evaluate(obj: Objective, model: Surrogate, p: Params): { f: number; g: number } {
  return { f: lossNumber(obj, p), g: model.value(p) };
}

export function linspace(lo: number, hi: number, n: number): number[] {
  return n <= 1 ? [lo] : Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/** f and g(·|θₖ) along the step (or the surrogate's path) for t ∈ [tMin, tMax]. */
export function surrogateSlice(
  obj: Objective,
  alg: AnyAlgorithm,
  params: Params,
  state: tf.TensorContainer,
  hyper: object,
  opts: SliceOptions = {},
): SurrogateSlice {
  const { model, path, dispose } = modelAndPath(obj, alg, params, state, hyper);
  try {
    const at = (t: number) => {
      const p = path(t);
      try {
        return evaluate(obj, model, p);
      } finally {
        tf.dispose(p);
      }
    };
    const cur = at(0);
    const nxt = at(1);
    const p1 = path(1);
    const stepNorm = tf.tidy(() => norm(p1.map((x, i) => tf.sub(x, params[i]))));
    tf.dispose(p1);
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
      formula: model.formula,
    };
  } finally {
    dispose();
  }
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
  certificate: SurrogateScope | 'none';
  /** Number of grid points with g < f − tol. */
  violations: number;
  tol: number;
  /** ‖d₁‖ = ‖d₂‖ (d₁ the step, d₂ the random direction). */
  scale: number;
  formula: string;
}

/**
 * A seeded Gaussian direction on the coordinates that `support` moves (a block step gets a second
 * direction inside its block, where its surrogate is finite), orthogonal to `support`, with its norm.
 */
export function randomDirection(like: tf.Tensor[], seed: number, support: tf.Tensor[] | null): tf.Tensor[] {
  const rng = new Rng(seed);
  return tf.tidy(() => {
    let r = like.map((p, i) => {
      const v = tf.tensor(Float32Array.from({ length: p.size }, () => rng.normal()), p.shape);
      if (!support) return v;
      const moves = tf.max(tf.abs(support[i])).dataSync()[0] > 0;
      return moves ? v : tf.zerosLike(v);
    });
    if (support) {
      const s2 = tf.addN(support.map((s) => tf.sum(tf.square(s)))).dataSync()[0];
      if (s2 > 0) {
        const c = tf.addN(support.map((s, i) => tf.sum(tf.mul(s, r[i])))).dataSync()[0] / s2;
        r = r.map((x, i) => tf.sub(x, tf.mul(support[i], c)));
      }
    }
    return r;
  });
}

/** f and g on a grid through θₖ spanned by the step d₁ and a random direction d₂ ⟂ d₁, ‖d₂‖ = ‖d₁‖. */
export function surrogatePlane(
  obj: Objective,
  alg: AnyAlgorithm,
  params: Params,
  state: tf.TensorContainer,
  hyper: object,
  opts: PlaneOptions = {},
): SurrogatePlane {
  const { model, path, dispose } = modelAndPath(obj, alg, params, state, hyper);
  const owned: tf.Tensor[] = [];
  try {
    const p1 = path(1);
    let d1 = tf.tidy(() => p1.map((x, i) => tf.sub(x, params[i])));
    tf.dispose(p1);
    owned.push(...d1);
    let scale = norm(d1);
    if (!(scale > 0)) {
      // No step (at a stationary point or a refused step): use two random directions of a small size.
      scale = 1e-2 * Math.max(1, norm(params));
      const r = randomDirection(params, (opts.seed ?? 1) + 7919, null);
      const rn = norm(r);
      d1 = tf.tidy(() => r.map((x) => tf.mul(x, scale / rn)));
      tf.dispose(r);
      owned.push(...d1);
    }
    const r = randomDirection(params, opts.seed ?? 1, d1);
    const rn = norm(r);
    const d2 = tf.tidy(() => r.map((x) => (rn > 0 ? tf.mul(x, scale / rn) : tf.zerosLike(x))));
    tf.dispose(r);
    owned.push(...d2);
    const n = opts.points ?? 21;
    const [a0, a1] = opts.aRange ?? [-0.5, 1.5];
    const [b0, b1] = opts.bRange ?? [-1, 1];
    const a = linspace(a0, a1, n);
    const b = linspace(b0, b1, n);
    const f0 = lossNumber(obj, params);
    const tol = opts.tol ?? 1e-5 * Math.max(1, Math.abs(f0));
    const F: number[][] = [];
    const G: number[][] = [];
    let violations = 0;
    for (const bi of b) {
      const fr: number[] = [];
      const gr: number[] = [];
      for (const aj of a) {
        const p = tf.tidy(() => params.map((x, i) => tf.add(x, tf.add(tf.mul(d1[i], aj), tf.mul(d2[i], bi)))));
        try {
          const v = evaluate(obj, model, p);
          fr.push(v.f);
          gr.push(v.g);
          if (v.g < v.f - tol) violations++;
        } finally {
          tf.dispose(p);
        }
      }
      F.push(fr);
      G.push(gr);
    }
    return { a, b, f: F, g: G, certified: model.certified, certificate: certificateOf(model), violations, tol, scale, formula: model.formula };
  } finally {
    tf.dispose(owned);
    dispose();
  }
}
