/**
 * The cpu engine (backend 'fused': src/core/engines/cpu and src/core/fused, flat float32 arrays,
 * WebAssembly SIMD kernels, no tfjs) inside the lab's worker: which sessions it can run and its
 * calibration. Every algorithm runs on it (each is written once against the engine interface), for
 * MLPs, and for NMF where WebAssembly SIMD is available.
 */
import type { ExperimentConfig } from '../core/config';
import { canFuse, FUSED_SCOPE, isFusedAlgorithm } from '../core/fused/algorithms';
import { FusedExperiment } from '../core/fused/fused-experiment';
import { simdAvailable } from '../core/fused/problem';

/** The engine's name in the UI and in reasons. */
export function fusedLabel(): string {
  return simdAvailable() ? 'JS fused (WASM SIMD)' : 'JS fused';
}

/** True when the cpu engine can build `config`: an MLP, or NMF with WebAssembly SIMD, of registered algorithms. */
export const fusableFromStart = (config: ExperimentConfig): boolean => canFuse(config);

/**
 * Calibration: mean ms per step (one step of one run and the evaluation of f after it, test f
 * included, as the session does) on the fused engine. Runs until ~budgetMs or
 * 500 timed steps (after 20 warm-up steps), at least 2. A run that diverges meanwhile is rebuilt outside the timed region.
 */
export function timeFusedSteps(config: ExperimentConfig, budgetMs: number): number {
  const rc =
    config.runs.find((r) => isFusedAlgorithm(r.algorithm)) ??
    config.runs.flatMap((r) => r.switches.map((s) => ({ ...r, algorithm: s.algorithm, hyper: s.hyper }))).find((r) => isFusedAlgorithm(r.algorithm));
  if (!rc || !fusableFromStart({ ...config, runs: [{ ...rc, switches: [] }] })) throw new Error(`the fused engine runs ${FUSED_SCOPE} only`);
  // A step budget that cannot end the run mid-calibration (rebuilding it costs more than the steps).
  const cfg: ExperimentConfig = { ...config, steps: Math.max(config.steps, 1_000_000), runs: [{ ...rc, switches: [] }] };
  const make = (): FusedExperiment => {
    const fx = new FusedExperiment(cfg);
    fx.evaluateAll();
    return fx;
  };
  let fx = make();
  for (let k = 0; k < 20; k++) fx.step(); // warm-up (kernel compilation, JIT, caches)
  let n = 0;
  let spent = 0;
  while (n < 2 || (n < 500 && spent < budgetMs)) {
    if (!fx.runs[0].active) fx = make();
    const t0 = performance.now();
    fx.step();
    spent += performance.now() - t0;
    n += 1;
  }
  return spent / n;
}
