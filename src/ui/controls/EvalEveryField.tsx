/**
 * The Problem panel's "Evaluate f every" field: blank = auto (core/fold/eval-every.ts: every step
 * unless one evaluation of f is costly, then once per epoch), or a number of steps. Kept in share links
 * only when set.
 */
import type { Draft } from '../draft';
import { evalEveryOf } from '../evalEvery';
import { editDraft } from '../store';
import { NumField } from './fields';

const TIP =
  'How often f (and the test f) is computed on the whole data set. Blank = auto: every step when that is cheap (full batch, small problems), else once per epoch, since one evaluation costs as many multiply-adds as several mini-batch steps. Steps are the same either way; only the recorded points change.';

export function EvalEveryField({ draft, error }: { draft: Draft; error?: string }) {
  const auto = evalEveryOf({ problem: draft.problem });
  return (
    <div title={TIP} data-testid="eval-every-field">
      <NumField
        label="Evaluate f every (steps)"
        value={draft.evalEvery ?? null}
        allowBlank
        hint={auto ? `auto: ${auto.every === 1 ? 'every step' : `every ${auto.every}`}` : 'auto'}
        error={error}
        onBlank={() => editDraft((d) => withEvalEvery(d, undefined))}
        onChange={(v) => editDraft((d) => withEvalEvery(d, v))}
      />
    </div>
  );
}

/** The draft with this evalEvery (undefined: auto, no key). */
function withEvalEvery(d: Draft, v: number | undefined): Draft {
  const { evalEvery: _old, ...rest } = d;
  return v === undefined ? rest : { ...rest, evalEvery: v };
}
