/**
 * NMF experiments on the cpu engine: the engine-generic fold (core/fold/) over the cpu engine's NMF
 * problem (engines/cpu/nmf-problem.ts) — the same V and initial (W, H) as on tfjs, the same algorithms
 * (algorithms/nmf-mm.ts, nmf-mu.ts), switch and divergence semantics and ExperimentResult. All runs share
 * one workspace (V, Vᵀ and the scratch) and one objective; each keeps its own θ = [W; H] and state.
 */
import type { ExperimentConfig } from '../config';
import { cpuArray } from '../engines/cpu/vector-ops';
import type { CpuNMFProblem } from '../engines/cpu/nmf-problem';
import { foldExperiment } from '../fold/experiment';
import type { ExperimentResult, RunOptions } from '../fold/result';
import type { Run } from '../fold/run';
import { canFuse, FUSED_BACKEND } from './algorithms';
import { FusedExperiment } from './fused-experiment';
import type { NMFWorkspace, NMFWorkspaceOptions } from './nmf-engine';

/** The NMF algorithms (the multiplicative updates). */
export const FUSED_NMF_ALGORITHMS = ['nmf-mm', 'nmf-mu'] as const;

/** True for an NMF problem the cpu engine runs (WebAssembly SIMD available; the schema keeps its runs to NMF algorithms). */
export function canFuseNMF(config: ExperimentConfig): boolean {
  return config.problem.kind === 'nmf' && canFuse(config);
}

/** An NMF run on the cpu engine: the fold's Run (θ = [W; H], one Float32Array). */
export type FusedNMFRun = Run;

/** W (m×K row-major) and H (K×n row-major) of an NMF run on the cpu engine: views of θ, valid until its next step. */
export function nmfFactors(run: Run): { W: Float32Array; H: Float32Array } {
  const [w] = run.problem.layout;
  const theta = cpuArray(run.theta);
  return { W: theta.subarray(0, w.size), H: theta.subarray(w.size) };
}

/**
 * NMF on the cpu engine: the engine-generic fold over a CpuNMFProblem (one workspace and objective for
 * all runs). `opts.threads` > 1 splits the kernels over helper threads started by `opts.spawn` (same
 * results); `close()` (or `dispose()`) stops them.
 */
export class FusedNMFExperiment extends FusedExperiment {
  declare readonly problem: CpuNMFProblem;

  constructor(config: ExperimentConfig, opts: NMFWorkspaceOptions = {}) {
    if (!canFuseNMF(config)) throw new Error(`the fused engine runs NMF problems whose runs use ${FUSED_NMF_ALGORITHMS.join(', ')} (with WebAssembly SIMD)`);
    super(config, opts);
  }

  get workspace(): NMFWorkspace {
    return this.problem.workspace;
  }

  get beta(): number {
    return this.problem.beta;
  }

  /** Stops the kernel threads, if any. */
  close(): void {
    this.problem.close();
  }
}

/** runExperiment for NMF on the cpu engine: the same ExperimentResult, with backend 'js-fused'. */
export function runFusedNMFExperiment(config: ExperimentConfig, opts: RunOptions & NMFWorkspaceOptions = {}): ExperimentResult {
  return foldExperiment(new FusedNMFExperiment(config, opts), FUSED_BACKEND, opts);
}
