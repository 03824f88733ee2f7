/**
 * Kernels and buffers behind the cpu engine's MLP structure ops (./mlp-ops.ts): the float64 Gram kernel
 * JᵀJ += JᵀJ_chunk (WebAssembly `syrk64`, fused/kernels/gram.ts, or the register-blocked JS `syrkLower`),
 * and the float32 WebAssembly SIMD net (gemm + activations of fused/wasm-kernels.ts) that runs the forward
 * pass, J·v and Jᵀu bit for bit as f's own pass.
 */
import type { F64 } from '../../fused/mlp-kernels';
import { compileKernels, createWasmKernels, regionOffsets, type WasmKernels } from '../../fused/wasm-kernels';

/** Rows of per-example Jacobian rows folded into JᵀJ at a time by the WebAssembly SIMD product. */
export const SIMD_CHUNK = 128;

/** The float64 Gram kernel (fused/kernels/gram.ts), compiled once; null without WebAssembly SIMD. */
let gramModule: WebAssembly.Module | null | undefined;

export interface GramKernel {
  syrk64(J: number, r: number, ld: number, G: number): void;
  /** Leading dimension (P rounded up to a multiple of 4), and float64 views of J (SIMD_CHUNK×ld) and G (ld×ld). */
  ld: number;
  J: Float64Array;
  G: Float64Array;
  jPtr: number;
  gPtr: number;
}

export function createGramKernel(P: number): GramKernel | null {
  if (gramModule === undefined) gramModule = compileKernels('gram', false);
  if (!gramModule) return null;
  const ld = (P + 3) & ~3;
  const jBytes = SIMD_CHUNK * ld * 8;
  const gBytes = ld * ld * 8;
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil((jBytes + gBytes) / 65536)) });
  const e = new WebAssembly.Instance(gramModule, { env: { memory } }).exports as unknown as Pick<GramKernel, 'syrk64'>;
  return {
    syrk64: e.syrk64,
    ld,
    jPtr: 0,
    gPtr: jBytes,
    J: new Float64Array(memory.buffer, 0, SIMD_CHUNK * ld),
    G: new Float64Array(memory.buffer, jBytes, ld * ld),
  };
}

/**
 * G[p·ldg + q] += Σᵢ A[i·K + p]·A[i·K + q] for q ≤ p (the lower triangle of AᵀA, A row-major M×K;
 * the diagonal 4×4 blocks are written whole). 4×4 blocks of G are accumulated in 16 locals.
 */
export function syrkLower(A: F64, M: number, K: number, G: F64, ldg: number): void {
  const K4 = K - (K % 4);
  for (let p = 0; p < K4; p += 4) {
    const r0 = p * ldg, r1 = r0 + ldg, r2 = r1 + ldg, r3 = r2 + ldg;
    for (let q = 0; q <= p; q += 4) {
      let c00 = G[r0 + q], c01 = G[r0 + q + 1], c02 = G[r0 + q + 2], c03 = G[r0 + q + 3];
      let c10 = G[r1 + q], c11 = G[r1 + q + 1], c12 = G[r1 + q + 2], c13 = G[r1 + q + 3];
      let c20 = G[r2 + q], c21 = G[r2 + q + 1], c22 = G[r2 + q + 2], c23 = G[r2 + q + 3];
      let c30 = G[r3 + q], c31 = G[r3 + q + 1], c32 = G[r3 + q + 2], c33 = G[r3 + q + 3];
      for (let i = 0, a = 0; i < M; i++, a += K) {
        const x0 = A[a + p], x1 = A[a + p + 1], x2 = A[a + p + 2], x3 = A[a + p + 3];
        const y0 = A[a + q], y1 = A[a + q + 1], y2 = A[a + q + 2], y3 = A[a + q + 3];
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
      }
      G[r0 + q] = c00; G[r0 + q + 1] = c01; G[r0 + q + 2] = c02; G[r0 + q + 3] = c03;
      G[r1 + q] = c10; G[r1 + q + 1] = c11; G[r1 + q + 2] = c12; G[r1 + q + 3] = c13;
      G[r2 + q] = c20; G[r2 + q + 1] = c21; G[r2 + q + 2] = c22; G[r2 + q + 3] = c23;
      G[r3 + q] = c30; G[r3 + q + 1] = c31; G[r3 + q + 2] = c32; G[r3 + q + 3] = c33;
    }
  }
  for (let p = K4; p < K; p++) {
    const r = p * ldg;
    for (let q = 0; q <= p; q++) {
      let c = G[r + q];
      for (let i = 0, a = 0; i < M; i++, a += K) c += A[a + p] * A[a + q];
      G[r + q] = c;
    }
  }
}

/** Rows per float32 partial sum of Jᵀu's weight and bias gradients (then summed in float64). */
export const F32_CHUNK = 256;

/**
 * The float32 forward pass, J·v and Jᵀu on the WebAssembly SIMD kernels (fused/wasm-kernels.ts, the
 * ones fused/mlp-net-wasm.ts evaluates f with): θ, the tangent V, Wᵀ per layer, every layer's
 * activations for all rows and two n×widest work buffers, float32 in the kernels' memory (regions
 * padded to four floats, as the elementwise kernels process whole vectors).
 */
export interface F32Net {
  k: WasmKernels;
  /** Rows the regions hold. */
  cap: number;
  thPtr: number;
  th: Float32Array;
  vPtr: number;
  v: Float32Array;
  wtPtr: number[];
  wt: Float32Array[];
  zeroPtr: number;
  onesPtr: number;
  gPtr: number;
  g: Float32Array;
  actPtr: number[];
  act: Float32Array[];
  bufPtr: number[];
  buf: Float32Array[];
}

export function createF32Net(sizes: readonly number[], P: number, rows: number): F32Net | null {
  const L = sizes.length - 1;
  const widest = Math.max(...sizes);
  const lengths = [
    P,
    P,
    ...sizes.slice(0, -1).map((s, l) => (l === 0 ? 0 : s * sizes[l + 1])),
    widest,
    F32_CHUNK,
    P,
    ...sizes.map((s) => rows * s),
    rows * widest,
    rows * widest,
  ];
  const { offsets, totalFloats } = regionOffsets(lengths, 4);
  const k = createWasmKernels(totalFloats * 4);
  if (!k) return null;
  const view = (i: number) => new Float32Array(k.memory.buffer, offsets[i], lengths[i]);
  new Float32Array(k.memory.buffer, offsets[3 + L], F32_CHUNK).fill(1);
  return {
    k,
    cap: rows,
    thPtr: offsets[0],
    th: view(0),
    vPtr: offsets[1],
    v: view(1),
    wtPtr: sizes.slice(0, -1).map((_, l) => offsets[2 + l]),
    wt: sizes.slice(0, -1).map((_, l) => view(2 + l)),
    zeroPtr: offsets[2 + L],
    onesPtr: offsets[3 + L],
    gPtr: offsets[4 + L],
    g: view(4 + L),
    actPtr: sizes.map((_, l) => offsets[5 + L + l]),
    act: sizes.map((_, l) => view(5 + L + l)),
    bufPtr: [offsets[6 + 2 * L], offsets[7 + 2 * L]],
    buf: [view(6 + 2 * L), view(7 + 2 * L)],
  };
}

/** Copies the lower triangle of G (n×n, leading dimension n) onto the upper one. */
export function mirrorLower(G: F64, n: number): void {
  for (let p = 0; p < n; p++) for (let q = 0; q < p; q++) G[q * n + p] = G[p * n + q];
}

/** C[M×N] += A[M×K]·W with W = w[wOff …] (K×N row-major). */
export function gemmAcc(A: F64, w: F64, wOff: number, C: F64, M: number, K: number, N: number): void {
  for (let i = 0; i < M; i++) {
    const a = i * K;
    const c = i * N;
    for (let k = 0; k < K; k++) {
      const x = A[a + k];
      if (x === 0) continue;
      const p = wOff + k * N;
      for (let j = 0; j < N; j++) C[c + j] += x * w[p + j];
    }
  }
}
