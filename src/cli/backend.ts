/** tfjs backends available headless in Node: the pure-JS cpu backend and the WASM backend (SIMD). */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { withWasmThreads } from './wasm-threads';

export const NODE_BACKENDS = ['cpu', 'wasm'] as const;
export type NodeBackend = (typeof NODE_BACKENDS)[number];

/**
 * What the CLI can run an experiment on: 'js' is the fused engine (src/core/fused: MLP + gradient
 * optimizers on flat Float32Arrays, no tfjs), the others are tfjs backends.
 */
export const ENGINES = ['js', ...NODE_BACKENDS] as const;
export type Engine = (typeof ENGINES)[number];

/** Selects a backend and checks that tfjs really switched (setBackend can return false silently). */
export async function setNodeBackend(name: NodeBackend): Promise<void> {
  if (name === 'wasm') {
    const require = createRequire(import.meta.url);
    const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    setWasmPaths(join(dist, '/'));
  }
  const ok = name === 'wasm' ? await withWasmThreads(() => tf.setBackend(name)) : await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name) throw new Error(`the tfjs '${name}' backend failed to initialise (running: ${tf.getBackend()})`);
  // The cpu backend's first write advertises tfjs-node, which cannot install here (its install script
  // downloads libtensorflow); we ship cpu and wasm on purpose, so keep stderr for real messages.
  const warn = console.warn;
  console.warn = () => {};
  try {
    tf.tidy(() => tf.scalar(0).dataSync());
  } finally {
    console.warn = warn;
  }
}
