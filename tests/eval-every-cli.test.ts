/**
 * The CLI's output with evalEvery (src/cli/execute.ts, stream.ts, in-process): `lossSteps` and
 * `evalEvery` only when f is not evaluated every step (every-step output is unchanged), `--every K`
 * rounded up to a multiple of k, `--stream` lines at evaluated steps only, and the auto rule on a real
 * example (digits: once per epoch).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { executeFull, executeStreamed, executeThinned, type ExecOptions } from '../src/cli/execute';
import { loadExperiment, type ExperimentInput } from '../src/core/config';

const o: ExecOptions = { backend: 'js', threads: 1, recordTest: true };
const moons = (evalEvery?: number) =>
  loadExperiment({
    version: 1,
    problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 96 }, hidden: [6], batchSize: 16 },
    runs: [{ algorithm: 'adam' }, { algorithm: 'mm-lipschitz' }],
    steps: 17,
    ...(evalEvery ? { evalEvery } : {}),
  } as ExperimentInput);

describe('mm-lab run with evalEvery', () => {
  it('k = 1: no lossSteps, no evalEvery (the output as before); k > 1: both, losses at those steps', async () => {
    const full = await executeFull(moons(), o);
    expect(JSON.stringify(full)).not.toMatch(/lossSteps|evalEvery/);
    expect(full.runs[0].losses).toHaveLength(18);
    const sparse = await executeFull(moons(4), o);
    expect(sparse.evalEvery).toBe(4);
    sparse.runs.forEach((r, i) => {
      expect(r.lossSteps).toEqual([0, 4, 8, 12, 16, 17]);
      expect(r.losses).toEqual(r.lossSteps!.map((t) => full.runs[i].losses[t]));
    });
  });

  it('--every K is rounded up to a multiple of k; --stream writes lines at evaluated steps only', async () => {
    const thin = await executeThinned(moons(4), o, 6);
    expect(thin.every).toBe(8);
    expect(thin.evalEvery).toBe(4);
    expect(thin.runs[0].lossSteps).toEqual([0, 8, 16, 17]);
    const plain = await executeThinned(moons(), o, 6);
    expect(plain.every).toBe(6);
    expect('evalEvery' in plain).toBe(false);
    let text = '';
    await executeStreamed(moons(4), o, 1, (chunk) => (text += chunk));
    const lines = text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.run === 0).map((l) => l.t)).toEqual([0, 4, 8, 12, 16, 17]);
    expect(lines.at(-1).summary).toMatchObject({ every: 4, evalEvery: 4 });
  });

  it('examples/digits-mlp.json ("auto"): f once per epoch, 23 steps', async () => {
    const config = loadExperiment({ ...JSON.parse(readFileSync(new URL('../examples/digits-mlp.json', import.meta.url), 'utf8')), steps: 50 });
    const r = await executeFull(config, o);
    expect([r.evalEvery, r.stepsPerEpoch]).toEqual([23, 23]);
    for (const run of r.runs) {
      expect(run.lossSteps).toEqual([0, 23, 46, 50]);
      expect(run.testLosses).toHaveLength(4);
      expect(run.accuracySteps).toEqual([0, 23, 46, 50]);
    }
  });
});

describe('mm-lab run on a 2-D function with evalEvery', () => {
  it('keeps the trajectory where f is (lossSteps), as --every does', async () => {
    const fn = (evalEvery?: number) => loadExperiment({ version: 1, problem: { kind: 'function', name: 'rosenbrock' }, runs: [{ algorithm: 'adam', hyper: { lr: 0.01 } }], steps: 10, ...(evalEvery ? { evalEvery } : {}) });
    const full = (await executeFull(fn(), o)) as unknown as { runs: { trajectory: number[][]; lossSteps?: number[] }[] };
    const sparse = (await executeFull(fn(4), o)) as unknown as { runs: { trajectory: number[][]; lossSteps?: number[] }[] };
    expect(full.runs[0].trajectory).toHaveLength(11);
    expect(sparse.runs[0].lossSteps).toEqual([0, 4, 8, 10]);
    expect(sparse.runs[0].trajectory).toEqual([0, 4, 8, 10].map((t) => full.runs[0].trajectory[t]));
  });
});
