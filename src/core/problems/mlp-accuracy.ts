/**
 * Classification accuracy from an MLP's outputs, the rule both engines use: softmax_ce predicts the
 * argmax of the K logits (the first on ties), bce predicts class 1 when the logit is > 0; mse is
 * regression (no accuracy). Pure numbers, no tfjs.
 */
import type { LossName } from './mlp-spec';

/** Correct predictions among the n rows of `z` (n×K row-major) against class indices `y` (label of row i: y[rows[i]] or y[i]). */
export function countCorrect(z: ArrayLike<number>, n: number, K: number, y: ArrayLike<number>, loss: LossName, rows: ArrayLike<number> | null = null): number {
  if (loss === 'mse') throw new Error('accuracy: a regression (mse) problem has no classes');
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const label = y[rows ? rows[i] : i];
    let pred: number;
    if (loss === 'bce') pred = z[i] > 0 ? 1 : 0;
    else {
      pred = 0;
      let best = z[i * K];
      for (let k = 1; k < K; k++) {
        const v = z[i * K + k];
        if (v > best) {
          best = v;
          pred = k;
        }
      }
    }
    if (pred === label) correct += 1;
  }
  return correct;
}
