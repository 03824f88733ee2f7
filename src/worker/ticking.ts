/**
 * The tick: K steps of every active run (engine.ts collects them), then ONE `progress` message with
 * typed arrays, the statuses, and the speed for the next tick.
 *
 * - K (pace.ts) adapts so a tick takes ~16–30 ms of compute (or is fixed by setSpeed), capped by a
 *   steps/s limit (slow motion), by the steps a `step n` still owes, and by the target.
 * - Divergence: the first non-finite f of a run stops that run (status 'diverged', divergedAt); the
 *   points after it in the same tick are dropped; the other runs continue.
 * - Time: each run's own synchronous work plus the readback wait shared pro rata (wallMs).
 * - Points: only the evaluated steps (every evalEvery steps and the target: core/fold/eval-every.ts);
 *   each point's wallMs counts the steps up to it, evaluated or not.
 */
import { getAlgorithm } from '../core/algorithms/registry';
import type { AnyRun, Collected } from './engine';
import { attachAccuracy } from './accuracy';
import type { ProgressBlock } from './protocol';
import type { SessionState } from './state';

/** One tick; `silent` (replaying to a step) posts nothing and leaves statuses unreported. */
export async function tick(s: SessionState, silent: boolean): Promise<void> {
  const engine = s.engine;
  const runs = engine.runs;
  const K = s.pace.ticketK(s.pendingSteps, s.config!.steps - engine.t);
  const tStart = performance.now();
  const switchesBefore = runs.map((r) => r.switches.length);
  const c = await engine.collect(K, s.config!.steps);
  const tickMs = performance.now() - tStart;
  if (engine.runs !== runs) return; // disposed meanwhile (cannot happen with the queue, but be safe)

  const blocks = publish(s, runs, c, tickMs, silent);
  if (!silent)
    runs.forEach((run, i) => {
      // Scheduled switches applied this tick (not past a divergence).
      const limit = run.divergedAt ?? Infinity;
      for (const rec of run.switches.slice(switchesBefore[i])) {
        if (rec.at > limit) continue;
        const alg = getAlgorithm(rec.to);
        s.emit({ type: 'switched', run: i, record: structuredClone(rec), algorithmLabel: alg.label, family: alg.family, hyper: structuredClone(rec.hyper) });
      }
    });
  if (s.pendingSteps > 0) s.pendingSteps = Math.max(0, s.pendingSteps - c.done);
  const stepsPerSec = s.pace.after(K, c.done, tickMs, tStart);
  if (!silent) attachAccuracy(engine.exp, blocks, engine.t >= s.config!.steps);
  // A tick may end between evaluations (no points): the step count and the speed are news anyway.
  if ((blocks.length || c.done > 0) && !silent) s.emit({ type: 'progress', t: engine.t, blocks, stepsPerTick: K, tickMs, stepsPerSec });
  if (!silent) finishTick(s, runs, c.done);
}

/**
 * Per run: stops it at its first non-finite f (dropping the points after it), adds its time to
 * s.wallMs, and (unless silent) builds its progress block.
 */
function publish(s: SessionState, runs: AnyRun[], c: Collected, tickMs: number, silent: boolean): ProgressBlock[] {
  const { stepsOf, startOf, idxOf, infoOf, values, runMs, hasTest } = c;
  const nRuns = runs.length;
  const sumRun = runMs.reduce((a, b) => a + b, 0);
  const wait = Math.max(0, tickMs - c.syncMs);
  const blocks: ProgressBlock[] = [];
  for (let i = 0; i < nRuns; i++) {
    const run = runs[i];
    const steps = stepsOf[i];
    const share = sumRun > 0 ? runMs[i] / sumRun : 1 / nRuns;
    const taken = run.t - startOf[i];
    const perStep = taken > 0 ? (runMs[i] + wait * share) / taken : 0;
    let n = steps.length;
    let counted = taken;
    // First non-finite f stops the run; later points of this tick are dropped.
    for (let j = 0; j < steps.length; j++) {
      const v = values[idxOf[i][j]];
      if (!Number.isFinite(v)) {
        run.checkFinite(v, steps[j]);
        n = j + 1;
        counted = steps[j] - startOf[i];
        break;
      }
    }
    const base = s.wallMs[i];
    s.wallMs[i] += perStep * counted;
    if (n === 0 || silent) continue;
    const b: ProgressBlock = {
      run: i,
      steps: new Int32Array(n),
      loss: new Float32Array(n),
      testLoss: new Float32Array(n),
      wallMs: new Float64Array(n),
    };
    const extraKeys = new Set<string>();
    for (let j = 0; j < n; j++) infoOf[i][j].forEach(([key]) => extraKeys.add(key));
    const extras: Record<string, Float32Array> = {};
    extraKeys.forEach((key) => (extras[key] = new Float32Array(n).fill(NaN)));
    for (let j = 0; j < n; j++) {
      b.steps[j] = steps[j];
      b.loss[j] = values[idxOf[i][j]];
      b.testLoss[j] = hasTest ? values[idxOf[i][j] + 1] : NaN;
      b.wallMs[j] = base + perStep * (steps[j] - startOf[i]);
      infoOf[i][j].forEach(([key, v]) => (extras[key][j] = v));
    }
    if (extraKeys.size) b.extras = extras;
    blocks.push(b);
  }
  return blocks;
}

/** Statuses after a (non-silent) tick: report changes, mark runs done at the target, stop when nothing runs. */
function finishTick(s: SessionState, runs: AnyRun[], done: number): void {
  runs.forEach((_, i) => s.reportStatus(i));
  // Target reached, or nothing left to run.
  if (s.pendingSteps === 0 && s.t >= s.config!.steps) s.markDone();
  if ((s.playing || s.pendingSteps) && !runs.some((r) => r.active)) {
    s.playing = false;
    s.pendingSteps = 0;
    s.postState();
  } else if (s.pendingSteps === 0 && !s.playing && done > 0) {
    // A `step n` finished.
    s.postState();
  }
}
