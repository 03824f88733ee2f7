/**
 * NMF experiments on the cpu engine: the fold of core/experiment.ts for β-NMF problems whose runs use the
 * multiplicative updates ('nmf-mm', 'nmf-mu'), without tfjs — the same V and initial (W, H)
 * (problems/nmf.ts), the same algorithms (algorithms/nmf-mm.ts, nmf-mu.ts: EngineAlgorithms, here on
 * the cpu engine's NMF objective, engines/cpu/nmf-objective.ts, over an NMFWorkspace), the same switch
 * and divergence semantics, the same ExperimentResult. All runs share one workspace (V, Vᵀ and the
 * scratch) and one objective; each keeps its own θ = [W; H] (one Float32Array) and state.
 */
import type { ExperimentConfig, NMFProblemConfig } from '../config';
import { runLabel } from '../config';
import { nmfMM } from '../algorithms/nmf-mm';
import { nmfMU } from '../algorithms/nmf-mu';
import type { NMFState } from '../algorithms/nmf-updates';
import type { StepContext, Vec } from '../engine/types';
import { CpuNMFObjective } from '../engines/cpu/nmf-objective';
import { cpuArray, cpuVec, cpuVectorOps } from '../engines/cpu/vector-ops';
import { finishRunResult, type ExperimentResult, type RunOptions, type RunResult } from '../experiment';
import { nmfData, randomNMFInit } from '../problems/nmf';
import { stopIfNotFinite, type RunStatus, type SwitchRecord } from '../run';
import { NMFWorkspace, type NMFWorkspaceOptions } from './nmf-engine';
import { simdAvailable } from './problem';
import { FUSED_BACKEND } from './fused-experiment';

const NMF_ALGORITHMS = { 'nmf-mm': nmfMM, 'nmf-mu': nmfMU } as const;
export type FusedNMFAlgorithmId = keyof typeof NMF_ALGORITHMS;
export const FUSED_NMF_ALGORITHMS = Object.keys(NMF_ALGORITHMS) as FusedNMFAlgorithmId[];

const isFusedNMF = (id: string): id is FusedNMFAlgorithmId => Object.hasOwn(NMF_ALGORITHMS, id);

/** True for an NMF problem whose runs (and their switches) all use multiplicative updates, where WebAssembly SIMD runs. */
export function canFuseNMF(config: ExperimentConfig): boolean {
  return (
    config.problem.kind === 'nmf' &&
    config.runs.every((r) => isFusedNMF(r.algorithm) && r.switches.every((s) => isFusedNMF(s.algorithm))) &&
    simdAvailable()
  );
}

export class FusedNMFRun {
  status: RunStatus = 'running';
  message = '';
  divergedAt: number | null = null;
  readonly switches: SwitchRecord[] = [];
  /** Steps taken. */
  t = 0;
  lastLoss = NaN;
  /** θ = [W (m×K row-major); H (K×n row-major)], a cpu Vec (replaced, never mutated, by a step). */
  theta: Vec;
  private state: NMFState;

  constructor(
    readonly id: string,
    public algorithm: FusedNMFAlgorithmId,
    private readonly c: StepContext,
    theta: Float32Array,
  ) {
    this.theta = cpuVec(theta);
    this.state = NMF_ALGORITHMS[algorithm].init(c, this.theta, {});
  }

  get active(): boolean {
    return this.status === 'running';
  }

  private get size(): number {
    const { workspace } = this.c.f as CpuNMFObjective;
    return workspace.m * workspace.K;
  }

  /** W (m×K row-major), a view of θ (valid until the next step). */
  get W(): Float32Array {
    return cpuArray(this.theta).subarray(0, this.size);
  }

  /** H (K×n row-major), a view of θ (valid until the next step). */
  get H(): Float32Array {
    return cpuArray(this.theta).subarray(this.size);
  }

  step(): void {
    const r = NMF_ALGORITHMS[this.algorithm].step(this.c, this.theta, this.state, {});
    // the old θ is nobody's any more: its array backs a later θ (no allocation per step)
    if (r.theta !== this.theta) (this.c.f as CpuNMFObjective).release(this.theta);
    this.theta = r.theta;
    this.state = r.state;
    this.t += 1;
  }

  /** f(W, H) = D_β(V | WH) (≥ 0), rounded to float32 as the tfjs path reports it. */
  evaluate(): number {
    this.lastLoss = this.c.f.value(this.theta);
    return this.lastLoss;
  }

  /** Switch between nmf-mm and nmf-mu mid-run: θ is kept, the new algorithm's state starts from init. */
  switchTo(algorithmId: string, hyper: Record<string, unknown>, keepState = false): void {
    if (!isFusedNMF(algorithmId)) throw new Error(`the fused NMF engine runs ${FUSED_NMF_ALGORITHMS.join(', ')}, not '${algorithmId}'`);
    this.switches.push({ at: this.t, from: this.algorithm, to: algorithmId, hyper, keepState: keepState && algorithmId === this.algorithm });
    if (!(keepState && algorithmId === this.algorithm)) this.state = NMF_ALGORITHMS[algorithmId].init(this.c, this.theta, {});
    this.algorithm = algorithmId;
    if (this.status === 'done') this.status = 'running';
  }

  /** Marks the run diverged when `value` (f after step t) is not finite. */
  checkFinite(value: number, atStep: number): boolean {
    return stopIfNotFinite(this, value, atStep); // no step size to suggest: the updates have none
  }
}

export class FusedNMFExperiment {
  readonly workspace: NMFWorkspace;
  /** The cpu engine's vector operations and the NMF objective on the workspace, shared by the runs. */
  readonly context: StepContext;
  readonly runs: FusedNMFRun[];
  readonly beta: number;
  /** Global step counter. */
  t = 0;
  /** Milliseconds each run spent stepping and evaluating. */
  readonly wallMs: number[];

  /** `opts.threads` > 1 splits the kernels over helper threads started by `opts.spawn` (same results). */
  constructor(
    readonly config: ExperimentConfig,
    opts: NMFWorkspaceOptions = {},
  ) {
    if (!canFuseNMF(config)) throw new Error(`the fused engine runs NMF problems whose runs use ${FUSED_NMF_ALGORITHMS.join(', ')} (with WebAssembly SIMD)`);
    const p = config.problem as NMFProblemConfig;
    const V = nmfData(p, config.seeds.data);
    const m = V.length;
    const n = V[0].length;
    const K = p.rank;
    const { W0, H0 } = p.init ?? randomNMFInit(V, K, config.seeds.init);
    if (W0.length !== m || W0[0].length !== K || H0.length !== K || H0[0].length !== n)
      throw new Error(`NMF init: W0 must be ${m}×${K} and H0 ${K}×${n}`);
    this.beta = p.beta;
    this.workspace = new NMFWorkspace(Float32Array.from(V.flat()), { m, n, K }, opts);
    this.context = { ops: cpuVectorOps, f: new CpuNMFObjective(this.workspace, p.beta) };
    const theta0 = Float32Array.from([...W0.flat(), ...H0.flat()]);
    this.runs = config.runs.map((rc, i) => {
      const run = new FusedNMFRun(runLabel(rc, i), rc.algorithm as FusedNMFAlgorithmId, this.context, theta0.slice());
      this.applySwitches(run, i);
      return run;
    });
    this.wallMs = this.runs.map(() => 0);
  }

  applySwitches(run: FusedNMFRun, i: number): void {
    for (const s of this.config.runs[i].switches) {
      if (s.at === run.t && !run.switches.some((r) => r.at === s.at && r.to === s.algorithm)) run.switchTo(s.algorithm, s.hyper, s.keepState);
    }
  }

  /** Stops the kernel threads, if any. */
  close(): void {
    this.workspace.close();
  }

  /** f of every run at its current (W, H); a non-finite f stops the run. */
  evaluateAll(onRecord?: (i: number, run: FusedNMFRun) => void): void {
    this.runs.forEach((run, i) => {
      const t0 = performance.now();
      const v = run.evaluate();
      this.wallMs[i] += performance.now() - t0;
      onRecord?.(i, run);
      run.checkFinite(v, run.t);
    });
  }

  /** One step of every active run, each followed by f after it, then the switches due. */
  step(onRecord?: (i: number, run: FusedNMFRun) => void): void {
    this.runs.forEach((run, i) => {
      if (!run.active) return;
      const t0 = performance.now();
      run.step();
      const v = run.evaluate();
      this.wallMs[i] += performance.now() - t0;
      onRecord?.(i, run);
      run.checkFinite(v, run.t);
    });
    this.t += 1;
    this.runs.forEach((run, i) => run.active && this.applySwitches(run, i));
  }
}

/** runExperiment for NMF on the fused engine: the same ExperimentResult, with backend 'js-fused'. */
export function runFusedNMFExperiment(config: ExperimentConfig, opts: RunOptions & NMFWorkspaceOptions = {}): ExperimentResult {
  const fx = new FusedNMFExperiment(config, opts);
  try {
    return foldRuns(fx, config, opts);
  } finally {
    fx.close();
  }
}

function foldRuns(fx: FusedNMFExperiment, config: ExperimentConfig, opts: RunOptions): ExperimentResult {
  const results: RunResult[] = fx.runs.map((run) => ({
    id: run.id,
    algorithm: run.algorithm,
    status: run.status,
    losses: [],
    switches: run.switches,
    steps: 0,
    wallMs: 0,
    stepsPerSec: 0,
  }));
  const onRecord = (i: number, run: FusedNMFRun): void => void results[i].losses.push(run.lastLoss);
  fx.evaluateAll(onRecord);
  for (let t = 0; t < config.steps; t++) {
    if (!fx.runs.some((r) => r.active)) break;
    fx.step(onRecord);
    opts.onStep?.(fx.t);
  }
  fx.runs.forEach((run, i) => finishRunResult(results[i], run, fx.wallMs[i]));
  return { backend: FUSED_BACKEND, steps: config.steps, runs: results };
}
