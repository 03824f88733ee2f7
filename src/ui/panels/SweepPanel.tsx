/**
 * Sweeps in the page: one hyper-parameter of one run over a log-spaced grid, every point from the same
 * θ₀ and batch order (core/sweep.ts's planning), run in headless workers (ui/sweep-workers.ts) with a
 * progress bar and Cancel; the metric (final f, f at step k, or steps to reach a target) against the
 * value, the experiment's tuning-free MM runs as horizontal lines. Clicking a point opens the experiment
 * with the swept run at that value, as ordinary runs. A link's `sweep` block (a preset's) fills the form.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { create } from 'zustand';
import { findAlgorithmSpec } from '../../core/algorithms/spec-registry';
import { parseExperiment, runLabel, type ExperimentConfig } from '../../core/config';
import type { SweepPoint } from '../../core/sweep';
import { openExperiment, shareConfig } from '../actions';
import { ChartCard } from '../charts/ChartCard';
import { runColor } from '../charts/hooks';
import { SweepChart } from '../charts/SweepChart';
import { NumField, SelectField } from '../controls/fields';
import { decodeShare } from '../share';
import { useLab } from '../store';
import { metricOf, planPageSweep, runPool, type SweepJob, type SweepMetric } from '../sweep-workers';
import './sweep.css';

interface SweepState {
  job: SweepJob | null;
  base: ExperimentConfig | null;
  results: (SweepPoint | { error: string } | null)[];
  progress: number;
  running: boolean;
  workers: number;
  error: string | null;
  cancel: (() => void) | null;
}

const useSweep = create<SweepState>()(() => ({ job: null, base: null, results: [], progress: 0, running: false, workers: 0, error: null, cancel: null }));

/** The progress bar's update interval. */
const PROGRESS_MS = 250;

const numericHypers = (c: ExperimentConfig | null, i: number): string[] =>
  c?.runs[i] ? Object.entries(c.runs[i].hyper).filter(([, v]) => typeof v === 'number').map(([k]) => k) : [];

function start(config: ExperimentConfig, runIndex: number, hyper: string, lo: number, hi: number, n: number): void {
  useSweep.getState().cancel?.();
  const plan = planPageSweep(config, runIndex, hyper, lo, hi, n);
  if (!plan.ok) {
    useSweep.setState({ error: plan.errors.join('; ') });
    return;
  }
  const job = plan.job;
  // Progress messages (every 100 ms from each of up to hardwareConcurrency − 1 workers) are coalesced
  // into at most one store update (a re-render of the bar) per PROGRESS_MS.
  let timer: ReturnType<typeof setTimeout> | null = null;
  let latest = 0;
  const pool = runPool(job, {
    onProgress: (done, total) => {
      latest = done / total;
      timer ??= setTimeout(() => {
        timer = null;
        useSweep.setState({ progress: latest });
      }, PROGRESS_MS);
    },
    onResult: (index, r) => useSweep.setState((s) => ({ results: s.results.map((x, k) => (k === index ? r : x)) })),
  });
  useSweep.setState({ job, base: config, results: job.jobs.map(() => null), progress: 0, running: true, workers: pool.workers, error: null, cancel: pool.cancel });
  void pool.done.then(() => useSweep.setState({ running: false, cancel: null }));
}

export function SweepPanel() {
  const session = useLab((s) => s.session);
  const draft = useLab((s) => s.draft);
  const dirty = useLab((s) => s.dirty);
  const config = useMemo(() => shareConfig(), [session, draft, dirty]); // eslint-disable-line react-hooks/exhaustive-deps
  const sw = useSweep();
  const [runIndex, setRunIndex] = useState(0);
  const [hyper, setHyper] = useState('lr');
  const [lo, setLo] = useState(1e-4);
  const [hi, setHi] = useState(1);
  const [n, setN] = useState(9);
  const [metric, setMetric] = useState<SweepMetric['kind']>('final');
  const [k, setK] = useState(50);
  const [target, setTarget] = useState(0.1);

  // A link's sweep block (a preset's) fills the form: the form's draft has no sweep, so read the link.
  // This panel is a lazy chunk, mounted after the address bar was rewritten from the form (without the
  // sweep block): on mount, the link the page was opened with (the navigation entry's URL) fills it too.
  useEffect(() => {
    const fill = (hash = location.hash): boolean => {
      const d = decodeShare(hash);
      const sweep = d.kind === 'ok' ? d.config.sweep : undefined;
      if (!sweep || typeof sweep.run !== 'number') return false;
      const v = sweep.values.filter((x): x is number => typeof x === 'number' && x > 0);
      setRunIndex(sweep.run);
      setHyper(sweep.hyper);
      if (v.length >= 2) {
        setLo(Math.min(...v));
        setHi(Math.max(...v));
        setN(v.length);
      }
      return true;
    };
    const opened = (performance.getEntriesByType?.('navigation')[0]?.name ?? '').replace(/^[^#]*/, '');
    if (!fill()) fill(opened);
    const onHash = () => fill();
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const runs = config?.runs ?? [];
  const ri = Math.min(runIndex, Math.max(0, runs.length - 1));
  const hypers = numericHypers(config, ri);
  const h = hypers.includes(hyper) ? hyper : (hypers[0] ?? '');
  const m: SweepMetric = metric === 'final' ? { kind: 'final' } : metric === 'at' ? { kind: 'at', step: k } : { kind: 'target', target };
  const metricLabel = metric === 'final' ? 'final loss' : metric === 'at' ? `loss at step ${k}` : `steps to loss ≤ ${target}`;

  const job = sw.job;
  const nPoints = job?.values.length ?? 0;
  // Memoised on the results: a progress update re-renders the bar, not the chart (it redraws when a point finishes).
  const { ys, done, references } = useMemo(() => {
    if (!job) return { ys: [], done: [], references: [] };
    const mOf = (r: SweepState['results'][number]) => (r && !('error' in r) ? metricOf(r.losses, m, r.lossSteps) : null);
    return {
      ys: sw.results.slice(0, nPoints).map(mOf),
      done: sw.results.slice(0, nPoints).map((r) => r !== null && !('error' in r)),
      references: job.references.map((ref, j) => ({ label: ref.label, y: mOf(sw.results[nPoints + j]), color: runColor(ref.runIndex) })),
    };
  }, [job, sw.results, metric, k, target]); // eslint-disable-line react-hooks/exhaustive-deps
  const errors = sw.results.filter((r): r is { error: string } => r !== null && 'error' in r).map((r) => r.error);
  const finished = sw.results.filter((r) => r !== null).length;

  const pick = useCallback(
    (index: number) => {
      const { job: j, base } = useSweep.getState();
      if (!j || !base) return;
      const runs2 = base.runs.map((r, i) => (i === j.runIndex ? { ...r, hyper: { ...r.hyper, [j.hyper]: j.values[index] } } : r));
      const parsed = parseExperiment({ ...base, runs: runs2, sweep: { run: j.runIndex, hyper: j.hyper, values: j.values } });
      if (parsed.ok) openExperiment(parsed.config, { ...useLab.getState().view, sel: j.runIndex });
    },
    [],
  );

  const canRun = !!config && !!h && runs.length > 0;
  const actions = sw.running ? (
    <button type="button" className="small" onClick={() => sw.cancel?.()} data-testid="sweep-cancel">
      Cancel
    </button>
  ) : (
    <button type="button" className="small primary" disabled={!canRun} onClick={() => config && start(config, ri, h, lo, hi, n)} data-testid="sweep-run">
      Run sweep
    </button>
  );
  const alg = runs[ri] ? findAlgorithmSpec(runs[ri].algorithm) : undefined;

  return (
    <ChartCard title="Sweep a hyper-parameter" name="sweep" actions={actions} className="wide" subtitle={<span className="muted small">Does it need tuning? Every point starts from the same θ₀ and batch order; the MM runs (no step size) are the dashed lines.</span>}>
      <div className="row3">
        <SelectField label="Run" value={String(ri)} options={runs.map((r, i) => ({ value: String(i), label: runLabel(r, i) }))} onChange={(v) => setRunIndex(Number(v))} />
        <SelectField label={`Hyper-parameter${alg ? ` of ${alg.label}` : ''}`} value={h} options={hypers.length ? hypers : ['']} onChange={setHyper} />
        <SelectField
          label="Plot"
          value={metric}
          options={[
            { value: 'final', label: 'final loss' },
            { value: 'at', label: 'loss at step k' },
            { value: 'target', label: 'steps to a target loss' },
          ]}
          onChange={(v) => setMetric(v as SweepMetric['kind'])}
        />
      </div>
      <div className="row3">
        <NumField label="From" value={lo} onChange={setLo} />
        <NumField label="To" value={hi} onChange={setHi} />
        <NumField label="Points (log-spaced)" value={n} onChange={setN} />
        {metric === 'at' && <NumField label="Step k" value={k} onChange={setK} />}
        {metric === 'target' && <NumField label="Target loss" value={target} onChange={setTarget} />}
      </div>
      {(sw.running || job) && (
        <div className="sweep-progress" data-testid="sweep-progress" data-done={finished} data-total={job?.jobs.length ?? 0} data-running={String(sw.running)}>
          <progress max={1} value={sw.progress} aria-label="Sweep progress" />
          <span className="muted small">
            {finished} of {job?.jobs.length ?? 0} runs{sw.running ? ` · ${sw.workers} worker${sw.workers > 1 ? 's' : ''}` : ''}
          </span>
        </div>
      )}
      {sw.error && <p className="error small">{sw.error}</p>}
      {errors.length > 0 && <p className="error small">{errors[0]}</p>}
      {job && <SweepChart hyper={job.hyper} metricLabel={metricLabel} values={job.values as number[]} ys={ys} done={done} references={references} color={runColor(job.runIndex)} onPick={pick} />}
      {job && !sw.running && <p className="muted small">Click a point to open it as a run (with the other runs of the experiment).</p>}
    </ChartCard>
  );
}
