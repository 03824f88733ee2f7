/**
 * The presets gallery: each preset is a share link (a plain <a href="#v1.…">), its scene-setting intro,
 * and what its runs show as a list of checked claims (presetClaims.ts; tests/presets.test.ts runs each
 * preset headless and checks every one).
 */
import { presets } from '../presets';

export function Presets() {
  return (
    <section className="presets" aria-labelledby="presets-title">
      <h2 id="presets-title">Presets</h2>
      <p className="muted small">Each preset opens as a link. The “What you will see” lines are checked by a test that runs the preset headless.</p>
      <ul className="preset-grid">
        {presets().map((p) => (
          <li key={p.slug} className={`card preset ${p.ok ? '' : 'disabled'}`} data-testid={`preset-card-${p.slug}`}>
            {p.ok ? (
              <a href={p.href} data-testid={`preset-${p.slug}`}>
                {p.title}
              </a>
            ) : (
              <span className="preset-title">{p.title}</span>
            )}
            <p>{p.intro}</p>
            <p className="preset-claims-title small">What you will see:</p>
            <ul className="preset-claims small" data-testid={`preset-claims-${p.slug}`}>
              {p.claimTexts.map((t, i) => (
                <li key={i}>{t}</li>
              ))}
            </ul>
            {!p.ok && <p className="muted small">Unavailable: {p.reason}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}
