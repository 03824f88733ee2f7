/**
 * The input features of a 2-D problem (x₁, x₂, x₁², x₂², x₁x₂, sin x₁, sin x₂), as TF Playground offers
 * them. The default (x₁ and x₂) is written as no `features` at all, so such links stay as they were.
 */
import { DEFAULT_FEATURES, FEATURE_LABELS, FEATURES, type FeatureName } from '../../core/problems/features';

export function FeatureFields({ value, onChange, error }: { value: readonly FeatureName[] | undefined; onChange: (f: FeatureName[] | undefined) => void; error?: string }) {
  const on = new Set(value ?? DEFAULT_FEATURES);
  const toggle = (f: FeatureName) => {
    const next = FEATURES.filter((x) => (x === f ? !on.has(x) : on.has(x)));
    if (!next.length) return; // at least one input
    onChange(next.length === 2 && next[0] === 'x1' && next[1] === 'x2' ? undefined : next);
  };
  return (
    <fieldset className="features" aria-label="Input features">
      <legend>Input features</legend>
      {FEATURES.map((f) => (
        <label key={f} className="check feature">
          <input type="checkbox" checked={on.has(f)} onChange={() => toggle(f)} aria-label={`Feature ${FEATURE_LABELS[f]}`} />
          <span>{FEATURE_LABELS[f]}</span>
        </label>
      ))}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
