/**
 * Accuracy curves of a classification session: each run's train (solid) and test (dashed) share of
 * correct predictions, as the worker measures them every few hundred ms (src/worker/accuracy.ts), against
 * the step or the epoch (the loss chart's x axis choice; compute time falls back to steps).
 */
import * as d3 from 'd3';
import { useEffect, useRef, type RefObject } from 'react';
import { FONT, GRID, INK, MUTED, runColor, useSize } from './hooks';

const H = 230;
const M = { l: 46, r: 12, t: 26, b: 34 };

export interface AccuracyChartProps {
  series: { t: number; train: number; test: number }[][];
  labels: string[];
  /** Divide steps by this for the x axis (1: steps). */
  perEpoch: number;
  svgRef: RefObject<SVGSVGElement | null>;
}

export function AccuracyChart({ series, labels, perEpoch, svgRef }: AccuracyChartProps) {
  const wrap = useRef<HTMLDivElement>(null);
  const width = useSize(wrap, 520);
  useEffect(() => {
    const el = svgRef.current;
    if (!el) return;
    const w = Math.max(260, width);
    const svg = d3.select(el).attr('width', w).attr('height', H).attr('viewBox', `0 0 ${w} ${H}`);
    const xs = (t: number) => t / perEpoch;
    const xmax = Math.max(1 / perEpoch, d3.max(series, (s) => (s?.length ? xs(s[s.length - 1].t) : 0)) ?? 0);
    const all = series.flatMap((s) => (s ?? []).flatMap((p) => [p.train, p.test])).filter(Number.isFinite);
    const lo = Math.max(0, Math.floor(10 * (d3.min(all) ?? 0)) / 10);
    const x = d3.scaleLinear().domain([0, xmax]).range([M.l, w - M.r]);
    const y = d3.scaleLinear().domain([lo, 1]).range([H - M.b, M.t]);
    svg.selectAll('g.axis-x').data([0]).join('g').attr('class', 'axis-x').attr('transform', `translate(0,${H - M.b})`)
      .call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(w / 90))).tickSizeOuter(0) as never);
    svg.selectAll('g.axis-y').data([0]).join('g').attr('class', 'axis-y').attr('transform', `translate(${M.l},0)`)
      .call(d3.axisLeft(y).ticks(5).tickFormat(d3.format('.0%')).tickSizeOuter(0) as never);
    svg.selectAll('g.axis-x, g.axis-y').attr('font-family', FONT).attr('color', MUTED);
    svg.selectAll('g.grid').data([0]).join('g').attr('class', 'grid').lower()
      .selectAll('line').data(y.ticks(5)).join('line').attr('x1', M.l).attr('x2', w - M.r).attr('y1', (d) => y(d)).attr('y2', (d) => y(d)).attr('stroke', GRID);
    svg.selectAll('text.xlabel').data([0]).join('text').attr('class', 'xlabel').attr('x', w - M.r).attr('y', H - 4).attr('text-anchor', 'end')
      .attr('fill', MUTED).attr('font-size', 11).attr('font-family', FONT).text(perEpoch > 1 ? `epoch (${perEpoch} steps each)` : 'step');
    const line = (key: 'train' | 'test') => d3.line<{ t: number; train: number; test: number }>().defined((p) => Number.isFinite(p[key])).x((p) => x(xs(p.t))).y((p) => y(p[key]));
    const paths = series.flatMap((s, i) => (s?.length ? [{ key: `train-${i}`, i, d: line('train')(s) ?? '', dash: null as string | null }, { key: `test-${i}`, i, d: line('test')(s) ?? '', dash: '5 4' }] : []));
    svg.selectAll('g.lines').data([0]).join('g').attr('class', 'lines').selectAll('path').data(paths, (d) => (d as { key: string }).key).join('path')
      .attr('data-run', (d) => d.i).attr('data-kind', (d) => (d.dash ? 'test' : 'train'))
      .attr('d', (d) => d.d).attr('fill', 'none').attr('stroke', (d) => runColor(d.i)).attr('stroke-width', (d) => (d.dash ? 1.4 : 1.9)).attr('stroke-dasharray', (d) => d.dash);
    // The measurements themselves: a line between two of them is not a measurement.
    const dots = series.flatMap((s, i) => (s ?? []).flatMap((p, j) => [{ key: `${i}-${j}-train`, i, cx: x(xs(p.t)), v: p.train }, { key: `${i}-${j}-test`, i, cx: x(xs(p.t)), v: p.test }]).filter((d) => Number.isFinite(d.v)));
    svg.selectAll('g.dots').data([0]).join('g').attr('class', 'dots').selectAll('circle').data(dots, (d) => (d as { key: string }).key).join('circle')
      .attr('cx', (d) => d.cx).attr('cy', (d) => y(d.v)).attr('r', 2.4).attr('fill', (d) => (d.key.endsWith('test') ? '#fff' : runColor(d.i))).attr('stroke', (d) => runColor(d.i)).attr('stroke-width', 1.2);
    const keys = [...labels.map((l, i) => ({ label: l, i, dash: null as string | null })), { label: 'test (dashed)', i: -1, dash: '5 4' }];
    let lx = M.l;
    const items = keys.map((k) => {
      const it = { ...k, x: lx };
      lx += 30 + k.label.length * 6.2;
      return it;
    });
    const lg = svg.selectAll('g.legend').data([0]).join('g').attr('class', 'legend').attr('transform', 'translate(0,10)')
      .selectAll('g.item').data(items).join('g').attr('class', 'item').attr('transform', (d) => `translate(${d.x},0)`);
    lg.selectAll('line').data((d) => [d]).join('line').attr('x2', 16).attr('stroke', (d) => (d.i < 0 ? MUTED : runColor(d.i))).attr('stroke-width', 2).attr('stroke-dasharray', (d) => d.dash);
    lg.selectAll('text').data((d) => [d]).join('text').attr('x', 20).attr('dy', '0.32em').attr('font-size', 11).attr('font-family', FONT)
      .attr('fill', (d) => (d.i < 0 ? MUTED : INK)).text((d) => d.label);
  }, [series, labels, perEpoch, width, svgRef]);
  const last = series.map((s) => s?.at(-1));
  return (
    <div ref={wrap} className="chart-wrap" data-testid="accuracy-chart" data-test={last.map((p) => p?.test ?? '').join(',')} data-train={last.map((p) => p?.train ?? '').join(',')}>
      <svg ref={svgRef} role="img" aria-label="Train and test accuracy per run" />
    </div>
  );
}
