/**
 * The CLI's `trajectory` for 2-D function problems: θ₀ then θ after every step, as [x, y] pairs, the
 * points whose f the run's `losses` hold; thinned like the losses by --every, and in --stream lines.
 */
import { describe, expect, it } from 'vitest';
import { executeFull, executeStreamed, executeThinned, type ExecOptions } from '../src/cli/execute';
import { loadExperiment } from '../src/core/config';
import { testFunction } from '../src/core/problems/functions';

const config = loadExperiment({
  version: 1,
  problem: { kind: 'function', name: 'rosenbrock', start: [-1.5, 2] },
  steps: 25,
  runs: [{ algorithm: 'adam', hyper: { lr: 0.05 } }, { algorithm: 'mm-curvature', hyper: { curvature: 'gauss-newton' } }, { algorithm: 'sgd', hyper: { lr: 0.01 } }],
});
const exec: ExecOptions = { backend: null, threads: null, recordTest: false };
const rosen = testFunction({ name: 'rosenbrock' });
type WithPath = { losses: number[]; trajectory: [number, number][]; status: string; lossSteps?: number[] };

describe('CLI trajectory', () => {
  it('run: θ₀ and θ after every step, f(trajectory[k]) = losses[k]', async () => {
    const r = await executeFull(config, exec);
    expect(r.backend).toBe('js-fused');
    for (const run of r.runs as unknown as WithPath[]) {
      expect(run.trajectory[0]).toEqual([-1.5, 2]);
      expect(run.trajectory).toHaveLength(run.losses.length);
      run.trajectory.forEach(([x, y], k) => {
        if (Number.isFinite(run.losses[k])) expect(Math.fround(rosen.value(x, y))).toBe(run.losses[k]);
      });
    }
    // SGD at lr 0.01 leaves the valley and is stopped: its path ends at the step whose f is not finite.
    const sgd = r.runs[2] as unknown as WithPath;
    expect(sgd.status).toBe('diverged');
    expect(sgd.trajectory.length).toBeLessThan(26);
  });

  it('--every k keeps the points of the kept losses; --stream lines carry θ', async () => {
    const full = (await executeFull(config, exec)).runs as unknown as WithPath[];
    const thin = (await executeThinned(config, exec, 4)).runs as unknown as WithPath[];
    thin.forEach((run, i) => {
      expect(run.trajectory).toEqual(run.lossSteps!.map((t) => full[i].trajectory[t]));
      expect(run.lossSteps!.at(-1)).toBe(full[i].losses.length - 1);
    });
    let text = '';
    await executeStreamed(config, exec, 5, (chunk) => (text += chunk));
    const lines = text.trim().split('\n').map((l) => JSON.parse(l));
    const run1 = lines.filter((l) => l.run === 1);
    expect(run1.map((l) => l.t)).toEqual([0, 5, 10, 15, 20, 25]);
    run1.forEach((l) => expect(l.theta).toEqual(full[1].trajectory[l.t]));
  });
});
