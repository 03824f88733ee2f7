/**
 * Building and rebuilding the session's experiment: `start` (validation, the 'auto' preview, backend
 * selection, a silent replay to resumeAt), `reset`, and the silent replay that backend moves use.
 *
 * Determinism: a build is the experiment at step 0 from the config (on the cpu engine when the
 * selection chose it and it can run the problem, else on tfjs), and a replay is ticks that post
 * nothing, so a rebuilt session continues exactly the curve it replays.
 */
import { parseExperiment, runLabel, type ExperimentConfig } from '../core/config';
import { getAlgorithm } from '../core/algorithms/registry';
import { algId, type AnyRun } from './engine';
import { fusableFromStart, fusedLabel } from './fused-engine';
import { loadImagesFor } from './image-assets';
import type { RunMeta, StartCmd } from './protocol';
import { clone, type SessionState } from './state';
import { tick } from './ticking';

export async function start(s: SessionState, cmd: StartCmd): Promise<void> {
  const parsed = parseExperiment(cmd.config);
  if (!parsed.ok) {
    s.emit({ type: 'error', message: `invalid experiment config:\n  ${parsed.errors.join('\n  ')}`, errors: parsed.errors, command: 'start' });
    return;
  }
  s.engine.dispose();
  s.epoch += 1;
  s.baseConfig = parsed.config;
  s.config = clone(parsed.config);
  s.failBackends = [...(cmd.failBackends ?? [])];
  s.lostBackends = [];
  s.views.clear();
  s.playing = false;
  s.pendingSteps = 0;
  s.pace.restart();
  const dataError = await loadImagesFor(s.config, (e) => s.emit(e));
  if (dataError) return s.emit({ type: 'error', message: dataError, command: 'start' });

  const choice = cmd.backend ?? 'auto';
  const resumeAt = Math.max(0, Math.floor(cmd.resumeAt ?? 0));
  if (choice === 'auto' && resumeAt === 0) await preview(s);

  const sel = await s.host.select(choice, s.config, { failBackends: s.failBackends, budgetMs: s.calibrationMs });
  s.adoptBackend(sel);
  if (sel.reasonKind === 'fallback') {
    s.emit({ type: 'backendChanged', from: null, to: sel.backend, cause: 'init-failure', reason: sel.reason, restoredBy: 'fresh', t: 0 });
  }
  await build(s, s.config, resumeAt);
  s.postReady(sel);
  s.playing = cmd.play ?? true;
  await postStarted(s);
  s.emit({ type: 'config', config: clone(s.config) });
  s.postState();
}

/**
 * 'auto' start: the calibration takes up to ~1.5 s, so f(θ₀) is shown first. The experiment is built
 * on the fused engine when it can run it (no initialisation cost, and the calibration usually picks
 * it), else on CPU, and posted as a preview `started` (t = 0, same epoch, no `ready` yet), then
 * dropped; the calibrated start follows and is built afresh on the winning backend, so a session
 * always runs on the backend it was built on (same link, same curve). Skipped silently when that
 * engine is unusable: the calibrated start reports whatever goes wrong.
 */
async function preview(s: SessionState): Promise<void> {
  try {
    if (fusableFromStart(s.config!) && !s.failBackends.includes('fused')) {
      s.fusedPreferred = true;
    } else {
      const sel = await s.host.select('cpu', s.config!, { failBackends: s.failBackends, budgetMs: 0 });
      if (sel.backend !== 'cpu') return;
      s.fusedPreferred = false;
      s.tfjsBackend = 'cpu';
    }
    await build(s, s.config!, 0);
    await postStarted(s);
  } catch {
    /* no preview */
  } finally {
    try {
      s.engine.dispose();
    } catch {
      /* its backend is gone: nothing left to free */
    }
  }
}

/**
 * New experiment from `config` at step 0 — on the cpu engine when the selection chose it and it can
 * run the config, else on tfjs — then a silent replay to `toStep`.
 */
export async function build(s: SessionState, config: ExperimentConfig, toStep: number): Promise<void> {
  s.checkpoint = null;
  s.checkpointAt = performance.now();
  s.handOverNote = null;
  const fused = s.fusedPreferred && !s.lostBackends.includes('fused') && fusableFromStart(config);
  if (s.fusedPreferred && !fused) s.handOverNote = `${fusedLabel()} cannot run this experiment`;
  await s.engine.build(config, fused ? 'cpu' : 'tfjs');
  s.backend = fused ? 'fused' : s.tfjsBackend;
  s.wallMs = s.runs.map(() => 0);
  s.reported = s.runs.map((r) => r.status);
  s.pace.resetRate();
  const t0 = await s.engine.readLosses();
  s.runs.forEach((r, i) => r.checkFinite(t0.loss[i], 0));
  s.runs.forEach((_, i) => s.reportStatus(i, true));
  if (toStep > 0) await replayTo(s, toStep);
}

/** Silent ticks up to `toStep`. */
export async function replayTo(s: SessionState, toStep: number): Promise<void> {
  const savedPending = s.pendingSteps;
  while (s.t < toStep && s.runs.some((r) => r.active)) {
    s.pendingSteps = toStep - s.t;
    await tick(s, true);
  }
  s.pendingSteps = savedPending;
  // Reaching the target while replaying marks runs done, as playing would have.
  if (s.t >= s.config!.steps) s.markDone(true);
  s.runs.forEach((_, i) => s.reportStatus(i, true));
}

function runMeta(s: SessionState, run: AnyRun, i: number): RunMeta {
  const rc = s.config!.runs[i];
  const alg = getAlgorithm(algId(run));
  return {
    run: i,
    id: run.id,
    label: runLabel(rc, i),
    algorithm: alg.id,
    algorithmLabel: alg.label,
    family: alg.family,
    hyper: clone(run.hyper),
    status: run.status,
    switches: clone(run.switches),
  };
}

export async function postStarted(s: SessionState): Promise<void> {
  const { loss, testLoss } = await s.engine.readLosses();
  s.emit({
    type: 'started',
    runs: s.runs.map((r, i) => runMeta(s, r, i)),
    t: s.t,
    loss,
    testLoss,
    problem: s.engine.problemInfo(),
    config: clone(s.config!),
    backend: s.backend,
  });
}

/** Back to step 0 with the same backend (the base config, or with the mid-run switches kept). */
export async function reset(s: SessionState, keepSwitches: boolean): Promise<void> {
  if (!s.config || !s.baseConfig) throw new Error('no experiment: send start first');
  const wasPlaying = s.playing;
  s.epoch += 1;
  const steps = s.config.steps;
  s.config = keepSwitches ? clone(s.config) : { ...clone(s.baseConfig), steps };
  s.pendingSteps = 0;
  s.playing = false;
  const before = s.backend;
  await build(s, s.config, 0);
  if (s.backend !== before && s.selection) s.postReady(s.selection);
  s.playing = wasPlaying;
  await postStarted(s);
  s.emit({ type: 'config', config: clone(s.config) });
  s.postState();
}
