/**
 * A rough size of the work one step of an experiment takes, to say up front when the page will be slow
 * (the status line while preparing, and the README's limits): multiply-adds of a forward and backward
 * pass over the training points per run (MLP; a CNN's convolutions counted with its dense layers), or of
 * the W·H products of one update (NMF).
 */
import { mlpSizes, nmfShape, type ExperimentConfig, type MLPProblemConfig } from '../core/config';
import { cnnShapeOf } from '../core/problems/cnn-config';
import { convMacs } from '../core/problems/cnn-spec';

/** Multiply-adds per step above which the page is slow (≈ 1 s per step in WebAssembly on a laptop). */
export const HEAVY_MACS = 2e9;

export function workEstimate(config: ExperimentConfig): { macs: number; heavy: boolean; text: string } {
  const p = config.problem;
  const runs = config.runs.length;
  let macs: number;
  if (p.kind === 'mlp') {
    const points = p.data.kind === 'explicit' ? p.data.X.length : Math.round(p.data.n * (1 - p.data.testRatio));
    macs = 3 * forwardMacs(p) * (p.batchSize ?? points) * runs;
  } else if (p.kind === 'function') {
    macs = 20 * runs;
  } else {
    const [m, n] = nmfShape(p);
    macs = 6 * m * n * p.rank * runs;
  }
  const heavy = macs >= HEAVY_MACS;
  const g = macs / 1e9;
  return { macs, heavy, text: `about ${g >= 10 ? g.toFixed(0) : g.toFixed(1)} G multiply-adds per step (${runs} run${runs > 1 ? 's' : ''}): expect slow steps here (a second or more each); npm run lab runs it headless` };
}

/** Multiply-adds of one point's forward pass: the dense layers' weights, plus a CNN's convolutions (cnn-spec.ts convMacs). */
export function forwardMacs(p: MLPProblemConfig): number {
  const dense = (sizes: number[]) => sizes.slice(1).reduce((n, out, l) => n + sizes[l] * out, 0);
  if (!p.conv) return dense(mlpSizes(p));
  const shape = cnnShapeOf(p);
  return convMacs(shape) + dense(shape.dense);
}
