/**
 * The selected run's model on 2-D problems: a heatmap of its prediction over the data's range with the
 * train (filled) and test (ringed) points; for 1-D regression, the fitted curve over the points.
 */
import * as d3 from 'd3';
import { useEffect, useRef, type RefObject } from 'react';
import type { MLPCurveView, MLPGridView, PointSet } from '../../worker/protocol';
import { FONT, INK, MUTED, useOnScreen, useSize } from './hooks';
import { useLab } from '../store';
import { rasterUrl, rgb } from './raster';
import { PointEditor } from './PointEditor';

export const CLASS_COLORS = ['#3b78c2', '#e07b39', '#3a9a5b', '#b8404f', '#8e5ab8', '#8a7a2e', '#2a9aa0', '#6b6b6b'];
const M = { l: 40, r: 10, t: 10, b: 30 };

interface Props {
  view: MLPGridView | MLPCurveView;
  svgRef: RefObject<SVGSVGElement | null>;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * Points and axes change with the data and the size only, not with training: their layer is built once
 * and kept. Module-level, not a ref: a new session unmounts the chart until its first view, and on the
 * same data (Start after an edit of a 20,000-point link) the layer moves into the new SVG as it is.
 */
let staticLayer: { key: unknown[]; node: SVGGElement } | null = null;

export function DecisionBoundary({ view, svgRef }: Props) {
  const wrap = useRef<HTMLDivElement>(null);
  const width = useSize(wrap, 420);
  // Off screen while playing: no redraw; caught up when scrolled into view.
  const onScreen = useOnScreen(wrap);
  const playing = useLab((s) => s.playing);
  const drawn = useRef<unknown[] | null>(null);
  // Points never change within a session: remember the last ones.
  useEffect(() => {
    const el = svgRef.current;
    if (!el) return;
    const key = [view, width];
    // Skipped off screen while playing; a pause or scrolling back redraws only what is stale.
    if ((!onScreen && playing && drawn.current) || (drawn.current && key.every((k, i) => k === drawn.current![i]))) return;
    drawn.current = key;
    // The element's own width: on mount `width` is still useSize's fallback, and a first draw at that
    // size would build the points layer once more than needed (20,000-point data: ~0.2 s).
    const w = Math.max(220, Math.min(wrap.current?.clientWidth || width, 560));
    const h = view.kind === 'mlp2d' ? Math.round(Math.min(w, 460) * 0.86) : 260;
    const svg = d3.select(el).attr('width', w).attr('height', h).attr('viewBox', `0 0 ${w} ${h}`);
    const mse = view.loss === 'mse';
    let yTarget: d3.ScaleSequential<string> | null = null;
    if (mse) {
      const ys = [...(view.train ? Array.from(view.train.y) : []), ...Array.from(view.outputs.data)].filter(Number.isFinite);
      const [lo, hi] = ys.length ? (d3.extent(ys) as [number, number]) : [0, 1];
      yTarget = d3.scaleSequential(d3.interpolateRdBu).domain([hi, lo]);
    }
    if (view.kind === 'mlp2d') {
      const { x0, x1, y0, y1 } = view.extent;
      const x = d3.scaleLinear().domain([x0, x1]).range([M.l, w - M.r]);
      const y = d3.scaleLinear().domain([y0, y1]).range([h - M.b, M.t]);
      // The points layer stays in the SVG while its key holds (points of equal values count as the
      // same: a new session on the same data keeps it); only the raster and contour are replaced,
      // inserted under it. Removing and re-adding thousands of circles was most of a redraw.
      const key = [view.train, view.test, x0, x1, y0, y1, w, h];
      const cached = staticLayer;
      const keep = !mse && cached && sameLayerKey(cached.key, key) ? cached.node : null;
      svg.selectChildren().filter((_, i, nodes) => nodes[i] !== keep).remove();
      if (keep && keep.parentNode !== el) el.appendChild(keep);
      const under = () => keep;
      const G = view.grid;
      const out = view.outputs.data;
      const k = view.outputs.shape[1];
      const cls = CLASS_COLORS.map(rgb);
      const url = rasterUrl(G, G, (r, c) => {
        const row = (G - 1 - r) * G + c;
        if (mse) {
          const [R, Gc, B] = rgb(yTarget!(out[row]));
          return [R, Gc, B, 200];
        }
        if (view.loss === 'bce' || k === 1) {
          const p = sigmoid(out[row]);
          const [a, b] = [cls[0], cls[1]];
          const m = (i: number) => Math.round(255 + (p > 0.5 ? b[i] - 255 : a[i] - 255) * Math.abs(2 * p - 1) * 0.55);
          return [m(0), m(1), m(2), 255];
        }
        let best = 0;
        let mx = -Infinity;
        for (let j = 0; j < k; j++) if (out[row * k + j] > mx) [mx, best] = [out[row * k + j], j];
        let z = 0;
        for (let j = 0; j < k; j++) z += Math.exp(out[row * k + j] - mx);
        const conf = (1 / z - 1 / k) / (1 - 1 / k);
        const col = cls[best % cls.length];
        const m = (i: number) => Math.round(255 + (col[i] - 255) * Math.max(0, conf) * 0.55);
        return [m(0), m(1), m(2), 255];
      });
      svg.insert('image', under).attr('href', url).attr('x', M.l).attr('y', M.t).attr('width', w - M.l - M.r).attr('height', h - M.t - M.b)
        .attr('preserveAspectRatio', 'none');
      // Decision boundary (p = ½ / argmax change) as a contour line.
      if (!mse && (view.loss === 'bce' || k === 1)) {
        const vals = Array.from({ length: G * G }, (_, i) => out[i]);
        const c = d3.contours().size([G, G]).thresholds([0])(vals);
        const proj = d3.geoTransform({
          point(px, py) {
            this.stream.point(x(x0 + ((px - 0.5) / (G - 1)) * (x1 - x0)), y(y0 + ((py - 0.5) / (G - 1)) * (y1 - y0)));
          },
        });
        // Contour polygons run along the grid's edge: clip 1.5 px inside it so only the boundary shows.
        svg.insert('clipPath', under).attr('id', 'db-inner').append('rect').attr('x', M.l + 1.5).attr('y', M.t + 1.5)
          .attr('width', w - M.l - M.r - 3).attr('height', h - M.t - M.b - 3);
        svg.insert('g', under).attr('clip-path', 'url(#db-inner)').selectAll('path').data(c).join('path').attr('d', (d) => d3.geoPath(proj)(d) ?? '')
          .attr('fill', 'none').attr('stroke', INK).attr('stroke-width', 1.2).attr('stroke-opacity', 0.7);
      }
      if (keep) return;
      const layer = svg.append('g').attr('class', 'static-layer');
      // A regression's point colours follow the outputs' range: that layer is redrawn every time.
      staticLayer = mse ? null : { key, node: layer.node()! };
      const dots = (ps: PointSet | undefined, test: boolean) => {
        if (!ps) return;
        const n = ps.X.shape[0];
        const idx = d3.range(Math.min(n, 4000));
        layer.append('g').attr('class', test ? 'test-points' : 'train-points').selectAll('circle').data(idx).join('circle')
          .attr('cx', (i) => x(ps.X.data[2 * i])).attr('cy', (i) => y(ps.X.data[2 * i + 1])).attr('r', test ? 3.4 : 3)
          .attr('fill', (i) => (test ? '#fff' : mse ? yTarget!(ps.y[i]) : CLASS_COLORS[ps.y[i] % CLASS_COLORS.length]))
          .attr('stroke', (i) => (test ? (mse ? yTarget!(ps.y[i]) : CLASS_COLORS[ps.y[i] % CLASS_COLORS.length]) : '#fff'))
          .attr('stroke-width', test ? 1.6 : 0.8);
      };
      dots(view.train, false);
      dots(view.test, true);
      axes(layer, x, y, w, h);
    } else {
      svg.selectChildren().remove();
      const xs = view.x;
      const pts = [view.train, view.test].filter(Boolean) as PointSet[];
      // The y range follows the data (a diverging fit is clipped, not allowed to flatten the points).
      const dataY = pts.flatMap((p) => Array.from(p.y)).filter(Number.isFinite);
      const [dlo, dhi] = dataY.length ? (d3.extent(dataY) as [number, number]) : [-1, 1];
      const pad = 0.5 * (dhi - dlo || 1);
      const fit = Array.from(view.outputs.data).filter(Number.isFinite);
      const lo = Math.max(dlo - pad, Math.min(dlo, d3.min(fit) ?? dlo));
      const hi = Math.min(dhi + pad, Math.max(dhi, d3.max(fit) ?? dhi));
      const x = d3.scaleLinear().domain(d3.extent(xs) as [number, number]).range([M.l, w - M.r]);
      const y = d3.scaleLinear().domain([lo, hi]).nice().range([h - M.b, M.t]);
      svg.append('clipPath').attr('id', 'db-plot').append('rect').attr('x', M.l).attr('y', M.t).attr('width', w - M.l - M.r).attr('height', h - M.t - M.b);
      pts.forEach((ps, t) => {
        svg.append('g').selectAll('circle').data(d3.range(ps.X.shape[0])).join('circle')
          .attr('cx', (i) => x(ps.X.data[i])).attr('cy', (i) => y(ps.y[i])).attr('r', 2.6)
          .attr('fill', t ? '#fff' : CLASS_COLORS[0]).attr('stroke', CLASS_COLORS[t ? 1 : 0]).attr('stroke-width', 1);
      });
      // A diverged fit has NaN/±Inf outputs: leave those points out of the curve instead of drawing 'NaN'.
      const line = d3.line<number>().defined((i) => Number.isFinite(view.outputs.data[i])).x((i) => x(xs[i])).y((i) => y(view.outputs.data[i]));
      svg.append('path').attr('clip-path', 'url(#db-plot)').attr('d', line(d3.range(xs.length)) ?? '').attr('fill', 'none').attr('stroke', INK).attr('stroke-width', 2);
      axes(svg, x, y, w, h);
    }
  }, [view, width, svgRef, onScreen, playing]);

  return (
    <div ref={wrap} className="chart-wrap center" data-testid="decision-boundary">
      <svg ref={svgRef} role="img" aria-label="Model prediction over the input plane with the data points" />
      {view.kind === 'mlp2d' && <PointEditor view={view} svgRef={svgRef} colors={CLASS_COLORS} />}
    </div>
  );
}

const samePoints = (a: PointSet, b: PointSet): boolean =>
  a.y.length === b.y.length && a.X.data.length === b.X.data.length && a.X.data.every((v, i) => v === b.X.data[i]) && a.y.every((v, i) => v === b.y[i]);
const isPointSet = (v: unknown): v is PointSet => typeof v === 'object' && v !== null && 'X' in v && 'y' in v;

/** The points layer's key: the same scales and size, and the same points (by identity or by value). */
function sameLayerKey(a: unknown[], b: unknown[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i] || (isPointSet(k) && isPointSet(b[i]) && samePoints(k, b[i])));
}

function axes(
  svg: d3.Selection<SVGSVGElement, unknown, null, undefined> | d3.Selection<SVGGElement, unknown, null, undefined>,
  x: d3.ScaleLinear<number, number>,
  y: d3.ScaleLinear<number, number>,
  w: number,
  h: number,
) {
  svg.append('g').attr('transform', `translate(0,${h - M.b})`).call(d3.axisBottom(x).ticks(Math.max(3, Math.floor(w / 80))).tickSizeOuter(0))
    .attr('font-family', FONT).attr('color', MUTED);
  svg.append('g').attr('transform', `translate(${M.l},0)`).call(d3.axisLeft(y).ticks(5).tickSizeOuter(0)).attr('font-family', FONT).attr('color', MUTED);
}
