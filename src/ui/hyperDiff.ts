/**
 * Hyper-parameters as people read them: compact values, "lr 0.01→0.003" change labels, the
 * algorithm and hyper-parameters in effect at a step, and run labels that tell apart two runs of the
 * same algorithm (e.g. "1: SGD (lr 0.3)" and "2: SGD (lr 0.34)").
 */
import type { ExperimentConfig, RunConfig } from '../core/config';

type Hyper = Record<string, unknown>;

/** A hyper-parameter value, short: 0.003, 1e-8, [0.9, 0.999], none. */
export function fmtHyper(v: unknown): string {
  if (v === null || v === undefined) return 'none';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v);
    const a = Math.abs(v);
    if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2).replace(/\.?0+e/, 'e').replace('e+', 'e');
    return String(Number(v.toPrecision(4)));
  }
  if (Array.isArray(v)) return `[${v.map(fmtHyper).join(', ')}]`;
  return String(v);
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The keys whose values differ between two hyper-parameter sets, in `to`'s order. */
export function changedKeys(from: Hyper, to: Hyper): string[] {
  const keys = [...Object.keys(to), ...Object.keys(from).filter((k) => !(k in to))];
  return keys.filter((k) => !same(from[k], to[k]));
}

/** ["lr 0.01→0.003", …] for what changed from `from` to `to`. */
export function hyperChanges(from: Hyper, to: Hyper): string[] {
  return changedKeys(from, to).map((k) => `${k} ${fmtHyper(from[k])}→${fmtHyper(to[k])}`);
}

/** A short marker label: at most two changes, then "+N". */
export function changeLabel(from: Hyper, to: Hyper): string {
  const c = hyperChanges(from, to);
  if (!c.length) return 'same hyper-parameters';
  return c.length > 2 ? `${c.slice(0, 2).join(', ')} +${c.length - 2}` : c.join(', ');
}

export function sameHyper(a: Hyper, b: Hyper): boolean {
  return changedKeys(a, b).length === 0;
}

/** The algorithm and hyper-parameters that take step t + 1 (switches made after ≤ t steps applied). */
export function inEffect(run: RunConfig, t: number): { algorithm: string; hyper: Hyper } {
  let cur = { algorithm: run.algorithm, hyper: run.hyper };
  for (const s of run.switches) if (s.at <= t) cur = { algorithm: s.algorithm, hyper: s.hyper };
  return cur;
}

/**
 * Labels for the runs: the worker's label, plus the hyper-parameters that differ from the other runs
 * of the same algorithm (runs with an id keep it as is).
 */
export function distinctLabels(config: ExperimentConfig, labels: string[]): string[] {
  return labels.map((label, i) => {
    const r = config.runs[i];
    if (!r || r.id !== undefined) return label;
    const twins = config.runs.filter((o, j) => j !== i && o.algorithm === r.algorithm);
    if (!twins.length) return label;
    const keys = new Set(twins.flatMap((o) => changedKeys(o.hyper, r.hyper)));
    const parts = [...keys].slice(0, 2).map((k) => `${k} ${fmtHyper(r.hyper[k])}`);
    return parts.length ? `${label} (${parts.join(', ')})` : label;
  });
}
