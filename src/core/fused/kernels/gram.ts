/**
 * The cpu engine's float64 Gram kernel for the structured MM algorithms (engines/cpu/mlp-ops.ts:
 * Gauss–Newton's JᵀJ), in AssemblyScript with f64x2 SIMD. Compiled by `npm run kernels`
 * (scripts/build-kernels.mjs) into ./generated/, loaded by engines/cpu/mlp-ops.ts. Float64 products
 * and sums: JᵀJ stays positive semidefinite to float64 rounding (a float32 Gram is indefinite at the
 * 1e-7 level, which the damping λ of Gauss–Newton reaches).
 *
 * syrk64(J, r, ld, G):
 *   G[p, q] += Σ_{i<r} J[i, p]·J[i, q]   for the 4×4 blocks with q-block ≤ p-block (the lower triangle,
 *   diagonal blocks whole), p, q < ld
 * with J row-major r×ld and G row-major ld×ld, both float64, ld a multiple of 4 (pad with zero columns);
 * byte pointers. Each block keeps eight f64x2 accumulators (4 rows × 2 column pairs); each entry adds
 * its products in order i = 0, 1, …, r − 1.
 */
export function syrk64(J: usize, r: usize, ld: usize, G: usize): void {
  const row: usize = ld << 3;
  for (let p: usize = 0; p < ld; p += 4) {
    const g0 = G + p * row;
    const g1 = g0 + row;
    const g2 = g1 + row;
    const g3 = g2 + row;
    for (let q: usize = 0; q <= p; q += 4) {
      const o: usize = q << 3;
      let c00 = v128.load(g0 + o), c01 = v128.load(g0 + o, 16);
      let c10 = v128.load(g1 + o), c11 = v128.load(g1 + o, 16);
      let c20 = v128.load(g2 + o), c21 = v128.load(g2 + o, 16);
      let c30 = v128.load(g3 + o), c31 = v128.load(g3 + o, 16);
      let px = J + (p << 3);
      let py = J + o;
      const end = py + r * row;
      while (py < end) {
        const y0 = v128.load(py);
        const y1 = v128.load(py, 16);
        let x = v128.load64_splat(px);
        c00 = f64x2.add(c00, f64x2.mul(x, y0)); c01 = f64x2.add(c01, f64x2.mul(x, y1));
        x = v128.load64_splat(px, 8);
        c10 = f64x2.add(c10, f64x2.mul(x, y0)); c11 = f64x2.add(c11, f64x2.mul(x, y1));
        x = v128.load64_splat(px, 16);
        c20 = f64x2.add(c20, f64x2.mul(x, y0)); c21 = f64x2.add(c21, f64x2.mul(x, y1));
        x = v128.load64_splat(px, 24);
        c30 = f64x2.add(c30, f64x2.mul(x, y0)); c31 = f64x2.add(c31, f64x2.mul(x, y1));
        px += row;
        py += row;
      }
      v128.store(g0 + o, c00); v128.store(g0 + o, c01, 16);
      v128.store(g1 + o, c10); v128.store(g1 + o, c11, 16);
      v128.store(g2 + o, c20); v128.store(g2 + o, c21, 16);
      v128.store(g3 + o, c30); v128.store(g3 + o, c31, 16);
    }
  }
}
