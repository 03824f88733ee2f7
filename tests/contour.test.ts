/**
 * The worker's contour handler (src/worker/contour.ts, `requestContour`): f on the grid is the exact
 * function, g is the run's own surrogate (g(θₜ) = f(θₜ), g ≥ f everywhere for a global bound, and
 * the region g < f non-empty for GD's implied model at lr > 2/L), θₜ₊₁ is g's minimiser, and the paths
 * are the runs' iterates (equal to the CLI's trajectory), switches included; other problems are refused.
 */
import { describe, expect, it } from 'vitest';
import { runWithTrajectory } from '../src/cli/trajectory';
import { loadExperiment, type ExperimentConfig } from '../src/core/config';
import { testFunction } from '../src/core/problems/functions';
import type { ContourEvt } from '../src/worker/protocol';
import { harness } from './session-harness';

const config = (steps = 200): ExperimentConfig =>
  loadExperiment({
    version: 1,
    problem: { kind: 'function', name: 'quadratic', kappa: 10, angle: 30, start: [-2.5, 2] },
    steps,
    runs: [{ algorithm: 'sgd', hyper: { lr: 0.21 } }, { algorithm: 'mm-lipschitz' }, { algorithm: 'mm-curvature', hyper: { curvature: 'bound' } }],
  });
const q = testFunction({ name: 'quadratic', kappa: 10, angle: 30 });

async function started(steps: number) {
  const h = harness();
  await h.send({ type: 'start', config: config(), backend: 'fused', play: false });
  if (steps) await h.send({ type: 'step', n: steps });
  return h;
}

const contour = async (h: Awaited<ReturnType<typeof started>>, run: number, grid = 24): Promise<ContourEvt> => {
  await h.send({ type: 'requestContour', run, grid, requestId: 5 });
  const e = h.of('error');
  if (e.length) throw new Error(e.at(-1)!.message);
  return h.of('contour').at(-1)!;
};

describe('requestContour', () => {
  it('f is the function on the grid; paths are the runs’ iterates, as the CLI reports them', async () => {
    const h = await started(7);
    const c = await contour(h, 1);
    expect(c.requestId).toBe(5);
    expect(c.t).toBe(7);
    expect(c.f).toHaveLength(24 * 24);
    const at = (r: [number, number], k: number) => Math.fround(r[0] + ((r[1] - r[0]) * k) / 23);
    expect(c.f[3 * 24 + 17]).toBe(q.value(at(c.x, 17), at(c.y, 3)));
    const cli = runWithTrajectory({ ...config(), steps: 7 }, { recordTest: false });
    c.paths.forEach((p, i) => {
      expect(p.steps).toBe(7);
      expect(Array.from(p.points)).toEqual((cli.runs[i] as unknown as { trajectory: number[][] }).trajectory.flat());
    });
  });

  it('g is the run’s surrogate: g(θₜ) = f(θₜ), its minimiser is the next iterate, a global bound majorizes f', async () => {
    const h = await started(3);
    const bound = await contour(h, 2, 32);
    expect(bound.certificate).toBe('global');
    bound.g!.forEach((g, k) => expect(g).toBeGreaterThanOrEqual(bound.f[k] - 1e-9 * Math.max(1, bound.f[k])));
    const mm = await contour(h, 1, 32);
    expect(mm.certificate).toBe('step');
    expect(mm.next).not.toBeNull();
    await h.send({ type: 'step', n: 1 });
    const after = await contour(h, 1, 8);
    expect(after.theta).toEqual(mm.next);
    // GD's implied model with 1/lr < L lies below f somewhere: the region g < f is not empty.
    const gd = await contour(h, 0, 32);
    expect(gd.certificate).toBe('none');
    expect(gd.g!.some((g, k) => g < gd.f[k] - 1e-6)).toBe(true);
  });

  it('follows a mid-run switch (recorded in the config) and thins long paths', async () => {
    const h = await started(5);
    await h.send({ type: 'switchAlgorithm', run: 0, algorithm: 'mm-lipschitz', hyper: {} });
    await h.send({ type: 'step', n: 4 });
    const c = await contour(h, 0);
    expect(c.paths[0].switches).toEqual([5]);
    expect(c.paths[0].steps).toBe(9);
    const f = Array.from({ length: 10 }, (_, k) => q.value(c.paths[0].points[2 * k], c.paths[0].points[2 * k + 1]));
    f.slice(6).forEach((v, k) => expect(v).toBeLessThanOrEqual(f[k + 5] * (1 + 1e-6)));
    const long = harness();
    await long.send({ type: 'start', config: config(10_000), backend: 'fused', play: false });
    await long.send({ type: 'step', n: 9000 });
    const l = await contour(long, 1, 8);
    expect(l.paths[1].steps).toBe(9000);
    expect(l.paths[1].points.length / 2).toBeLessThanOrEqual(4001);
    expect(l.paths[1].stride).toBe(3);
  });

  it('refuses problems that are not 2-D functions, and stopped runs have no surrogate', async () => {
    const h = harness();
    await h.send({ type: 'start', config: loadExperiment({ version: 1, problem: { kind: 'mlp' }, runs: [{ algorithm: 'sgd' }] }), backend: 'fused', play: false });
    await h.send({ type: 'requestContour', run: 0 });
    expect(h.of('error').at(-1)!.message).toMatch(/contour view draws 2-D function problems only \(this is 'mlp'\)/);
    const d = harness();
    await d.send({ type: 'start', config: { ...config(), runs: [{ ...config().runs[0], hyper: { ...config().runs[0].hyper, lr: 0.5 } }] }, backend: 'fused', play: false });
    await d.send({ type: 'step', n: 200 });
    const c = await contour(d, 0);
    expect(c.paths[0].steps).toBeLessThan(200);
    expect(c.g).toBeNull();
    expect(c.formula).toMatch(/run stopped/);
  });
});
