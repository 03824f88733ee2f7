/**
 * WebAssembly SIMD versions of the per-entry β-NMF loops the fused NMF engine runs most
 * (src/core/problems/nmf-loops.ts), in AssemblyScript; compiled by `npm run kernels` into
 * ./generated/, loaded by ../nmf-wasm-kernels.ts and instantiated over the same memory as the gemm
 * kernels (./mlp.ts). They give the same bits as the JS loops: β = 1's V/WH is one correctly rounded
 * float32 division either way (float64 then float32 rounding is innocuous for ÷), and β = 0's
 * r = 1/WH, V·r·r run in float64 lanes (f64x2) exactly as the JS loop, rounded once to float32.
 *
 * Pointers in bytes, compared unsigned. The weights kernels may write up to 3 entries past `len`
 * (callers leave room). Tested bit for bit against the JS loops (tests/fused-nmf.test.ts): keep each
 * lane's operations and their order when editing.
 */

/** np.finfo(np.float32).eps = 2^-23: scikit-learn's EPSILON (nmf-loops.ts EPSILON), zeros in WH → this. */
const EPSILON: f64 = 1.1920928955078125e-7;
/** np.finfo(np.float64).eps = 2^-52 (nmf-loops.ts EPS64): updateTiny's threshold. */
const EPS64: f64 = 2.220446049250313e-16;

/** Byte address just past ⌈len/k⌉·k float32 entries from `ptr` (k = 4 or 2; k = 1: floor to pairs, see sqDiff). */
// @ts-ignore: decorator
@inline function entriesEnd(ptr: usize, len: u32, roundAdd: u32, roundMask: u32): usize {
  return ptr + (((len + roundAdd) & roundMask) << 2);
}

/** Two float32 entries at `ptr` as float64 lanes. */
// @ts-ignore: decorator
@inline function load2(ptr: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(ptr));
}

/** Two float64 lanes rounded to float32, stored as two entries at `ptr`. */
// @ts-ignore: decorator
@inline function store2(ptr: usize, x: v128): void {
  v128.store64_lane(ptr, f32x4.demote_f64x2_zero(x), 0);
}

/** weightsKL(P, V, Q, len): Q = V / P' (P' = P with zeros → EPSILON), ⌈len/4⌉·4 entries, float32 lanes. */
export function weightsKL(P: usize, V: usize, Q: usize, len: u32): void {
  const end = entriesEnd(P, len, 3, ~3);
  if (P >= end) return;
  do {
    const w = v128.load(P);
    v128.store(Q, f32x4.div(v128.load(V), v128.bitselect(f32x4.splat(<f32>EPSILON), w, f32x4.eq(w, f32x4.splat(0)))));
    P += 16;
    V += 16;
    Q += 16;
  } while (P < end);
}

/** weightsIS(P, V, Q, D, len): D = 1/P', Q = V·D·D (float64 lanes, rounded once), ⌈len/2⌉·2 entries. */
export function weightsIS(P: usize, V: usize, Q: usize, D: usize, len: u32): void {
  const end = entriesEnd(P, len, 1, ~1);
  if (P >= end) return;
  do {
    const w = load2(P);
    const r = f64x2.div(f64x2.splat(1), v128.bitselect(f64x2.splat(EPSILON), w, f64x2.eq(w, f64x2.splat(0))));
    store2(Q, f64x2.mul(f64x2.mul(load2(V), r), r));
    store2(D, r);
    P += 8;
    V += 8;
    Q += 8;
    D += 8;
  } while (P < end);
}

/** X ← X ⊙ N / D' (D' = D with zeros → EPSILON) in float64 lanes over ⌈len/2⌉·2 entries; `tiny`: then entries < EPS64 → 0. */
// @ts-ignore: decorator
@inline function updateEntries(X: usize, N: usize, D: usize, len: u32, tiny: bool): void {
  const end = entriesEnd(X, len, 1, ~1);
  if (X >= end) return;
  do {
    const d = load2(D);
    let x = f64x2.mul(load2(X), f64x2.div(load2(N), v128.bitselect(f64x2.splat(EPSILON), d, f64x2.eq(d, f64x2.splat(0)))));
    if (tiny) x = v128.bitselect(f64x2.splat(0), x, f64x2.lt(x, f64x2.splat(EPS64)));
    store2(X, x);
    X += 8;
    N += 8;
    D += 8;
  } while (X < end);
}

/** update(X, N, D, len): the multiplicative update with exponent 1 (nmf-loops.ts updateLoop), X ← X ⊙ N / D'. */
export function update(X: usize, N: usize, D: usize, len: u32): void {
  updateEntries(X, N, D, len, false);
}

/** updateTiny(X, N, D, len): the same, then entries < float64 eps → 0 (sklearn, β ≤ 1). */
export function updateTiny(X: usize, N: usize, D: usize, len: u32): void {
  updateEntries(X, N, D, len, true);
}

/**
 * sqDiff(P, V, len, out): out[0..2] (float64) = Σ(V − P)² as two partial sums over the pairs of
 * entries (lane 0: even entries, lane 1: odd ones, each in order), and out[2] = the odd last entry's
 * square (0 for an even len).
 */
export function sqDiff(P: usize, V: usize, len: u32, out: usize): void {
  let acc = f64x2.splat(0);
  const end = entriesEnd(P, len, 0, ~1);
  if (P < end) {
    do {
      const d = f64x2.sub(load2(V), load2(P));
      acc = f64x2.add(f64x2.mul(d, d), acc);
      P += 8;
      V += 8;
    } while (P < end);
  }
  v128.store(out, acc);
  // P and V now point at the odd last entry, if any
  if (len & 1) {
    const ds = <f64>load<f32>(V) - <f64>load<f32>(P);
    store<f64>(out, ds * ds, 16);
  } else {
    store<f64>(out, 0.0, 16);
  }
}
