/**
 * Own data (an uploaded CSV, or points added on the plot) never goes in a share link: the page marks
 * the explicit data it holds as the user's own (by a fingerprint of its numbers, so the session's
 * parsed copy of the config is recognised too), and `encodeShare` writes a link that carries the
 * built-in data set the user started from instead, plus a note `o` saying what was left out; opening
 * it says so. Export JSON keeps the data (its `ownData` key marks it again when loaded).
 * No store here: share.ts (also run in the share worker, where nothing is marked) imports this.
 */
import { z } from 'zod';
import type { ExperimentConfig, MLPProblemConfig } from '../core/config';

type MLPData = MLPProblemConfig['data'];
export type ExplicitData = Extract<MLPData, { kind: 'explicit' }>;
export type DatasetData = Extract<MLPData, { kind: 'dataset' }>;
export type OwnOrigin = 'upload' | 'points';

/** The built-in data set a link carries in place of own data, with the loss that fits it. */
export interface BuiltIn {
  data: DatasetData;
  loss: MLPProblemConfig['loss'];
  features?: MLPProblemConfig['features'];
}

export interface OwnDataMark {
  origin: OwnOrigin;
  /** The file's name, or "points added on the plot". */
  name: string;
  fingerprint: string;
  builtIn: BuiltIn;
}

let mark: OwnDataMark | null = null;

export const ownDataMark = (): OwnDataMark | null => mark;
export function setOwnDataMark(m: OwnDataMark | null): void {
  mark = m;
}

const prints = new WeakMap<object, string>();

/** FNV-1a over the numbers' float64 bits (X, y, the test part): equal data, equal print. */
export function fingerprint(d: Pick<ExplicitData, 'X' | 'y' | 'Xtest' | 'ytest'>): string {
  const hit = prints.get(d.X);
  if (hit && prints.get(d.y) === hit) return hit;
  const f64 = new Float64Array(1);
  const u32 = new Uint32Array(f64.buffer);
  let h = 0x811c9dc5;
  let n = 0;
  const mix = (v: number) => {
    f64[0] = v;
    h = Math.imul(h ^ u32[0], 0x01000193);
    h = Math.imul(h ^ u32[1], 0x01000193);
    n++;
  };
  for (const rows of [d.X, d.Xtest ?? []]) for (const r of rows) for (const v of r) mix(v);
  for (const v of [...d.y, ...(d.ytest ?? [])]) mix(v);
  const print = `${d.X.length}.${d.X[0]?.length ?? 0}.${n}.${(h >>> 0).toString(36)}`;
  prints.set(d.X, print);
  prints.set(d.y, print);
  return print;
}

/** Whether a problem holds the data marked as the user's own. */
export function isOwnData(p: ExperimentConfig['problem']): p is MLPProblemConfig & { data: ExplicitData } {
  return mark !== null && p.kind === 'mlp' && p.data.kind === 'explicit' && fingerprint(p.data) === mark.fingerprint;
}

/** The built-in set that fits data of this kind (for own data loaded from a file, started from none). */
export function builtInFor(y: number[], loss: MLPProblemConfig['loss']): BuiltIn {
  const base = { kind: 'dataset' as const, n: 256, noise: 0.1, testRatio: 0.25, classes: 3 };
  if (loss === 'mse') return { data: { ...base, name: 'ripple', noise: 0.05 }, loss };
  const k = Math.max(2, ...y.map((v) => v + 1));
  return k > 2 ? { data: { ...base, name: 'gaussians', classes: Math.min(8, k) }, loss: 'softmax_ce' } : { data: { ...base, name: 'moons' }, loss: 'bce' };
}

/** What a link says it left out: points n, their columns d, classes k (0: a regression target). */
export const omittedSchema = z.strictObject({ n: z.number().int().min(1), d: z.number().int().min(1), k: z.number().int().min(0) });
export type Omitted = z.output<typeof omittedSchema>;

/** A config fit for a link: own data replaced by the built-in set, and what was left out; null if no own data. */
export function linkSafe(c: ExperimentConfig): { config: ExperimentConfig; omitted: Omitted } | null {
  const p = c.problem;
  if (!mark || !isOwnData(p)) return null;
  const { init: _init, features: _features, ...rest } = p;
  const { builtIn } = mark;
  const problem: MLPProblemConfig = { ...rest, data: builtIn.data, loss: builtIn.loss, ...(builtIn.features ? { features: builtIn.features } : {}) };
  const k = p.loss === 'mse' ? 0 : Math.max(...p.data.y) + 1;
  return { config: { ...c, problem }, omitted: { n: p.data.X.length + (p.data.Xtest?.length ?? 0), d: p.data.X[0].length, k } };
}

/** The notice a link with own data left out opens with. */
export function omittedMessage(o: Omitted, data: ExperimentConfig['problem']): string {
  const set = data.kind === 'mlp' && data.data.kind === 'dataset' ? `the built-in '${data.data.name}' data` : 'built-in data';
  const what = `${o.n.toLocaleString('en-US')} points, ${o.d} column${o.d === 1 ? '' : 's'}${o.k ? `, ${o.k} classes` : ', a numeric target'}`;
  return `This experiment was made on its author's own data (${what}), which share links never carry: it opens on ${set} instead. Ask for its Export JSON file to run it on that data.`;
}
