/**
 * During a session: change a run at the current step. Same algorithm → new hyper-parameters, state
 * kept (protocol `setHyper`); another algorithm → its hyper-parameters, θ kept and its state from init
 * (`switchAlgorithm`). Fields are validated inline with the algorithm's zod messages, as in the start
 * form. Every change lands in the session's config (hence the share link) and is marked on the chart.
 */
import { useState } from 'react';
import { ALGORITHM_SPECS } from '../../core/algorithms/spec-registry';
import { changeMidRun } from '../actions';
import { algorithmsFor } from '../draft';
import { changeLabel, inEffect, sameHyper } from '../hyperDiff';
import { checkHyper, hyperDraft, hyperFields, type HyperDraft } from '../hyperFields';
import { useLab } from '../store';
import { HyperFields } from './HyperFields';
import { switchLimitMessage, switchLimitReached } from '../limits';

/**
 * `index`: the card's position; `runKey`: its key, which finds the session's run (the form may have been
 * edited since the session started: the link stays while the session runs).
 */
export function MidRunChange({ index: card, runKey }: { index: number; runKey: number }) {
  const session = useLab((s) => s.session);
  const index = useLab((s) => s.sessionKeys.indexOf(runKey));
  const t = useLab((s) => s.t);
  const rc = session?.config.runs[index];
  // Before the first step the run's own fields above are the place to change it.
  if (!session || !rc || t === 0) return null;
  const cur = inEffect(rc, t);
  // A new form whenever what is in effect changes (after an apply, a reset, a scheduled switch).
  const key = `${session.epoch}:${cur.algorithm}:${JSON.stringify(cur.hyper)}`;
  return (
    <details className="midrun" data-testid={`midrun-${card}`}>
      <summary>
        Change mid-run <span className="muted">· at step {t}</span>
      </summary>
      <MidRunForm key={key} index={index} t={t} current={cur} />
    </details>
  );
}

interface FormProps {
  index: number;
  t: number;
  current: { algorithm: string; hyper: Record<string, unknown> };
}

function MidRunForm({ index, t, current }: FormProps) {
  const kind = useLab((s) => s.session?.kind ?? 'mlp');
  const status = useLab((s) => s.summaries[index]?.status);
  const [algorithm, setAlgorithm] = useState(current.algorithm);
  const [values, setValues] = useState<HyperDraft>(() => {
    const a = ALGORITHM_SPECS[current.algorithm];
    return a ? hyperDraft(a, current.hyper) : {};
  });
  const alg = ALGORITHM_SPECS[algorithm];
  const algs = algorithmsFor(kind);
  const n = index + 1;
  if (!alg) return null;
  const check = checkHyper(alg, values);
  const switching = algorithm !== current.algorithm;
  const changed = switching || (check.ok && !sameHyper(current.hyper, check.hyper));
  const stopped = status === 'diverged' || status === 'error';
  const rc = useLab((s) => s.session?.config.runs[index]);
  const full = rc ? switchLimitReached(rc, t) : false;
  const [refused, setRefused] = useState<string | null>(null);
  const what = !check.ok
    ? 'Fix the highlighted fields.'
    : switching
      ? `θ kept; ${alg.label} starts from its initial state.`
      : changed
        ? `${changeLabel(current.hyper, check.hyper)} · state kept (like changing lr in torch).`
        : hyperFields(alg).length
          ? 'Edit a value to change it from the next step on.'
          : 'No hyper-parameters: pick another algorithm to switch to.';
  return (
    <div className="midrun-body">
      <div className="field">
        <label htmlFor={`midrun${index}-alg`}>Algorithm</label>
        <select
          id={`midrun${index}-alg`}
          aria-label={`Switch run ${n} to`}
          value={algorithm}
          onChange={(e) => {
            const a = ALGORITHM_SPECS[e.target.value];
            if (!a) return;
            setAlgorithm(a.id);
            setValues(a.id === current.algorithm ? hyperDraft(a, current.hyper) : hyperDraft(a));
          }}
        >
          {algs.map((a) => (
            <option key={a.id} value={a.id}>
              {a.label}
              {a.id === current.algorithm ? ' (current)' : ''}
            </option>
          ))}
        </select>
      </div>
      <HyperFields
        alg={alg}
        values={values}
        errors={check.ok ? {} : check.fieldErrors}
        onChange={(name, v) => setValues((h) => ({ ...h, [name]: v }))}
        label={`Run ${n} new`}
        idPrefix={`midrun${index}`}
      />
      <p className="muted small midrun-what" aria-live="polite">
        {stopped ? `This run has stopped (${status}): Reset to try again.` : full ? switchLimitMessage(index) : what}
      </p>
      {refused && !full && (
        <p className="midrun-refused small" role="alert" data-testid={`midrun-refused-${index}`}>
          {refused}
        </p>
      )}
      <button
        type="button"
        className="secondary"
        disabled={!check.ok || !changed || stopped || full}
        aria-label={switching ? `Switch run ${n} now` : `Apply run ${n} hyper-parameters now`}
        onClick={() => check.ok && setRefused(changeMidRun(index, algorithm, check.hyper, current.algorithm))}
      >
        {switching ? `Switch at step ${t}` : `Apply at step ${t}`}
      </button>
    </div>
  );
}
