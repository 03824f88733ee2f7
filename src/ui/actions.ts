/**
 * What the buttons do. Play starts a new session when the form changed since the last one (or none
 * exists), otherwise resumes; Step advances exactly one step and stays paused (after the last step it
 * raises the step budget by one); Reset goes back to
 * step 0 of the same experiment (keeping the switch schedule).
 */
import { LIMITS, type ExperimentConfig } from '../core/config';
import { applySpeed, send, startSession } from './engine';
import { midRunRefusal } from './limits';
import { DEFAULT_VIEW, encodeShare, type BackendChoice, type ViewState } from './share';
import { getLab, loadExperiment, setLab, setView, validDraft } from './store';

export function play(): void {
  const s = getLab();
  if (!s.session || s.dirty) {
    const c = validDraft();
    if (c) startSession(c, true);
    return;
  }
  if (s.t >= s.target) {
    send({ type: 'reset', keepSwitches: true });
    send({ type: 'resume' });
    return;
  }
  setLab({ playing: true });
  send({ type: 'resume' });
}

export function pause(): void {
  setLab({ playing: false });
  send({ type: 'pause' });
}

export function stepOnce(): void {
  const s = getLab();
  if (!s.session || s.dirty) {
    const c = validDraft();
    if (c) startSession(c, false, [{ type: 'step', n: 1 }]);
    return;
  }
  setLab({ playing: false });
  // After the last step, Step raises the budget by one (the position stays "t / target", never past it).
  if (s.t >= s.target && s.t + 1 <= LIMITS.steps) setTargetSteps(s.t + 1);
  if (s.t + 1 > LIMITS.steps) return;
  send({ type: 'step', n: 1 });
}

export function reset(): void {
  const s = getLab();
  if (!s.session || s.dirty) {
    const c = validDraft();
    if (c) startSession(c, false);
    return;
  }
  send({ type: 'reset', keepSwitches: true });
}

/** Starts (paused) the session for the current form, e.g. on page load. */
export function prepare(): void {
  const c = validDraft();
  if (c) startSession(c, false);
}

/**
 * A change to a running run, at the current step: the same algorithm with new hyper-parameters keeps
 * its state (`setHyper`, like changing lr in torch); another algorithm starts from its init
 * (`switchAlgorithm`). `hyper` is validated by the form (and again by the worker). Both are recorded
 * in the session's config, hence in the share link.
 */
export function changeMidRun(run: number, algorithm: string, hyper: Record<string, unknown>, current: string): string | null {
  const s = getLab();
  // The session's own record (the form may hold edits not yet started).
  const config = s.session ? { ...s.session.config, steps: s.draft.steps } : shareConfig();
  // Refused (with the reason, shown by the form) when the recorded experiment would no longer fit its
  // own share link: the switch limit of the schema, or the link's length cap.
  const at = s.summaries[run]?.t ?? s.t;
  const refusal = s.session && config ? midRunRefusal(config, s.view, run, at, algorithm, hyper, algorithm === current) : null;
  if (refusal) return refusal;
  if (algorithm === current) send({ type: 'setHyper', run, hyper });
  else send({ type: 'switchAlgorithm', run, algorithm, hyper });
  return null;
}

export function setSpeed(speed: number): void {
  setView({ speed });
  applySpeed(speed);
}

export function setTargetSteps(steps: number): void {
  const s = getLab();
  setLab({ draft: { ...s.draft, steps } });
  if (s.session && !s.dirty && Number.isInteger(steps) && steps >= 0) send({ type: 'setSteps', steps });
}

export function setBackend(backend: BackendChoice): void {
  setView({ backend });
  if (getLab().session) send({ type: 'setBackend', backend });
}

/** The experiment a share link describes now: the running session's, or the edited form's. */
export function shareConfig(): ExperimentConfig | null {
  const s = getLab();
  if (s.session && !s.dirty) return { ...s.session.config, steps: s.draft.steps };
  return validDraft();
}

export function shareHash(view: ViewState = getLab().view): string | null {
  const c = shareConfig();
  return c ? encodeShare(c, view) : null;
}

/** Loads an experiment (preset link, pasted link) and prepares a paused session for it. */
export function openExperiment(config: ExperimentConfig, view: ViewState = DEFAULT_VIEW): void {
  loadExperiment(config, view);
  startSession(config, false);
}
