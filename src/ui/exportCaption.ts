/** Captions and legends of exported pictures: which run (with the algorithm at that step) and step. */
import { ALGORITHM_SPECS } from '../core/algorithms/spec-registry';
import type { ViewEvt } from '../worker/protocol';
import { CLASS_COLORS } from './charts/DecisionBoundary';
import { INK } from './charts/hooks';
import type { LegendItem } from './exportFrame';
import { live } from './live';

/** "run 2: Adam · step 57" — the algorithm that took step `t` (switches followed). */
export function exportCaption(run: number, t: number): string {
  const r = live.runs[run];
  const alg = r ? r.algorithmAt(Math.max(1, t)) : '';
  return `run ${run + 1}: ${ALGORITHM_SPECS[alg]?.label ?? alg} · step ${t}`;
}

/** The decision boundary's / fitted curve's legend: classes (or target), train and test points. */
export function modelLegend(v: ViewEvt['view']): LegendItem[] {
  if (v.kind !== 'mlp2d' && v.kind !== 'mlp1d') return [];
  const points: LegendItem[] = [
    { label: 'train (filled)', color: INK, mark: 'dot' },
    ...(v.test ? [{ label: 'test (ringed)', color: INK, mark: 'ring' as const }] : []),
  ];
  if (v.kind === 'mlp1d') return [{ label: 'fitted curve', color: INK, mark: 'line' }, ...points];
  if (v.loss === 'mse') return [{ label: 'prediction (colour: value)', color: CLASS_COLORS[0], mark: 'box' }, ...points];
  const k = v.loss === 'bce' ? 2 : v.outputs.shape[1];
  const classes: LegendItem[] = Array.from({ length: k }, (_, c) => ({ label: `class ${c}`, color: CLASS_COLORS[c % CLASS_COLORS.length], mark: 'box' }));
  return [...classes, ...(v.loss === 'bce' ? [{ label: 'decision boundary p = ½', color: INK, mark: 'line' as const }] : []), ...points];
}
