/**
 * Small dense linear algebra in float64 on plain arrays, for the MM algorithms' curvature matrices
 * (Böhning's XᵀX/4n, Gauss–Newton's JᵀJ/n) up to a few hundred rows. tfjs is float32 and has no
 * Cholesky; these matrices are small, so solving them in JavaScript is both exact enough and fast
 * (n = 300: n³/3 ≈ 9·10⁶ flops, a few milliseconds). Matrices are row-major Float64Array (n×n).
 */

/**
 * In-place lower Cholesky factor A = LLᵀ of a symmetric matrix (only the lower triangle is read; the
 * strict upper triangle is zeroed). Row-oriented (Cholesky–Crout), L[i][j] = (A[i][j] − Σₖ L[i][k]L[j][k]) / L[j][j]
 * over contiguous row prefixes, two columns j, j+1 at a time against two rows i, i+1 (a 2×2 register
 * tile: four loads feed four multiply-adds). Each entry subtracts its products in order k = 0, 1, ….
 */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  let j = 0;
  for (; j + 1 < n; j += 2) {
    const jo = j * n;
    const j1 = jo + n;
    // The 2×2 diagonal block: L[j][j], L[j+1][j], L[j+1][j+1].
    let d0 = a[jo + j];
    let s10 = a[j1 + j];
    let d1 = a[j1 + j + 1];
    for (let k = 0; k < j; k++) {
      const x = a[jo + k];
      const y = a[j1 + k];
      d0 -= x * x;
      s10 -= y * x;
      d1 -= y * y;
    }
    if (!(d0 > 0) || !Number.isFinite(d0)) return false;
    const l00 = Math.sqrt(d0);
    const l10 = s10 / l00;
    d1 -= l10 * l10;
    if (!(d1 > 0) || !Number.isFinite(d1)) return false;
    const l11 = Math.sqrt(d1);
    a[jo + j] = l00;
    a[j1 + j] = l10;
    a[j1 + j + 1] = l11;
    let i = j + 2;
    for (; i + 1 < n; i += 2) {
      const io = i * n;
      const i1 = io + n;
      let s00 = a[io + j], s01 = a[io + j + 1], s10r = a[i1 + j], s11 = a[i1 + j + 1];
      for (let k = 0; k < j; k++) {
        const x0 = a[io + k], x1 = a[i1 + k];
        const y0 = a[jo + k], y1 = a[j1 + k];
        s00 -= x0 * y0; s01 -= x0 * y1;
        s10r -= x1 * y0; s11 -= x1 * y1;
      }
      const r0 = s00 / l00;
      const r1 = s10r / l00;
      a[io + j] = r0;
      a[i1 + j] = r1;
      a[io + j + 1] = (s01 - r0 * l10) / l11;
      a[i1 + j + 1] = (s11 - r1 * l10) / l11;
    }
    if (i < n) {
      const io = i * n;
      let s0 = a[io + j], s1 = a[io + j + 1];
      for (let k = 0; k < j; k++) {
        const x = a[io + k];
        s0 -= x * a[jo + k];
        s1 -= x * a[j1 + k];
      }
      const r0 = s0 / l00;
      a[io + j] = r0;
      a[io + j + 1] = (s1 - r0 * l10) / l11;
    }
    for (let k = j + 1; k < n; k++) a[jo + k] = 0;
    for (let k = j + 2; k < n; k++) a[j1 + k] = 0;
  }
  if (j < n) {
    // The last column when n is odd.
    const jo = j * n;
    let d = a[jo + j];
    for (let k = 0; k < j; k++) d -= a[jo + k] * a[jo + k];
    if (!(d > 0) || !Number.isFinite(d)) return false;
    a[jo + j] = Math.sqrt(d);
  }
  return true;
}

/**
 * Cholesky factor of a symmetric positive (semi-)definite matrix. When A is singular to working
 * precision, retries with A + δI, δ growing from 1e-12·max|diag| (returned as `jitter`, so a caller that
 * needs a majorizer knows the matrix it factored is A + jitter·I ≽ A). Throws when nothing works
 * (non-finite entries). `out` (n×n, not aliasing `a`) receives the factor instead of a new array.
 */
export function cholesky(a: Float64Array, n: number, out?: Float64Array): { L: Float64Array; jitter: number } {
  if (out === a) throw new Error('cholesky: out must not alias a');
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * n + i]));
  let jitter = 0;
  const L = out ?? new Float64Array(n * n);
  for (let attempt = 0; attempt < 12; attempt++) {
    L.set(a.subarray(0, n * n));
    if (jitter > 0) for (let i = 0; i < n; i++) L[i * n + i] += jitter;
    if (choleskyInPlace(L, n)) return { L, jitter };
    jitter = jitter === 0 ? Math.max(1e-12 * maxDiag, 1e-300) : jitter * 100;
  }
  throw new Error(`cholesky: matrix (${n}×${n}) is not positive definite and has non-finite or huge entries`);
}

/**
 * `cholesky` of scale·G + diag(shift) without forming that matrix: each attempt copies the scaled lower
 * triangle of G (symmetric, n×n; the upper triangle is not read) and the shifted diagonal straight into
 * `out` (n×n, not aliasing G), which choleskyInPlace then factors. Same jitter retries as `cholesky`.
 */
export function choleskyScaledShifted(
  G: Float64Array,
  n: number,
  scale: number,
  shift: ArrayLike<number>,
  out: Float64Array,
): { L: Float64Array; jitter: number } {
  if (out === G) throw new Error('choleskyScaledShifted: out must not alias G');
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(scale * G[i * n + i] + shift[i]));
  let jitter = 0;
  const L = out;
  for (let attempt = 0; attempt < 12; attempt++) {
    for (let i = 0; i < n; i++) {
      const o = i * n;
      for (let j = 0; j < i; j++) L[o + j] = scale * G[o + j];
      L[o + i] = scale * G[o + i] + shift[i] + jitter;
    }
    if (choleskyInPlace(L, n)) return { L, jitter };
    jitter = jitter === 0 ? Math.max(1e-12 * maxDiag, 1e-300) : jitter * 100;
  }
  throw new Error(`cholesky: matrix (${n}×${n}) is not positive definite and has non-finite or huge entries`);
}

/** Solves LLᵀx = b for one right-hand side (b is not modified). */
export function cholSolve(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k];
    y[i] = s / L[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}

/** Solves LLᵀX = B for B with m columns, row-major n×m (returns a new n×m array). */
export function cholSolveMany(L: Float64Array, n: number, B: ArrayLike<number>, m: number): Float64Array {
  const X = new Float64Array(n * m);
  const col = new Float64Array(n);
  for (let j = 0; j < m; j++) {
    for (let i = 0; i < n; i++) col[i] = B[i * m + j];
    const x = cholSolve(L, n, col);
    for (let i = 0; i < n; i++) X[i * m + j] = x[i];
  }
  return X;
}

/** y = A x for a row-major n×n matrix. */
export function matVec(A: ArrayLike<number>, n: number, x: ArrayLike<number>): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += A[i * n + k] * x[k];
    y[i] = s;
  }
  return y;
}

/** Σ aᵢbᵢ in float64. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Aᵀ A for a row-major r×c matrix A (float64 accumulation), returned c×c. */
export function gram(A: ArrayLike<number>, r: number, c: number): Float64Array {
  const G = new Float64Array(c * c);
  for (let i = 0; i < r; i++) {
    const o = i * c;
    for (let p = 0; p < c; p++) {
      const ap = A[o + p];
      if (ap === 0) continue;
      for (let q = 0; q <= p; q++) G[p * c + q] += ap * A[o + q];
    }
  }
  for (let p = 0; p < c; p++) for (let q = 0; q < p; q++) G[q * c + p] = G[p * c + q];
  return G;
}

/**
 * Conjugate gradients for a symmetric positive definite operator: solves A x = b from x = 0.
 * Stops when ‖r‖ ≤ tol·‖b‖ or after maxIter products. Starting from 0, every iterate decreases the
 * quadratic ½xᵀAx − bᵀx monotonically, so a truncated solve is still a descent step of that model.
 */
export function conjugateGradient(
  apply: (v: Float64Array) => Float64Array,
  b: Float64Array,
  maxIter: number,
  tol: number,
): { x: Float64Array; iterations: number; residual: number } {
  const n = b.length;
  const x = new Float64Array(n);
  const r = Float64Array.from(b);
  const p = Float64Array.from(b);
  let rr = dot(r, r);
  const bNorm = Math.sqrt(rr);
  if (bNorm === 0) return { x, iterations: 0, residual: 0 };
  let it = 0;
  while (it < maxIter && Math.sqrt(rr) > tol * bNorm) {
    const Ap = apply(p);
    const pAp = dot(p, Ap);
    if (!(pAp > 0)) break;
    const alpha = rr / pAp;
    for (let i = 0; i < n; i++) {
      x[i] += alpha * p[i];
      r[i] -= alpha * Ap[i];
    }
    const rrNew = dot(r, r);
    const beta = rrNew / rr;
    for (let i = 0; i < n; i++) p[i] = r[i] + beta * p[i];
    rr = rrNew;
    it++;
  }
  return { x, iterations: it, residual: Math.sqrt(rr) / bNorm };
}
