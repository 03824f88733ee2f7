/**
 * One run: an algorithm folded over the parameters, (θ, state) → step → (θ', state'). Switching
 * algorithm keeps θ and starts the new algorithm's state from `init`; the switch is recorded.
 * A non-finite objective stops the run with status 'diverged' at the step where it happened.
 */
import * as tf from '@tensorflow/tfjs';
import type { AnyAlgorithm, Objective, Params, StepInfo, Surrogate } from './types';
import { getTfjsAlgorithm as getAlgorithm } from './engines/tfjs/algorithms';

export { stopIfNotFinite, type RunEnd, type RunStatus, type SwitchRecord } from './fold/status';
import { stopIfNotFinite, type RunStatus, type SwitchRecord } from './fold/status';

/** Disposes every tensor of `old` that `next` no longer references (steps may pass tensors through). */
export function disposeReplaced(old: tf.TensorContainer, next: tf.TensorContainer): void {
  const keep = new Set<number>();
  const collect = (x: unknown, out: (t: tf.Tensor) => void): void => {
    if (x instanceof tf.Tensor) out(x);
    else if (Array.isArray(x)) x.forEach((v) => collect(v, out));
    else if (x && typeof x === 'object' && !ArrayBuffer.isView(x)) Object.values(x).forEach((v) => collect(v, out));
  };
  collect(next, (t) => keep.add(t.id));
  collect(old, (t) => {
    if (!keep.has(t.id) && !t.isDisposed) t.dispose();
  });
}

export class Run {
  algorithm: AnyAlgorithm;
  hyper: Record<string, unknown>;
  params: Params;
  state: tf.TensorContainer;
  /** Steps taken so far. */
  t = 0;
  status: RunStatus = 'running';
  message = '';
  /** Step count at which the objective first became non-finite. */
  divergedAt: number | null = null;
  readonly switches: SwitchRecord[] = [];
  lastInfo: StepInfo = {};

  constructor(
    readonly id: string,
    algorithmId: string,
    hyper: Record<string, unknown>,
    params: Params,
    obj: Objective,
  ) {
    this.algorithm = getAlgorithm(algorithmId);
    this.hyper = hyper;
    this.params = params;
    this.state = this.algorithm.init(params, hyper, obj);
  }

  get active(): boolean {
    return this.status === 'running';
  }

  /** One step of the current algorithm on `obj`; errors end the run with a message. */
  step(obj: Objective): void {
    if (!this.active) return;
    try {
      const out = this.algorithm.step(obj, this.params, this.state, this.hyper);
      disposeReplaced(this.params, out.params);
      disposeReplaced(this.state, out.state);
      this.params = out.params;
      this.state = out.state;
      this.lastInfo = out.info;
      this.t += 1;
    } catch (e) {
      this.fail(e);
    }
  }

  /** Switch algorithm mid-run: θ is kept, the new algorithm's state starts from init. */
  switchTo(algorithmId: string, hyper: Record<string, unknown>, obj: Objective, keepState = false): void {
    const next = getAlgorithm(algorithmId);
    const keep = keepState && next.id === this.algorithm.id;
    if (!keep) {
      const state = next.init(this.params, hyper, obj);
      tf.dispose(this.state);
      this.state = state;
    }
    this.switches.push({ at: this.t, from: this.algorithm.id, to: next.id, hyper, keepState: keep });
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

  /** The algorithm's surrogate (MM) or implied model (gradient) at the current point. */
  model(obj: Objective): Surrogate {
    return this.algorithm.model(obj, this.params, this.state, this.hyper);
  }

  dispose(): void {
    tf.dispose(this.params);
    tf.dispose(this.state);
  }
}
