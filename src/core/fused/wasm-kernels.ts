/**
 * The fused engine's WebAssembly SIMD kernels (f32x4): the matrix product, and the activations with
 * their derivatives. Assembled at load time
 * from the TypeScript below (wasm-asm.ts): ≈20 GMAC/s in V8 against ≈3 for the best scalar JS loop,
 * because JS has no SIMD and every typed-array access is bounds-checked. Float32 storage and float32
 * accumulation (as torch's CPU sgemm); sums run over one layer's width or one chunk of rows only.
 *
 *   gemm(A, sAm, sAp, B, bias, C, M, P, N, acc):
 *     C[m, j] = (acc ? C[m, j] : bias[j]) + Σ_p A(m, p)·B[p, j]      m < M, j < N, p < P
 *   with A(m, p) at byte A + m·sAm + p·sAp (so A may be read transposed), B row-major P×N, C row-major
 *   M×N; pointers and strides in bytes. Blocks of 4 rows × 8 columns (eight f32x4 accumulators), a
 *   4 × 4 block where four columns are left, then the leftover rows four columns at a time, then the
 *   leftover columns one at a time.
 */
import {
  F32, I32, V128, add, and, block, br, brIf, f32Add, f32Load, f32Mul, f32Store, f32x4Add, f32x4Const, f32x4Div, f32x4Gt,
  f32x4Mul, f32x4PMax, f32x4PMin, f32x4Sub, geU, get, i32, ifElse, loop, ltU, mul, set, shl, tee, v128And,
  v128Load, v128Load32Splat, v128LoadAt, v128Store, v128StoreAt, SHARED_MAX_PAGES, compileKernels, type Code,
} from './wasm-asm';

// Parameters, then locals (i32 ×13, v128 ×11, f32 ×1).
const [A, sAm, sAp, B, bias, C, M, P, N, acc] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const [m, j, N4, M4, rowB, pa, pb, pbEnd, cptr, s1, s2, s3, N8] = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22];
const [c0, c1, c2, c3, bv, c4, c5, c6, c7, bv2, av] = [23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33];
const sc = 34;
const GEMM_LOCALS: [number, number][] = [[13, I32], [11, V128], [1, F32]];

/** cptr = &C[m, j]; pa = &A(m, 0); pb = &B[0, j]; pbEnd = pb + P·rowB. */
const setup: Code[] = [
  get(C), get(m), get(rowB), mul, add, get(j), i32(2), shl, add, set(cptr),
  get(A), get(m), get(sAm), mul, add, set(pa),
  get(B), get(j), i32(2), shl, add, tee(pb), get(P), get(rowB), mul, add, set(pbEnd),
];
/** do { body; pa += sAp; pb += rowB } while (pb < pbEnd), skipped when P = 0. */
const overP = (...body: Code[]): Code =>
  block(get(pb), get(pbEnd), geU, brIf(0), loop(...body, get(pa), get(sAp), add, set(pa), get(pb), get(rowB), add, tee(pb), get(pbEnd), ltU, brIf(0)));
/** c += splat(A at pa + off) · bv */
const madd = (c: number, off: number | null): Code => [get(c), get(pa), off === null ? [] : [get(off), add], v128Load32Splat, get(bv), f32x4Mul, f32x4Add, set(c)];
const cRow = (r: number): Code => (r === 0 ? get(cptr) : [get(cptr), get(rowB), r === 1 ? [] : [i32(r), mul], add]);
const biasAt: Code = [get(bias), get(j), i32(2), shl, add];

/** Row r of a 4×8 block: (lo, hi) += splat(A(m + r, p))·(bv, bv2). */
const madd8 = (lo: number, hi: number, off: number | null): Code => [
  get(pa), off === null ? [] : [get(off), add], v128Load32Splat, set(av),
  get(lo), get(av), get(bv), f32x4Mul, f32x4Add, set(lo),
  get(hi), get(av), get(bv2), f32x4Mul, f32x4Add, set(hi),
];
const block4x8: Code[] = [
  ...setup,
  get(acc),
  ifElse(
    [cRow(0), v128Load, set(c0), cRow(0), v128LoadAt(16), set(c4), cRow(1), v128Load, set(c1), cRow(1), v128LoadAt(16), set(c5),
     cRow(2), v128Load, set(c2), cRow(2), v128LoadAt(16), set(c6), cRow(3), v128Load, set(c3), cRow(3), v128LoadAt(16), set(c7)],
    [biasAt, v128Load, tee(c0), tee(c1), tee(c2), set(c3), biasAt, v128LoadAt(16), tee(c4), tee(c5), tee(c6), set(c7)],
  ),
  overP(get(pb), v128Load, set(bv), get(pb), v128LoadAt(16), set(bv2), madd8(c0, c4, null), madd8(c1, c5, s1), madd8(c2, c6, s2), madd8(c3, c7, s3)),
  cRow(0), get(c0), v128Store, cRow(0), get(c4), v128StoreAt(16), cRow(1), get(c1), v128Store, cRow(1), get(c5), v128StoreAt(16),
  cRow(2), get(c2), v128Store, cRow(2), get(c6), v128StoreAt(16), cRow(3), get(c3), v128Store, cRow(3), get(c7), v128StoreAt(16),
];
const block4x4: Code[] = [
  ...setup,
  get(acc),
  ifElse(
    [cRow(0), v128Load, set(c0), cRow(1), v128Load, set(c1), cRow(2), v128Load, set(c2), cRow(3), v128Load, set(c3)],
    [biasAt, v128Load, tee(c0), tee(c1), tee(c2), set(c3)],
  ),
  overP(get(pb), v128Load, set(bv), madd(c0, null), madd(c1, s1), madd(c2, s2), madd(c3, s3)),
  cRow(0), get(c0), v128Store, cRow(1), get(c1), v128Store, cRow(2), get(c2), v128Store, cRow(3), get(c3), v128Store,
];
const block1x4: Code[] = [
  ...setup,
  get(acc),
  ifElse([get(cptr), v128Load, set(c0)], [biasAt, v128Load, set(c0)]),
  overP(get(pb), v128Load, set(bv), madd(c0, null)),
  get(cptr), get(c0), v128Store,
];
const block1x1: Code[] = [
  ...setup,
  get(acc),
  ifElse([get(cptr), f32Load, set(sc)], [biasAt, f32Load, set(sc)]),
  overP(get(sc), get(pa), f32Load, get(pb), f32Load, f32Mul, f32Add, set(sc)),
  get(cptr), get(sc), f32Store,
];

/** for (m = m0; m < mEnd; m += mStep) for (j = j0; j < jEnd; j += jStep) body */
const grid = (m0: Code, mEnd: Code, mStep: number, j0: Code, jEnd: Code, jStep: number, body: Code[]): Code => [
  m0, set(m),
  block(loop(get(m), mEnd, geU, brIf(1), j0, set(j),
    block(loop(get(j), jEnd, geU, brIf(1), ...body, get(j), i32(jStep), add, set(j), br(0))),
    get(m), i32(mStep), add, set(m), br(0))),
];

const GEMM_BODY: Code[] = [
  get(N), i32(-8), and, set(N8), get(N), i32(-4), and, set(N4), get(M), i32(-4), and, set(M4), get(N), i32(2), shl, set(rowB),
  get(sAm), set(s1), get(sAm), i32(1), shl, set(s2), get(s1), get(s2), add, set(s3),
  grid(i32(0), get(M4), 4, i32(0), get(N8), 8, block4x8),
  grid(i32(0), get(M4), 4, get(N8), get(N4), 4, block4x4),
  grid(get(M4), get(M), 1, i32(0), get(N4), 4, block1x4),
  grid(i32(0), get(M), 1, get(N4), get(N), 1, block1x1),
];

// Elementwise kernels, in place over float32 arrays whose regions are padded to a multiple of four
// (so they process ⌈len/4⌉ vectors). tanh is mlp-kernels.ts's rational function in float32 SIMD.
const T_NUM = [-2.76076847742355e-16, 2.00018790482477e-13, -8.60467152213735e-11, 5.12229709037114e-8, 1.48572235717979e-5, 6.37261928875436e-4, 4.89352455891786e-3];
const T_DEN = [1.19825839466702e-6, 1.18534705686654e-4, 2.268434632439e-3, 4.89352518554385e-3];
const T_CLAMP = 7.90531110763549805;
const [ptr, len, end, x, x2] = [0, 1, 2, 3, 4];
/** Horner in x2: ((c0·x2 + c1)·x2 + …) + c_last. */
const horner = (cs: number[]): Code => [f32x4Const(cs[0]), cs.slice(1).map((c) => [get(x2), f32x4Mul, f32x4Const(c), f32x4Add])];
const unary = (compute: Code[]): Code[] => [
  get(ptr), get(len), i32(3), add, i32(-4), and, i32(2), shl, add, set(end),
  block(get(ptr), get(end), geU, brIf(0), loop(get(ptr), ...compute, v128Store, get(ptr), i32(16), add, tee(ptr), get(end), ltU, brIf(0))),
];
const TANH_BODY = unary([
  get(ptr), v128Load, f32x4Const(-T_CLAMP), f32x4PMax, f32x4Const(T_CLAMP), f32x4PMin, tee(x), get(x), f32x4Mul, set(x2),
  horner(T_NUM), get(x), f32x4Mul, horner(T_DEN), f32x4Div,
]);
const RELU_BODY = unary([get(ptr), v128Load, f32x4Const(0), f32x4PMax]);
// Backward: D ← D ⊙ act′(A), parameters (D, A, len); the A pointer advances with D.
const [dp, ap, dlen, dend, a] = [0, 1, 2, 3, 4];
const binary = (compute: Code[]): Code[] => [
  get(dp), get(dlen), i32(3), add, i32(-4), and, i32(2), shl, add, set(dend),
  block(get(dp), get(dend), geU, brIf(0), loop(get(dp), get(dp), v128Load, ...compute, v128Store,
    get(ap), i32(16), add, set(ap), get(dp), i32(16), add, tee(dp), get(dend), ltU, brIf(0))),
];
const DTANH_BODY = binary([f32x4Const(1), get(ap), v128Load, tee(a), get(a), f32x4Mul, f32x4Sub, f32x4Mul]);
const DRELU_BODY = binary([get(ap), v128Load, f32x4Const(0), f32x4Gt, v128And]);
const DSIGMOID_BODY = binary([get(ap), v128Load, tee(a), f32x4Const(1), get(a), f32x4Sub, f32x4Mul, f32x4Mul]);

export type GemmFn = (A: number, sAm: number, sAp: number, B: number, bias: number, C: number, M: number, P: number, N: number, acc: number) => void;

export interface WasmKernels {
  memory: WebAssembly.Memory;
  gemm: GemmFn;
  /** In place: tanh / relu over ⌈len/4⌉·4 floats at byte `ptr`. */
  tanh(ptr: number, len: number): void;
  relu(ptr: number, len: number): void;
  /** In place: D ← D ⊙ act′(A), act′ written in terms of the output A. */
  dtanh(D: number, A: number, len: number): void;
  drelu(D: number, A: number, len: number): void;
  dsigmoid(D: number, A: number, len: number): void;
}

const compiled = new Map<boolean, WebAssembly.Module | null>();

/**
 * The compiled module, or null where WebAssembly or its SIMD extension is unavailable. `shared`: the
 * variant importing a shared memory (./kernel-pool.ts), null where threads are unavailable too.
 */
export function wasmKernelModule(shared = false): WebAssembly.Module | null {
  if (!compiled.has(shared)) {
    const un = { params: [I32, I32], locals: [[1, I32], [2, V128]] as [number, number][] };
    const bin = { params: [I32, I32, I32], locals: [[1, I32], [1, V128]] as [number, number][] };
    const funcs = [
      { name: 'gemm', params: Array(10).fill(I32), locals: GEMM_LOCALS, body: GEMM_BODY },
      { name: 'tanh', ...un, body: TANH_BODY },
      { name: 'relu', ...un, body: RELU_BODY },
      { name: 'dtanh', ...bin, body: DTANH_BODY },
      { name: 'drelu', ...bin, body: DRELU_BODY },
      { name: 'dsigmoid', ...bin, body: DSIGMOID_BODY },
    ];
    compiled.set(shared, compileKernels(funcs, shared));
  }
  return compiled.get(shared)!;
}

/** Kernel instances over their own memory of at least `bytes` bytes, or null without WebAssembly SIMD. */
export function createWasmKernels(bytes: number, shared = false): WasmKernels | null {
  const mod = wasmKernelModule(shared);
  if (!mod) return null;
  const initial = Math.max(1, Math.ceil(bytes / 65536));
  const memory = new WebAssembly.Memory(shared ? { initial, maximum: SHARED_MAX_PAGES, shared: true } : { initial });
  const e = new WebAssembly.Instance(mod, { env: { mem: memory } }).exports as unknown as Omit<WasmKernels, 'memory'>;
  return { memory, gemm: e.gemm, tanh: e.tanh, relu: e.relu, dtanh: e.dtanh, drelu: e.drelu, dsigmoid: e.dsigmoid };
}
