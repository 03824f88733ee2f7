/**
 * ME vs MM (Févotte & Idier 2011, §5) on paper-style synthetic data: V = W*H* (exponential factors,
 * log-normal noise 0.1), the same θ₀ for both, cpu engine. The fixed objective is MM's cost after
 * `ref` iterations; each algorithm is then run exactly to the first iteration at or below it, and that
 * run's wall time (updates and f every iteration, as the page records) is reported. Best of 3 runs.
 */
import { loadExperiment } from '../src/core/config';
import { runFusedExperiment } from '../src/core/fused';
import { printTable } from './table';

const CASES: { beta: number; blend?: number }[] = [{ beta: -1 }, { beta: 0 }, { beta: 0.5 }, { beta: 1.5, blend: 0.95 }, { beta: 2, blend: 0.95 }, { beta: 3 }];

export async function meVersusMM(quick: boolean): Promise<void> {
  const size = quick ? { rows: 30, cols: 50, K: 5 } : { rows: 100, cols: 200, K: 10 };
  const ref = quick ? 200 : 300;
  const rows: string[][] = [];
  for (const { beta, blend } of CASES) {
    const config = (algorithm: string, steps: number) =>
      loadExperiment({
        version: 1,
        problem: { kind: 'nmf', beta, rank: size.K, data: { kind: 'synthetic', rows: size.rows, cols: size.cols, trueRank: size.K, noise: 0.1 } },
        runs: [{ algorithm, hyper: algorithm === 'nmf-me' && blend ? { blend } : {} }],
        steps,
      });
    const target = runFusedExperiment(config('nmf-mm', ref), { recordTest: false }).runs[0].losses[ref];
    const toTarget = (algorithm: string) => {
      const losses = runFusedExperiment(config(algorithm, ref), { recordTest: false }).runs[0].losses;
      const it = losses.findIndex((f) => f <= target);
      if (it < 0) return { it: -1, ms: NaN };
      let ms = Infinity;
      for (let i = 0; i < 3; i++) ms = Math.min(ms, runFusedExperiment(config(algorithm, it), { recordTest: false }).runs[0].wallMs);
      return { it, ms };
    };
    const mm = toTarget('nmf-mm');
    const me = toTarget('nmf-me');
    const cell = (r: { it: number; ms: number }) => (r.it < 0 ? `> ${ref}` : String(r.it));
    rows.push([
      `β = ${beta}${blend ? ` (ME blend ${blend})` : ''}`,
      target.toPrecision(6),
      cell(mm),
      cell(me),
      Number.isFinite(mm.ms) ? mm.ms.toFixed(1) : '—',
      Number.isFinite(me.ms) ? me.ms.toFixed(1) : '—',
      me.it > 0 && mm.it > 0 ? `${(mm.ms / me.ms).toFixed(2)}×` : '—',
    ]);
  }
  printTable(
    `ME vs MM on paper-style synthetic data (${size.rows}×${size.cols}, K = ${size.K}, cpu engine, one thread): iterations and wall time to MM's cost after ${ref} iterations (best of 3)`,
    ['β', 'target f', 'MM it', 'ME it', 'MM ms', 'ME ms', 'ME speed-up'],
    rows,
  );
}
