/**
 * Registers the browser-only tfjs backends inside the worker: WebGPU (registers itself only when
 * `navigator.gpu` exists) and WASM, whose .wasm binaries Vite copies into the build as hashed assets
 * (the `?url` imports below), served from our own origin so the CSP (`script-src 'self'
 * 'wasm-unsafe-eval'`, `connect-src 'self'`) allows them. WebGL and CPU come with @tensorflow/tfjs.
 * Imported by worker.ts only (Node tests never load it).
 */
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/** Each backend registers itself on import; a failing import only loses that backend. */
export async function registerBrowserBackends(): Promise<string[]> {
  const problems: string[] = [];
  const [gpu, wasm] = await Promise.allSettled([import('@tensorflow/tfjs-backend-webgpu'), import('@tensorflow/tfjs-backend-wasm')]);
  if (gpu.status === 'rejected') problems.push(`WebGPU backend did not load: ${String(gpu.reason)}`);
  if (wasm.status === 'fulfilled') {
    // Absolute URLs: the worker's base is its own chunk URL, and tfjs fetches relative to the page.
    const abs = (u: string): string => new URL(u, self.location.href).href;
    wasm.value.setWasmPaths({
      'tfjs-backend-wasm.wasm': abs(wasmPlain),
      'tfjs-backend-wasm-simd.wasm': abs(wasmSimd),
      'tfjs-backend-wasm-threaded-simd.wasm': abs(wasmThreaded),
    });
  } else problems.push(`WASM backend did not load: ${String(wasm.reason)}`);
  return problems;
}
