/**
 * The worker's `requestAudio`: on a session factorising the built-in piece, each component's signal by
 * Wiener masking, read from the run's θ through the engine interface (cpu engine and tfjs), summing to
 * the mixture; a non-audio problem is answered with an error naming the reason.
 */
import { describe, expect, it } from 'vitest';
import { CONFIG_VERSION, type ExperimentConfig } from '../src/core/config';
import { harness } from './session-harness';

const config = (data: unknown) =>
  ({ version: CONFIG_VERSION, problem: { kind: 'nmf', beta: 0, rank: 3, data }, runs: [{ algorithm: 'nmf-mm' }, { algorithm: 'nmf-me' }], steps: 1000 }) as unknown as ExperimentConfig;
const piano = { kind: 'audio', source: { kind: 'builtin', name: 'piano-notes', sampleRate: 8000, noteSeconds: 0.3 }, stft: { fft: 256, hop: 64 } };

describe('requestAudio', () => {
  for (const backend of ['fused', 'cpu'] as const)
    it(`answers with component signals that sum to the mixture (${backend})`, async () => {
      const h = harness();
      await h.send({ type: 'start', config: config(piano), backend, play: false });
      await h.send({ type: 'step', n: 15 });
      await h.send({ type: 'requestAudio', run: 1, requestId: 7 });
      expect(h.of('error')).toEqual([]);
      const [a] = h.of('audio');
      expect(a).toMatchObject({ run: 1, requestId: 7, t: 15, sampleRate: 8000, rank: 3, hzPerBin: 8000 / 256, secondsPerFrame: 64 / 8000 });
      const L = a.mixture.length;
      expect(L).toBe(Math.round(6 * 0.3 * 8000));
      expect(a.components.length).toBe(3 * L);
      expect(a.W.shape).toEqual([129, 3]);
      expect(a.H.shape[0]).toBe(3);
      let err = 0;
      let energy = [0, 0, 0];
      for (let i = 0; i < L; i++) {
        err = Math.max(err, Math.abs(a.components[i] + a.components[L + i] + a.components[2 * L + i] - a.mixture[i]));
        energy = energy.map((e, k) => e + a.components[k * L + i] ** 2);
      }
      expect(err).toBeLessThan(1e-5);
      for (const e of energy) expect(e).toBeGreaterThan(0);
    }, 60_000);

  it('says why when the problem has no audio', async () => {
    const h = harness();
    await h.send({ type: 'start', config: config({ kind: 'spectrogram', bins: 16, frames: 16 }), backend: 'fused', play: false });
    await h.send({ type: 'requestAudio', run: 0 });
    const [e] = h.of('error');
    expect(e.command).toBe('requestAudio');
    expect(e.message).toMatch(/no audio to play: the problem is NMF on spectrogram data/);
  });
});
