/** Selects the run that the surrogate, model and explanation views inspect (view.sel). */
import { setView, useLab } from '../store';

export function RunPicker({ label = 'Inspect run' }: { label?: string }) {
  const sel = useLab((s) => s.view.sel);
  const rows = useLab((s) => s.summaries);
  const runs = useLab((s) => s.draft.runs);
  const n = Math.max(rows.length, runs.length);
  return (
    <label className="inline small">
      <span>{label}</span>
      <select aria-label={label} value={Math.min(sel, n - 1)} onChange={(e) => setView({ sel: Number(e.target.value) })}>
        {Array.from({ length: n }, (_, i) => (
          <option key={i} value={i}>
            {rows[i]?.label ?? `Run ${i + 1}`}
          </option>
        ))}
      </select>
    </label>
  );
}
