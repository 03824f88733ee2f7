/**
 * One run on the cpu engine: an algorithm written against the engine interface (core/engine), folded
 * over a flat float32 parameter vector with the semantics of core/run.ts — switching keeps θ and
 * restarts the new algorithm's state from init (or keeps it for the same algorithm with keepState), a
 * non-finite objective stops the run as 'diverged', an exception as 'error'.
 *
 * Full-batch runs evaluate f and ∇f in one pass: recording f(θₖ) after step k also computes ∇f(θₖ),
 * which step k+1 then reads from the objective's cache (engines/cpu/mlp-objective.ts).
 */
import type { AlgorithmState, AnyEngineAlgorithm, StepInfo } from '../engine/algorithm';
import type { StepContext } from '../engine/types';
import { CpuMLPObjective } from '../engines/cpu/mlp-objective';
import { cpuArray, cpuVec, cpuVectorOps } from '../engines/cpu/vector-ops';
import { stopIfNotFinite, type RunStatus, type SwitchRecord } from '../run';
import { FUSED_ALGORITHMS, fusedAlgorithm, type FusedAlgorithmId } from './algorithms';
import type { FusedProblem } from './problem';

export class FusedRun {
  algorithm: FusedAlgorithmId;
  hyper: Record<string, unknown>;
  state: AlgorithmState;
  t = 0;
  status: RunStatus = 'running';
  message = '';
  divergedAt: number | null = null;
  readonly switches: SwitchRecord[] = [];
  /** f(θ) and the test objective at the current θ, as last evaluated (float32 values). */
  lastLoss = NaN;
  lastTestLoss = NaN;
  /** The last step's info (MM algorithms: L, backtracks, accepted, …; null before a step or after a switch). */
  lastInfo: StepInfo | null = null;
  private impl: AnyEngineAlgorithm;
  private thetaArr: Float32Array;
  /** f on the whole training set (its cache carries ∇f(θₖ) from the recording pass to the next step). */
  private readonly full: CpuMLPObjective;
  private readonly batch: CpuMLPObjective;
  private readonly test: CpuMLPObjective | null;

  constructor(
    readonly id: string,
    algorithmId: string,
    hyper: Record<string, unknown>,
    readonly problem: FusedProblem,
  ) {
    this.algorithm = checkAlgorithm(algorithmId);
    this.impl = fusedAlgorithm(this.algorithm);
    this.hyper = hyper;
    this.thetaArr = problem.theta0.slice();
    this.full = new CpuMLPObjective(problem.net, problem.train);
    this.batch = new CpuMLPObjective(problem.net, problem.train);
    this.test = problem.test ? new CpuMLPObjective(problem.net, problem.test, null, false) : null;
    this.state = this.impl.init(this.context(this.full), cpuVec(this.thetaArr), hyper);
  }

  /** θ, float32 (the run's current vector: read it, never write into it; use setTheta). */
  get theta(): Float32Array {
    return this.thetaArr;
  }

  /** Replaces θ (a copy is taken). */
  setTheta(theta: ArrayLike<number>): void {
    if (theta.length !== this.thetaArr.length) throw new Error(`expected ${this.thetaArr.length} parameters, got ${theta.length}`);
    this.thetaArr = Float32Array.from(theta);
  }

  /** Puts the run at another algorithm, θ and state (a snapshot's), without recording a switch. */
  load(algorithmId: string, hyper: Record<string, unknown>, theta: ArrayLike<number>, state: AlgorithmState): void {
    this.algorithm = checkAlgorithm(algorithmId);
    this.impl = fusedAlgorithm(this.algorithm);
    this.hyper = hyper;
    this.setTheta(theta);
    this.state = state;
  }

  get active(): boolean {
    return this.status === 'running';
  }

  private context(f: CpuMLPObjective): StepContext {
    return { ops: cpuVectorOps, f };
  }

  /** One step on the mini-batch `rows` (null: the full training set). */
  step(rows: Int32Array | null): void {
    if (!this.active) return;
    try {
      let f = this.full;
      if (rows) {
        this.batch.setRows(rows);
        f = this.batch;
      }
      const out = this.impl.step(this.context(f), cpuVec(this.thetaArr), this.state, this.hyper);
      this.thetaArr = cpuArray(out.theta);
      this.state = out.state;
      this.lastInfo = out.info;
      this.t += 1;
    } catch (e) {
      this.fail(e);
    }
  }

  /**
   * f(θ) on the training set (and the test objective when `withTest`), stored in lastLoss/lastTestLoss.
   * `prefetchGrad` also computes the full-batch ∇f(θ) for the next full-batch step, in the same pass.
   */
  evaluate(withTest: boolean, prefetchGrad: boolean): number {
    const theta = cpuVec(this.thetaArr);
    this.lastLoss = this.full.value(theta, prefetchGrad);
    this.lastTestLoss = withTest && this.test ? this.test.value(theta) : NaN;
    return this.lastLoss;
  }

  /** Switch algorithm mid-run: θ is kept; the state restarts from init unless keepState (same algorithm). */
  switchTo(algorithmId: string, hyper: Record<string, unknown>, keepState = false): void {
    const next = checkAlgorithm(algorithmId);
    const keep = keepState && next === this.algorithm;
    this.impl = fusedAlgorithm(next);
    if (!keep) this.state = this.impl.init(this.context(this.full), cpuVec(this.thetaArr), hyper);
    this.lastInfo = null;
    this.switches.push({ at: this.t, from: this.algorithm, to: next, hyper, keepState: keep });
    this.algorithm = next;
    this.hyper = hyper;
    if (this.status === 'done') this.status = 'running';
  }

  /** Marks the run diverged when `value` (f after step t) is not finite. Returns true if it stopped. */
  checkFinite(value: number, atStep: number): boolean {
    return stopIfNotFinite(this, value, atStep, ' (try a smaller step size)');
  }

  fail(e: unknown): void {
    this.status = 'error';
    this.message = e instanceof Error ? e.message : String(e);
  }

  /** θ as one Float32Array per tensor (copies), in the order and shapes of problem.tensors. */
  paramArrays(): Float32Array[] {
    return this.problem.tensors.map((t) => this.thetaArr.slice(t.offset, t.offset + t.size));
  }
}

function checkAlgorithm(id: string): FusedAlgorithmId {
  if (!FUSED_ALGORITHMS.includes(id)) throw new Error(`the fused engine runs ${FUSED_ALGORITHMS.join(', ')} only, not '${id}'`);
  return id;
}
