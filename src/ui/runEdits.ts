/**
 * Edits of a run card during a session. The card holds the run's start values (step 0); while the
 * session has taken steps, an edit there changes nothing until Start begins a new session — so the page
 * says so next to the fields and offers to apply the edit now, as a mid-run change at the current step
 * (recorded in the session's config and its share link), after which the card shows the start values
 * again. The session's runs are found by the cards' keys (store.sessionKeys), not by position.
 */
import { ALGORITHM_SPECS } from '../core/algorithms/spec-registry';
import type { RunConfig } from '../core/config';
import { changeMidRun } from './actions';
import { checkDraft, type RunDraft } from './draft';
import { inEffect, sameHyper } from './hyperDiff';
import { checkHyper, hyperDraft } from './hyperFields';
import { getLab, setLab, type LabState } from './store';

/** The session's run index of the card with this key, or -1 (a card added since the session started). */
export const sessionIndexOf = (s: Pick<LabState, 'sessionKeys'>, key: number): number => s.sessionKeys.indexOf(key);

export interface CardEdit {
  /** The session's run index. */
  run: number;
  algorithm: string;
  hyper: Record<string, unknown>;
  /** What takes the next step now. */
  current: { algorithm: string; hyper: Record<string, unknown> };
}

/**
 * The card's edit when it differs from the session run's start values (and is valid), else null.
 * Only while the session has taken steps: at step 0 Start applies the edit at no loss.
 */
export function cardEdit(s: Pick<LabState, 'session' | 'sessionKeys' | 't'>, card: RunDraft): CardEdit | null {
  const run = sessionIndexOf(s, card.key);
  const rc: RunConfig | undefined = s.session?.config.runs[run];
  if (!s.session || !rc || s.t === 0) return null;
  const alg = ALGORITHM_SPECS[card.algorithm];
  if (!alg) return null;
  const h = checkHyper(alg, card.hyper);
  if (!h.ok) return null;
  if (card.algorithm === rc.algorithm && sameHyper(h.hyper, rc.hyper)) return null;
  return { run, algorithm: card.algorithm, hyper: h.hyper, current: inEffect(rc, s.t) };
}

/** The card shows its session run's start values again; the form is clean if nothing else differs. */
export function restoreCard(key: number): void {
  const s = getLab();
  const rc = s.session?.config.runs[sessionIndexOf(s, key)];
  const alg = rc && ALGORITHM_SPECS[rc.algorithm];
  if (!rc || !alg) return;
  const runs = s.draft.runs.map((r) => (r.key === key ? { ...r, algorithm: rc.algorithm, hyper: hyperDraft(alg, rc.hyper), switches: structuredClone(rc.switches) } : r));
  const draft = { ...s.draft, runs };
  setLab({ draft, dirty: !matchesSession(draft) });
}

/** The form describes the session's experiment (the step budget aside). */
function matchesSession(draft: LabState['draft']): boolean {
  const s = getLab();
  const r = checkDraft(draft).result;
  if (!s.session || !r.ok || draft.runs.length !== s.sessionKeys.length) return false;
  if (draft.runs.some((d, i) => d.key !== s.sessionKeys[i])) return false;
  return JSON.stringify({ ...r.config, steps: 0 }) === JSON.stringify({ ...s.session.config, steps: 0 });
}

/** Applies the card's edit at the current step (switch or new hyper-parameters); the refusal, if any. */
export function applyCardEdit(card: RunDraft): string | null {
  const edit = cardEdit(getLab(), card);
  if (!edit) return null;
  const refusal = changeMidRun(edit.run, edit.algorithm, edit.hyper, edit.current.algorithm);
  if (refusal) return refusal;
  restoreCard(card.key);
  return null;
}
