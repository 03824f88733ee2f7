/**
 * 'auto' reuses its last calibration for a problem of the same model and size class
 * (src/worker/calibration-key.ts): a preview after an added point or a new seed does not spend another
 * ~1.5 s, while another model, another size class or other algorithms are measured afresh.
 */
import { describe, expect, it } from 'vitest';
import { loadExperiment, type ExperimentConfig } from '../src/core/config';
import { calibrationKey } from '../src/worker/calibration-key';
import { harness } from './session-harness';

const mlp = (problem: Record<string, unknown> = {}, data: Record<string, unknown> = {}, algorithms = ['sgd', 'adam']): ExperimentConfig =>
  loadExperiment({
    version: 1,
    problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 256, ...data }, hidden: [8, 8], ...problem },
    runs: algorithms.map((algorithm) => ({ algorithm })),
    steps: 30,
  });

describe('calibration key', () => {
  it('ignores data values, noise, seeds and small size changes; keeps the model, the algorithms and the size class', () => {
    const base = calibrationKey(mlp());
    expect(calibrationKey(mlp({}, { n: 257, noise: 0.3 }))).toBe(base);
    expect(calibrationKey({ ...mlp(), seeds: { data: 9, init: 8, batch: 7 } })).toBe(base);
    expect(calibrationKey(mlp({}, { n: 1024 }))).not.toBe(base);
    expect(calibrationKey(mlp({ hidden: [8, 16] }))).not.toBe(base);
    expect(calibrationKey(mlp({ batchSize: 32 }))).not.toBe(base);
    expect(calibrationKey(mlp({}, {}, ['sgd', 'mm-gauss-newton']))).not.toBe(base);
    expect(calibrationKey(mlp({ loss: 'softmax_ce' }, { name: 'spiral' }))).not.toBe(calibrationKey(mlp({ loss: 'softmax_ce' }, { name: 'gaussians' })));
  });

  it('explicit data enters by its shape only', () => {
    const explicit = (X: number[][], y: number[]) =>
      calibrationKey(loadExperiment({ version: 1, problem: { kind: 'mlp', data: { kind: 'explicit', X, y }, hidden: [8, 8] }, runs: [{ algorithm: 'sgd' }], steps: 30 }));
    const a = explicit(
      Array.from({ length: 40 }, (_, i) => [i / 40, 1 - i / 40]),
      Array.from({ length: 40 }, (_, i) => i % 2),
    );
    const b = explicit(
      Array.from({ length: 41 }, (_, i) => [Math.sin(i), Math.cos(i)]),
      Array.from({ length: 41 }, (_, i) => (i + 1) % 2),
    );
    expect(b).toBe(a);
  });
});

describe("'auto' in a session", () => {
  it('measures once, then reuses the measurement for a problem of the same size and model, and says so', async () => {
    const h = harness({ calibrationMs: 1500 });
    await h.send({ type: 'start', config: mlp(), backend: 'auto', play: false });
    const first = h.of('ready')[0];
    expect(first.reasonKind).toBe('calibration');
    expect(first.reason).not.toMatch(/earlier problem/);
    await h.send({ type: 'start', config: mlp({}, { n: 250, noise: 0.2 }), backend: 'auto', play: false });
    const again = h.of('ready')[1];
    expect(again.backend).toBe(first.backend);
    expect(again.reason).toBe(`${first.reason} (measured on an earlier problem of this size and model)`);
    expect(again.backends).toEqual(first.backends);
    // Another model: measured afresh.
    await h.send({ type: 'start', config: mlp({ hidden: [16] }), backend: 'auto', play: false });
    expect(h.of('ready')[2].reason).not.toMatch(/earlier problem/);
  });
});
