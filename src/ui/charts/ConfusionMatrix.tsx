/**
 * The confusion matrix on the test images: row = true class, column = predicted class, each cell's
 * count written in it and its colour the share of its row (so a class with few images reads as well as
 * a big one); the per-class accuracy (diagonal / row total) as bars along the right side.
 */
import * as d3 from 'd3';
import { useEffect, useRef, type RefObject } from 'react';
import type { ImageViewsData } from '../../worker/protocol';
import { FONT, INK, MUTED, useSize } from './hooks';

const M = { l: 64, t: 34, r: 8, b: 8 };
const BAR = 74;

export function ConfusionMatrix({ views, label, svgRef }: { views: ImageViewsData; label: (k: number) => string; svgRef: RefObject<SVGSVGElement | null> }) {
  const wrap = useRef<HTMLDivElement>(null);
  const width = useSize(wrap, 480);
  const K = views.classes;
  const m = views.confusion;
  const rowSum = Array.from({ length: K }, (_, t) => d3.sum(m.subarray(t * K, (t + 1) * K)));
  const diag = d3.sum(d3.range(K), (k) => m[k * K + k]);
  useEffect(() => {
    const el = svgRef.current;
    if (!el) return;
    const cell = Math.max(16, Math.min(34, Math.floor((width - M.l - M.r - BAR - 16) / K)));
    const w = M.l + K * cell + 16 + BAR + M.r;
    const h = M.t + K * cell + M.b + 16;
    const svg = d3.select(el).attr('width', w).attr('height', h).attr('viewBox', `0 0 ${w} ${h}`);
    svg.selectAll('*').remove();
    const color = d3.scaleSequential(d3.interpolateBlues).domain([0, 1]);
    const cells = d3.range(K * K).map((i) => ({ t: Math.floor(i / K), p: i % K, n: m[i], share: rowSum[Math.floor(i / K)] ? m[i] / rowSum[Math.floor(i / K)] : 0 }));
    const g = svg.append('g').attr('class', 'cells').attr('transform', `translate(${M.l},${M.t})`);
    const c = g.selectAll('g').data(cells).join('g').attr('class', 'cell').attr('data-true', (d) => d.t).attr('data-pred', (d) => d.p).attr('data-count', (d) => d.n)
      .attr('transform', (d) => `translate(${d.p * cell},${d.t * cell})`);
    c.append('rect').attr('width', cell - 1).attr('height', cell - 1).attr('fill', (d) => (d.n ? color(0.08 + 0.92 * d.share) : '#fafbfc'))
      .attr('stroke', (d) => (d.t === d.p ? '#9aa6b2' : 'none'));
    c.append('text').attr('x', (cell - 1) / 2).attr('y', (cell - 1) / 2).attr('dy', '0.35em').attr('text-anchor', 'middle').attr('font-family', FONT)
      .attr('font-size', cell >= 26 ? 10 : 8).attr('fill', (d) => (d.share > 0.55 ? '#fff' : INK)).text((d) => (d.n ? d.n : ''));
    c.append('title').text((d) => `true ${label(d.t)}, predicted ${label(d.p)}: ${d.n} image${d.n === 1 ? '' : 's'}`);
    // Class names: predicted along the top, true down the left.
    const text = (sel: d3.Selection<SVGGElement, unknown, null, undefined>) => sel.attr('font-family', FONT).attr('font-size', 10).attr('fill', MUTED);
    const top = text(svg.append('g').attr('transform', `translate(${M.l},${M.t - 4})`));
    top.selectAll('text').data(d3.range(K)).join('text').attr('x', (k) => k * cell + cell / 2).attr('text-anchor', 'middle')
      .text((k) => (label(k).length > 3 && cell < 40 ? label(k).slice(0, 3) : label(k)));
    const left = text(svg.append('g').attr('transform', `translate(${M.l - 5},${M.t})`));
    left.selectAll('text').data(d3.range(K)).join('text').attr('y', (k) => k * cell + cell / 2).attr('dy', '0.35em').attr('text-anchor', 'end').text((k) => label(k));
    svg.append('text').attr('x', M.l + (K * cell) / 2).attr('y', 12).attr('text-anchor', 'middle').attr('font-family', FONT).attr('font-size', 11).attr('fill', INK).text('predicted class');
    svg.append('text').attr('transform', `translate(11,${M.t + (K * cell) / 2}) rotate(-90)`).attr('text-anchor', 'middle').attr('font-family', FONT).attr('font-size', 11).attr('fill', INK).text('true class');
    // Per-class accuracy, one bar per row.
    const bx = M.l + K * cell + 16;
    svg.append('text').attr('x', bx).attr('y', 12).attr('font-family', FONT).attr('font-size', 11).attr('fill', INK).text('accuracy');
    const bars = svg.append('g').attr('class', 'class-accuracy').attr('transform', `translate(${bx},${M.t})`);
    const acc = d3.range(K).map((k) => ({ k, a: rowSum[k] ? m[k * K + k] / rowSum[k] : NaN }));
    const b = bars.selectAll('g').data(acc).join('g').attr('data-class', (d) => d.k).attr('data-accuracy', (d) => d.a).attr('transform', (d) => `translate(0,${d.k * cell})`);
    b.append('rect').attr('y', 3).attr('height', Math.max(4, cell - 7)).attr('width', BAR - 30).attr('fill', '#eef1f4');
    b.append('rect').attr('y', 3).attr('height', Math.max(4, cell - 7)).attr('width', (d) => (Number.isFinite(d.a) ? d.a * (BAR - 30) : 0)).attr('fill', '#3a9a5b');
    b.append('text').attr('x', BAR - 27).attr('y', (cell - 1) / 2).attr('dy', '0.35em').attr('font-family', FONT).attr('font-size', 10).attr('fill', INK)
      .text((d) => (Number.isFinite(d.a) ? `${Math.round(100 * d.a)}%` : '—'));
  }, [views, width, svgRef, label, K, m, rowSum]);
  return (
    <div ref={wrap} className="chart-wrap center" data-testid="confusion-matrix" data-diagonal={diag} data-total={d3.sum(rowSum)} data-classes={K}>
      <svg ref={svgRef} role="img" aria-label="Confusion matrix of the test images: true class by predicted class, with per-class accuracy" />
    </div>
  );
}
