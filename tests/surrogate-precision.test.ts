/**
 * Issue 15, point 3: near convergence the surrogate view is not float32 noise. On the cpu engine the
 * worker evaluates the slice in float64 (EngineProblem.precise): f along the step of a converged Böhning
 * run is a smooth convex curve, g touches it at θₖ and stays above it.
 */
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../src/core/config';
import { harness } from './session-harness';

const config = loadExperiment({
  version: 1,
  problem: { kind: 'mlp', data: { kind: 'dataset', name: 'gaussians', classes: 2, n: 400, noise: 0.4 }, hidden: [], loss: 'bce', l2: 0.001 },
  runs: [{ algorithm: 'mm-bohning' }],
  steps: 100,
});

/** Sign changes of the second difference: 0 for a convex curve sampled exactly, many for noise. */
function wiggles(f: Float64Array): number {
  const d2 = Array.from({ length: f.length - 2 }, (_, i) => f[i + 2] - 2 * f[i + 1] + f[i]);
  let n = 0;
  for (let i = 1; i < d2.length; i++) if (Math.sign(d2[i]) !== Math.sign(d2[i - 1]) && d2[i] !== 0 && d2[i - 1] !== 0) n++;
  return n;
}

describe('the surrogate slice near convergence', () => {
  it('is evaluated in float64 on the cpu engine: f smooth and convex along the step, g ≥ f with g(θₖ) = f(θₖ)', async () => {
    const h = harness();
    await h.send({ type: 'start', config, backend: 'fused', play: true });
    expect(h.of('state').at(-1)).toMatchObject({ playing: false, t: 100 });
    await h.send({ type: 'requestSurrogate', run: 0, kind: 'slice', points: 41 });
    const evt = h.of('surrogate').at(-1)!;
    if (evt.data.kind !== 'slice') throw new Error('slice expected');
    expect(evt.precision).toBe('float64');
    const { f, g } = evt.data;
    // The variation along the step is far below float32 resolution of f itself …
    const span = Math.max(...f) - Math.min(...f);
    expect(span / Math.abs(f[20])).toBeLessThan(1e-4);
    // … and yet f is a clean convex curve (logistic loss + ridge is convex), g a majorizer touching it.
    expect(wiggles(f)).toBe(0);
    expect(evt.violations).toBe(0);
    const t0 = Array.from(evt.data.s).findIndex((s) => Math.abs(s) < 1e-9);
    expect(Math.abs(g[t0] - f[t0])).toBeLessThanOrEqual(1e-7 * Math.abs(f[t0]));
  });

  it('says float32 where the engine has no float64 path (tfjs)', async () => {
    const h = harness();
    await h.send({ type: 'start', config: { ...config, steps: 5 }, backend: 'cpu', play: true });
    await h.send({ type: 'requestSurrogate', run: 0, kind: 'slice', points: 11 });
    expect(h.of('surrogate').at(-1)!.precision).toBe('float32');
  });
});
