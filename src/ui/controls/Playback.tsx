/** Play / pause / single step / reset, speed, and the step budget, with a live position readout. */
import { useEffect, useState } from 'react';
import { pause, play, reset, setSpeed, setTargetSteps, stepOnce } from '../actions';
import { workEstimate } from '../cost';
import { cancelStart } from '../engine';
import { checkDraft, errorAt } from '../draft';
import { useLab } from '../store';
import { NumField } from './fields';

const SPEEDS = [
  { value: 0, label: 'Max' },
  { value: 100, label: '100 steps/s' },
  { value: 30, label: '30 steps/s' },
  { value: 10, label: '10 steps/s' },
  { value: 2, label: '2 steps/s' },
];

function Icon({ d }: { d: string }) {
  return (
    <svg className="icon-svg" viewBox="0 0 16 16" width="13" height="13" aria-hidden focusable="false">
      <path d={d} fill="currentColor" />
    </svg>
  );
}

export function Playback() {
  const draft = useLab((s) => s.draft);
  const check = checkDraft(draft);
  const valid = check.result.ok;
  const playing = useLab((s) => s.playing);
  const starting = useLab((s) => s.starting);
  const session = useLab((s) => s.session);
  const dirty = useLab((s) => s.dirty);
  const t = useLab((s) => s.t);
  const target = useLab((s) => s.target);
  const rate = useLab((s) => s.stepsPerSec);
  const speed = useLab((s) => s.view.speed);
  const fresh = !session || dirty;
  const done = !fresh && t >= target && target > 0;
  const stepsErr = errorAt(check.otherErrors, 'steps');
  const label = playing ? 'Pause' : fresh ? 'Start' : done ? 'Run again' : t > 0 ? 'Resume' : 'Start';

  return (
    <section className="panel playback" aria-label="Playback">
      <div className="buttons">
        <button
          type="button"
          className="primary"
          onClick={playing ? pause : play}
          disabled={!playing && (!valid || starting)}
          data-testid="play"
          title={!valid ? 'Fix the highlighted fields first' : undefined}
        >
          <Icon d={playing ? 'M4 3h3v10H4zM9 3h3v10H9z' : 'M4 2.5v11l9-5.5z'} /> {label}
        </button>
        <button type="button" onClick={stepOnce} disabled={!valid || starting} title="Pause and advance exactly one step">
          <Icon d="M3 2.5v11l7-5.5zM11 3h2.2v10H11z" /> Step
        </button>
        <button type="button" onClick={reset} disabled={!valid || starting} title="Back to step 0">
          <Icon d="M8 2.5a5.5 5.5 0 1 1-5.2 3.7l1.6.6A3.8 3.8 0 1 0 8 4.2V6.5L4.6 3.4 8 .3z" /> Reset
        </button>
      </div>
      <div className="row2">
        <NumField label="Steps" value={draft.steps} error={stepsErr} onChange={setTargetSteps} />
        <div className="field">
          <label htmlFor="speed">Speed</label>
          <select id="speed" value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
            {SPEEDS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p className="status-line" role="status" aria-live="polite" data-testid="position" data-step={t} data-target={target} data-playing={String(playing)}>
        {starting ? (
          <Preparing />
        ) : session ? (
          <>
            step <strong>{t}</strong> / {target}
            {playing && rate > 0 ? ` · ${Math.round(rate)} steps/s` : ''}
            {!playing && done ? ' · done' : ''}
            {dirty ? ' · form changed: Start applies it' : ''}
          </>
        ) : (
          'Not started'
        )}
      </p>
      {!valid && (
        <p className="field-error" role="alert">
          Start is disabled until the highlighted fields are valid.
        </p>
      )}
    </section>
  );
}

/** "Preparing the session…" with the time it has taken, the work ahead when it is large, and Cancel. */
function Preparing() {
  const draft = useLab((s) => s.draft);
  const [since] = useState(() => Date.now());
  const [now, setNow] = useState(since);
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(id);
  }, []);
  const secs = Math.floor((now - since) / 1000);
  const check = checkDraft(draft);
  const est = check.result.ok ? workEstimate(check.result.config) : null;
  return (
    <span data-testid="preparing">
      Preparing the session…{secs >= 1 ? ` ${secs} s` : ''}
      {est?.heavy ? <span className="muted"> · {est.text}</span> : null}
      {secs >= 1 || est?.heavy ? (
        <>
          {' '}
          <button type="button" className="ghost" onClick={cancelStart} data-testid="cancel-prepare">
            Cancel
          </button>
        </>
      ) : null}
    </span>
  );
}
