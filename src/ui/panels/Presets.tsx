/** The presets gallery: each preset is a share link (a plain <a href="#v1.…">). */
import { presets } from '../presets';

export function Presets() {
  return (
    <section className="presets" aria-labelledby="presets-title">
      <h2 id="presets-title">Presets</h2>
      <ul className="preset-grid">
        {presets().map((p) => (
          <li key={p.slug} className={`card preset ${p.ok ? '' : 'disabled'}`}>
            {p.ok ? (
              <a href={p.href} data-testid={`preset-${p.slug}`}>
                {p.title}
              </a>
            ) : (
              <span className="preset-title">{p.title}</span>
            )}
            <p>{p.blurb}</p>
            {!p.ok && <p className="muted small">Unavailable: {p.reason}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}
