/**
 * The signature view: the true risk f and the algorithm's surrogate g(·|θₖ) along its step, θ(s) with
 * s = 0 at θₖ and s = 1 at θₖ₊₁ (NMF: s = γ is nmf-mm's θₖ₊₁, s = 1 the heuristic MU point). Where g < f the surrogate is not a majorizer: shaded red.
 */
import * as d3 from 'd3';
import { useEffect, useId, useRef, type RefObject } from 'react';
import type { SurrogateEvt } from '../../worker/protocol';
import { fmt, FONT, GRID, INK, MUTED, useSize } from './hooks';

const H = 270;
const M = { l: 58, r: 14, t: 40, b: 36 };
export const VIOLATION = '#d32f2f';

/** Indices where g is below f by more than float32 noise. */
export function violations(f: ArrayLike<number>, g: ArrayLike<number>): boolean[] {
  return Array.from({ length: f.length }, (_, i) => {
    const tol = 1e-5 * Math.max(Math.abs(f[i]), 1e-9) + 1e-9;
    return Number.isFinite(f[i]) && Number.isFinite(g[i]) && g[i] < f[i] - tol;
  });
}

interface Props {
  evt: SurrogateEvt | null;
  color: string;
  svgRef: RefObject<SVGSVGElement | null>;
}

export function SurrogateChart({ evt, color, svgRef }: Props) {
  const wrap = useRef<HTMLDivElement>(null);
  const width = useSize(wrap, 480);
  const clipId = `clip-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;

  useEffect(() => {
    const el = svgRef.current;
    if (!el) return;
    const w = Math.max(240, width);
    const svg = d3.select(el).attr('width', w).attr('height', H).attr('viewBox', `0 0 ${w} ${H}`);
    const data = evt?.data.kind === 'slice' ? evt.data : null;
    if (!data) {
      svg.selectAll('*').remove();
      return;
    }
    const { s } = data;
    const idx = d3.range(s.length);
    const at = (v: number) => {
      let best = 0;
      s.forEach((sv, i) => Math.abs(sv - v) < Math.abs(s[best] - v) && (best = i));
      return best;
    };
    // Near convergence f varies along the step by less than its leading digits show: plot f − f(θₖ)
    // and g − f(θₖ) then, and say so on the axis (the worker computes both in float64 where it can).
    const f0 = data.f[at(0)];
    const fin = (a: ArrayLike<number>) => Array.from(a).filter(Number.isFinite);
    const raw = fin(data.f);
    const rawSpan = raw.length ? (d3.max(raw)! - d3.min(raw)!) : 0;
    const relative = Number.isFinite(f0) && f0 !== 0 && rawSpan < 1e-4 * Math.abs(f0);
    const shift = (a: ArrayLike<number>) => (relative ? Float64Array.from(a, (v) => v - f0) : a);
    const f = shift(data.f);
    const g = shift(data.g);
    const fv = fin(f);
    const gv = fin(g);
    const [flo, fhi] = fv.length ? (d3.extent(fv) as [number, number]) : [0, 1];
    const span = Math.max(fhi - flo, 1e-9 * Math.max(1, Math.abs(fhi)));
    // Keep f readable when g shoots far above or below it.
    const lo = Math.max(Math.min(flo, d3.min(gv) ?? flo), flo - 1.5 * span);
    const hi = Math.min(Math.max(fhi, d3.max(gv) ?? fhi), fhi + 1.5 * span);
    const y = d3.scaleLinear().domain([lo, hi === lo ? lo + 1 : hi]).range([H - M.b, M.t]).nice();
    // Tick labels in full (never cut at the left edge): the margin grows with the longest label.
    const yFormat = relative ? d3.format('.2~e') : y.tickFormat(5, '~g');
    const ml = Math.max(M.l, 14 + 6.6 * d3.max(y.ticks(5), (v) => yFormat(v).length)!);
    const x = d3.scaleLinear().domain(d3.extent(s) as [number, number]).range([ml, w - M.r]);
    const bad = violations(f, g);

    svg.selectAll('defs').data([0]).join('defs').selectAll('clipPath').data([0]).join('clipPath').attr('id', clipId)
      .selectAll('rect').data([0]).join('rect').attr('x', ml).attr('y', M.t).attr('width', w - ml - M.r).attr('height', H - M.t - M.b);
    svg.selectAll('g.grid').data([0]).join('g').attr('class', 'grid')
      .selectAll('line').data(y.ticks(5)).join('line')
      .attr('x1', ml).attr('x2', w - M.r).attr('y1', (d) => y(d)).attr('y2', (d) => y(d)).attr('stroke', GRID);
    svg.selectAll('g.axis-x').data([0]).join('g').attr('class', 'axis-x').attr('transform', `translate(0,${H - M.b})`)
      .call(d3.axisBottom(x).ticks(Math.max(3, Math.floor(w / 80))).tickSizeOuter(0) as never);
    svg.selectAll('g.axis-y').data([0]).join('g').attr('class', 'axis-y').attr('transform', `translate(${ml},0)`)
      .call(d3.axisLeft(y).ticks(5).tickFormat((v) => yFormat(v as number)).tickSizeOuter(0) as never);
    svg.selectAll('text.ylabel').data(relative ? [0] : []).join('text').attr('class', 'ylabel')
      .attr('x', ml + 4).attr('y', M.t - 4).attr('fill', MUTED).attr('font-size', 11).attr('font-family', FONT)
      .text(`values − f(θₖ), f(θₖ) = ${f0.toPrecision(10)}`);
    svg.selectAll('g.axis-x, g.axis-y').attr('font-family', FONT).attr('color', MUTED);
    svg.selectAll('text.xlabel').data([0]).join('text').attr('class', 'xlabel')
      .attr('x', w - M.r).attr('y', H - 4).attr('text-anchor', 'end').attr('fill', MUTED).attr('font-size', 11).attr('font-family', FONT)
      .text('position along the step, t');

    const plot = svg.selectAll('g.plot').data([0]).join('g').attr('class', 'plot').attr('clip-path', `url(#${clipId})`);
    const area = d3.area<number>()
      .defined((i) => bad[i])
      .x((i) => x(s[i]))
      .y0((i) => y(f[i]))
      .y1((i) => y(g[i]));
    plot.selectAll('path.violation').data([0]).join('path').attr('class', 'violation')
      .attr('d', area(idx) ?? '').attr('fill', VIOLATION).attr('fill-opacity', 0.28).attr('stroke', 'none');
    const line = (a: ArrayLike<number>) => d3.line<number>().defined((i) => Number.isFinite(a[i])).x((i) => x(s[i])).y((i) => y(a[i]))(idx) ?? '';
    plot.selectAll('path.f').data([0]).join('path').attr('class', 'f').attr('d', line(f)).attr('fill', 'none').attr('stroke', INK).attr('stroke-width', 2);
    plot.selectAll('path.g').data([0]).join('path').attr('class', 'g').attr('d', line(g)).attr('fill', 'none').attr('stroke', color)
      .attr('stroke-width', 2).attr('stroke-dasharray', '6 3');

    // NMF's path H̃ ⊙ Rᵗ: t = γ is the MM point (θₖ₊₁ of nmf-mm), t = 1 the heuristic MU point (θₖ₊₁ of nmf-mu).
    const mmPoint = evt?.marks?.mmPoint;
    const takesMM = mmPoint !== undefined && evt?.algorithm === 'nmf-mm';
    const marks = [
      { s: 0, label: 'θₖ', dash: null as string | null },
      { s: 1, label: mmPoint === undefined ? 'θₖ₊₁' : takesMM ? 'heuristic MU' : 'θₖ₊₁ (heuristic MU)', dash: (takesMM ? '2 3' : null) as string | null },
      ...Object.entries(evt?.marks ?? {}).map(([k, v]) => ({
        s: v,
        label: k === 'mmPoint' ? (takesMM ? 'θₖ₊₁ (MM point)' : 'MM point') : k,
        dash: (k === 'mmPoint' && takesMM ? null : '2 3') as string | null,
      })),
    ].filter((m) => m.s >= x.domain()[0] && m.s <= x.domain()[1]);
    const mk = svg.selectAll('g.marks').data([0]).join('g').attr('class', 'marks')
      .selectAll('g.mark').data(marks).join('g').attr('class', 'mark');
    mk.selectAll('line').data((d) => [d]).join('line').attr('x1', (d) => x(d.s)).attr('x2', (d) => x(d.s)).attr('y1', M.t).attr('y2', H - M.b)
      .attr('stroke', MUTED).attr('stroke-dasharray', (d) => d.dash ?? '1 0').attr('stroke-opacity', 0.6);
    // No dot where f is not finite there (a diverged run's θ): an SVG circle at cy = NaN is an error.
    mk.selectAll('circle').data((d) => (Number.isFinite(y(f[at(d.s)])) ? [d] : [])).join('circle').attr('cx', (d) => x(d.s)).attr('cy', (d) => y(f[at(d.s)]))
      .attr('r', 4).attr('fill', '#fff').attr('stroke', INK).attr('stroke-width', 1.6);
    // Extra marks (dashed) label one line higher, so close marks do not overprint.
    mk.selectAll('text').data((d) => [d]).join('text').attr('x', (d) => x(d.s) + 4).attr('y', (d) => H - M.b - 6 - (d.dash ? 14 : 0))
      .attr('font-size', 12).attr('font-family', FONT).attr('fill', INK).text((d) => d.label);

    const legend = [
      { label: 'f(θ) true risk', color: INK, dash: null as string | null },
      { label: 'g(θ | θₖ)', color, dash: '6 3' },
      { label: 'g < f: not a majorizer here', color: VIOLATION, dash: null, box: true },
    ];
    let lx = ml;
    let ly = 10;
    const lg = svg.selectAll('g.legend').data([0]).join('g').attr('class', 'legend')
      .selectAll('g.item').data(legend.map((d) => {
        const wItem = 28 + d.label.length * 6;
        if (lx + wItem > w - M.r && lx > ml) {
          lx = ml;
          ly += 15;
        }
        const o = { ...d, x: lx, y: ly };
        lx += wItem;
        return o;
      })).join('g').attr('class', 'item').attr('transform', (d) => `translate(${d.x},${d.y})`);
    lg.selectAll('path').data((d) => [d]).join('path')
      .attr('d', (d) => ('box' in d ? 'M0,-5h16v10h-16z' : 'M0,0h16'))
      .attr('fill', (d) => ('box' in d ? VIOLATION : 'none')).attr('fill-opacity', 0.28)
      .attr('stroke', (d) => ('box' in d ? 'none' : d.color)).attr('stroke-width', 2).attr('stroke-dasharray', (d) => d.dash);
    lg.selectAll('text').data((d) => [d]).join('text').attr('x', 20).attr('dy', '0.32em').attr('font-size', 11).attr('font-family', FONT)
      .attr('fill', INK).text((d) => d.label);
    el.setAttribute('data-violations', String(bad.filter(Boolean).length));
    el.setAttribute('data-f0', fmt(data.f[at(0)]));
    el.setAttribute('data-relative', String(relative));
  }, [evt, color, width, svgRef, clipId]);

  return (
    <div ref={wrap} className="chart-wrap" data-testid="surrogate-chart">
      <svg ref={svgRef} role="img" aria-label="True risk f and surrogate g along the step direction" />
      {!evt && <p className="chart-empty">The surrogate appears once the session has started.</p>}
    </div>
  );
}
