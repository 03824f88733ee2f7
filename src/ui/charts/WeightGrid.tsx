/**
 * The first layer's weights as images: hidden unit u's weights from the rows×cols pixels, drawn as a
 * rows×cols picture (the template it matches an image against). Diverging colours, each unit scaled to
 * its own largest |w|: blue negative, white 0, orange positive.
 */
import * as d3 from 'd3';
import { useEffect, useRef, type RefObject } from 'react';
import type { ImageViewsData } from '../../worker/protocol';
import { FONT, MUTED, useSize } from './hooks';
import { rasterUrl } from './raster';

const NEG: [number, number, number] = [59, 120, 194];
const POS: [number, number, number] = [224, 123, 57];
const GAP = 4;
const LABEL = 11;

/** One unit's weights (length rows·cols) as a diverging image scaled to ±its largest |w|. */
function weightImage(w: Float32Array, rows: number, cols: number): string {
  const scale = d3.max(w, Math.abs) || 1;
  return rasterUrl(rows, cols, (r, c) => {
    const v = Math.max(-1, Math.min(1, w[r * cols + c] / scale));
    const to = v < 0 ? NEG : POS;
    const a = Math.abs(v);
    return [Math.round(255 + (to[0] - 255) * a), Math.round(255 + (to[1] - 255) * a), Math.round(255 + (to[2] - 255) * a), 255];
  });
}

export function WeightGrid({ views, svgRef }: { views: ImageViewsData; svgRef: RefObject<SVGSVGElement | null> }) {
  const wrap = useRef<HTMLDivElement>(null);
  const width = useSize(wrap, 480);
  useEffect(() => {
    const el = svgRef.current;
    const W = views.weights;
    if (!el || !W) return;
    const [units, d] = W.shape;
    const { rows, cols } = views;
    // Cells of a whole number of screen pixels per image pixel (at least 3), as many per row as fit.
    const avail = Math.max(160, width - 4);
    let per = Math.max(1, Math.ceil(Math.sqrt(units)));
    let cell = Math.floor(avail / per) - GAP;
    const maxCell = rows <= 8 ? 48 : 56;
    cell = Math.min(maxCell, cell);
    if (cell < 3 * rows / 2) per = Math.max(1, Math.floor(avail / (Math.ceil(1.5 * rows) + GAP)));
    cell = Math.min(maxCell, Math.floor(avail / per) - GAP);
    const lines = Math.ceil(units / per);
    const w = per * (cell + GAP);
    const h = lines * (cell + GAP + LABEL);
    const svg = d3.select(el).attr('width', w).attr('height', h).attr('viewBox', `0 0 ${w} ${h}`);
    const items = Array.from({ length: units }, (_, u) => ({ u, href: weightImage(W.data.subarray(u * d, (u + 1) * d), rows, cols) }));
    const g = svg.selectAll('g.unit').data(items).join((enter) => {
      const e = enter.append('g').attr('class', 'unit');
      e.append('image').attr('preserveAspectRatio', 'none').style('image-rendering', 'pixelated');
      e.append('rect').attr('fill', 'none').attr('stroke', '#c9ced4');
      e.append('text').attr('text-anchor', 'middle').attr('font-family', FONT).attr('font-size', 9).attr('fill', MUTED);
      return e;
    });
    g.attr('data-unit', (d) => d.u).attr('transform', (d) => `translate(${(d.u % per) * (cell + GAP) + GAP / 2},${Math.floor(d.u / per) * (cell + GAP + LABEL)})`);
    g.select('image').attr('href', (d) => d.href).attr('width', cell).attr('height', cell);
    g.select('rect').attr('width', cell).attr('height', cell);
    g.select('text').attr('x', cell / 2).attr('y', cell + 9).text((d) => d.u + 1);
  }, [views, width, svgRef]);
  return (
    <div ref={wrap} className="chart-wrap center" data-testid="weight-grid" data-units={views.weights?.shape[0] ?? 0}>
      {views.weights ? (
        <svg ref={svgRef} role="img" aria-label="First-layer weights of each hidden unit as an image" />
      ) : (
        <p className="chart-empty">The first layer is not image-shaped: no weight images.</p>
      )}
    </div>
  );
}
