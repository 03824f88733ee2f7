/**
 * Small labelled form controls. Every control has a visible <label> (tests and screen readers find
 * them by name); errors are shown under the field and linked with aria-describedby.
 */
import { useEffect, useId, useState, type ReactNode } from 'react';

interface NumProps {
  label: string;
  value: number | null;
  onChange: (v: number) => void;
  error?: string;
  min?: number;
  max?: number;
  step?: number | 'any';
  hint?: string;
  /** Blank means null (e.g. "full batch"). */
  allowBlank?: boolean;
  onBlank?: () => void;
  disabled?: boolean;
}

/** A numeric field edited as text (so "1e-3" or "0." survive typing); NaN while unparsable. */
export function NumField({ label, value, onChange, error, min, max, step = 'any', hint, allowBlank, onBlank, disabled }: NumProps) {
  const id = useId();
  const shown = value === null || Number.isNaN(value) ? '' : String(value);
  const [text, setText] = useState(shown);
  useEffect(() => {
    const cur = text.trim() === '' ? (allowBlank ? null : NaN) : Number(text);
    if (!(cur === value || (Number.isNaN(cur as number) && Number.isNaN(value as number)))) setText(shown);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  return (
    <div className={`field ${error ? 'invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode="decimal"
        autoComplete="off"
        spellCheck={false}
        value={text}
        disabled={disabled}
        placeholder={allowBlank ? hint : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-err` : undefined}
        data-min={min}
        data-max={max}
        data-step={step}
        onChange={(e) => {
          const t = e.target.value;
          setText(t);
          if (t.trim() === '' && allowBlank) onBlank?.();
          else onChange(t.trim() === '' ? NaN : Number(t));
        }}
      />
      {error && (
        <p className="field-error" id={`${id}-err`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

interface SelectProps<T extends string> {
  label: string;
  value: T;
  options: readonly (T | { value: T; label: string })[];
  onChange: (v: T) => void;
  error?: string;
  disabled?: boolean;
}

export function SelectField<T extends string>({ label, value, options, onChange, error, disabled }: SelectProps<T>) {
  const id = useId();
  return (
    <div className={`field ${error ? 'invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value as T)} aria-invalid={error ? true : undefined}>
        {options.map((o) => {
          const v = typeof o === 'string' ? o : o.value;
          const l = typeof o === 'string' ? o : o.label;
          return (
            <option key={v} value={v}>
              {l}
            </option>
          );
        })}
      </select>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export function CheckField({ label, checked, onChange, disabled }: { label: string; checked: boolean; onChange: (v: boolean) => void; disabled?: boolean }) {
  return (
    <label className="check">
      <input type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} />
      <span>{label}</span>
    </label>
  );
}

export function Section({ title, children, id }: { title: string; children: ReactNode; id?: string }) {
  const hid = useId();
  return (
    <section className="panel" aria-labelledby={hid} id={id}>
      <h2 id={hid}>{title}</h2>
      {children}
    </section>
  );
}
