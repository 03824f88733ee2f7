/** A short glossary for students: the words the page uses (words.ts), in a collapsible card. */
import { GLOSSARY } from '../words';

export function Glossary() {
  return (
    <details className="card glossary span-2" data-testid="glossary">
      <summary>
        <h2>Glossary</h2> <span className="muted small">the words this page uses, in plain language</span>
      </summary>
      <dl>
        {GLOSSARY.map((g) => (
          <div key={g.term} className="glossary-entry">
            <dt>{g.term}</dt>
            <dd>{g.text}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
