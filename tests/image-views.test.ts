/**
 * The image views' worker side (src/worker/image-views.ts): confusion counts, argmax and the strip's
 * order on tiny known answers, then the live session's `imageViews` answer on digits checked against
 * independent parts — the confusion matrix's diagonal equals the engine's own test accuracy, the weight
 * images are θ's first-layer columns, the strip's labels are the dataset's.
 */
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../src/core/config';
import { loadImageSetNode } from '../src/cli/data-files';
import { mlpPoints } from '../src/core/problems/mlp-data';
import { argmaxRows, confusionCounts, stripOrder } from '../src/worker/image-views';
import { harness } from './session-harness';

describe('image view helpers', () => {
  it('confusion counts: row = true class, column = predicted', () => {
    // truth 0 0 1 2 2 2, predicted 0 1 1 2 0 2 → [[1,1,0],[0,1,0],[1,0,2]]
    expect(Array.from(confusionCounts([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], 3))).toEqual([1, 1, 0, 0, 1, 0, 1, 0, 2]);
    expect(() => confusionCounts([0, 3], [0, 0], 3)).toThrow(/outside 0..2/);
    expect(() => confusionCounts([0], [0, 1], 3)).toThrow(/1 labels but 2 predictions/);
  });

  it('argmax of each row (first of equal maxima) and the strip: misclassified first', () => {
    const logits = Float32Array.from([0.1, 2, -1, /**/ 5, 5, 0, /**/ -3, -2, -1]);
    expect(Array.from(argmaxRows(logits, 3, 3))).toEqual([1, 0, 2]);
    expect(stripOrder([0, 1, 2, 3, 4], [0, 2, 2, 1, 4], 4)).toEqual([1, 3, 0, 2]);
    expect(stripOrder([0, 1], [0, 1], 5)).toEqual([0, 1]);
  });
});

describe('imageViews in the live session (digits, cpu engine)', () => {
  it('answers with counts that agree with the engine accuracy, θ’s first layer and the data', async () => {
    await loadImageSetNode('digits');
    const c = loadExperiment({
      version: 1,
      problem: { kind: 'mlp', data: { kind: 'dataset', name: 'digits', n: 600, testRatio: 0.25 }, hidden: [12], activation: 'relu', loss: 'softmax_ce', batchSize: 32 },
      runs: [{ algorithm: 'adam', hyper: { lr: 0.01 } }],
      steps: 30,
    });
    const h = harness();
    await h.send({ type: 'start', config: c, backend: 'fused', play: true });
    await h.send({ type: 'requestImageViews', run: 0, requestId: 7 });
    const [v] = h.of('imageViews');
    expect(v).toMatchObject({ run: 0, requestId: 7, t: 30, rows: 8, cols: 8, classes: 10, evaluated: 150, split: 'test' });
    expect(v.computeMs).toBeGreaterThanOrEqual(0);
    const exp = h.s.experiment!;
    // The diagonal over the total is the test accuracy the engine computes its own way.
    let diag = 0;
    for (let k = 0; k < 10; k++) diag += v.confusion[k * 10 + k];
    expect(v.confusion.reduce((a, b) => a + b, 0)).toBe(150);
    expect(diag / 150).toBeCloseTo(exp.accuracy(0, 'test'), 12);
    expect(diag / 150).toBeGreaterThan(0.5); // chance is 0.1
    // Row sums are the true class counts of the test split.
    const data = mlpPoints(c.problem as never, c.seeds.data);
    for (let k = 0; k < 10; k++) {
      const row = v.confusion.slice(k * 10, k * 10 + 10).reduce((a, b) => a + b, 0);
      expect(row).toBe(data.ytest!.filter((y) => y === k).length);
    }
    // The strip: misclassified first, labels from the data, pixels the test images'.
    const wrong = 150 - diag;
    const n = v.strip.truth.length;
    expect(n).toBe(24);
    for (let j = 0; j < n; j++) expect(v.strip.truth[j] !== v.strip.predicted[j]).toBe(j < wrong);
    const first = Array.from(v.strip.pixels.subarray(0, 64));
    const match = data.Xtest!.findIndex((x, i) => data.ytest![i] === v.strip.truth[0] && x.every((p, k) => Math.abs(p - first[k]) < 1e-7));
    expect(match).toBeGreaterThanOrEqual(0);
    // The weight images: unit u's row is W1's column u.
    const theta = exp.problem.ops.toArray(exp.runs[0].theta);
    expect(v.weights!.shape).toEqual([12, 64]);
    expect(v.weights!.units).toBe(12);
    for (const [u, k] of [[0, 0], [5, 37], [11, 63]]) expect(v.weights!.data[u * 64 + k]).toBe(theta[k * 12 + u]);
  });

  it('refuses a problem that is not an image set, with the reason', async () => {
    const h = harness();
    const c = loadExperiment({ version: 1, problem: { kind: 'mlp' }, runs: [{ algorithm: 'adam' }], steps: 2 });
    await h.send({ type: 'start', config: c, backend: 'fused', play: false });
    await h.send({ type: 'requestImageViews', run: 0 });
    expect(h.of('error').at(-1)).toMatchObject({ command: 'requestImageViews', message: expect.stringMatching(/image data set/) });
  });
});
