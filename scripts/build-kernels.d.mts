/** Types of scripts/build-kernels.mjs, for vite.config.ts. */
export declare const SHARED_MAX_PAGES: number;
/** Builds src/core/fused/kernels/generated/wasm.ts unless it is up to date (`force`: always); resolves to whether it built. */
export declare function buildKernels(options?: { force?: boolean; wat?: boolean; quiet?: boolean }): Promise<boolean>;
