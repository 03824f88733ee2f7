/**
 * How often the page's session evaluates f, in words (core/fold/eval-every.ts decides): the note by the
 * loss chart and the Problem panel's field hint. Safe on a draft being edited (NaN fields: null).
 */
import type { ExperimentConfig } from '../core/config';
import { resolveEvalEvery, splitSizes, type EvalEvery } from '../core/fold/eval-every';

type Configish = Pick<ExperimentConfig, 'problem'> & { evalEvery?: number | 'auto' };

/** The resolved interval, or null when the (draft) config cannot say yet. */
export function evalEveryOf(config: Configish | null | undefined): EvalEvery | null {
  if (!config) return null;
  try {
    const r = resolveEvalEvery(config);
    return Number.isInteger(r.every) && r.every >= 1 ? r : null;
  } catch {
    return null;
  }
}

/** "f on the full training and test sets every 23 steps (once per epoch)", or null when every step. */
export function evalEveryNote(config: Configish | null | undefined): string | null {
  const r = evalEveryOf(config);
  const p = config?.problem;
  if (!r || r.every === 1 || p?.kind !== 'mlp') return null;
  const { nTrain, nTest } = splitSizes(p);
  const perEpoch = p.batchSize !== null ? Math.ceil(nTrain / p.batchSize) : 1;
  const sets = nTest > 0 ? 'training and test sets' : 'training set';
  const why = r.every === perEpoch ? ' (once per epoch)' : r.reason === 'set' ? ' (as set in the Problem panel)' : '';
  return `f on the full ${sets} every ${r.every} steps${why}`;
}
