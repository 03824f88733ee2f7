/**
 * A sweep's curve: the metric of each grid point against the hyper-parameter (log x), the tuning-free
 * MM runs as horizontal dashed lines. A point that stopped (f not finite) is a ✕ on the top edge, one
 * that never reached the target an open circle there. Clicking a point opens it as an ordinary run.
 */
import * as d3 from 'd3';
import { useEffect, useRef } from 'react';
import { FONT, fmt, MUTED, useSize } from './hooks';

const H = 280;
const M = { l: 56, r: 14, t: 16, b: 38 };

export interface SweepChartProps {
  hyper: string;
  metricLabel: string;
  values: number[];
  /** Per value: the metric, null (not done / never reached), +∞ (stopped). */
  ys: (number | null | undefined)[];
  done: boolean[];
  references: { label: string; y: number | null; color: string }[];
  color: string;
  onPick(index: number): void;
}

export function SweepChart({ hyper, metricLabel, values, ys, done, references, color, onPick }: SweepChartProps) {
  const wrap = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const width = useSize(wrap, 520);

  useEffect(() => {
    const el = svgRef.current;
    if (!el) return;
    const w = Math.max(260, width);
    const svg = d3.select(el).attr('width', w).attr('height', H).attr('viewBox', `0 0 ${w} ${H}`);
    const finite = [...ys, ...references.map((r) => r.y)].filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    const logY = finite.length > 0 && finite.every((v) => v > 0);
    const [lo, hi] = finite.length ? (d3.extent(finite) as [number, number]) : [0, 1];
    const pad = logY ? [lo / 2, hi * 2] : [lo - 0.05 * (hi - lo || 1), hi + 0.05 * (hi - lo || 1)];
    const x = d3.scaleLog().domain([values[0] ?? 1e-4, values[values.length - 1] ?? 1]).range([M.l, w - M.r]);
    const y = (logY ? d3.scaleLog() : d3.scaleLinear()).domain(pad).range([H - M.b, M.t + 10]).clamp(true);
    const top = M.t + 2;
    const pts = values.map((v, i) => ({ v, i, y: ys[i], done: done[i] })).filter((p) => p.done);
    const ok = pts.filter((p) => typeof p.y === 'number' && Number.isFinite(p.y)) as { v: number; i: number; y: number }[];

    // Log axes ticked at powers of ten only (10⁻³ … 10²), linear ones as d3 chooses.
    const decades = ([a, b]: number[]) => d3.range(Math.ceil(Math.log10(Math.min(a, b)) - 1e-9), Math.floor(Math.log10(Math.max(a, b)) + 1e-9) + 1).map((e) => 10 ** e);
    const pow = (v: d3.NumberValue) => `1e${Math.round(Math.log10(Number(v)))}`;
    const ax = d3.axisBottom(x).tickValues(decades(x.domain())).tickFormat(pow).tickSizeOuter(0);
    const ay = logY ? d3.axisLeft(y).tickValues(decades(y.domain())).tickFormat(pow).tickSizeOuter(0) : d3.axisLeft(y).ticks(5).tickSizeOuter(0);
    svg.selectAll('g.axis-x').data([0]).join('g').attr('class', 'axis-x').attr('transform', `translate(0,${H - M.b})`).call(ax as never);
    svg.selectAll('g.axis-y').data([0]).join('g').attr('class', 'axis-y').attr('transform', `translate(${M.l},0)`).call(ay as never);
    svg.selectAll('g.axis-x, g.axis-y').attr('font-family', FONT).attr('color', MUTED);
    svg.selectAll('text.xlabel').data([0]).join('text').attr('class', 'xlabel').attr('x', w - M.r).attr('y', H - 4)
      .attr('text-anchor', 'end').attr('fill', MUTED).attr('font-size', 11).attr('font-family', FONT).text(`${hyper} (log scale)`);
    svg.selectAll('text.ylabel').data([0]).join('text').attr('class', 'ylabel').attr('x', 4).attr('y', 10)
      .attr('fill', MUTED).attr('font-size', 11).attr('font-family', FONT).text(metricLabel);

    const refs = references.filter((r) => typeof r.y === 'number' && Number.isFinite(r.y)) as { label: string; y: number; color: string }[];
    const rg = svg.selectAll('g.ref').data(refs).join('g').attr('class', 'ref').attr('data-testid', 'sweep-reference');
    rg.selectAll('line').data((d) => [d]).join('line').attr('x1', M.l).attr('x2', w - M.r).attr('y1', (d) => y(d.y)).attr('y2', (d) => y(d.y))
      .attr('stroke', (d) => d.color).attr('stroke-width', 1.6).attr('stroke-dasharray', '6 4');
    rg.selectAll('text').data((d) => [d]).join('text').attr('x', w - M.r - 4).attr('y', (d) => y(d.y) - 4).attr('text-anchor', 'end')
      .attr('font-size', 11).attr('font-family', FONT).attr('fill', (d) => d.color).text((d) => `${d.label}: ${fmt(d.y)}`);

    svg.selectAll('path.curve').data([0]).join('path').attr('class', 'curve')
      .attr('d', d3.line<{ v: number; y: number }>().x((d) => x(d.v)).y((d) => y(d.y))(ok) ?? '')
      .attr('fill', 'none').attr('stroke', color).attr('stroke-width', 1.8);
    const marks = svg.selectAll('g.pt').data(pts).join('g').attr('class', 'pt').attr('data-testid', 'sweep-point').attr('data-index', (d) => d.i)
      .attr('transform', (d) => `translate(${x(d.v)},${typeof d.y === 'number' && Number.isFinite(d.y) ? y(d.y) : top})`)
      .style('cursor', 'pointer').on('click', (_e, d) => onPick(d.i));
    marks.selectAll('path').data((d) => [d]).join('path')
      .attr('d', (d) => d3.symbol(d.y === Infinity ? d3.symbolX : d3.symbolCircle, d.y === Infinity ? 60 : 42)())
      .attr('fill', (d) => (typeof d.y === 'number' && Number.isFinite(d.y) ? color : '#fff')).attr('stroke', color).attr('stroke-width', 1.6);
    marks.selectAll('title').data((d) => [d]).join('title')
      .text((d) => `${hyper} = ${d.v}: ${d.y === Infinity ? 'stopped (f not finite)' : d.y === null || d.y === undefined ? 'never reached the target' : fmt(d.y)} — click to open as a run`);
  }, [width, hyper, metricLabel, values, ys, done, references, color, onPick]);

  return (
    <div ref={wrap} className="chart-wrap" data-testid="sweep-chart">
      <svg ref={svgRef} role="img" aria-label={`${metricLabel} against ${hyper}`} />
    </div>
  );
}
