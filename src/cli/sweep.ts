/**
 * `mm-lab sweep`: the points of a sweep (core/sweep.ts) spread over worker threads, one point at a
 * time per thread, each run by the code that runs `mm-lab run` — so a point's numbers are those of
 * its one-run experiment run alone. A progress line on stderr counts the steps of all points.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ExperimentResult } from '../core/experiment';
import { sweepPoint, type SweepPlan, type SweepPoint } from '../core/sweep';
import type { ExecOptions } from './execute';
import { progress } from './progress';
import type { FromWorker, ToWorker } from './sweep-worker';

export interface SweepOptions {
  exec: Omit<ExecOptions, 'onStep'>;
  /** Worker threads (at most one per point). */
  jobs: number;
  /** --progress / --no-progress, or null: on a terminal only. */
  progress: boolean | null;
}

/** Worker threads a sweep uses by default: one per core. */
export const defaultJobs = (): number => Math.max(1, os.availableParallelism());

export interface SweepOutput {
  sweep: { run: string; algorithm: string; hyper: string; values: SweepPlan['values'] };
  backend: string;
  steps: number;
  points: SweepPoint[];
}

export async function runSweep(plan: SweepPlan, o: SweepOptions): Promise<SweepOutput> {
  const n = plan.points.length;
  const stepsPer = plan.points[0].steps;
  const results: ExperimentResult[] = new Array(n);
  const stepsDone = new Array<number>(n).fill(0);
  let finished = 0;
  const bar = progress({
    unit: 'steps',
    total: n * stepsPer,
    force: o.progress,
    prefix: () => `sweep ${plan.hyper}: ${finished}/${n} points`,
  });
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      const give = (w: Worker): void => {
        if (next >= n) return;
        const index = next++;
        w.postMessage({ index, config: plan.points[index], exec: o.exec } satisfies ToWorker);
      };
      const fail = (index: number | null, message: string): void =>
        reject(new Error(index === null ? message : `sweep point ${plan.hyper} = ${String(plan.values[index])}: ${message}`));
      for (let j = 0; j < Math.min(o.jobs, n); j++) {
        const w = new Worker(new URL('./sweep-worker.mjs', import.meta.url));
        workers.push(w);
        w.on('message', (m: FromWorker) => {
          if (m.kind === 'error') return fail(m.index, m.message);
          if (m.kind === 'step') stepsDone[m.index] = m.t;
          else {
            results[m.index] = m.result;
            stepsDone[m.index] = stepsPer;
            finished++;
            give(w);
          }
          bar.update(stepsDone.reduce((a, b) => a + b, 0));
          if (finished === n) resolve();
        });
        w.on('error', (e) => fail(null, `a sweep worker failed: ${e.message}`));
        w.on('exit', (code) => finished < n && fail(null, `a sweep worker stopped (exit code ${code})`));
        give(w);
      }
    });
  } finally {
    bar.end();
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return {
    sweep: { run: plan.run, algorithm: plan.algorithm, hyper: plan.hyper, values: plan.values },
    backend: results[0].backend,
    steps: stepsPer,
    points: results.map((r, i) => sweepPoint(plan.values[i], r)),
  };
}
