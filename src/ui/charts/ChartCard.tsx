import { useRef, type ReactNode, type RefObject } from 'react';
import { exportPng, exportSvg } from '../export';
import type { ExportInfo } from '../exportFrame';

interface Props {
  title: string;
  /** File name stem for exports. */
  name: string;
  svgRef?: RefObject<SVGSVGElement | null>;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  subtitle?: ReactNode;
  /** Title, run, step and legend written into exported pictures (read when the button is pressed). */
  exportInfo?: () => ExportInfo | undefined;
}

/** A titled card around one chart, with SVG / PNG export of its svg element. */
export function ChartCard({ title, name, svgRef, actions, children, className, subtitle, exportInfo }: Props) {
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
              <button type="button" className="ghost small" aria-label={`Export ${title} as SVG`} onClick={() => svgRef.current && exportSvg(svgRef.current, name, exportInfo?.())}>
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
                    await exportPng(svgRef.current, name, 2, exportInfo?.());
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
