/**
 * The fields of an algorithm's hyper-parameters, generated from its zod schema, with the schema's
 * messages under each field. Each field carries its human label, its symbol, and a tooltip with what it
 * means (words.ts); the accessible name stays "Run 1 lr" (label + schema name).
 * Used by the run cards (the start values) and by the mid-run editor.
 */
import type { AlgorithmSpec } from '../../core/engine/algorithm';
import { hyperFields, type HyperDraft } from '../hyperFields';
import { hyperTooltip, hyperWords } from '../words';

interface Props {
  alg: AlgorithmSpec;
  values: HyperDraft;
  errors: Record<string, string>;
  onChange: (name: string, value: string | boolean) => void;
  /** Accessible name prefix, e.g. "Run 1" gives "Run 1 lr". */
  label: string;
  /** Unique id prefix for the inputs. */
  idPrefix: string;
}

export function HyperFields({ alg, values, errors, onChange, label, idPrefix }: Props) {
  return (
    <div className="hyper-grid">
      {hyperFields(alg).map((f) => {
        const id = `${idPrefix}-${f.name}`;
        const err = errors[f.name];
        const v = values[f.name];
        const words = hyperWords(alg.id, f.name);
        const tip = hyperTooltip(alg.id, f.name);
        const sym = words.symbol !== '—' && words.symbol !== f.name ? <span className="hyper-sym"> {words.symbol}</span> : null;
        if (f.kind === 'boolean')
          return (
            <label key={f.name} className="check" title={tip} data-hyper={f.name}>
              <input type="checkbox" aria-label={`${label} ${f.name}`} checked={Boolean(v)} onChange={(e) => onChange(f.name, e.target.checked)} />
              <span>{words.label}</span>
              {err && <span className="field-error" role="alert">{err}</span>}
            </label>
          );
        return (
          <div key={f.name} className={`field ${err ? 'invalid' : ''}`} data-hyper={f.name}>
            <label htmlFor={id} title={tip}>
              {words.label}
              {sym}
            </label>
            {f.kind === 'enum' ? (
              <select id={id} aria-label={`${label} ${f.name}`} title={tip} value={String(v)} onChange={(e) => onChange(f.name, e.target.value)}>
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
                aria-label={`${label} ${f.name}`}
                title={tip}
                aria-invalid={err ? true : undefined}
                aria-describedby={err ? `${id}-err` : undefined}
                placeholder={f.nullable ? 'none' : String(f.default ?? '')}
                value={String(v ?? '')}
                onChange={(e) => onChange(f.name, e.target.value)}
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
      {errors[''] && (
        <p className="field-error" role="alert">
          {errors['']}
        </p>
      )}
    </div>
  );
}
