/**
 * The lab's zustand store: the editable experiment (draft), the view state, and a per-frame summary of
 * the session (step, losses, statuses). Bulk series data lives in live.ts, not here, so worker messages
 * never re-render React; the engine copies a summary into the store at most once per animation frame.
 */
import { create } from 'zustand';
import type { ExperimentConfig } from '../core/config';
import type { AlgorithmFamily } from '../core/engine/algorithm';
import type { BackendName, BackendStatus, SurrogateEvt, ViewEvt } from '../worker/protocol';
import { checkDraft, configToDraft, type Draft } from './draft';
import type { Monotone } from './live';
import { defaultExperiment } from './presets';
import { decodeShare, DEFAULT_VIEW, type ViewState } from './share';

export interface BackendInfo {
  name: BackendName;
  reasonKind: 'forced' | 'calibration' | 'fallback';
  reason: string;
  backends: BackendStatus[];
}

export interface RunSummary {
  label: string;
  /** The algorithm taking the next step, and the one the run started with. */
  algorithm: string;
  baseAlgorithm: string;
  family: AlgorithmFamily | undefined;
  t: number;
  loss: number;
  test: number;
  status: string;
  message: string;
  divergedAt: number | null;
  monotone: Monotone;
  /** Monotone check over all steps (for non-MM runs: observed, not guaranteed). */
  observed: Monotone;
  switches: number;
}

export interface Notice {
  kind: 'error' | 'warning' | 'info';
  title: string;
  messages: string[];
}

export interface SessionInfo {
  epoch: number;
  config: ExperimentConfig;
  kind: 'mlp' | 'nmf' | 'function';
  hasTest: boolean;
  paramNames: string[];
}

export interface LabState {
  draft: Draft;
  view: ViewState;
  /** The draft was edited since the session started: Play starts a new session. */
  dirty: boolean;
  linkNotice: Notice | null;
  workerNotice: Notice | null;
  backendNotice: Notice | null;
  session: SessionInfo | null;
  /** The form's run keys (RunDraft.key) of the session's runs, in order: a card finds its run by key. */
  sessionKeys: number[];
  starting: boolean;
  playing: boolean;
  t: number;
  target: number;
  stepsPerSec: number;
  backend: BackendInfo | null;
  summaries: RunSummary[];
  surrogate: SurrogateEvt | null;
  plane: SurrogateEvt | null;
  modelView: ViewEvt | null;
  surrogateError: string | null;
  viewError: string | null;
  /** Bumped when the live buffers changed (once per frame at most). */
  frame: number;
  /** The past step the views show (the scrubber: a kept step of the inspected run); null: live. */
  scrubAt: number | null;
}

function initialFromHash(): Pick<LabState, 'draft' | 'view' | 'linkNotice'> {
  const hash = typeof location === 'undefined' ? '' : location.hash;
  const d = decodeShare(hash);
  if (d.kind === 'ok')
    return {
      draft: configToDraft(d.config),
      view: d.view,
      linkNotice: d.warnings.length ? { kind: 'warning', title: 'Some settings in the link were ignored', messages: d.warnings } : null,
    };
  const base = { draft: configToDraft(defaultExperiment()), view: DEFAULT_VIEW };
  if (d.kind === 'error')
    return {
      ...base,
      linkNotice: {
        kind: 'error',
        title: 'This link could not be opened — the default experiment was loaded instead',
        messages: d.errors,
      },
    };
  return { ...base, linkNotice: null };
}

export const useLab = create<LabState>()(() => ({
  ...initialFromHash(),
  dirty: true,
  workerNotice: null,
  backendNotice: null,
  session: null,
  sessionKeys: [],
  starting: false,
  playing: false,
  t: 0,
  target: 0,
  stepsPerSec: 0,
  backend: null,
  summaries: [],
  surrogate: null,
  plane: null,
  modelView: null,
  surrogateError: null,
  viewError: null,
  frame: 0,
  scrubAt: null,
}));

export const getLab = useLab.getState;
export const setLab = useLab.setState;

/** Replaces the draft (an edit by the user): the session becomes stale. */
export function editDraft(f: (d: Draft) => Draft): void {
  setLab((s) => ({ draft: f(s.draft), dirty: true }));
}

export function setView(patch: Partial<ViewState>): void {
  setLab((s) => ({ view: { ...s.view, ...patch } }));
}

/** The validated draft, or null while it is invalid. */
export function validDraft(): ExperimentConfig | null {
  const r = checkDraft(getLab().draft).result;
  return r.ok ? r.config : null;
}

/** Loads a whole experiment (from a preset or a link) into the form. */
export function loadExperiment(config: ExperimentConfig, view: ViewState): void {
  setLab({ draft: configToDraft(config), view, dirty: true, linkNotice: null });
}
