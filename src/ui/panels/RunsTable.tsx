/** The live readout: per run its algorithm, step, train/test loss, status and the monotone check. */
import { ALGORITHM_SPECS } from '../../core/algorithms/spec-registry';
import { fmt, runColor } from '../charts/hooks';
import type { RunSummary } from '../store';
import { scheduleOf, scheduleText } from '../schedule';
import { setView, useLab } from '../store';
import { RunAccuracy } from './RunAccuracy';

export function monotoneText(s: RunSummary): string {
  const m = s.monotone;
  if (m.state === 'broken') return `broken at step ${m.brokenAt}`;
  if (m.state === 'held') return `held (${m.checked} steps)`;
  if (s.family === 'mm') return s.observed.checked || !Number.isFinite(s.t) || s.t === 0 ? 'waiting' : 'n/a (mini-batch)';
  // Not an MM run: report what happened, as an observation only.
  const o = s.observed;
  if (o.state === 'broken') return `no guarantee · rose at ${o.brokenAt}`;
  if (o.state === 'held') return 'no guarantee · fell so far';
  return '—';
}

/** A running run of a paused session reads "paused" (or "ready" before its first step). */
function statusText(r: RunSummary, playing: boolean): string {
  if (r.status === 'diverged' && r.divergedAt !== null) return `diverged at ${r.divergedAt}`;
  if (r.status === 'running' && !playing) return r.t > 0 ? 'paused' : 'ready';
  return r.status;
}

function monotoneClass(s: RunSummary): string {
  if (s.monotone.state !== 'n/a') return `mono-${s.monotone.state}`;
  return 'mono-none';
}

export function RunsTable() {
  const rows = useLab((s) => s.summaries);
  const sel = useLab((s) => s.view.sel);
  const hasTest = useLab((s) => s.session?.hasTest ?? false);
  const playing = useLab((s) => s.playing);
  const configRuns = useLab((s) => s.session?.config.runs);
  if (!rows.length) return null;
  return (
    <div className="card table-card">
      <table className="runs" aria-label="Runs">
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col" className="num col-step">Step</th>
            <th scope="col" className="num">Train loss</th>
            {hasTest && <th scope="col" className="num col-test">Test loss</th>}
            <th scope="col">Status</th>
            <th scope="col">Monotone (MM)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr
              key={i}
              className={i === sel ? 'selected' : ''}
              data-testid={`run-row-${i}`}
              data-step={r.t}
              data-loss={Number.isFinite(r.loss) ? r.loss : ''}
              data-status={r.status}
              data-monotone={r.monotone.state}
              data-algorithm={r.algorithm}
              onClick={() => setView({ sel: i })}
            >
              <td className="col-run">
                <span className="swatch" style={{ background: runColor(i) }} aria-hidden /> {r.label}
                {r.algorithm !== r.baseAlgorithm && <span className="muted"> → {ALGORITHM_SPECS[r.algorithm]?.label ?? r.algorithm}</span>}
                <Schedule items={configRuns?.[i] ? scheduleOf(configRuns[i], Number.isFinite(r.t) ? r.t : 0) : []} run={i} />
              </td>
              <td className="num col-step">{Number.isFinite(r.t) ? r.t : '—'}</td>
              <td className="num">{fmt(r.loss)}<RunAccuracy run={i} /></td>
              {hasTest && <td className="num col-test">{fmt(r.test)}</td>}
              <td>
                <span className={`pill ${r.status}`} title={r.message || undefined}>
                  {statusText(r, playing)}
                </span>
              </td>
              <td>
                <span className={`pill ${monotoneClass(r)}`} data-observed={r.observed.state}>
                  {monotoneText(r)}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The run's scheduled switches, under its name: upcoming ones plain, applied ones ticked. */
function Schedule({ items, run }: { items: ReturnType<typeof scheduleOf>; run: number }) {
  if (!items.length) return null;
  return (
    <ul className="schedule" data-testid={`schedule-${run}`} aria-label={`Run ${run + 1} schedule (run table)`}>
      {items.map((it, k) => (
        <li key={k} className={it.done ? 'done' : 'pending'} data-at={it.at} data-kind={it.kind}>
          <span className="schedule-state">{it.done ? '✓ done' : 'planned'}</span> 
          {scheduleText(it)}
        </li>
      ))}
    </ul>
  );
}
