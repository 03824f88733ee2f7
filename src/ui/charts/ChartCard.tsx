import { useRef, type ReactNode, type RefObject } from 'react';
import { exportPng, exportSvg } from '../export';

interface Props {
  title: string;
  /** File name stem for exports. */
  name: string;
  svgRef?: RefObject<SVGSVGElement | null>;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  subtitle?: ReactNode;
}

/** A titled card around one chart, with SVG / PNG export of its svg element. */
export function ChartCard({ title, name, svgRef, actions, children, className, subtitle }: Props) {
  const busy = useRef(false);
  return (
    <section className={`card chart-card ${className ?? ''}`} aria-label={title}>
      <header className="card-head">
        <div>
          <h2>{title}</h2>
          {subtitle && <p className="card-sub">{subtitle}</p>}
        </div>
        <div className="card-actions">
          {actions}
          {svgRef && (
            <>
              <button type="button" className="ghost small" aria-label={`Export ${title} as SVG`} onClick={() => svgRef.current && exportSvg(svgRef.current, name)}>
                SVG
              </button>
              <button
                type="button"
                className="ghost small"
                aria-label={`Export ${title} as PNG`}
                onClick={async () => {
                  if (!svgRef.current || busy.current) return;
                  busy.current = true;
                  try {
                    await exportPng(svgRef.current, name);
                  } finally {
                    busy.current = false;
                  }
                }}
              >
                PNG
              </button>
            </>
          )}
        </div>
      </header>
      {children}
    </section>
  );
}
