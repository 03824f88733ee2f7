/**
 * A CNN config in the page's path: its share link decodes to the same config (conv blocks included),
 * and the worker's session starts it on the cpu engine and on tfjs's cpu backend, trains with accuracy
 * in its progress blocks equal to the headless fold's, and answers the image views from the CNN's
 * logits (EngineProblem.predict: the confusion diagonal is the engine's test accuracy).
 */
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../src/core/config';
import { runFusedExperiment } from '../src/core/fused';
import { loadImageSetNode } from '../src/cli/data-files';
import { decodeShare, DEFAULT_VIEW, encodeShare } from '../src/ui/share';
import { harness } from './session-harness';

const config = (steps = 20) =>
  loadExperiment({
    version: 1,
    problem: {
      kind: 'mlp',
      data: { kind: 'dataset', name: 'digits', n: 300, testRatio: 0.25 },
      conv: [{ filters: 6, kernel: 3, pool: 2 }],
      hidden: [16],
      activation: 'relu',
      loss: 'softmax_ce',
      batchSize: 32,
    },
    runs: [{ algorithm: 'adam', hyper: { lr: 0.01 } }, { algorithm: 'mm-lipschitz' }],
    steps,
  });

describe('a CNN config in the page and the worker', () => {
  it('survives a share link', () => {
    const c = config();
    const d = decodeShare(encodeShare(c, DEFAULT_VIEW));
    expect(d.kind).toBe('ok');
    if (d.kind === 'ok') expect(d.config).toEqual(c);
  });

  it('the page’s default backend choice (auto) calibrates on the CNN and starts', async () => {
    await loadImageSetNode('digits');
    const h = harness();
    await h.send({ type: 'start', config: config(3), backend: 'auto', play: true });
    expect(h.of('error')).toEqual([]);
    expect(h.of('state').at(-1)).toMatchObject({ t: 3 });
    const ready = h.of('ready').at(-1)!;
    expect(ready).toMatchObject({ backend: 'fused', reasonKind: 'calibration' });
    expect(ready.backends.find((b) => b.name === 'fused')).toMatchObject({ status: 'available', msPerStep: expect.any(Number) });
  });

  for (const backend of ['fused', 'cpu'] as const)
    it(`trains in the session (${backend === 'fused' ? 'cpu engine' : "tfjs's cpu backend"}) and answers the image views`, async () => {
      await loadImageSetNode('digits');
      const steps = backend === 'fused' ? 20 : 6; // tfjs's cpu backend is slow at convolutions
      const c = config(steps);
      const h = harness();
      await h.send({ type: 'start', config: c, backend, play: true });
      expect(h.of('error')).toEqual([]);
      expect(h.of('state').at(-1)).toMatchObject({ t: steps, playing: false });
      const ref = runFusedExperiment(c);
      const acc = h.of('progress').flatMap((m) => m.blocks.filter((b) => b.run === 0 && b.accuracy).map((b) => b.accuracy!));
      if (backend === 'fused') {
        expect(acc.at(-1)).toEqual({ t: steps, train: ref.runs[0].trainAccuracy, test: ref.runs[0].testAccuracy });
        expect(ref.runs[0].testAccuracy).toBeGreaterThan(0.3); // chance: 0.1
      } else expect(acc.at(-1)!.test).toBeCloseTo(ref.runs[0].testAccuracy!, 1);

      await h.send({ type: 'requestImageViews', run: 0, requestId: 1 });
      const [v] = h.of('imageViews');
      expect(v).toMatchObject({ run: 0, rows: 8, cols: 8, classes: 10, evaluated: 75, split: 'test', weights: null });
      let diag = 0;
      for (let k = 0; k < 10; k++) diag += v.confusion[k * 10 + k];
      expect(diag / 75).toBeCloseTo(h.s.experiment!.accuracy(0, 'test'), 6);
    });
});
