/**
 * The signature view's card: the selected run's surrogate at its current step, as a slice along the
 * step or as contours on a plane, with the certified badge. Paused + Step = step-through mode.
 */
import { useRef } from 'react';
import { stepOnce } from '../actions';
import { ChartCard } from '../charts/ChartCard';
import { runColor } from '../charts/hooks';
import { SurrogateChart, violations } from '../charts/SurrogateChart';
import { SurrogateContour } from '../charts/SurrogateContour';
import { setView, useLab } from '../store';
import { RunPicker } from './RunPicker';
import { Scrubber } from '../controls/Scrubber';
import { plainText } from '../words';
import { exportCaption } from '../exportCaption';

const CERTIFICATE_LABEL = {
  global: '✓ certified majorizer',
  step: '✓ MM step certified at θₖ₊₁',
  none: 'implied model — not certified',
} as const;

/** One line under the badge: what the certificate promises. */
const CERTIFICATE_SHORT = {
  global: 'Proven: g ≥ f for every θ, so minimising g can only lower f.',
  step: 'Proven at the step: f(θₖ₊₁) ≤ g(θₖ₊₁|θₖ) ≤ f(θₖ) — enough for monotone decrease.',
  none: 'The model a gradient step minimises; nothing keeps it above f.',
} as const;

const CERTIFICATE_HELP = {
  global: 'g(θ|θₖ) ≥ f(θ) for every θ, with equality at θₖ: a proven majorizer.',
  step:
    'A backtracked constant (L or λ) proves f(θₖ₊₁) ≤ g(θₖ₊₁|θₖ) ≤ f(θₖ) at the accepted point, which is what monotone decrease needs; away from it g may dip below f.',
  none: 'The quadratic model a gradient step implicitly minimises. Nothing proves it lies above f.',
} as const;

export function SurrogatePanel() {
  const svgRef = useRef<SVGSVGElement>(null);
  const view = useLab((s) => s.view);
  const slice = useLab((s) => s.surrogate);
  const plane = useLab((s) => s.plane);
  const error = useLab((s) => s.surrogateError);
  const playing = useLab((s) => s.playing);
  const session = useLab((s) => s.session);
  const evt = view.surr === 'contour' ? plane : slice;
  const current = evt && evt.run === view.sel && evt.epoch === session?.epoch ? evt : null;
  const shown = current ?? (evt?.epoch === session?.epoch ? evt : null);
  const below = shown ? violations(shown.data.f, shown.data.g).filter(Boolean).length : 0;
  const total = shown ? shown.data.f.length : 0;

  const subtitle = shown ? (
    <>
      <span
        className={`badge cert-${shown.certificate}`}
        data-testid="certified-badge"
        data-certified={String(shown.certified)}
        data-certificate={shown.certificate}
        data-step={shown.t}
        title={CERTIFICATE_HELP[shown.certificate]}
      >
        {CERTIFICATE_LABEL[shown.certificate]}
      </span>{' '}
      <span className="muted">at step {shown.t}</span>
      <span className="cert-help muted" data-testid="certificate-help">
        {CERTIFICATE_SHORT[shown.certificate]}
      </span>
    </>
  ) : null;

  return (
    <ChartCard
      title="Surrogate vs true risk"
      name="mmlab-surrogate"
      svgRef={svgRef}
      subtitle={subtitle}
      exportInfo={() =>
        shown ? { title: 'Surrogate vs true risk', caption: `${exportCaption(shown.run, shown.t)} · ${CERTIFICATE_LABEL[shown.certificate]}` } : undefined
      }
    >
      <div className="card-toolbar">
        <RunPicker />
        <div className="seg" role="radiogroup" aria-label="Surrogate view">
          {(['line', 'contour'] as const).map((k) => (
            <button
              key={k}
              type="button"
              role="radio"
              aria-checked={view.surr === k}
              className={view.surr === k ? 'on' : ''}
              title={k === 'line' ? 'f and g along the step θₖ → θₖ₊₁' : 'contours of f and g on a plane through the step'}
              onClick={() => setView({ surr: k })}
            >
              {k === 'line' ? '1-D' : '2-D'}
            </button>
          ))}
        </div>
      </div>
      <Scrubber />
      {shown && <p className="formula-line">{plainText(shown.formula)}</p>}
      {view.surr === 'contour' ? (
        <SurrogateContour evt={shown} color={runColor(view.sel)} svgRef={svgRef} />
      ) : (
        <SurrogateChart evt={shown} color={runColor(view.sel)} svgRef={svgRef} />
      )}
      {error && !shown && <p className="muted small">Surrogate unavailable: {error}</p>}
      {shown && total > 0 && (
        <p className="shade-legend small" data-testid="shade-legend" data-below={below}>
          <span className="shade-swatch" aria-hidden />
          {below ? (
            <span>
              <strong>Red:</strong> g &lt; f at {below} of {total} points — there g is not an upper bound on f
              {shown.certificate === 'step' ? '; allowed, the certificate covers θₖ₊₁ only.' : ', so minimising g does not guarantee that f falls.'}
            </span>
          ) : (
            <span>
              No red: g ≥ f at all {total} points shown (red marks where g dips below f).
            </span>
          )}
        </p>
      )}
      <p className="muted small step-through">
        Step-through: {playing ? 'pause, then ' : ''}
        <button type="button" className="linklike" onClick={stepOnce} disabled={!session}>
          take one step
        </button>{' '}
        and the view refreshes at the new θₖ.
      </p>
    </ChartCard>
  );
}
