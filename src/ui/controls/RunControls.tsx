/**
 * The runs: each an algorithm from the registry (never a hard-coded list) with fields generated from its
 * zod hyper-parameter schema, its scheduled switches, and — during a session — "switch now".
 */
import { useState } from 'react';
import { ALGORITHMS } from '../../core/algorithms/registry';
import { LIMITS } from '../../core/config';
import { algorithmsFor, checkDraft, newRun, type RunDraft } from '../draft';
import { hyperDraft, hyperFields } from '../hyperFields';
import { runColor } from '../charts/hooks';
import { switchNow } from '../actions';
import { editDraft, useLab } from '../store';
import { Section } from './fields';

function updateRun(i: number, f: (r: RunDraft) => RunDraft): void {
  editDraft((d) => ({ ...d, runs: d.runs.map((r, j) => (j === i ? f(r) : r)) }));
}

export function RunControls() {
  const draft = useLab((s) => s.draft);
  const kind = draft.problem.kind;
  const algs = algorithmsFor(kind);
  return (
    <Section title="Runs">
      {draft.runs.map((r, i) => (
        <RunCard key={r.key} run={r} index={i} count={draft.runs.length} />
      ))}
      <button
        type="button"
        className="ghost"
        disabled={draft.runs.length >= LIMITS.runs || !algs.length}
        onClick={() => {
          const used = new Set(draft.runs.map((r) => r.algorithm));
          const next = algs.find((a) => !used.has(a.id)) ?? algs[0];
          editDraft((d) => ({ ...d, runs: [...d.runs, newRun(next.id)] }));
        }}
      >
        + Add run
      </button>
    </Section>
  );
}

function RunCard({ run, index, count }: { run: RunDraft; index: number; count: number }) {
  const draft = useLab((s) => s.draft);
  const fieldErrors = checkDraft(draft).runErrors[index] ?? {};
  const alg = ALGORITHMS[run.algorithm];
  const algs = algorithmsFor(draft.problem.kind);
  const n = index + 1;
  return (
    <fieldset className="run-card" style={{ borderLeftColor: runColor(index) }} data-testid={`run-card-${index}`}>
      <legend>
        <span className="swatch" style={{ background: runColor(index) }} aria-hidden />
        Run {n}
      </legend>
      <div className="run-head">
        <label className="field grow">
          <span>Algorithm</span>
          <select
            aria-label={`Algorithm for run ${n}`}
            value={run.algorithm}
            onChange={(e) => {
              const a = ALGORITHMS[e.target.value];
              if (a) updateRun(index, (r) => ({ ...r, algorithm: a.id, hyper: hyperDraft(a) }));
            }}
          >
            {!alg && <option value={run.algorithm}>{run.algorithm} (unknown)</option>}
            {algs.map((a) => (
              <option key={a.id} value={a.id}>
                {a.label} · {a.family === 'mm' ? 'MM' : 'gradient'}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="ghost icon"
          aria-label={`Remove run ${n}`}
          title="Remove this run"
          disabled={count <= 1}
          onClick={() => editDraft((d) => ({ ...d, runs: d.runs.filter((_, j) => j !== index) }))}
        >
          ×
        </button>
      </div>
      {alg && (
        <div className="hyper-grid">
          {hyperFields(alg).map((f) => {
            const id = `run${index}-${f.name}`;
            const err = fieldErrors[f.name];
            const v = run.hyper[f.name];
            if (f.kind === 'boolean')
              return (
                <label key={f.name} className="check">
                  <input
                    type="checkbox"
                    aria-label={`Run ${n} ${f.name}`}
                    checked={Boolean(v)}
                    onChange={(e) => updateRun(index, (r) => ({ ...r, hyper: { ...r.hyper, [f.name]: e.target.checked } }))}
                  />
                  <span>{f.name}</span>
                  {err && <span className="field-error" role="alert">{err}</span>}
                </label>
              );
            const set = (val: string) => updateRun(index, (r) => ({ ...r, hyper: { ...r.hyper, [f.name]: val } }));
            return (
              <div key={f.name} className={`field ${err ? 'invalid' : ''}`}>
                <label htmlFor={id}>{f.name}</label>
                {f.kind === 'enum' ? (
                  <select id={id} aria-label={`Run ${n} ${f.name}`} value={String(v)} onChange={(e) => set(e.target.value)}>
                    {(f.options ?? []).map((o) => (
                      <option key={o}>{o}</option>
                    ))}
                  </select>
                ) : (
                  <input
                    id={id}
                    type="text"
                    inputMode={f.kind === 'number' ? 'decimal' : 'text'}
                    autoComplete="off"
                    spellCheck={false}
                    aria-label={`Run ${n} ${f.name}`}
                    aria-invalid={err ? true : undefined}
                    aria-describedby={err ? `${id}-err` : undefined}
                    placeholder={f.nullable ? 'none' : String(f.default ?? '')}
                    value={String(v ?? '')}
                    onChange={(e) => set(e.target.value)}
                  />
                )}
                {err && (
                  <p className="field-error" id={`${id}-err`} role="alert">
                    {err}
                  </p>
                )}
              </div>
            );
          })}
          {fieldErrors[''] && (
            <p className="field-error" role="alert">
              {fieldErrors['']}
            </p>
          )}
        </div>
      )}
      {run.switches.length > 0 && (
        <ul className="switch-list" aria-label={`Scheduled switches of run ${n}`}>
          {run.switches.map((s, j) => (
            <li key={`${s.at}-${j}`}>
              after step {s.at} → {ALGORITHMS[s.algorithm]?.label ?? s.algorithm}
              {s.keepState ? ' (new hyper-parameters)' : ''}
              <button
                type="button"
                className="ghost icon small"
                aria-label={`Remove switch at step ${s.at} of run ${n}`}
                onClick={() => updateRun(index, (r) => ({ ...r, switches: r.switches.filter((_, k) => k !== j) }))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <SwitchNow index={index} />
    </fieldset>
  );
}

/** During a session: switch this run to another algorithm at the current step (θ kept). */
function SwitchNow({ index }: { index: number }) {
  const session = useLab((s) => s.session);
  const dirty = useLab((s) => s.dirty);
  const current = useLab((s) => s.summaries[index]?.algorithm);
  const status = useLab((s) => s.summaries[index]?.status);
  const t = useLab((s) => s.t);
  const kind = session?.kind ?? 'mlp';
  const others = algorithmsFor(kind).filter((a) => a.id !== current);
  const [target, setTarget] = useState('');
  if (!session || dirty || !current || !others.length) return null;
  const chosen = others.some((a) => a.id === target) ? target : others[0].id;
  const n = index + 1;
  const stopped = status === 'diverged' || status === 'error';
  return (
    <div className="switch-now">
      <label className="field grow">
        <span>Switch mid-run to</span>
        <select aria-label={`Switch run ${n} to`} value={chosen} onChange={(e) => setTarget(e.target.value)}>
          {others.map((a) => (
            <option key={a.id} value={a.id}>
              {a.label}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="secondary" disabled={stopped} onClick={() => switchNow(index, chosen)} aria-label={`Switch run ${n} now`}>
        Switch at step {t}
      </button>
    </div>
  );
}
