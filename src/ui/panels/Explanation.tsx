/**
 * What the selected run's algorithm does: summary (as plain text: any LaTeX-ism in the registry's prose
 * becomes Unicode, words.ts) and update formula (KaTeX, from the registry — never from a link), and the
 * live monotone-decrease indicator for MM runs.
 */
import { useEffect, useRef } from 'react';
import { ALGORITHM_SPECS } from '../../core/algorithms/spec-registry';
import { MONOTONE_RTOL } from '../live';
import { useLab } from '../store';
import { plainText } from '../words';
import { RunPicker } from './RunPicker';

// KaTeX (~270 kB) loads after the first paint, on the first formula shown: the page's entry stays small.
let katexModule: Promise<typeof import('katex')['default']> | null = null;
const loadKatex = () => (katexModule ??= Promise.all([import('katex'), import('katex/dist/katex.min.css')]).then(([m]) => m.default));

function Formula({ tex }: { tex: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let current = true;
    void loadKatex().then((katex) => {
      // Inline mode in display style: KaTeX may break the line after a relation or an operator, so a long
      // update fits a phone's width instead of overflowing (display mode never breaks).
      if (current && ref.current) katex.render(`\\displaystyle ${tex}`, ref.current, { displayMode: false, throwOnError: false, strict: 'ignore', trust: false });
    });
    return () => {
      current = false;
    };
  }, [tex]);
  return <div ref={ref} className="formula" aria-label="Update formula" />;
}

export function Explanation() {
  const sel = useLab((s) => s.view.sel);
  const summary = useLab((s) => s.summaries[sel]);
  const draftRun = useLab((s) => s.draft.runs[sel]);
  const id = summary?.algorithm ?? draftRun?.algorithm;
  const alg = id ? ALGORITHM_SPECS[id] : undefined;
  const m = summary?.monotone;
  return (
    <section className="card explain span-2" aria-labelledby="explain-title">
      <header className="card-head">
        <h2 id="explain-title">How it works</h2>
        <div className="card-actions">
          <RunPicker label="Explain run" />
        </div>
      </header>
      {alg ? (
        <>
          <p className="alg-title">
            <strong>{alg.label}</strong> <span className={`pill fam-${alg.family}`}>{alg.family === 'mm' ? 'majorization–minimization' : 'gradient method'}</span>
          </p>
          <p data-testid="alg-summary">{plainText(alg.summary)}</p>
          <Formula tex={alg.formula} />
          <div className="monotone" data-testid="monotone" data-state={m?.state ?? 'n/a'} data-broken-at={m?.brokenAt ?? ''} role="status">
            {alg.family !== 'mm' ? (
              <p className="muted">
                A gradient method guarantees no decrease: its implied quadratic model majorizes f only when lr ≤ 1/L. Watch the surrogate view.
              </p>
            ) : !m || m.state === 'n/a' ? (
              <p className="muted">Monotone decrease: waiting for steps{summary?.family === 'mm' ? ' (not checked with mini-batches)' : ''}.</p>
            ) : m.state === 'held' ? (
              <p className="ok">
                ✓ Monotone decrease held — f(θₖ₊₁) ≤ f(θₖ) at all {m.checked} MM steps so far (float32 tolerance {MONOTONE_RTOL}).
              </p>
            ) : (
              <p className="bad">
                ✗ Monotone decrease broken at step {m.brokenAt}: f rose by {Number.isFinite(m.increase) ? `${(m.increase * 100).toPrecision(3)}%` : '∞'}.
              </p>
            )}
          </div>
        </>
      ) : (
        <p className="muted">No algorithm selected.</p>
      )}
    </section>
  );
}
