/**
 * The user's own data in the page: a CSV upload or points added on the 2-D plot turn the form's MLP
 * problem into explicit data (the preview then draws it, preview.ts), marked as own so share links leave
 * it out (ownData-link.ts). Undo takes back the last added point, "clear" every added point, and
 * "built-in data" returns to the generated set the user started from.
 */
import { create } from 'zustand';
import type { MLPProblemConfig } from '../core/config';
import type { CsvData } from '../core/data/csv';
import type { mlpPoints } from '../core/problems/mlp-data';
import { builtInFor, fingerprint, isOwnData, ownDataMark, setOwnDataMark, type BuiltIn, type ExplicitData, type OwnOrigin } from './ownData-link';
import { editDraft, getLab } from './store';

export interface Before {
  data: MLPProblemConfig['data'];
  loss: MLPProblemConfig['loss'];
}

export interface OwnDataUi {
  /** Clicks on the plot add points. */
  adding: boolean;
  /** The class of an added point (classification) … */
  cls: number;
  /** … or its target (regression). */
  target: number;
  /** The form's data (and loss) before each added point, newest last; valid while the form holds `last`. */
  history: Before[];
  last: MLPProblemConfig['data'] | null;
  /** What the last upload said (summary line and notes), for the panel. */
  upload: { name: string; summary: string; notes: string[] } | null;
}

export const useOwnData = create<OwnDataUi>()(() => ({ adding: false, cls: 0, target: 0, history: [], last: null, upload: null }));
export const setOwnUi = useOwnData.setState;

export const MAX_CLASSES_ADDED = 8;
type MLPPoints = typeof mlpPoints;

const mlpOf = (): MLPProblemConfig | null => {
  const p = getLab().draft.problem;
  return p.kind === 'mlp' ? p : null;
};

/** The built-in set the form's problem uses now (or the one own data came from). */
function builtInOf(p: MLPProblemConfig): BuiltIn {
  if (p.data.kind === 'dataset') return { data: p.data, loss: p.loss, ...(p.features ? { features: p.features } : {}) };
  return ownDataMark()?.builtIn ?? builtInFor(p.data.y, p.loss);
}

function mark(data: ExplicitData, origin: OwnOrigin, name: string, builtIn: BuiltIn): void {
  setOwnDataMark({ origin, name, fingerprint: fingerprint(data), builtIn });
}

/** The form's MLP problem with new data (features kept only for 2-D points, explicit init dropped). */
function withData(p: MLPProblemConfig, data: ExplicitData, loss: MLPProblemConfig['loss']): MLPProblemConfig {
  const { init: _init, features, ...rest } = p;
  return { ...rest, data, loss, ...(features && data.X[0].length === 2 ? { features } : {}) };
}

/** Uses an uploaded CSV's points as the problem's data. */
export function applyUpload(csv: CsvData, fileName: string, summary: string, notes: string[]): void {
  const p = mlpOf();
  if (!p) return;
  const builtIn = builtInOf(p);
  const data: ExplicitData = { kind: 'explicit', X: csv.X, y: csv.y };
  mark(data, 'upload', fileName, builtIn);
  editDraft((d) => ({ ...d, problem: withData(d.problem as MLPProblemConfig, data, csv.loss) }));
  setOwnUi({ history: [], last: data, upload: { name: fileName, summary, notes }, cls: 0 });
}

/** The form's data as explicit points (a generated set becomes its train and test points). */
function explicitOf(p: MLPProblemConfig, points: MLPPoints): ExplicitData {
  if (p.data.kind === 'explicit') return p.data;
  const pts = points(p, getLab().draft.seeds.data);
  return { kind: 'explicit', X: pts.X, y: pts.y, ...(pts.Xtest?.length ? { Xtest: pts.Xtest, ytest: pts.ytest } : {}) };
}

/** Classes the picker offers: the data's classes, one more (up to 8); 0 for a regression target. */
export function classCount(p: MLPProblemConfig): number {
  if (p.loss === 'mse') return 0;
  if (p.data.kind === 'dataset') return p.loss === 'bce' ? 2 : Math.max(2, p.data.classes);
  return Math.max(2, ...p.data.y.map((v) => v + 1));
}

/** Adds a training point at (x₁, x₂) with the chosen class (or target); the form's data becomes own data. */
export function addPoint(x1: number, x2: number, label: number): Promise<void> {
  // In click order: each point is added to the data the previous one left (the first may wait for
  // the generators' chunk, which is not needed for the page's first paint).
  pending = pending.then(async () => addPointNow(x1, x2, label, (await import('../core/problems/mlp-data')).mlpPoints)).catch((e: unknown) => console.error('the point could not be added:', e));
  return pending;
}
let pending: Promise<void> = Promise.resolve();

function addPointNow(x1: number, x2: number, label: number, points: MLPPoints): void {
  const p = mlpOf();
  if (!p || !Number.isFinite(x1) || !Number.isFinite(x2)) return;
  const before = explicitOf(p, points);
  const builtIn = builtInOf(p);
  const data: ExplicitData = { ...before, X: [...before.X, [x1, x2]], y: [...before.y, label] };
  // A third class turns binary cross-entropy into softmax cross-entropy.
  const loss = p.loss === 'bce' && label > 1 ? 'softmax_ce' : p.loss;
  const prior = ownDataMark();
  const origin = prior && isOwnData(p) ? prior : null;
  mark(data, origin?.origin ?? 'points', origin?.name ?? 'points added on the plot', builtIn);
  const s = useOwnData.getState();
  const history = s.last === p.data ? [...s.history, { data: p.data, loss: p.loss }] : [{ data: p.data, loss: p.loss }];
  editDraft((d) => ({ ...d, problem: withData(d.problem as MLPProblemConfig, data, loss) }));
  setOwnUi({ history, last: data });
}

/** Whether undo / clear apply to the form's data now. */
export function canUndo(p: MLPProblemConfig): boolean {
  const s = useOwnData.getState();
  return s.history.length > 0 && s.last === p.data;
}

function restore({ data, loss }: Before, history: Before[]): void {
  const m = ownDataMark();
  if (data.kind === 'dataset') setOwnDataMark(null);
  else if (m) setOwnDataMark({ ...m, fingerprint: fingerprint(data) });
  editDraft((d) => ({ ...d, problem: { ...(d.problem as MLPProblemConfig), data, loss } }));
  setOwnUi({ history, last: data });
}

/** Takes back the last added point. */
export function undoPoint(): void {
  const p = mlpOf();
  const s = useOwnData.getState();
  if (!p || !canUndo(p)) return;
  restore(s.history[s.history.length - 1], s.history.slice(0, -1));
}

/** Takes back every added point (back to the data before the first one). */
export function clearPoints(): void {
  const p = mlpOf();
  const s = useOwnData.getState();
  if (!p || !canUndo(p)) return;
  restore(s.history[0], []);
}

/** Back to the generated data set the own data replaced. */
export function backToBuiltIn(): void {
  const p = mlpOf();
  if (!p) return;
  const b = builtInOf(p);
  setOwnDataMark(null);
  editDraft((d) => {
    const { init: _init, features: _f, ...rest } = d.problem as MLPProblemConfig;
    return { ...d, problem: { ...rest, data: b.data, loss: b.loss, ...(b.features ? { features: b.features } : {}) } };
  });
  setOwnUi({ history: [], last: null, upload: null, adding: false });
}

/** Marks the form's explicit data as own data (an exported JSON that held own data, loaded back). */
export function markLoadedOwnData(origin: OwnOrigin, name: string): void {
  const p = mlpOf();
  if (!p || p.data.kind !== 'explicit') return;
  mark(p.data, origin, name, builtInFor(p.data.y, p.loss));
  setOwnUi({ history: [], last: p.data, upload: null });
}
