/**
 * WebAssembly SIMD versions of the per-entry β-NMF loops the fused NMF engine runs most
 * (problems/nmf-loops.ts), instantiated over the same memory as the gemm kernels. Written in
 * AssemblyScript (./kernels/nmf.ts) and compiled ahead of time by `npm run kernels` (see
 * ./wasm-kernels.ts). They give the same bits as the JS loops: β = 1's V/WH is one correctly
 * rounded float32 division either way (float64 then float32 rounding is innocuous for ÷), and β = 0's
 * r = 1/WH, V·r·r run in float64 lanes (f64x2) exactly as the JS loop, rounded once to float32. JS typed-array loops cost ≈3 ns per entry
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
import { compileKernels } from './wasm-kernels';

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
  if (!compiled.has(shared)) compiled.set(shared, compileKernels('nmf', shared));
  return compiled.get(shared)!;
}

/** The kernels over `memory` (the gemm kernels' memory), or null without WebAssembly SIMD. */
export function createNMFKernels(memory: WebAssembly.Memory): NMFWasmKernels | null {
  const mod = nmfKernelModule(memory.buffer instanceof ArrayBuffer ? false : true);
  return mod ? (new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as NMFWasmKernels) : null;
}
