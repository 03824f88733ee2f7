/**
 * The page's sweep (ui/sweep-workers.ts, worker/sweep-point-run.ts): each point is core/sweep.ts's
 * one-run experiment run by the code the CLI sweep uses, so its numbers equal the CLI's bit for bit;
 * the MM runs come along as references; the pool spreads points over workers, reports progress, and
 * stops on cancel; the metrics (final f, f at step k, steps to a target) read the losses as stated.
 */
import { describe, expect, it } from 'vitest';
import { executeFull } from '../src/cli/execute';
import { loadExperiment } from '../src/core/config';
import { planSweep, sweepPoint } from '../src/core/sweep';
import { metricOf, planPageSweep, runPool, type WorkerLike } from '../src/ui/sweep-workers';
import { runSweepPoint, type SweepPointReply, type SweepPointRequest } from '../src/worker/sweep-point-run';

const config = loadExperiment({
  version: 1,
  problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 96, noise: 0.15 }, hidden: [6], batchSize: 32 },
  steps: 30,
  runs: [{ algorithm: 'adam' }, { algorithm: 'mm-lipschitz' }, { algorithm: 'sgd' }],
});

/** A worker that runs its points in this process, asynchronously (as a real one answers). */
function fakeWorker(log: number[]): WorkerLike {
  const w: WorkerLike = {
    onmessage: null,
    onerror: null,
    postMessage(m: SweepPointRequest) {
      log.push(m.index);
      setTimeout(() => {
        const reply = runSweepPoint(m, (t) => w.onmessage?.({ data: { type: 'progress', id: m.id, index: m.index, t } } as MessageEvent<SweepPointReply>));
        w.onmessage?.({ data: reply } as MessageEvent<SweepPointReply>);
      }, 0);
    },
    terminate() {
      w.onmessage = null;
    },
  };
  return w;
}

describe('page sweep', () => {
  it('plans core/sweep.ts points plus the MM runs as references; bad grids are refused', () => {
    const p = planPageSweep(config, 0, 'lr', 1e-3, 1, 4);
    if (!p.ok) throw new Error(p.errors.join());
    expect(p.job.values).toEqual([1e-3, 0.01, 0.1, 1]);
    expect(p.job.references).toEqual([{ runIndex: 1, label: '2: MM (Lipschitz quadratic)' }]);
    expect(p.job.jobs.map((j) => j.config.runs[0].algorithm)).toEqual(['adam', 'adam', 'adam', 'adam', 'mm-lipschitz']);
    const core = planSweep(config, { run: 0, hyper: 'lr', values: p.job.values });
    expect(core.ok && p.job.jobs.slice(0, 4).map((j) => j.config)).toEqual(core.ok && core.value.points);
    expect(planPageSweep(config, 0, 'lr', 1, 0.1, 4)).toEqual({ ok: false, errors: ['the grid needs 0 < from < to'] });
    expect(planPageSweep(config, 0, 'lr', 1e-3, 1, 1)).toEqual({ ok: false, errors: ['points must be an integer in [2, 64]'] });
    const bad = planPageSweep(config, 0, 'lr', 1e-3, 1000, 3);
    expect(bad.ok).toBe(false);
  });

  it('a point equals the CLI sweep’s point bit for bit', async () => {
    const p = planPageSweep(config, 0, 'lr', 1e-3, 0.1, 3);
    if (!p.ok) throw new Error();
    for (const [k, j] of p.job.jobs.entries()) {
      const page = runSweepPoint({ id: 1, index: k, config: j.config, value: j.value });
      if (page.type !== 'done') throw new Error(page.type === 'error' ? page.message : 'progress');
      const cli = sweepPoint(j.value ?? NaN, await executeFull(j.config, { backend: null, threads: null, recordTest: false }));
      expect(page.point.losses).toEqual(cli.losses);
      expect(page.point.finalLoss).toBe(cli.finalLoss);
    }
  });

  it('spreads the points over the workers with progress, and cancel stops it', async () => {
    const p = planPageSweep(config, 0, 'lr', 1e-3, 1, 6);
    if (!p.ok) throw new Error();
    const log: number[] = [];
    const progress: number[] = [];
    const pool = runPool(p.job, { workers: 3, create: () => fakeWorker(log), onProgress: (d, t) => progress.push(d / t) });
    expect(pool.workers).toBe(3);
    const results = await pool.done;
    expect(log.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(results.every((r) => r !== null && !('error' in r))).toBe(true);
    expect(progress.at(-1)).toBe(1);
    // Adam's final loss at lr = 1e-3 is above its loss at lr = 0.016 (the sweep has a shape).
    const final = results.map((r) => (r && !('error' in r) ? metricOf(r.losses, { kind: 'final' }) : null));
    expect(final[0]!).toBeGreaterThan(final[2]!);

    const log2: number[] = [];
    const pool2 = runPool(p.job, { workers: 2, create: () => fakeWorker(log2) });
    pool2.cancel();
    const r2 = await pool2.done;
    expect(log2).toEqual([0, 1]);
    expect(r2.every((r) => r === null)).toBe(true);
  });

  it('metrics: final f, f at step k (∞ after a stop), steps to a target (null if never)', () => {
    const losses = [4, 2, 1, 0.5];
    expect(metricOf(losses, { kind: 'final' })).toBe(0.5);
    expect(metricOf(losses, { kind: 'at', step: 1 })).toBe(2);
    expect(metricOf(losses, { kind: 'at', step: 9 })).toBe(Infinity);
    expect(metricOf(losses, { kind: 'target', target: 1 })).toBe(2);
    expect(metricOf(losses, { kind: 'target', target: 0.1 })).toBeNull();
    expect(metricOf([4, Infinity], { kind: 'final' })).toBe(Infinity);
  });
});
