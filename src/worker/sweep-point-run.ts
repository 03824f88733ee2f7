/**
 * One point of the page's sweep (ui/sweep-workers.ts), as a plain function so Node tests run it: the
 * one-run experiment that core/sweep.ts's planSweep made for the point (or an MM reference run), folded
 * on the cpu engine by the core's runFusedExperiment — the code the CLI's `mm-lab sweep` runs a point
 * with (cli/execute.ts), so a point's numbers equal that point run alone, bit for bit.
 */
import type { ExperimentConfig } from '../core/config';
import { canFuse, FUSED_SCOPE } from '../core/fused/algorithms';
import { runFusedExperiment } from '../core/fused/fused-experiment';
import { sweepPoint, type SweepPoint, type SweepValue } from '../core/sweep';

export interface SweepPointRequest {
  /** The sweep's id (a cancelled sweep's late answers are dropped) and the point's index in it. */
  id: number;
  index: number;
  config: ExperimentConfig;
  /** The swept value (null for a reference run). */
  value: SweepValue | null;
}

export type SweepPointReply =
  | { type: 'progress'; id: number; index: number; t: number }
  | { type: 'done'; id: number; index: number; point: SweepPoint }
  | { type: 'error'; id: number; index: number; message: string };

export function runSweepPoint(req: SweepPointRequest, onStep?: (t: number) => void): SweepPointReply {
  const { id, index, config } = req;
  if (!canFuse(config)) return { type: 'error', id, index, message: `the page's sweep runs on the cpu engine (${FUSED_SCOPE}); run this one with npm run lab -- sweep` };
  try {
    const result = runFusedExperiment(config, { recordTest: false, ...(onStep ? { onStep } : {}) });
    return { type: 'done', id, index, point: sweepPoint(req.value ?? NaN, result) };
  } catch (e) {
    return { type: 'error', id, index, message: e instanceof Error ? e.message : String(e) };
  }
}
