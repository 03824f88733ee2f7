/**
 * The runs: each an algorithm from the registry (never a hard-coded list) with fields generated from its
 * zod hyper-parameter schema, its scheduled switches, and — during a session — "switch now".
 */
import { ALGORITHM_SPECS } from '../../core/algorithms/spec-registry';
import { LIMITS } from '../../core/config';
import { algorithmsFor, checkDraft, newRun, type RunDraft } from '../draft';
import { changedKeys, changeLabel, fmtHyper } from '../hyperDiff';
import { checkHyper, draftToHyper, hyperDraft } from '../hyperFields';
import { runColor } from '../charts/hooks';
import { editDraft, useLab } from '../store';
import { Section } from './fields';
import { HyperFields } from './HyperFields';
import { MidRunChange } from './MidRunChange';
import { RunEditOffer } from './RunEditOffer';
import { pageHyper } from '../datasetDefaults';

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
          editDraft((d) => ({ ...d, runs: [...d.runs, newRun(next.id, pageHyper(d.problem, next.id))] }));
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
  const alg = ALGORITHM_SPECS[run.algorithm];
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
              const a = ALGORITHM_SPECS[e.target.value];
              // A run id named the old algorithm: drop it with the algorithm.
              if (a) updateRun(index, (r) => ({ key: r.key, algorithm: a.id, hyper: hyperDraft(a, pageHyper(draft.problem, a.id)), switches: r.switches }));
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
        <HyperFields
          alg={alg}
          values={run.hyper}
          errors={fieldErrors}
          onChange={(name, v) => updateRun(index, (r) => ({ ...r, hyper: { ...r.hyper, [name]: v } }))}
          label={`Run ${n}`}
          idPrefix={`run${index}`}
        />
      )}
      <RunEditOffer run={run} index={index} />
      {run.switches.length > 0 && (
        <ul className="switch-list" aria-label={`Scheduled switches of run ${n}`}>
          {run.switches.map((s, j) => (
            <li key={`${s.at}-${j}`}>
              <span className="grow">{switchText(run, j)}</span>
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
      <MidRunChange index={index} runKey={run.key} />
    </fieldset>
  );
}

/** The run's start hyper-parameters (validated when the form is valid). */
function startHyper(run: RunDraft): Record<string, unknown> {
  const alg = ALGORITHM_SPECS[run.algorithm];
  if (!alg) return {};
  const c = checkHyper(alg, run.hyper);
  return c.ok ? c.hyper : draftToHyper(alg, run.hyper);
}

const defaultsOf = (id: string): Record<string, unknown> => (ALGORITHM_SPECS[id]?.hyper.safeParse({}).data ?? {}) as Record<string, unknown>;

/** "after step 57: lr 0.01→0.003" (same algorithm) or "after step 57 → SGD · lr 0.1". */
function switchText(run: RunDraft, j: number): string {
  const s = run.switches[j];
  const prev = j > 0 ? run.switches[j - 1] : { algorithm: run.algorithm, hyper: startHyper(run) };
  if (s.algorithm === prev.algorithm) return `after step ${s.at}: ${changeLabel(prev.hyper, s.hyper)}`;
  const custom = changedKeys(defaultsOf(s.algorithm), s.hyper).slice(0, 2).map((k) => `${k} ${fmtHyper(s.hyper[k])}`);
  return `after step ${s.at} → ${ALGORITHM_SPECS[s.algorithm]?.label ?? s.algorithm}${custom.length ? ` · ${custom.join(', ')}` : ''}`;
}
