/**
 * Mid-run switches (switchAlgorithm, setHyper).
 *
 * - A switch keeps θ; the new algorithm's state starts from its init (setHyper: same algorithm, state
 *   kept). It is recorded into the reported config as runs[i].switches {at, algorithm, hyper,
 *   keepState}; two switches of one run at the same step are merged into one entry (replaying both
 *   would be ambiguous) and applied live exactly as the merged entry replays.
 * - Every algorithm runs on every engine (each is written once against the engine interface), so a
 *   switch never moves the session to another engine.
 */
import { parseHyper, type RunConfig } from '../core/config';
import { getAlgorithm } from '../core/algorithms/registry';
import { algId } from './engine';
import { clone, type SessionState } from './state';

/** Mid-run switch / hyper change of run i, recorded in the config (merged with one already at this step). */
export async function switchRun(s: SessionState, i: number, algorithm: string, hyperIn: Record<string, unknown>, keepState: boolean): Promise<void> {
  const run = s.runAt(i);
  const config = s.config!;
  if (run.status === 'diverged' || run.status === 'error') throw new Error(`run ${i} has stopped (${run.status}): reset to try again`);
  const rc: RunConfig = config.runs[i];
  const h = parseHyper(algorithm, hyperIn, config.problem.kind, ['runs', i, 'switches', rc.switches.length]);
  if (!h.ok) {
    s.emit({ type: 'error', message: h.errors.join('\n'), errors: h.errors, command: keepState ? 'setHyper' : 'switchAlgorithm' });
    return;
  }
  const alg = getAlgorithm(algorithm);
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
