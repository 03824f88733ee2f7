/**
 * What a backend calibration depends on, as a string: two configs with the same key time the same way,
 * so 'auto' reuses the earlier measurement instead of spending its ~1.5 s again (a preview after every
 * added point or edited seed would otherwise recalibrate). The key keeps the model exactly (layers,
 * conv blocks, activation, loss, batch size, rank, β, …) and the algorithms run, but only the size
 * class of the data: counts and dimensions to the nearest power of two; data values, noise, seeds and
 * initial weights do not enter.
 */
import type { ExperimentConfig } from '../core/config';

/** The power of two nearest to x (a size class). */
const sizeClass = (x: number): number => Math.round(Math.log2(Math.max(1, Math.abs(x))));

/** A data block's shape: numbers → size classes, matrices → [rows, cols] classes, strings kept. */
function dataShape(v: unknown): unknown {
  if (typeof v === 'number') return sizeClass(v);
  if (typeof v === 'string' || typeof v === 'boolean' || v === null || v === undefined) return v;
  if (Array.isArray(v)) {
    const first = v[0];
    if (Array.isArray(first)) return ['matrix', sizeClass(v.length), sizeClass(first.length)];
    if (v.every((x) => typeof x === 'number')) return ['vector', sizeClass(v.length)];
    return v.map(dataShape);
  }
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, dataShape(x)]));
  return String(v);
}

export function calibrationKey(config: ExperimentConfig): string {
  const { data, init: _init, ...model } = config.problem as ExperimentConfig['problem'] & { data?: unknown; init?: unknown };
  const algorithms = [...new Set(config.runs.flatMap((r) => [r.algorithm, ...r.switches.map((s) => s.algorithm)]))].sort();
  return JSON.stringify({ model, data: dataShape(data), algorithms });
}
