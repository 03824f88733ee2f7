/**
 * Output losses of the fused engine with their gradients, torch's conventions (as problems/mlp.ts):
 *   bce         BCEWithLogitsLoss   max(z,0) − z·y + log(1 + e^{−|z|}), mean over all outputs;
 *               ∂/∂z = σ(z) − y (torch's derivative, also at z = 0)
 *   softmax_ce  CrossEntropyLoss    logsumexp(z) − z_y, mean over examples; ∂/∂z = softmax(z) − onehot(y)
 *   mse         MSELoss             (z − y)², mean over all outputs; ∂/∂z = 2(z − y)
 */
import type { LossName } from '../problems/mlp';
import type { Buf, F64 } from './mlp-kernels';

/**
 * Σ of the per-example losses of the r outputs rows in Z (r×out) whose targets are y[row(i)].
 * When D is given, also writes D = scale·∂loss/∂Z (scale = 1/(number of averaged terms)).
 */
export function lossChunk(
  loss: LossName,
  Z: Buf,
  out: number,
  y: F64,
  rows: Int32Array | null,
  start: number,
  r: number,
  D: Buf | null,
  scale: number,
): number {
  let sum = 0;
  switch (loss) {
    case 'bce':
      for (let i = 0; i < r; i++) {
        const t = y[rows ? rows[start + i] : start + i];
        for (let o = 0; o < out; o++) {
          const z = Z[i * out + o];
          const e = Math.exp(-Math.abs(z));
          sum += (z > 0 ? z : 0) - z * t + Math.log1p(e);
          if (D) D[i * out + o] = scale * ((z >= 0 ? 1 / (1 + e) : e / (1 + e)) - t);
        }
      }
      return sum;
    case 'mse':
      for (let i = 0; i < r; i++) {
        const t = y[rows ? rows[start + i] : start + i];
        for (let o = 0; o < out; o++) {
          const d = Z[i * out + o] - t;
          sum += d * d;
          if (D) D[i * out + o] = scale * 2 * d;
        }
      }
      return sum;
    case 'softmax_ce':
      for (let i = 0; i < r; i++) {
        const label = y[rows ? rows[start + i] : start + i];
        const z0 = i * out;
        let m = -Infinity;
        for (let o = 0; o < out; o++) if (Z[z0 + o] > m) m = Z[z0 + o];
        if (!Number.isFinite(m)) m = 0; // all −∞ or a NaN/+∞: let the arithmetic produce NaN/∞
        let s = 0;
        for (let o = 0; o < out; o++) s += Math.exp(Z[z0 + o] - m);
        sum += m + Math.log(s) - Z[z0 + label];
        if (D) for (let o = 0; o < out; o++) D[z0 + o] = scale * (Math.exp(Z[z0 + o] - m) / s - (o === label ? 1 : 0));
      }
      return sum;
  }
}
