/**
 * The fused engine's WebAssembly SIMD kernels for the MLP (f32x4), in AssemblyScript: the matrix
 * product, and the activations with their derivatives. Compiled by `npm run kernels`
 * (scripts/build-kernels.mjs) into ./generated/, loaded by ../wasm-kernels.ts. Float32 storage and
 * float32 accumulation (as torch's CPU sgemm); sums run over one layer's width or one chunk of rows
 * only. Every kernel is a plain loop over raw addresses in the imported memory (pointers and strides
 * in bytes, compared unsigned); no allocation, no runtime, no static data.
 *
 * Results are tested bit for bit against the plain-JS loops (tests/fused*.test.ts): keep each lane's
 * operations and their order (blocking, accumulation order) when editing.
 */

/**
 * gemm(A, sAm, sAp, B, bias, C, M, P, N, acc):
 *   C[m, j] = (acc ? C[m, j] : bias[j]) + Σ_p A(m, p)·B[p, j]      m < M, j < N, p < P
 * with A(m, p) at byte A + m·sAm + p·sAp (so A may be read transposed), B row-major P×N, C row-major
 * M×N. Blocks of 4 rows × 8 columns (eight f32x4 accumulators), a 4 × 4 block where four columns are
 * left, then the leftover rows four columns at a time, then the leftover columns one at a time; each
 * accumulator adds the products in order p = 0, 1, …, P − 1.
 */
export function gemm(A: usize, sAm: usize, sAp: usize, B: usize, bias: usize, C: usize, M: usize, P: usize, N: usize, acc: i32): void {
  const N8 = N & ~7;
  const N4 = N & ~3;
  const M4 = M & ~3;
  const rowB: usize = N << 2;
  const s1 = sAm;
  const s2 = sAm << 1;
  const s3 = s1 + s2;
  // 4 × 8 blocks
  for (let m: usize = 0; m < M4; m += 4) {
    for (let j: usize = 0; j < N8; j += 8) {
      const cptr = C + m * rowB + (j << 2);
      let pa = A + m * sAm;
      let pb = B + (j << 2);
      const pbEnd = pb + P * rowB;
      let c0: v128, c1: v128, c2: v128, c3: v128, c4: v128, c5: v128, c6: v128, c7: v128;
      if (acc) {
        c0 = v128.load(cptr); c4 = v128.load(cptr, 16);
        c1 = v128.load(cptr + rowB); c5 = v128.load(cptr + rowB, 16);
        c2 = v128.load(cptr + rowB * 2); c6 = v128.load(cptr + rowB * 2, 16);
        c3 = v128.load(cptr + rowB * 3); c7 = v128.load(cptr + rowB * 3, 16);
      } else {
        const b = bias + (j << 2);
        c0 = c1 = c2 = c3 = v128.load(b);
        c4 = c5 = c6 = c7 = v128.load(b, 16);
      }
      if (pb < pbEnd) {
        do {
          const bv = v128.load(pb);
          const bv2 = v128.load(pb, 16);
          let av = v128.load32_splat(pa);
          c0 = f32x4.add(c0, f32x4.mul(av, bv)); c4 = f32x4.add(c4, f32x4.mul(av, bv2));
          av = v128.load32_splat(pa + s1);
          c1 = f32x4.add(c1, f32x4.mul(av, bv)); c5 = f32x4.add(c5, f32x4.mul(av, bv2));
          av = v128.load32_splat(pa + s2);
          c2 = f32x4.add(c2, f32x4.mul(av, bv)); c6 = f32x4.add(c6, f32x4.mul(av, bv2));
          av = v128.load32_splat(pa + s3);
          c3 = f32x4.add(c3, f32x4.mul(av, bv)); c7 = f32x4.add(c7, f32x4.mul(av, bv2));
          pa += sAp;
          pb += rowB;
        } while (pb < pbEnd);
      }
      v128.store(cptr, c0); v128.store(cptr, c4, 16);
      v128.store(cptr + rowB, c1); v128.store(cptr + rowB, c5, 16);
      v128.store(cptr + rowB * 2, c2); v128.store(cptr + rowB * 2, c6, 16);
      v128.store(cptr + rowB * 3, c3); v128.store(cptr + rowB * 3, c7, 16);
    }
  }
  // 4 × 4 blocks where four columns are left
  for (let m: usize = 0; m < M4; m += 4) {
    for (let j: usize = N8; j < N4; j += 4) {
      const cptr = C + m * rowB + (j << 2);
      let pa = A + m * sAm;
      let pb = B + (j << 2);
      const pbEnd = pb + P * rowB;
      let c0: v128, c1: v128, c2: v128, c3: v128;
      if (acc) {
        c0 = v128.load(cptr);
        c1 = v128.load(cptr + rowB);
        c2 = v128.load(cptr + rowB * 2);
        c3 = v128.load(cptr + rowB * 3);
      } else {
        c0 = c1 = c2 = c3 = v128.load(bias + (j << 2));
      }
      if (pb < pbEnd) {
        do {
          const bv = v128.load(pb);
          c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(pa), bv));
          c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(pa + s1), bv));
          c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(pa + s2), bv));
          c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(pa + s3), bv));
          pa += sAp;
          pb += rowB;
        } while (pb < pbEnd);
      }
      v128.store(cptr, c0);
      v128.store(cptr + rowB, c1);
      v128.store(cptr + rowB * 2, c2);
      v128.store(cptr + rowB * 3, c3);
    }
  }
  // leftover rows, four columns at a time
  for (let m: usize = M4; m < M; m++) {
    for (let j: usize = 0; j < N4; j += 4) {
      const cptr = C + m * rowB + (j << 2);
      let pa = A + m * sAm;
      let pb = B + (j << 2);
      const pbEnd = pb + P * rowB;
      let c0 = acc ? v128.load(cptr) : v128.load(bias + (j << 2));
      if (pb < pbEnd) {
        do {
          c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(pa), v128.load(pb)));
          pa += sAp;
          pb += rowB;
        } while (pb < pbEnd);
      }
      v128.store(cptr, c0);
    }
  }
  // leftover columns, one at a time (every row)
  for (let m: usize = 0; m < M; m++) {
    for (let j: usize = N4; j < N; j++) {
      const cptr = C + m * rowB + (j << 2);
      let pa = A + m * sAm;
      let pb = B + (j << 2);
      const pbEnd = pb + P * rowB;
      let sc = acc ? load<f32>(cptr) : load<f32>(bias + (j << 2));
      if (pb < pbEnd) {
        do {
          sc = sc + load<f32>(pa) * load<f32>(pb);
          pa += sAp;
          pb += rowB;
        } while (pb < pbEnd);
      }
      store<f32>(cptr, sc);
    }
  }
}

// Elementwise kernels, in place over float32 arrays whose regions are padded to a multiple of four
// (so they process ⌈len/4⌉ vectors).

/** Byte address just past ⌈len/4⌉ vectors from `ptr`. */
// @ts-ignore: decorator
@inline function vectorsEnd(ptr: usize, len: u32): usize {
  return ptr + (((len + 3) & ~3) << 2);
}

// tanh: mlp-kernels.ts's rational function in float32 SIMD, x clamped to ±T_CLAMP:
//   tanh(x) ≈ x·num(x²) / den(x²), num and den in Horner form.
const T_CLAMP: f32 = 7.90531110763549805;

/** In place: tanh over ⌈len/4⌉·4 floats at byte `ptr`. */
export function tanh(ptr: usize, len: u32): void {
  const end = vectorsEnd(ptr, len);
  if (ptr >= end) return;
  do {
    const x = f32x4.pmin(f32x4.pmax(v128.load(ptr), f32x4.splat(-T_CLAMP)), f32x4.splat(T_CLAMP));
    const x2 = f32x4.mul(x, x);
    // num(x²) = ((−2.76e-16·x² + 2.00e-13)·x² + …) + 4.89e-3
    let num = f32x4.splat(<f32>-2.76076847742355e-16);
    num = f32x4.add(f32x4.mul(num, x2), f32x4.splat(<f32>2.00018790482477e-13));
    num = f32x4.add(f32x4.mul(num, x2), f32x4.splat(<f32>-8.60467152213735e-11));
    num = f32x4.add(f32x4.mul(num, x2), f32x4.splat(<f32>5.12229709037114e-8));
    num = f32x4.add(f32x4.mul(num, x2), f32x4.splat(<f32>1.48572235717979e-5));
    num = f32x4.add(f32x4.mul(num, x2), f32x4.splat(<f32>6.37261928875436e-4));
    num = f32x4.add(f32x4.mul(num, x2), f32x4.splat(<f32>4.89352455891786e-3));
    // den(x²) = ((1.20e-6·x² + 1.19e-4)·x² + 2.27e-3)·x² + 4.89e-3
    let den = f32x4.splat(<f32>1.19825839466702e-6);
    den = f32x4.add(f32x4.mul(den, x2), f32x4.splat(<f32>1.18534705686654e-4));
    den = f32x4.add(f32x4.mul(den, x2), f32x4.splat(<f32>2.268434632439e-3));
    den = f32x4.add(f32x4.mul(den, x2), f32x4.splat(<f32>4.89352518554385e-3));
    v128.store(ptr, f32x4.div(f32x4.mul(num, x), den));
    ptr += 16;
  } while (ptr < end);
}

/** In place: relu(x) = pmax(x, 0) over ⌈len/4⌉·4 floats at byte `ptr` (a NaN passes through). */
export function relu(ptr: usize, len: u32): void {
  const end = vectorsEnd(ptr, len);
  if (ptr >= end) return;
  do {
    v128.store(ptr, f32x4.pmax(v128.load(ptr), f32x4.splat(0)));
    ptr += 16;
  } while (ptr < end);
}

// Backward: D ← D ⊙ act′(A) over ⌈len/4⌉·4 floats, act′ written in terms of the output A; the A
// pointer advances with D.

/** In place: D ← D ⊙ (1 − A²). */
export function dtanh(D: usize, A: usize, len: u32): void {
  const end = vectorsEnd(D, len);
  if (D >= end) return;
  do {
    const a = v128.load(A);
    v128.store(D, f32x4.mul(v128.load(D), f32x4.sub(f32x4.splat(1), f32x4.mul(a, a))));
    A += 16;
    D += 16;
  } while (D < end);
}

/** In place: D ← D where A > 0, else 0 (a bit mask). */
export function drelu(D: usize, A: usize, len: u32): void {
  const end = vectorsEnd(D, len);
  if (D >= end) return;
  do {
    v128.store(D, v128.and(v128.load(D), f32x4.gt(v128.load(A), f32x4.splat(0))));
    A += 16;
    D += 16;
  } while (D < end);
}

/** In place: D ← D ⊙ (A·(1 − A)). */
export function dsigmoid(D: usize, A: usize, len: u32): void {
  const end = vectorsEnd(D, len);
  if (D >= end) return;
  do {
    const a = v128.load(A);
    v128.store(D, f32x4.mul(v128.load(D), f32x4.mul(a, f32x4.sub(f32x4.splat(1), a))));
    A += 16;
    D += 16;
  } while (D < end);
}
