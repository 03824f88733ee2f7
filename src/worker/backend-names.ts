/**
 * What the lab can run on: 'fused' is the cpu engine (src/core/engines/cpu and src/core/fused: flat
 * float32 arrays, WebAssembly SIMD kernels, no tfjs in the loop), the others are
 * the tfjs backends. A session on 'fused' hands over to a tfjs backend (exactly, at the same step)
 * when a run switches to an algorithm the fused engine does not run; views and surrogates of its runs
 * are computed on a tfjs copy.
 */
export const BACKENDS = ['fused', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendChoice = 'auto' | BackendName;
