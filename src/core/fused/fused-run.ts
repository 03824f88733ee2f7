/**
 * One run on the fused engine: a gradient optimizer or a Lipschitz MM algorithm (./algorithms.ts)
 * folded over a flat float32 parameter vector, with
 * the semantics of core/run.ts — switching keeps θ and restarts the new optimizer's state from init
 * (or keeps it for the same optimizer with keepState), a non-finite objective stops the run as
 * 'diverged', an exception as 'error'.
 *
 * Full-batch runs evaluate f and ∇f in one pass: recording f(θₖ) after step k also computes ∇f(θₖ),
 * which step k+1 then uses (the gradient is marked fresh until θ changes).
 */
import { stopIfNotFinite, type RunStatus, type SwitchRecord } from '../run';
import type { FusedProblem } from './problem';
import type { MMLayerwiseHyper } from '../algorithms/mm-layerwise';
import type { MMLipschitzHyper } from '../algorithms/mm-lipschitz';
import { FUSED_ALGORITHMS, initFusedState, isFusedAlgorithm, type FusedAlgorithmId } from './algorithms';
import { layerwiseStep, lipschitzStep, type MMContext, type MMInfo } from './mm-steps';
import { isFusedOptimizer, optStep, type FusedOptState } from './optimizers';

function checkAlgorithm(id: string): FusedAlgorithmId {
  if (!isFusedAlgorithm(id)) throw new Error(`the fused engine runs ${FUSED_ALGORITHMS.join(', ')} only, not '${id}'`);
  return id;
}

export class FusedRun {
  algorithm: FusedAlgorithmId;
  hyper: Record<string, unknown>;
  /** θ, float32 (the run owns it; read it, or write it then call `paramsChanged`). */
  readonly theta: Float32Array;
  /** Float64 mirror of θ that the kernels read. */
  readonly theta64: Float64Array;
  /** ∇f(θ) on the last objective it was computed for. */
  readonly grad: Float64Array;
  state: FusedOptState;
  t = 0;
  status: RunStatus = 'running';
  message = '';
  divergedAt: number | null = null;
  readonly switches: SwitchRecord[] = [];
  /** f(θ) and the test objective at the current θ, as last evaluated (float32 values). */
  lastLoss = NaN;
  lastTestLoss = NaN;
  /** The last step's info (MM algorithms: L, backtracks, accepted, …; null for optimizers). */
  lastInfo: MMInfo | null = null;
  /** True while `grad` is the full-batch gradient at the current θ. */
  private gradFresh = false;
  /** Scratch for the MM algorithms' candidates (allocated on first use). */
  private cand64: Float64Array | null = null;

  constructor(
    readonly id: string,
    algorithmId: string,
    hyper: Record<string, unknown>,
    readonly problem: FusedProblem,
  ) {
    this.algorithm = checkAlgorithm(algorithmId);
    this.hyper = hyper;
    this.theta = problem.theta0.slice();
    this.theta64 = Float64Array.from(this.theta);
    this.grad = new Float64Array(this.theta.length);
    this.state = initFusedState(this.algorithm, problem, this.theta, hyper);
  }

  get active(): boolean {
    return this.status === 'running';
  }

  /** Call after writing `theta` from outside (refreshes the mirror, drops the cached gradient). */
  paramsChanged(): void {
    for (let i = 0; i < this.theta.length; i++) this.theta64[i] = this.theta[i];
    this.gradFresh = false;
  }

  /** One optimizer step on the mini-batch `rows` (null: the full training set). */
  step(rows: Int32Array | null): void {
    if (!this.active) return;
    try {
      // With a fresh gradient, lastLoss is f(θ) from the same full-batch pass.
      let f0 = this.lastLoss;
      if (rows || !this.gradFresh) f0 = this.problem.net.evaluate(this.theta64, this.problem.train, rows, true, this.grad);
      if (isFusedOptimizer(this.algorithm)) optStep(this.algorithm, this.theta, this.theta64, this.grad, this.state, this.hyper);
      else this.mmStep(rows, f0);
      this.gradFresh = false;
      this.t += 1;
    } catch (e) {
      this.fail(e);
    }
  }

  private mmStep(rows: Int32Array | null, f0: number): void {
    const { net, train } = this.problem;
    this.cand64 ??= new Float64Array(this.theta.length);
    const ctx: MMContext = { net, data: train, rows, theta: this.theta, theta64: this.theta64, grad: this.grad, f0, cand64: this.cand64 };
    const mm = this.state.mm!;
    this.lastInfo =
      this.algorithm === 'mm-layerwise' ? layerwiseStep(ctx, mm, this.hyper as MMLayerwiseHyper) : lipschitzStep(ctx, mm, this.hyper as MMLipschitzHyper);
    this.state.t += 1;
  }

  /**
   * f(θ) on the training set (and the test objective when `withTest`), stored in lastLoss/lastTestLoss.
   * `prefetchGrad` also computes the full-batch ∇f(θ) for the next full-batch step, in the same pass.
   */
  evaluate(withTest: boolean, prefetchGrad: boolean): number {
    const { net, train, test } = this.problem;
    this.lastLoss = Math.fround(net.evaluate(this.theta64, train, null, true, prefetchGrad ? this.grad : null));
    this.gradFresh = prefetchGrad;
    this.lastTestLoss = withTest && test ? Math.fround(net.evaluate(this.theta64, test, null, false)) : NaN;
    return this.lastLoss;
  }

  /** Switch optimizer mid-run: θ is kept; the state restarts from init unless keepState (same optimizer). */
  switchTo(algorithmId: string, hyper: Record<string, unknown>, keepState = false): void {
    const next = checkAlgorithm(algorithmId);
    const keep = keepState && next === this.algorithm;
    if (!keep) this.state = initFusedState(next, this.problem, this.theta, hyper);
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
    return this.problem.tensors.map((t) => this.theta.slice(t.offset, t.offset + t.size));
  }
}
