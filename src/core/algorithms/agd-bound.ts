/** Float64 helpers of AGD's majorizer (agd.ts): the weights' operator norms and the examples' activation norms. */
import { mlpLayout } from '../engine/mlp-ops';

/**
 * ‖W_l‖_* (largest singular value) of each weight matrix of θ (layout order, W_l stored [in, out]
 * row-major), by power iteration on WᵀW in float64 from a fixed start, run to convergence.
 */
export function layerOperatorNorms(theta: ArrayLike<number>, sizes: readonly number[], maxIterations = 500): number[] {
  const { wOff } = mlpLayout(sizes);
  return wOff.map((off, l) => {
    const [rows, cols] = [sizes[l], sizes[l + 1]];
    let v = Float64Array.from({ length: cols }, (_, j) => 1 + ((j * 7919) % 13) / 13);
    const u = new Float64Array(rows);
    let sigma2 = 0;
    for (let it = 0; it < maxIterations; it++) {
      for (let i = 0; i < rows; i++) {
        let s = 0;
        for (let j = 0; j < cols; j++) s += theta[off + i * cols + j] * v[j];
        u[i] = s;
      }
      const w = new Float64Array(cols);
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) w[j] += theta[off + i * cols + j] * u[i];
      const vv = v.reduce((s, x) => s + x * x, 0);
      const next = w.reduce((s, x, j) => s + x * v[j], 0) / vv; // Rayleigh quotient of WᵀW
      const wn = Math.sqrt(w.reduce((s, x) => s + x * x, 0));
      if (!(wn > 0)) return 0;
      v = w.map((x) => x / wn);
      const done = Math.abs(next - sigma2) <= 1e-13 * next;
      sigma2 = next;
      if (done) break;
    }
    return Math.sqrt(sigma2);
  });
}

/** The Euclidean norm of each row of a row-major n×d array. */
export function sampleRowNorms(a: Float64Array, d: number): Float64Array {
  const n = a.length / d;
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += a[k * d + j] ** 2;
    out[k] = Math.sqrt(s);
  }
  return out;
}
