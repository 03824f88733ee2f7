/**
 * The step scrubber: a slider over the inspected run's kept past steps (the worker keeps a bounded,
 * thinned set: src/worker/history.ts) with "live" at the right end. Moving it sets `scrubAt`, and the
 * surrogate and model views are asked for that step (requests.ts); at "live" they follow training.
 * The kept steps come with every surrogate and view answer.
 */
import type { KeptSteps, SurrogateEvt, ViewEvt } from '../../worker/protocol';
import { setLab, useLab } from '../store';
import './scrubber.css';

/** "0, 8, 16, …, 472, 480" for long lists. */
export function keptList(steps: number[]): string {
  if (steps.length <= 8) return steps.join(', ');
  return `${steps.slice(0, 4).join(', ')}, …, ${steps.slice(-2).join(', ')}`;
}

export function Scrubber() {
  const sel = useLab((s) => s.view.sel);
  const epoch = useLab((s) => s.session?.epoch);
  const t = useLab((s) => s.t);
  const at = useLab((s) => s.scrubAt);
  const fromView = useLab((s) => s.modelView);
  const fromSlice = useLab((s) => s.surrogate);
  const fromPlane = useLab((s) => s.plane);
  if (epoch === undefined) return null;
  const of = (e: SurrogateEvt | ViewEvt | null): KeptSteps | undefined => (e && e.run === sel && e.epoch === epoch ? e.kept : undefined);
  // The newest list among the answers for this run.
  const kept = [of(fromView), of(fromSlice), of(fromPlane)]
    .filter((k): k is KeptSteps => !!k)
    .sort((a, b) => (b.steps[b.steps.length - 1] ?? -1) - (a.steps[a.steps.length - 1] ?? -1))[0];
  const steps = kept?.steps ?? [];
  const n = steps.length;
  let pos = n;
  if (at !== null) {
    pos = 0;
    steps.forEach((k, i) => k <= at && (pos = i));
  }
  const shown = pos === n ? null : steps[pos];
  return (
    <div className="scrubber small" data-testid="scrubber" data-at={shown ?? 'live'} data-kept={steps.join(',')}>
      <label className="scrubber-row">
        <span>Step shown</span>
        <input
          type="range"
          aria-label="Step shown"
          min={0}
          max={n}
          step={1}
          value={pos}
          disabled={n === 0}
          onChange={(e) => {
            const i = Number(e.target.value);
            setLab({ scrubAt: i >= n ? null : steps[i] });
          }}
        />
        {shown === null ? (
          <span className="scrubber-now">live: step {t}</span>
        ) : (
          <span className="scrubber-now">
            step {shown}{' '}
            <button type="button" className="linklike" onClick={() => setLab({ scrubAt: null })}>
              back to live
            </button>
          </span>
        )}
      </label>
      <p className="muted scrubber-kept" data-testid="scrubber-kept">
        {kept?.note
          ? `No past steps kept for this run: ${kept.note}.`
          : n
            ? `Kept steps: ${keptList(steps)} (${n} of this run's steps; thinned as the run grows, step 0 always kept).`
            : 'Past steps appear here once the run has trained.'}
      </p>
    </div>
  );
}
