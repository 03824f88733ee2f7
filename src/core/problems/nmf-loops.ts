/**
 * The per-entry loops of the fused β-NMF kernels (./nmf-kernels.ts registers them as tfjs kernels on the
 * cpu and wasm backends): plain typed arrays, float64 per entry, one rounding to float32.
 */
/** np.finfo(np.float32).eps — scikit-learn's EPSILON (also exported by problems/nmf.ts). */
export const EPSILON = 2 ** -23;
/** np.finfo(np.float64).eps. */
export const EPS64 = 2 ** -52;

// The per-entry loops (plain typed arrays; exported for tests)

/**
 * Q and D of the multiplicative update, per entry of WH (r×c) and V: writes Q into out[0, len) and,
 * unless β = 1, D into out[len, 2·len). (One small function per case: V8 optimises each loop alone.)
 */
export function weightsLoop(out: Float32Array, WH: Float32Array, V: Float32Array, beta: number): void {
  if (beta === 1) weightsKL(out, WH, V);
  else if (beta === 0) weightsIS(out, WH, V);
  else weightsBeta(out, WH, V, beta);
}

function weightsKL(out: Float32Array, WH: Float32Array, V: Float32Array): void {
  const len = WH.length;
  for (let i = 0; i < len; i++) {
    const w = WH[i];
    out[i] = V[i] / (w === 0 ? EPSILON : w);
  }
}

function weightsIS(out: Float32Array, WH: Float32Array, V: Float32Array): void {
  // r ≤ 1/(smallest float32 denormal) ≈ 7e44: r² is finite in float64, so V = 0 gives Q = 0 with no guard
  const len = WH.length;
  for (let i = 0; i < len; i++) {
    const w = WH[i];
    const r = 1 / (w === 0 ? EPSILON : w);
    out[i] = V[i] * r * r;
    out[len + i] = r;
  }
}

function weightsBeta(out: Float32Array, WH: Float32Array, V: Float32Array, beta: number): void {
  const len = WH.length;
  const a = beta - 2;
  const b = beta - 1;
  for (let i = 0; i < len; i++) {
    const w = WH[i];
    const v = V[i];
    if (beta < 2) {
      const wn = w === 0 ? EPSILON : w;
      out[i] = v > 0 ? v * Math.pow(wn, a) : 0;
      out[len + i] = Math.pow(beta < 1 ? wn : w, b);
    } else {
      out[i] = v * Math.pow(w, a);
      out[len + i] = Math.pow(w, b);
    }
  }
}

/** Where an operand's entry (i, j) lives: off + i·si + j·sj. */
export type Strides = readonly [off: number, si: number, sj: number];

export function updateLoop(
  out: Float32Array,
  X: Float32Array,
  N: Float32Array,
  ns: Strides,
  D: Float32Array,
  ds: Strides,
  rows: number,
  cols: number,
  e: number,
  zeroTiny: boolean,
  dZeroToOne: boolean,
): void {
  const [no, nsi, nsj] = ns;
  const [dof, dsi, dsj] = ds;
  for (let i = 0; i < rows; i++) {
    let nk = no + i * nsi;
    let dk = dof + i * dsi;
    const base = i * cols;
    for (let j = 0; j < cols; j++, nk += nsj, dk += dsj) {
      let d = D[dk];
      if (dZeroToOne && d === 0) d = 1;
      let R = N[nk] / (d === 0 ? EPSILON : d);
      if (e !== 1) R = Math.pow(R, e);
      const x = X[base + j] * R;
      out[base + j] = zeroTiny && x < EPS64 ? 0 : x;
    }
  }
}

/**
 * Σ d_β(v | wh) with sklearn's conventions (problems/nmf.ts, betaDivergence), in float64, where the
 * O(1) terms that cancel when the fit is good lose ~1e-16/r² relative (r = log(wh/v)), not float32's
 * ~1e-7/r². β = 0 needs Σ log x only: it takes the log of running products (renormalised far from
 * overflow), one Math.log per ~300 entries instead of one per entry.
 */
export function divergenceLoop(WH: Float32Array, V: Float32Array, mask: Float32Array, beta: number): number {
  if (beta === 2) return divergenceEuclid(WH, V);
  if (beta === 0) return divergenceIS(WH, V, mask);
  if (beta === 1) return divergenceKL(WH, V, mask);
  return divergenceBeta(WH, V, mask, beta);
}

function divergenceEuclid(WH: Float32Array, V: Float32Array): number {
  const len = WH.length;
  let s = 0;
  for (let i = 0; i < len; i++) {
    const d = V[i] - WH[i];
    s += d * d;
  }
  return 0.5 * s;
}

/** Σ_{V>ε} (x − log x − 1) − #{V ≤ ε}, x = v/wh' (wh' = wh with 0 → EPSILON). */
function divergenceIS(WH: Float32Array, V: Float32Array, mask: Float32Array): number {
  const len = WH.length;
  let s = 0;
  let logs = 0;
  let p = 1;
  for (let i = 0; i < len; i++) {
    if (mask[i] === 0) continue;
    const w = WH[i];
    const x = V[i] / (w === 0 ? EPSILON : w);
    s += x;
    p *= x;
    if (!(p < 1e150 && p > 1e-150)) {
      logs += Math.log(p);
      p = 1;
    }
  }
  return s - (logs + Math.log(p)) - len;
}

/** Σ_{V>ε} v·(x − 1 − log x) + (wh − wh') + Σ_{V≤ε} wh, x = wh'/v. */
function divergenceKL(WH: Float32Array, V: Float32Array, mask: Float32Array): number {
  const len = WH.length;
  let s = 0;
  for (let i = 0; i < len; i++) {
    const w = WH[i];
    if (mask[i] === 0) {
      s += w;
      continue;
    }
    const v = V[i];
    const we = w === 0 ? EPSILON : w;
    const x = we / v;
    s += v * (x - 1 - Math.log(x)) + (w - we);
  }
  return s;
}

/** [Σ_{V>ε} (v^β − β·v·wh'^{β−1}) + (β − 1)·Σ_all wh^β] / (β(β − 1)). */
function divergenceBeta(WH: Float32Array, V: Float32Array, mask: Float32Array, beta: number): number {
  const len = WH.length;
  const c = 1 / (beta * (beta - 1));
  let s = 0;
  for (let i = 0; i < len; i++) {
    const w = WH[i];
    const wb = Math.pow(w, beta);
    if (mask[i] === 0) {
      s += (beta - 1) * wb * c;
      continue;
    }
    const v = V[i];
    const we = w === 0 ? EPSILON : w;
    s += (Math.pow(v, beta) + (beta - 1) * wb - beta * v * Math.pow(we, beta - 1)) * c;
  }
  return s;
}
