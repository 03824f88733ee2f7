/**
 * Speed of the training loop: steps per tick K — adapted so a tick takes ~16–30 ms of compute, or
 * fixed by setSpeed — and an optional cap on the step rate (slow motion for teaching), with the
 * measured steps/s over the last second.
 */
import type { SetSpeedCmd } from './protocol';

export const MAX_K = 4096;

/** Steps per tick and the step-rate cap. */
export class Pace {
  kMode: number | 'auto' = 'auto';
  /** K in use ('auto': adapted after every full tick). */
  k = 1;
  rateCap: number | null = null;
  /** Delay before the next tick (rate cap), ms. */
  nextDelay = 0;
  private window: { time: number; steps: number }[] = [];

  constructor(readonly targetTickMs: number) {}

  /** setSpeed: validated; omitted fields keep their value. */
  set(cmd: Pick<SetSpeedCmd, 'stepsPerTick' | 'stepsPerSecond'>): void {
    if (cmd.stepsPerTick !== undefined) {
      if (cmd.stepsPerTick === 'auto') this.kMode = 'auto';
      else {
        const k = Math.floor(cmd.stepsPerTick);
        if (!(k >= 1 && k <= MAX_K)) throw new Error(`setSpeed: stepsPerTick must be 'auto' or an integer in [1, ${MAX_K}]`);
        this.kMode = k;
        this.k = k;
      }
    }
    if (cmd.stepsPerSecond !== undefined) {
      if (cmd.stepsPerSecond !== null && !(cmd.stepsPerSecond > 0)) throw new Error('setSpeed: stepsPerSecond must be > 0 or null');
      this.rateCap = cmd.stepsPerSecond;
    }
  }

  /** A new experiment: K starts small again ('auto'). */
  restart(): void {
    this.k = this.kMode === 'auto' ? 1 : this.kMode;
  }

  resetRate(): void {
    this.window = [];
  }

  /** K for the next tick: `pending` steps owed by `step n` (0: none), `remaining` to the target. */
  ticketK(pending: number, remaining: number): number {
    let k = this.kMode === 'auto' ? this.k : this.kMode;
    if (this.rateCap !== null) k = Math.min(k, Math.max(1, Math.floor(this.rateCap * 0.1)));
    if (pending > 0) k = Math.min(k, pending);
    else k = Math.min(k, Math.max(0, remaining));
    return Math.max(1, k);
  }

  /** After a tick of `done` of `K` steps in `tickMs`: adapts K, sets the delay, returns the steps/s over the last second. */
  after(K: number, done: number, tickMs: number, tStart: number): number {
    // Adapt K towards the target tick time (grow at most ×2 per tick).
    if (this.kMode === 'auto' && done === K && done > 0) {
      const ideal = (K * this.targetTickMs) / Math.max(tickMs, 0.25);
      this.k = Math.max(1, Math.min(MAX_K, Math.round(Math.min(ideal, 2 * K))));
    }
    const now = performance.now();
    const w = this.window;
    w.push({ time: now, steps: done });
    while (w.length > 1 && now - w[0].time > 1000) w.shift();
    const span = now - (w.length > 1 ? w[0].time : tStart);
    const stepsInWindow = w.reduce((a, x) => a + x.steps, 0) - (w.length > 1 ? w[0].steps : 0);
    if (this.rateCap !== null) this.nextDelay = Math.max(0, (1000 * done) / this.rateCap - tickMs);
    return span > 0 ? (1000 * stepsInWindow) / span : 0;
  }

  takeDelay(): number {
    const d = this.nextDelay;
    this.nextDelay = 0;
    return d;
  }
}
