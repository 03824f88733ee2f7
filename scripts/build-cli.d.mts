/** Types of scripts/build-cli.mjs (the command line's esbuild bundle). */
/** Builds build/cli/lab.mjs and build/cli/sweep-worker.mjs unless they are up to date; returns lab.mjs's path. */
export declare function buildCli(options?: { force?: boolean; quiet?: boolean }): Promise<string>;
