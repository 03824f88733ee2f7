/**
 * WebAssembly SIMD versions of the per-entry β-NMF loops the fused NMF engine runs most
 * (problems/nmf-loops.ts), instantiated over the same memory as the gemm kernels. They give the same
 * bits as the JS loops: β = 1's V/WH is one correctly rounded float32 division either way (float64
 * then float32 rounding is innocuous for ÷), and β = 0's r = 1/WH, V·r·r run in float64 lanes
 * (f64x2) exactly as the JS loop, rounded once to float32. JS typed-array loops cost ≈3 ns per entry
 * (bounds checks, no SIMD) — as much as the two products around them.
 *
 *   weightsKL(P, V, Q, len):      Q = V / P' (P' = P with zeros → EPSILON), ⌈len/4⌉·4 entries
 *   weightsIS(P, V, Q, D, len):   D = 1/P', Q = V·D·D (float64), ⌈len/2⌉·2 entries
 *   update(X, N, D, len):         X ← X ⊙ N / D' (D' = D with zeros → EPSILON), float64 lanes, ⌈len/2⌉·2
 *   updateTiny(X, N, D, len):     the same, then entries < float64 eps → 0 (sklearn, β ≤ 1)
 *                                 (the multiplicative update with exponent 1, nmf-loops.ts updateLoop)
 *   sqDiff(P, V, len, out):       out[0..2] (float64) = Σ(V − P)² as two partial sums over the pairs of
 *                                 entries and the odd last entry's square (0 for an even len)
 *
 * Pointers in bytes. The weights kernels may write up to 3 entries past `len` (callers leave room).
 */
import {
  F64, I32, V128, add, f32Load, f64Const, f64Mul, f64PromoteF32, f64StoreAt, f64Sub, ifElse, and, block, brIf, f32x4Const, f32x4DemoteF64x2Zero, f32x4Div, f32x4Eq, f64x2Add, f64x2Const, f64x2Div,
  f64x2Eq, f64x2Lt, f64x2Mul, f64x2PromoteLowF32x4, f64x2Sub, compileKernels, geU, get, i32, loop, ltU, set, shl, tee, v128Bitselect,
  v128Load, v128Load64Zero, v128Store, v128Store64Lane0, v128StoreF64, type Code,
} from './wasm-asm';
import { EPS64, EPSILON } from '../problems/nmf-loops';

/** ptr += step for each listed pointer local. */
const advance = (ptrs: number[], step: number): Code[] => ptrs.map((p) => [get(p), i32(step), add, set(p)]);
/** end = first + round(len)·4 bytes; then do { body; advance } while (first < end). */
const overEntries = (first: number, len: number, end: number, roundMask: number, roundAdd: number, ptrs: number[], step: number, body: Code[]): Code[] => [
  get(first), get(len), i32(roundAdd), add, i32(roundMask), and, i32(2), shl, add, set(end),
  block(get(first), get(end), geU, brIf(0), loop(...body, ...advance(ptrs, step), get(first), get(end), ltU, brIf(0))),
];

// weightsKL(P, V, Q, len); locals: end, w
const KL_BODY = ((P, V, Q, len, end, w) =>
  overEntries(P, len, end, -4, 3, [P, V, Q], 16, [
    get(Q), get(V), v128Load,
    f32x4Const(EPSILON), get(P), v128Load, tee(w), get(w), f32x4Const(0), f32x4Eq, v128Bitselect,
    f32x4Div, v128Store,
  ]))(0, 1, 2, 3, 4, 5);

// weightsIS(P, V, Q, D, len); locals: end, w, r
const IS_BODY = ((P, V, Q, D, len, end, w, r) =>
  overEntries(P, len, end, -2, 1, [P, V, Q, D], 8, [
    get(P), v128Load64Zero, f64x2PromoteLowF32x4, set(w),
    f64x2Const(1), f64x2Const(EPSILON), get(w), get(w), f64x2Const(0), f64x2Eq, v128Bitselect, f64x2Div, set(r),
    get(Q), get(V), v128Load64Zero, f64x2PromoteLowF32x4, get(r), f64x2Mul, get(r), f64x2Mul, f32x4DemoteF64x2Zero, v128Store64Lane0,
    get(D), get(r), f32x4DemoteF64x2Zero, v128Store64Lane0,
  ]))(0, 1, 2, 3, 4, 5, 6, 7);

// update(X, N, D, len) / updateTiny; locals: end, x
const updateBody = (tiny: boolean): Code[] =>
  ((X, N, D, len, end, x) =>
    overEntries(X, len, end, -2, 1, [X, N, D], 8, [
      get(X),
      get(X), v128Load64Zero, f64x2PromoteLowF32x4,
      get(N), v128Load64Zero, f64x2PromoteLowF32x4,
      f64x2Const(EPSILON), get(D), v128Load64Zero, f64x2PromoteLowF32x4, tee(x), get(x), f64x2Const(0), f64x2Eq, v128Bitselect,
      f64x2Div, f64x2Mul,
      tiny ? [set(x), f64x2Const(0), get(x), get(x), f64x2Const(EPS64), f64x2Lt, v128Bitselect] : [],
      f32x4DemoteF64x2Zero, v128Store64Lane0,
    ]))(0, 1, 2, 3, 4, 5);

// sqDiff(P, V, len, out); locals: end, acc, d, ds
const SQ_BODY = ((P, V, len, out, end, acc, d, ds) => [
  f64x2Const(0), set(acc),
  ...overEntries(P, len, end, -2, 0, [P, V], 8, [
    get(V), v128Load64Zero, f64x2PromoteLowF32x4, get(P), v128Load64Zero, f64x2PromoteLowF32x4, f64x2Sub, tee(d),
    get(d), f64x2Mul, get(acc), f64x2Add, set(acc),
  ]),
  get(out), get(acc), v128StoreF64,
  // P and V now point at the odd last entry, if any
  get(len), i32(1), and,
  ifElse(
    [get(out), get(V), f32Load, f64PromoteF32, get(P), f32Load, f64PromoteF32, f64Sub, tee(ds), get(ds), f64Mul, f64StoreAt(16)],
    [get(out), f64Const(0), f64StoreAt(16)],
  ),
])(0, 1, 2, 3, 4, 5, 6, 7);

export interface NMFWasmKernels {
  weightsKL(P: number, V: number, Q: number, len: number): void;
  weightsIS(P: number, V: number, Q: number, D: number, len: number): void;
  sqDiff(P: number, V: number, len: number, out: number): void;
  update(X: number, N: number, D: number, len: number): void;
  updateTiny(X: number, N: number, D: number, len: number): void;
}

const compiled = new Map<boolean, WebAssembly.Module | null>();

/** The compiled module (`shared`: over a shared memory), or null without WebAssembly SIMD (or threads). */
export function nmfKernelModule(shared = false): WebAssembly.Module | null {
  if (!compiled.has(shared)) {
    const funcs = [
      { name: 'weightsKL', params: [I32, I32, I32, I32], locals: [[1, I32], [1, V128]] as [number, number][], body: KL_BODY },
      { name: 'weightsIS', params: [I32, I32, I32, I32, I32], locals: [[1, I32], [2, V128]] as [number, number][], body: IS_BODY },
      { name: 'sqDiff', params: [I32, I32, I32, I32], locals: [[1, I32], [2, V128], [1, F64]] as [number, number][], body: SQ_BODY },
      { name: 'update', params: [I32, I32, I32, I32], locals: [[1, I32], [1, V128]] as [number, number][], body: updateBody(false) },
      { name: 'updateTiny', params: [I32, I32, I32, I32], locals: [[1, I32], [1, V128]] as [number, number][], body: updateBody(true) },
    ];
    compiled.set(shared, compileKernels(funcs, shared));
  }
  return compiled.get(shared)!;
}

/** The kernels over `memory` (the gemm kernels' memory), or null without WebAssembly SIMD. */
export function createNMFKernels(memory: WebAssembly.Memory): NMFWasmKernels | null {
  const mod = nmfKernelModule(memory.buffer instanceof ArrayBuffer ? false : true);
  return mod ? (new WebAssembly.Instance(mod, { env: { mem: memory } }).exports as unknown as NMFWasmKernels) : null;
}
