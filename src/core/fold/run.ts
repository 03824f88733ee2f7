/**
 * One run on any engine: an algorithm (core/engine/algorithm.ts) folded over θ,
 *   (θₖ, stateₖ) → step → (θₖ₊₁, stateₖ₊₁).
 * Switching algorithm mid-run keeps θ and starts the new algorithm's state from `init` (or keeps the
 * state when only the hyper-parameters change); the switch is recorded. A non-finite objective stops the
 * run as 'diverged' at the step where it happened (`stopIfNotFinite`, the rule of every fold), an
 * exception as 'error'.
 */
import type { AlgorithmState, AnyEngineAlgorithm, StepInfo, VecSurrogate } from '../engine/algorithm';
import type { EngineProblem, PendingLosses } from '../engine/problem';
import type { ObjectiveOps, StepContext, Vec } from '../engine/types';
import { stopIfNotFinite, type RunStatus, type SwitchRecord } from './status';

/** Looks an algorithm up by id (the registry), throwing a clear message for one this fold cannot run. */
export type AlgorithmLookup = (id: string) => AnyEngineAlgorithm;

export class Run {
  algorithm: AnyEngineAlgorithm;
  hyper: Record<string, unknown>;
  theta: Vec;
  state: AlgorithmState;
  /** Steps taken so far. */
  t = 0;
  status: RunStatus = 'running';
  message = '';
  /** Step count at which the objective first became non-finite. */
  divergedAt: number | null = null;
  readonly switches: SwitchRecord[] = [];
  /** The last step's info (MM: L, backtracks, accepted, …); null before a step and after a switch. */
  lastInfo: StepInfo | null = null;
  /** f(θ) and the test f at the current θ, as last evaluated (NaN before). */
  lastLoss = NaN;
  lastTestLoss = NaN;

  constructor(
    readonly id: string,
    algorithmId: string,
    hyper: Record<string, unknown>,
    readonly problem: EngineProblem,
    private readonly lookup: AlgorithmLookup,
    /** Where the run starts (default θ₀ of the problem); the run owns it. */
    theta?: Vec,
  ) {
    this.algorithm = lookup(algorithmId);
    this.hyper = hyper;
    this.theta = theta ?? problem.theta0();
    this.state = problem.ops.tidy(() => this.algorithm.init(this.context(problem.full), this.theta, hyper));
  }

  get active(): boolean {
    return this.status === 'running';
  }

  context(f: ObjectiveOps): StepContext {
    return { ops: this.problem.ops, f };
  }

  /** One step of the current algorithm on `f` (the step's objective); errors end the run with a message. */
  step(f: ObjectiveOps): void {
    if (!this.active) return;
    try {
      // tidy: on tfjs the step's intermediates are freed, only θ′ and the state survive.
      const out = this.problem.ops.tidy(() => this.algorithm.step(this.context(f), this.theta, this.state, this.hyper));
      this.problem.releaseReplaced(this.theta, out.theta);
      this.problem.releaseReplaced(this.state, out.state);
      this.theta = out.theta;
      this.state = out.state;
      this.lastInfo = out.info;
      this.t += 1;
    } catch (e) {
      this.fail(e);
    }
  }

  /**
   * f(θ) on the training set (and the test f when `withTest`), stored in lastLoss/lastTestLoss; a
   * non-finite f stops the run. `prefetchGrad`: the next step is full-batch (the engine may compute ∇f now).
   */
  evaluate(withTest: boolean, prefetchGrad: boolean): number {
    const { train, test } = this.problem.losses(this.theta, withTest, prefetchGrad);
    this.lastLoss = train;
    this.lastTestLoss = test;
    return train;
  }

  /**
   * f(θ) (and the test f) asked for now, read later with the problem's `readPending` (a GPU engine), or
   * known at once (stored in lastLoss/lastTestLoss; the caller checks it is finite).
   */
  evaluatePending(withTest: boolean, prefetchGrad: boolean): PendingLosses {
    if (this.problem.pendingLosses) return this.problem.pendingLosses(this.theta, withTest, prefetchGrad);
    const known = this.problem.losses(this.theta, withTest, prefetchGrad);
    this.lastLoss = known.train;
    this.lastTestLoss = known.test;
    return { known };
  }

  /** Switch algorithm mid-run: θ is kept; the new state starts from init unless keepState (same algorithm). */
  switchTo(algorithmId: string, hyper: Record<string, unknown>, keepState = false): void {
    const next = this.lookup(algorithmId);
    const keep = keepState && next.id === this.algorithm.id;
    if (!keep) {
      const state = this.problem.ops.tidy(() => next.init(this.context(this.problem.full), this.theta, hyper));
      this.problem.releaseReplaced(this.state, state);
      this.state = state;
    }
    this.switches.push({ at: this.t, from: this.algorithm.id, to: next.id, hyper, keepState: keep });
    this.algorithm = next;
    this.hyper = hyper;
    this.lastInfo = null;
    if (this.status === 'done') this.status = 'running';
  }

  /** θ's entries in the layout order (a copy). */
  thetaArray(): Float32Array {
    return this.problem.ops.toArray(this.theta);
  }

  /** Puts the run at an algorithm, θ and state (a snapshot's), without recording a switch. */
  load(algorithmId: string, hyper: Record<string, unknown>, theta: Vec, state: AlgorithmState): void {
    this.problem.releaseReplaced(this.theta, theta);
    this.problem.releaseReplaced(this.state, state);
    this.algorithm = this.lookup(algorithmId);
    this.hyper = hyper;
    this.theta = theta;
    this.state = state;
  }

  /** Marks the run diverged when `value` (f after step t) is not finite. Returns true if it stopped. */
  checkFinite(value: number, atStep: number): boolean {
    return stopIfNotFinite(this, value, atStep, ' (try a smaller step size)');
  }

  fail(e: unknown): void {
    this.status = 'error';
    this.message = e instanceof Error ? e.message : String(e);
  }

  /** The algorithm's surrogate (MM) or implied model (gradient) at the current point, on `f`. */
  model(f: ObjectiveOps = this.problem.full): VecSurrogate {
    return this.algorithm.model(this.context(f), this.theta, this.state, this.hyper);
  }

  dispose(): void {
    this.problem.releaseReplaced(this.theta, null);
    this.problem.releaseReplaced(this.state, null);
  }
}
