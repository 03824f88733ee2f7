/**
 * Moving the session between backends at the same step, and surviving a lost one.
 *
 * - setBackend: parameters and algorithm states are copied out as arrays and back in on the new
 *   backend or engine (snapshot.ts), exactly, at the same step.
 * - Device loss: if the old backend is unreadable (device lost, or a GPU backend throws while
 *   training) the session restores the last checkpoint (webgpu/webgl sessions copy θ and states out
 *   asynchronously every ~3 s) or, without one, rebuilds from the recorded config, and replays silently
 *   to the same step on the next backend in the fallback order.
 */
import { backendLabel, nextBackend } from './backend';
import { fusableFromStart } from './fused-engine';
import { build, replayTo } from './lifecycle';
import type { BackendChoice } from './protocol';
import type { Snapshot } from './snapshot';
import type { SessionState } from './state';

/** On webgpu/webgl: a copy of every run's θ and state, read back asynchronously (for device-loss recovery). */
export async function takeCheckpoint(s: SessionState): Promise<void> {
  const exp = s.engine.exp;
  if (!exp) return;
  const wall = [...s.wallMs];
  const snap = await s.engine.snapshot();
  if (s.engine.exp === exp && exp.t === snap.t) s.checkpoint = { snap, wall };
  s.checkpointAt = performance.now();
}

/** setBackend: move the session to `choice` at the same step (arrays transferred). */
export async function changeBackend(s: SessionState, choice: BackendChoice): Promise<void> {
  if (!s.config || !s.engine.built) throw new Error('no experiment: send start first');
  const from = s.backend;
  let snap: Snapshot;
  try {
    snap = await s.engine.snapshot();
  } catch (e) {
    // The old backend cannot be read any more: treat it as lost.
    await fallback(s, 'device-lost', `${backendLabel(from)} could not be read (${e instanceof Error ? e.message : String(e)})`);
    return;
  }
  const wall = [...s.wallMs];
  const reported = [...s.reported];
  const sel = await s.host.select(choice, s.config, { ...s.selectOptions(), fused: fusableFromStart(s.config) });
  s.adoptBackend(sel);
  await s.engine.restore(s.config, snap, s.backend === 'fused' ? 'cpu' : 'tfjs');
  s.wallMs = wall;
  s.reported = reported;
  s.emit({
    type: 'backendChanged',
    from,
    to: sel.backend,
    cause: 'requested',
    reason: sel.reasonKind === 'fallback' ? sel.reason : `switched to ${backendLabel(sel.backend)} as requested (${sel.reason})`,
    restoredBy: 'transfer',
    t: snap.t,
  });
  s.postReady(sel);
}

/** The current backend died: next one in the fallback order, state replayed from a checkpoint or the config. */
export async function fallback(s: SessionState, cause: 'device-lost' | 'init-failure', reason: string): Promise<void> {
  if (!s.config || !s.engine.built) return;
  const from = s.backend;
  if (!s.lostBackends.includes(from)) s.lostBackends.push(from);
  const t = s.t;
  const wall = [...s.wallMs];
  const next = nextBackend(from, s.lostBackends);
  if (!next) throw new Error(`${reason}; no other backend left`);
  // The old backend is unusable: drop its tensors without reading them.
  try {
    s.engine.dispose();
  } catch {
    /* nothing left to free */
  }
  const sel = await s.host.select(next, s.config, s.selectOptions());
  s.adoptBackend(sel);
  const wasPlaying = s.playing;
  const pending = s.pendingSteps;
  const reported = [...s.reported];
  const cp = s.checkpoint && s.checkpoint.snap.t <= t ? s.checkpoint : null;
  s.playing = false;
  s.pendingSteps = 0;
  if (cp) {
    await s.engine.restore(s.config, cp.snap, s.backend === 'fused' ? 'cpu' : 'tfjs');
    s.reported = reported;
    await replayTo(s, t);
  } else await build(s, s.config, t);
  s.wallMs = wall;
  s.playing = wasPlaying;
  s.pendingSteps = pending;
  const how = cp ? `replayed from the checkpoint at step ${cp.snap.t}` : 'replayed from the config';
  s.emit({
    type: 'backendChanged',
    from,
    to: sel.backend,
    cause,
    reason: `${reason} — continuing on ${backendLabel(sel.backend)} at step ${t} (${how})`,
    restoredBy: 'replay',
    t,
  });
  s.emit({
    type: 'ready',
    backend: sel.backend,
    reasonKind: 'fallback',
    reason: `${reason}; fell back to ${backendLabel(sel.backend)}`,
    backends: sel.backends,
  });
  s.runs.forEach((_, i) => s.reportStatus(i));
}
