/**
 * Next to a run card's fields during a session: the card's edit does not reach the running run by
 * itself, so say what it does (Start begins a new session with it) and offer it as a mid-run change at
 * the current step, or to take the edit back.
 */
import { useState } from 'react';
import { ALGORITHM_SPECS } from '../../core/algorithms/spec-registry';
import type { RunDraft } from '../draft';
import { changeLabel } from '../hyperDiff';
import { applyCardEdit, cardEdit, restoreCard } from '../runEdits';
import { useLab } from '../store';

export function RunEditOffer({ run, index }: { run: RunDraft; index: number }) {
  const session = useLab((s) => s.session);
  const sessionKeys = useLab((s) => s.sessionKeys);
  const t = useLab((s) => s.t);
  const edit = cardEdit({ session, sessionKeys, t }, run);
  const [refused, setRefused] = useState<string | null>(null);
  if (!edit) return null;
  const n = index + 1;
  const label = (id: string) => ALGORITHM_SPECS[id]?.label ?? id;
  const what =
    edit.algorithm === edit.current.algorithm
      ? changeLabel(edit.current.hyper, edit.hyper)
      : `${label(edit.current.algorithm)} → ${label(edit.algorithm)}`;
  return (
    <div className="edit-offer" role="status" data-testid={`edit-offer-${index}`}>
      <p className="small">
        Run {n} is at step {t} and still trains with {label(edit.current.algorithm)}. This edit ({what}) takes effect from
        step 0 when you press Start — or apply it now, keeping θ:
      </p>
      <div className="buttons">
        <button type="button" className="secondary" aria-label={`Apply run ${n} edit at step ${t}`} onClick={() => setRefused(applyCardEdit(run))}>
          Apply at step {t}
        </button>
        <button type="button" className="ghost" onClick={() => restoreCard(run.key)}>
          Undo edit
        </button>
      </div>
      {refused && (
        <p className="midrun-refused small" role="alert">
          {refused}
        </p>
      )}
    </div>
  );
}
