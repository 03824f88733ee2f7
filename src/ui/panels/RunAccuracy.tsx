/**
 * Accuracy next to the loss in the run table (classification runs), and the image data set's loading
 * progress as a worker notice. Fed by `noteAccuracyEvent` (ui/engine.ts hands it every worker event);
 * its own small store, so the lab's store and the table stay as they are.
 */
import { create } from 'zustand';
import type { LabEvent } from '../../worker/protocol';
import { getLab, setLab } from '../store';

interface AccuracyState {
  /** Per run: the latest measured accuracy (step, train, test; NaN test without test data). */
  byRun: Record<number, { t: number; train: number; test: number }>;
}

const useAccuracy = create<AccuracyState>()(() => ({ byRun: {} }));

const LOADING = 'Loading the image data set';

export function noteAccuracyEvent(e: LabEvent): void {
  if (e.type === 'started' || e.type === 'workerRestarted') useAccuracy.setState({ byRun: {} });
  else if (e.type === 'progress') {
    const fresh = e.blocks.filter((b) => b.accuracy);
    if (fresh.length) useAccuracy.setState((s) => ({ byRun: { ...s.byRun, ...Object.fromEntries(fresh.map((b) => [b.run, b.accuracy!])) } }));
  } else if (e.type === 'dataLoad') {
    const mine = getLab().workerNotice?.title.startsWith(LOADING);
    if (!e.done) setLab({ workerNotice: { kind: 'info', title: `${LOADING} '${e.name}'`, messages: [`${Math.round(100 * e.fraction)}% (fetched once, then kept by the worker)`] } });
    else if (mine) setLab({ workerNotice: null });
  }
}

const pct = (v: number): string => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : '—');

/** "acc 97.2% · test 95.8%" under a run's loss; nothing for regression or NMF. */
export function RunAccuracy({ run }: { run: number }) {
  const a = useAccuracy((s) => s.byRun[run]);
  if (!a) return null;
  return (
    <div className="muted run-accuracy" data-testid={`run-accuracy-${run}`} data-train={a.train} data-test={a.test} title={`accuracy at step ${a.t}: share of correct predictions on the training set and the test set`} style={{ fontSize: '0.8em' }}>
      acc {pct(a.train)}
      {Number.isFinite(a.test) && <> · test {pct(a.test)}</>}
    </div>
  );
}
