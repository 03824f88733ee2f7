/**
 * Click-to-add points on the decision-boundary plot: in "Add points" mode a click on the plot adds a
 * training point of the chosen class (shift-click: the next class; for a regression target, the target
 * typed) to the form's data, which becomes the user's own data (ownData.ts); the point is drawn at
 * once and the preview session redraws the data and the model (preview.ts). Undo / clear take points back.
 */
import * as d3 from 'd3';
import { useEffect, type RefObject } from 'react';
import type { MLPProblemConfig } from '../../core/config';
import { mlpPointDims } from '../../core/config';
import type { MLPGridView } from '../../worker/protocol';
import { pause } from '../actions';
import { addPoint, canUndo, classCount, clearPoints, MAX_CLASSES_ADDED, setOwnUi, undoPoint, useOwnData } from '../ownData';
import { getLab, useLab } from '../store';
import { NumField } from '../controls/fields';

interface Props {
  view: MLPGridView;
  svgRef: RefObject<SVGSVGElement | null>;
  colors: readonly string[];
}

/** The plot area in the svg's own units: where the heatmap image is drawn. */
function plotArea(svg: SVGSVGElement): { x: number; y: number; w: number; h: number } | null {
  const img = svg.querySelector('image');
  if (!img) return null;
  const n = (a: string) => Number(img.getAttribute(a));
  return { x: n('x'), y: n('y'), w: n('width'), h: n('height') };
}

export function PointEditor({ view, svgRef, colors }: Props) {
  const problem = useLab((s) => s.draft.problem);
  const { adding, cls, target } = useOwnData();
  useOwnData((s) => s.history); // re-render when undo becomes possible
  const p: MLPProblemConfig | null = problem.kind === 'mlp' && mlpPointDims(problem) === 2 ? problem : null;
  const k = p ? classCount(p) : 0;
  const offered = Math.min(MAX_CLASSES_ADDED, k ? k + 1 : 0);
  const regression = p?.loss === 'mse';
  const chosen = Math.min(cls, Math.max(0, offered - 1));

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg || !adding || !p) return;
    svg.style.cursor = 'crosshair';
    const onClick = (e: MouseEvent) => {
      const area = plotArea(svg);
      const box = svg.getBoundingClientRect();
      const vb = svg.viewBox.baseVal;
      if (!area || !box.width || !vb?.width) return;
      // Client pixels → the svg's units → the data's coordinates (the view's extent spans the area).
      const sx = ((e.clientX - box.left) * vb.width) / box.width;
      const sy = ((e.clientY - box.top) * vb.height) / box.height;
      const u = (sx - area.x) / area.w;
      const v = (sy - area.y) / area.h;
      if (u < 0 || u > 1 || v < 0 || v > 1) return;
      const { x0, x1, y0, y1 } = view.extent;
      const label = regression ? target : e.shiftKey ? (chosen + 1) % Math.max(2, k) : chosen;
      if (regression && !Number.isFinite(label)) return;
      // Drawn now; the preview's redraw replaces it with the data as the worker sees it.
      d3.select(svg).append('circle').attr('class', 'added-point').attr('cx', sx).attr('cy', sy).attr('r', 4)
        .attr('fill', regression ? '#555' : colors[label % colors.length]).attr('stroke', '#000').attr('stroke-width', 1.2);
      void addPoint(x0 + u * (x1 - x0), y1 - v * (y1 - y0), label);
    };
    svg.addEventListener('click', onClick);
    return () => {
      svg.removeEventListener('click', onClick);
      svg.style.cursor = '';
    };
  }, [adding, p, view, svgRef, colors, chosen, k, regression, target]);

  if (!p) return null;
  const undoable = canUndo(p);
  return (
    <div className="point-editor" data-testid="point-editor" style={{ display: 'flex', flexWrap: 'wrap', gap: 6, alignItems: 'center', justifyContent: 'center', marginTop: 6 }}>
      <button
        type="button"
        className={adding ? 'secondary small' : 'ghost small'}
        aria-pressed={adding}
        onClick={() => {
          if (!adding && getLab().playing) pause();
          setOwnUi({ adding: !adding });
        }}
      >
        {adding ? 'Done adding' : 'Add points'}
      </button>
      {adding && !regression && (
        <span role="radiogroup" aria-label="Class of added points" style={{ display: 'inline-flex', gap: 4 }}>
          {Array.from({ length: offered }, (_, c) => (
            <button
              key={c}
              type="button"
              role="radio"
              aria-checked={c === chosen}
              aria-label={c < k ? `class ${c}` : `new class ${c}`}
              title={c < k ? `class ${c}` : `a new class (${c})`}
              className="small"
              onClick={() => setOwnUi({ cls: c })}
              style={{ minWidth: 30, background: colors[c % colors.length], color: '#fff', border: c === chosen ? '2px solid #000' : '2px solid transparent', opacity: c < k ? 1 : 0.6 }}
            >
              {c < k ? c : `+${c}`}
            </button>
          ))}
        </span>
      )}
      {adding && regression && (
        <span style={{ width: 110 }}>
          <NumField label="Target of added points" value={target} onChange={(t) => setOwnUi({ target: t })} />
        </span>
      )}
      <button type="button" className="ghost small" disabled={!undoable} onClick={undoPoint}>
        Undo point
      </button>
      <button type="button" className="ghost small" disabled={!undoable} onClick={clearPoints}>
        Clear added
      </button>
      {adding && <span className="muted small">Click the plot to add a point{regression ? '' : ' (shift-click: next class)'}.</span>}
    </div>
  );
}
