/**
 * Accuracy for the live page: a classification run's train/test accuracy attached to its progress block
 * every so often — at most every ACCURACY_MS of wall time, stretched so the forward passes it costs stay
 * under ~10% of the time (a full pass over both sets on 10k MNIST images is not free) — and at the
 * step target, so the last value shown is the final one.
 */
import type { Experiment } from '../core/fold/experiment';
import type { ProgressBlock } from './protocol';

const ACCURACY_MS = 400;
const last = new WeakMap<Experiment, { at: number; costMs: number }>();

export function attachAccuracy(exp: Experiment | null, blocks: ProgressBlock[], atTarget: boolean): void {
  if (!exp || !exp.classifies || !blocks.length) return;
  const now = performance.now();
  const prev = last.get(exp);
  if (prev && !atTarget && now - prev.at < Math.max(ACCURACY_MS, 10 * prev.costMs)) return;
  for (const b of blocks) {
    const run = exp.runs[b.run];
    b.accuracy = { t: run.t, train: exp.accuracy(b.run, 'train'), test: exp.hasTest ? exp.accuracy(b.run, 'test') : NaN };
  }
  const end = performance.now();
  last.set(exp, { at: end, costMs: end - now });
}
