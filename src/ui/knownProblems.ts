/**
 * Validating a heavy form quickly. A form edit replaces the draft but keeps its `problem` object when
 * the problem was not touched (the store's updates are immutable), and parsing 20,000 explicit points
 * with zod takes the main thread well over 100 ms. So each problem object the schema accepted is
 * remembered with its parsed form, and an experiment whose problem is such an object is parsed with the
 * data cut to its first row (every check on the whole data already passed for this very object), then
 * given its full parsed problem back. Anything else is parsed in full.
 */
import { parseExperiment, type ExperimentConfig, type ParseResult, type ProblemConfig } from '../core/config';

/** Problem objects (from the form) the schema accepted, with their parsed form. */
const known = new WeakMap<object, ProblemConfig>();
/** Problems smaller than this many explicit rows are parsed in full (it is fast). */
const HEAVY_ROWS = 2_000;

export function rememberProblem(problem: object, parsed: ProblemConfig): void {
  known.set(problem, parsed);
}

function heavyRows(p: ProblemConfig): number {
  if (p.kind !== 'mlp' || p.data.kind !== 'explicit') return 0;
  return p.data.X.length + (p.data.Xtest?.length ?? 0);
}

/** The same problem with its explicit data cut to one row (train and test). */
function firstRowOnly(p: ProblemConfig): ProblemConfig {
  if (p.kind !== 'mlp' || p.data.kind !== 'explicit') return p;
  const d = p.data;
  return {
    ...p,
    data: { ...d, X: d.X.slice(0, 1), y: d.y.slice(0, 1), ...(d.Xtest ? { Xtest: d.Xtest.slice(0, 1) } : {}), ...(d.ytest ? { ytest: d.ytest.slice(0, 1) } : {}) },
  };
}

/** parseExperiment of `input` (a draft's config input whose problem is `problem`), fast for known heavy problems. */
export function parseWithKnownProblem(input: { problem: unknown } & Record<string, unknown>, problem: object): ParseResult {
  const parsed = known.get(problem);
  if (parsed && heavyRows(parsed) >= HEAVY_ROWS) {
    const r = parseExperiment({ ...input, problem: firstRowOnly(input.problem as ProblemConfig) });
    if (r.ok) return { ok: true, config: { ...r.config, problem: parsed } as ExperimentConfig };
    // An error: the full parse names it exactly.
  }
  const r = parseExperiment(input);
  if (r.ok) known.set(problem, r.config.problem);
  return r;
}
