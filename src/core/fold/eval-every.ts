/**
 * How often the fold evaluates f (and the test f) on the whole training (and test) set: the config's
 * `evalEvery` (an integer k ≥ 1, or "auto"). f is recorded at step 0, after every step that is a
 * multiple of k, and after the budget's last step; a non-finite f is seen at the next evaluation.
 *
 * "auto", by cost (P = parameters, plus the convolutions' multiply-adds per image for a CNN; n = nTrain
 * + nTest; B = the batch size):
 *   - full batch → 1: the evaluation is also the next step's f and ∇f (the engines prefetch it), free;
 *   - n·P ≤ 4·10⁶ → 1: one evaluation costs at most a few ms (every 2-D problem, NMF, moons-size MLPs);
 *   - otherwise once per epoch: min(stepsPerEpoch, ⌈4n / (3B)⌉). A step costs ~3·B·P (forward and
 *     backward on the batch), an evaluation n·P, so evaluating every k steps adds n / (3Bk) of the
 *     steps' time: k ≥ 4n / (3B) keeps that at ≤ ¼ (≤ 20 % of the total), and an epoch usually comes first.
 */
import { mlpSizes, type ExperimentConfig, type MLPProblemConfig } from '../config';
import { cnnShapeOf } from '../problems/cnn-config';
import { cnnLayout, convMacs } from '../problems/cnn-spec';

/** One evaluation of at most this many multiply-adds (examples × (parameters + conv MACs)) is cheap. */
export const CHEAP_EVALUATION = 4_000_000;

export type EvalEverySetting = number | 'auto';

export interface EvalEvery {
  /** Evaluate f after every k-th step. */
  every: number;
  /** Why: set in the config, full batch, cheap, or once per epoch. */
  reason: 'set' | 'full batch' | 'cheap' | 'epoch';
}

/** nTrain and nTest of an MLP problem, as its data set splits them (data/datasets.ts, data/images.ts). */
export function splitSizes(p: MLPProblemConfig): { nTrain: number; nTest: number } {
  if (p.data.kind === 'explicit') return { nTrain: p.data.X.length, nTest: p.data.Xtest?.length ?? 0 };
  const nTest = Math.min(p.data.n - 1, Math.round(p.data.testRatio * p.data.n));
  return { nTrain: p.data.n - nTest, nTest };
}

/** Multiply-adds of one forward pass on one example: the parameters, plus a CNN's convolutions. */
export function evaluationMacsPerExample(p: MLPProblemConfig): number {
  if (p.conv) {
    const shape = cnnShapeOf(p);
    return cnnLayout(shape).nParams + convMacs(shape);
  }
  const sizes = mlpSizes(p);
  return sizes.slice(1).reduce((n, out, l) => n + (sizes[l] + 1) * out, 0);
}

/** The evaluation interval of `config` (its `evalEvery`, "auto" resolved by the rule above). */
export function resolveEvalEvery(config: Pick<ExperimentConfig, 'problem'> & { evalEvery?: EvalEverySetting }): EvalEvery {
  const setting = config.evalEvery ?? 'auto';
  if (setting !== 'auto') return { every: setting, reason: 'set' };
  const p = config.problem;
  if (p.kind !== 'mlp' || p.batchSize === null) return { every: 1, reason: 'full batch' };
  const { nTrain, nTest } = splitSizes(p);
  if (p.batchSize >= nTrain) return { every: 1, reason: 'full batch' };
  const n = nTrain + nTest;
  if (n * evaluationMacsPerExample(p) <= CHEAP_EVALUATION) return { every: 1, reason: 'cheap' };
  const stepsPerEpoch = Math.ceil(nTrain / p.batchSize);
  return { every: Math.max(1, Math.min(stepsPerEpoch, Math.ceil((4 * n) / (3 * p.batchSize)))), reason: 'epoch' };
}

/** Whether f is evaluated after step t (k = every; `last`: the budget's last step). */
export const evaluatesAt = (t: number, every: number, last: number): boolean => t % every === 0 || t === last;
