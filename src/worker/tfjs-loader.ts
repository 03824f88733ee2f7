/**
 * tfjs, loaded on first use: `loadTfjs()` imports ./tfjs-engine.ts (a separate chunk in the build) and
 * runs the setup the worker installed (the browser's WebGPU and WASM backends). The worker starts
 * loading it right away, in the background; nothing on the cpu engine's path waits for it.
 */
import type * as TfjsEngine from './tfjs-engine';

export type TfjsModule = typeof TfjsEngine;

let setup: (() => Promise<void>) | null = null;
let loading: Promise<TfjsModule> | null = null;
let loaded: TfjsModule | null = null;

/** Runs once after tfjs loads, before anyone uses it (the worker: register the browser backends). */
export function configureTfjs(fn: () => Promise<void>): void {
  setup = fn;
}

export function loadTfjs(): Promise<TfjsModule> {
  loading ??= (async () => {
    const m = await import('./tfjs-engine');
    await setup?.();
    loaded = m;
    return m;
  })();
  return loading;
}

/** The tfjs module if it has loaded, else null (never starts loading). */
export const loadedTfjs = (): TfjsModule | null => loaded;
