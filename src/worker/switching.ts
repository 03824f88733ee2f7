/**
 * Mid-run switches (switchAlgorithm, setHyper) and the fused engine's hand-over to tfjs.
 *
 * - A switch keeps θ; the new algorithm's state starts from its init (setHyper: same algorithm, state
 *   kept). It is recorded into the reported config as runs[i].switches {at, algorithm, hyper,
 *   keepState}; two switches of one run at the same step are merged into one entry (replaying both
 *   would be ambiguous) and applied live exactly as the merged entry replays.
 * - The fused engine runs the gradient optimizers, mm-lipschitz and mm-layerwise: a switch to another algorithm (live, or scheduled
 *   in the config) first hands the experiment over to tfjs at that step, exactly (engine.ts), so a
 *   recorded config replays with the same engines at the same steps.
 */
import { parseHyper, type RunConfig } from '../core/config';
import { getAlgorithm } from '../core/algorithms/registry';
import { isFusedAlgorithm } from '../core/fused';
import { backendLabel } from './backend';
import { algId } from './engine';
import { fusedLabel } from './fused-engine';
import { clone, type SessionState } from './state';

/** Mid-run switch / hyper change of run i, recorded in the config (merged with one already at this step). */
export async function switchRun(s: SessionState, i: number, algorithm: string, hyperIn: Record<string, unknown>, keepState: boolean): Promise<void> {
  let run = s.runAt(i);
  const config = s.config!;
  if (run.status === 'diverged' || run.status === 'error') throw new Error(`run ${i} has stopped (${run.status}): reset to try again`);
  const rc: RunConfig = config.runs[i];
  const h = parseHyper(algorithm, hyperIn, config.problem.kind, ['runs', i, 'switches', rc.switches.length]);
  if (!h.ok) {
    s.emit({ type: 'error', message: h.errors.join('\n'), errors: h.errors, command: keepState ? 'setHyper' : 'switchAlgorithm' });
    return;
  }
  const alg = getAlgorithm(algorithm);
  if (s.engine.fx && !isFusedAlgorithm(algorithm)) {
    // The fused engine does not run this algorithm: tfjs takes over, exactly, at this step.
    await handOver(s, null, false, `run ${i + 1} switches to ${alg.label}`);
    run = s.runAt(i);
  }
  const at = run.t;
  // A checkpoint taken at this very step would not see this switch when replaying from it.
  s.checkpoint = null;
  const from = algId(run);
  const keep = keepState && algorithm === from;
  // One entry per run and step: a switch at a step that already has one (scheduled or mid-run)
  // replaces it, keeping state only if every merged entry did. Applied live it gives exactly the
  // state a replay of the merged entry gives (θ has not moved in between).
  const same = rc.switches.filter((x) => x.at === at);
  const applyKeep = keep && same.every((x) => x.keepState);
  rc.switches = rc.switches.filter((x) => x.at !== at);
  rc.switches.push({ at, algorithm, hyper: h.hyper, keepState: applyKeep });
  rc.switches.sort((a, b) => a.at - b.at);
  s.engine.switchRun(i, algorithm, h.hyper, applyKeep);
  if (run.status === 'running' && s.t >= config.steps && !s.pendingSteps) run.status = 'done';
  s.reportStatus(i);
  const record = run.switches[run.switches.length - 1] ?? { at, from, to: algorithm, hyper: h.hyper, keepState: applyKeep };
  s.emit({ type: 'switched', run: i, record: clone(record), algorithmLabel: alg.label, family: alg.family, hyper: clone(h.hyper) });
  s.emit({ type: 'config', config: clone(config) });
}

/**
 * Fused engine → tfjs (the backend it kept) at the current step, exactly. `applyDue`: the runs that
 * took the step reaching a scheduled switch the fused engine cannot run (they get it now); `why`:
 * the reason for a live switch. Silent while replaying; else posts the switches applied, then
 * `backendChanged` (cause 'requested', restoredBy 'transfer') and `ready`.
 */
export async function handOver(s: SessionState, applyDue: boolean[] | null, silent: boolean, why?: string): Promise<void> {
  const wall = [...s.wallMs];
  const reported = [...s.reported];
  const { t, applied } = s.engine.handOver(s.config!, applyDue);
  s.backend = s.tfjsBackend;
  s.wallMs = wall;
  s.reported = reported;
  const cause = why ?? applied.map(([i, rec]) => `run ${i + 1} switches to ${getAlgorithm(rec.to).label}`).join(', ');
  s.handOverNote = `${cause}: ${fusedLabel()} handed over to ${backendLabel(s.backend)} at step ${t}`;
  if (silent) return;
  for (const [i, rec] of applied) {
    const alg = getAlgorithm(rec.to);
    s.emit({ type: 'switched', run: i, record: clone(rec), algorithmLabel: alg.label, family: alg.family, hyper: clone(rec.hyper) });
  }
  s.emit({
    type: 'backendChanged',
    from: 'fused',
    to: s.backend,
    cause: 'requested',
    reason: `${s.handOverNote} (θ and optimizer states transferred exactly)`,
    restoredBy: 'transfer',
    t,
  });
  if (s.selection) s.postReady(s.selection);
}
