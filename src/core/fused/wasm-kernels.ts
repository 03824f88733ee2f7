/**
 * The fused engine's WebAssembly SIMD kernels (f32x4): the matrix product, and the activations with
 * their derivatives. Written in AssemblyScript (./kernels/mlp.ts, where each kernel's math is spelt
 * out) and compiled ahead of time by `npm run kernels` (scripts/build-kernels.mjs, run by every npm
 * script that needs it) into ./kernels/generated/wasm.ts: ≈20 GMAC/s in V8 against ≈3 for the best
 * scalar JS loop, because JS has no SIMD and every typed-array access is bounds-checked. Float32
 * storage and float32 accumulation (as torch's CPU sgemm); sums run over one layer's width or one
 * chunk of rows only.
 *
 *   gemm(A, sAm, sAp, B, bias, C, M, P, N, acc):
 *     C[m, j] = (acc ? C[m, j] : bias[j]) + Σ_p A(m, p)·B[p, j]      m < M, j < N, p < P
 *   with A(m, p) at byte A + m·sAm + p·sAp (so A may be read transposed), B row-major P×N, C row-major
 *   M×N; pointers and strides in bytes. Blocks of 4 rows × 8 columns (eight f32x4 accumulators), a
 *   4 × 4 block where four columns are left, then the leftover rows four columns at a time, then the
 *   leftover columns one at a time.
 */
import { KERNEL_WASM, SHARED_MAX_PAGES } from './kernels/generated/wasm';

export { SHARED_MAX_PAGES };

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

/** Kernel module sources compiled ahead of time (./kernels/generated/wasm.ts). */
export type KernelSource = keyof typeof KERNEL_WASM;

/**
 * Compiles one of the kernel modules (`shared`: the variant importing a shared memory of at most
 * SHARED_MAX_PAGES pages), or null where WebAssembly, its SIMD or (shared) its threads are unavailable.
 * Every variant imports its memory as env.memory. (The page's CSP allows this: 'wasm-unsafe-eval'.)
 */
export function compileKernels(source: KernelSource, shared: boolean): WebAssembly.Module | null {
  try {
    if (typeof WebAssembly !== 'object') return null;
    const b64 = KERNEL_WASM[source][shared ? 'shared' : 'plain'];
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    return WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    return null;
  }
}

const compiled = new Map<boolean, WebAssembly.Module | null>();

/**
 * The compiled module, or null where WebAssembly or its SIMD extension is unavailable. `shared`: the
 * variant importing a shared memory (./kernel-pool.ts), null where threads are unavailable too.
 */
export function wasmKernelModule(shared = false): WebAssembly.Module | null {
  if (!compiled.has(shared)) compiled.set(shared, compileKernels('mlp', shared));
  return compiled.get(shared)!;
}

/** Kernel instances over their own memory of at least `bytes` bytes, or null without WebAssembly SIMD. */
/**
 * Byte offsets of consecutive float32 regions of the given lengths in a kernel memory, each rounded up to
 * a multiple of 4 floats (16-byte SIMD alignment) plus `gapFloats`, and the floats they take in all.
 */
export function regionOffsets(lengths: readonly number[], gapFloats = 0): { offsets: number[]; totalFloats: number } {
  const offsets: number[] = [];
  let total = 0;
  for (const len of lengths) {
    offsets.push(total * 4);
    total += Math.ceil(len / 4) * 4 + gapFloats;
  }
  return { offsets, totalFloats: total };
}

export function createWasmKernels(bytes: number, shared = false): WasmKernels | null {
  const mod = wasmKernelModule(shared);
  if (!mod) return null;
  const initial = Math.max(1, Math.ceil(bytes / 65536));
  const memory = new WebAssembly.Memory(shared ? { initial, maximum: SHARED_MAX_PAGES, shared: true } : { initial });
  const e = new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as Omit<WasmKernels, 'memory'>;
  return { memory, gemm: e.gemm, tanh: e.tanh, relu: e.relu, dtanh: e.dtanh, drelu: e.drelu, dsigmoid: e.dsigmoid };
}
