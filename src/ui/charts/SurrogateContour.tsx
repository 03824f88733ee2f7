/**
 * The surrogate in 2-D: contours of f and of g(·|θₖ) on the plane θₖ + a·u + b·v (u = the step,
 * v = an orthogonal direction); red fill where g < f. θₖ is at (0, 0), θₖ₊₁ at (1, 0).
 */
import * as d3 from 'd3';
import { useEffect, useId, useRef, type RefObject } from 'react';
import type { SurrogateEvt } from '../../worker/protocol';
import { FONT, INK, MUTED, useSize } from './hooks';
import { VIOLATION } from './SurrogateChart';

const H = 300;
const M = { l: 46, r: 14, t: 26, b: 36 };

interface Props {
  evt: SurrogateEvt | null;
  color: string;
  svgRef: RefObject<SVGSVGElement | null>;
}

export function SurrogateContour({ evt, color, svgRef }: Props) {
  const wrap = useRef<HTMLDivElement>(null);
  const width = useSize(wrap, 480);
  const clipId = `clipc-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;

  useEffect(() => {
    const el = svgRef.current;
    if (!el) return;
    const w = Math.max(240, width);
    const svg = d3.select(el).attr('width', w).attr('height', H).attr('viewBox', `0 0 ${w} ${H}`);
    const data = evt?.data.kind === 'plane' ? evt.data : null;
    if (!data) {
      svg.selectAll('*').remove();
      return;
    }
    const { a, b, f, g } = data;
    const na = a.length;
    const nb = b.length;
    const x = d3.scaleLinear().domain([a[0], a[na - 1]]).range([M.l, w - M.r]);
    const y = d3.scaleLinear().domain([b[0], b[nb - 1]]).range([H - M.b, M.t]);
    const da = (a[na - 1] - a[0]) / Math.max(1, na - 1);
    const db = (b[nb - 1] - b[0]) / Math.max(1, nb - 1);
    const proj = d3.geoTransform({
      point(px, py) {
        this.stream.point(x(a[0] + Math.min(na - 1, Math.max(0, px - 0.5)) * da), y(b[0] + Math.min(nb - 1, Math.max(0, py - 0.5)) * db));
      },
    });
    const path = d3.geoPath(proj);
    const fin = Array.from(f).filter(Number.isFinite);
    const [lo, hi] = fin.length ? (d3.extent(fin) as [number, number]) : [0, 1];
    // Levels spaced on a square-root scale: more lines near the minimum, where the steps happen.
    const levels = d3.range(1, 12).map((k) => lo + (hi - lo) * (k / 12) ** 2);
    const clean = (v: ArrayLike<number>, fill: number) => Array.from(v, (z) => (Number.isFinite(z) ? z : fill));
    const gen = d3.contours().size([na, nb]);
    const fc = gen.thresholds(levels)(clean(f, hi));
    const gc = gen.thresholds(levels)(clean(g, hi));
    const diff = Array.from(f, (fv, i) => {
      const gv = g[i];
      if (!Number.isFinite(fv) || !Number.isFinite(gv)) return 0;
      return fv - gv - (1e-5 * Math.abs(fv) + 1e-9);
    });
    const bad = d3.contours().size([na, nb]).thresholds([0])(diff);

    svg.selectAll('defs').data([0]).join('defs').selectAll('clipPath').data([0]).join('clipPath').attr('id', clipId)
      .selectAll('rect').data([0]).join('rect').attr('x', M.l).attr('y', M.t).attr('width', w - M.l - M.r).attr('height', H - M.t - M.b);
    const plot = svg.selectAll('g.plot').data([0]).join('g').attr('class', 'plot').attr('clip-path', `url(#${clipId})`);
    plot.selectAll('path.bad').data(bad).join('path').attr('class', 'bad').attr('d', (d) => path(d) ?? '')
      .attr('fill', VIOLATION).attr('fill-opacity', 0.25).attr('stroke', 'none');
    plot.selectAll('path.fc').data(fc).join('path').attr('class', 'fc').attr('d', (d) => path(d) ?? '')
      .attr('fill', 'none').attr('stroke', INK).attr('stroke-opacity', 0.5).attr('stroke-width', 1);
    plot.selectAll('path.gc').data(gc).join('path').attr('class', 'gc').attr('d', (d) => path(d) ?? '')
      .attr('fill', 'none').attr('stroke', color).attr('stroke-width', 1.3).attr('stroke-dasharray', '4 3');
    const pts = [
      { a: 0, b: 0, label: 'θₖ' },
      { a: 1, b: 0, label: 'θₖ₊₁' },
    ];
    plot.selectAll('line.step').data([0]).join('line').attr('class', 'step')
      .attr('x1', x(0)).attr('y1', y(0)).attr('x2', x(1)).attr('y2', y(0)).attr('stroke', INK).attr('stroke-width', 1.5);
    const p = plot.selectAll('g.pt').data(pts).join('g').attr('class', 'pt');
    p.selectAll('circle').data((d) => [d]).join('circle').attr('cx', (d) => x(d.a)).attr('cy', (d) => y(d.b)).attr('r', 4.5)
      .attr('fill', '#fff').attr('stroke', INK).attr('stroke-width', 1.8);
    p.selectAll('text').data((d) => [d]).join('text').attr('x', (d) => x(d.a) + 6).attr('y', (d) => y(d.b) - 7)
      .attr('font-size', 12).attr('font-family', FONT).attr('fill', INK).text((d) => d.label);

    svg.selectAll('g.axis-x').data([0]).join('g').attr('class', 'axis-x').attr('transform', `translate(0,${H - M.b})`)
      .call(d3.axisBottom(x).ticks(Math.max(3, Math.floor(w / 80))).tickSizeOuter(0) as never);
    svg.selectAll('g.axis-y').data([0]).join('g').attr('class', 'axis-y').attr('transform', `translate(${M.l},0)`)
      .call(d3.axisLeft(y).ticks(5).tickSizeOuter(0) as never);
    svg.selectAll('g.axis-x, g.axis-y').attr('font-family', FONT).attr('color', MUTED);
    svg.selectAll('text.xlabel').data([0]).join('text').attr('class', 'xlabel').attr('x', w - M.r).attr('y', H - 4)
      .attr('text-anchor', 'end').attr('fill', MUTED).attr('font-size', 11).attr('font-family', FONT).text('a: along the step θₖ → θₖ₊₁');
    svg.selectAll('text.ylabel').data([0]).join('text').attr('class', 'ylabel').attr('transform', `translate(12,${M.t}) rotate(-90)`)
      .attr('text-anchor', 'end').attr('fill', MUTED).attr('font-size', 11).attr('font-family', FONT).text('b: across the step (random direction ⟂ step)');
    const legend = [
      { label: 'f contours', color: INK, dash: null as string | null, box: false },
      { label: 'g contours', color, dash: '4 3', box: false },
      { label: 'g < f', color: VIOLATION, dash: null, box: true },
    ];
    const lg = svg.selectAll('g.legend').data([0]).join('g').attr('class', 'legend')
      .selectAll('g.item').data(legend).join('g').attr('class', 'item').attr('transform', (_, i) => `translate(${M.l + i * 100},12)`);
    lg.selectAll('path').data((d) => [d]).join('path').attr('d', (d) => (d.box ? 'M0,-5h16v10h-16z' : 'M0,0h16'))
      .attr('fill', (d) => (d.box ? VIOLATION : 'none')).attr('fill-opacity', 0.25)
      .attr('stroke', (d) => (d.box ? 'none' : d.color)).attr('stroke-width', 2).attr('stroke-dasharray', (d) => d.dash);
    lg.selectAll('text').data((d) => [d]).join('text').attr('x', 20).attr('dy', '0.32em').attr('font-size', 11).attr('font-family', FONT)
      .attr('fill', INK).text((d) => d.label);
  }, [evt, color, width, svgRef, clipId]);

  return (
    <div ref={wrap} className="chart-wrap" data-testid="surrogate-contour">
      <svg ref={svgRef} role="img" aria-label="Contours of f and of the surrogate g on a plane through the step" />
      {!evt && <p className="chart-empty">Computing the contour view…</p>}
    </div>
  );
}
