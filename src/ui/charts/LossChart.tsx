/**
 * Loss curves: train (solid) and test (dashed) per run, log or linear y, x = step or wall time,
 * switch markers, divergence markers and a hover readout. Series are LTTB-downsampled to ~1.5 points
 * per pixel and redrawn on animation frames only.
 */
import * as d3 from 'd3';
import { useEffect, useRef } from 'react';
import { ALGORITHM_SPECS } from '../../core/algorithms/spec-registry';
import { live, requestFrame } from '../live';
import { setView, useLab } from '../store';
import { ChartCard } from './ChartCard';
import { fmt, FONT, GRID, INK, MUTED, runColor, useLiveDraw, useSize } from './hooks';
import { stepsPerEpoch } from '../imageViews';
import { evalEveryNote } from '../evalEvery';
import { drawMarkers, drawScheduled, drawScrubMark, HYPER_DASH, markerKinds, pendingSwitches, SWITCH_DASH } from './lossMarkers';

const H = 290;
/** Test-loss curves: dashed, in the run's colour (and so in the legend). */
const TEST_DASH = '5 4';
const M = { l: 58, r: 14, b: 36 };

export function LossChart() {
  const wrap = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const tip = useRef<HTMLDivElement>(null);
  const hover = useRef<number | null>(null);
  const width = useSize(wrap);
  const view = useLab((s) => s.view);
  const hasTest = useLab((s) => s.session?.hasTest ?? false);
  const showTest = view.test && hasTest;
  const target = useLab((s) => s.target);
  const scrubAt = useLab((s) => s.scrubAt);
  const xKey = view.x;
  // x: epoch plots the step series divided by the steps of an epoch (ceil(nTrain / batchSize)).
  const perEpoch = useLab((s) => stepsPerEpoch(s.session?.config));
  // Sparse points when f is evaluated every k > 1 steps (mini-batch image problems): say so.
  const evalNote = useLab((s) => evalEveryNote(s.session?.config));
  const bufKey = xKey === 'epoch' ? 'step' : xKey;
  // Log step axis (paper-style log-log plots): steps from 1, t = 0 is left out.
  const logX = view.logx && xKey === 'step';

  const draw = () => {
    const el = svgRef.current;
    if (!el) return;
    const w = Math.max(240, width);
    const svg = d3.select(el).attr('width', w).attr('height', H).attr('viewBox', `0 0 ${w} ${H}`);
    const runs = live.runs;
    const maxPts = Math.round((w - M.l - M.r) * 1.5);
    const series = runs.map((r) => ({
      train: r.buffer.view(bufKey, 'loss', maxPts),
      test: showTest ? r.buffer.view(bufKey, 'test', maxPts) : null,
    }));
    // Legend layout first: it sets the top margin (wrapping on narrow screens).
    let lx = M.l;
    let ly = 12;
    const kinds = markerKinds(runs);
    const keys: { i: number; label: string; dash?: string; flat?: boolean }[] = [
      ...runs.map((r, i) => ({ i, label: `${r.label}${r.currentAlgorithm !== r.baseAlgorithm ? ` → ${ALGORITHM_SPECS[r.currentAlgorithm]?.label ?? r.currentAlgorithm}` : ''}` })),
      ...(showTest && runs.length ? [{ i: -1, label: 'test loss (dashed, run colour)', dash: TEST_DASH, flat: true }] : []),
      ...(kinds.switch ? [{ i: -1, label: 'algorithm switch', dash: SWITCH_DASH }] : []),
      ...(kinds.hyper ? [{ i: -1, label: 'hyper-parameter change', dash: HYPER_DASH }] : []),
    ];
    const items = keys.map(({ i, label, dash, flat }) => {
      const wItem = 28 + label.length * 6.2;
      if (lx + wItem > w - M.r && lx > M.l) {
        lx = M.l;
        ly += 15;
      }
      const it = { i, label, dash, flat: !!flat, x: lx, y: ly };
      lx += wItem;
      return it;
    });
    const top = ly + 16;
    const xs = (v: number) => (xKey === 'wall' ? v / 1000 : xKey === 'epoch' ? v / perEpoch : v);
    let xmax = 0;
    const ys: number[] = [];
    series.forEach((s) => {
      for (const part of [s.train, s.test]) {
        if (!part) continue;
        if (part.x.length) xmax = Math.max(xmax, xs(part.x[part.x.length - 1]));
        part.y.forEach((v) => Number.isFinite(v) && (!view.log || v > 0) && ys.push(v));
      }
    });
    // A schedule ahead (e.g. a link's switch, before Start): the step axis spans the planned run.
    const pending = xKey === 'step' ? pendingSwitches(runs) : [];
    if (pending.length) xmax = Math.max(xmax, target, ...pending.map((d) => d.s.at));
    if (!(xmax > 0)) xmax = 1;
    let [ylo, yhi] = ys.length ? (d3.extent(ys) as [number, number]) : [view.log ? 0.1 : 0, 1];
    if (ylo === yhi) [ylo, yhi] = view.log ? [ylo / 2, yhi * 2] : [ylo - 0.5, yhi + 0.5];
    const x = (logX ? d3.scaleLog().domain([1, Math.max(2, xmax)]).clamp(true) : d3.scaleLinear().domain([0, xmax])).range([M.l, w - M.r]);
    const y = (view.log ? d3.scaleLog().clamp(true) : d3.scaleLinear()).domain([ylo, yhi]).range([H - M.b, top]).nice();

    svg.selectAll('g.axis-x').data([0]).join('g').attr('class', 'axis-x').attr('transform', `translate(0,${H - M.b})`)
      .call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(w / 90))).tickSizeOuter(0) as never);
    // The log scale's own format blanks the minor ticks; the labels it keeps are shortened.
    const yFmt = y.tickFormat(5, view.log ? '~g' : '~r');
    svg.selectAll('g.axis-y').data([0]).join('g').attr('class', 'axis-y').attr('transform', `translate(${M.l},0)`)
      .call(d3.axisLeft(y).ticks(5).tickFormat((v) => (yFmt(Number(v)) === '' ? '' : tickLabel(Number(v)))).tickSizeOuter(0) as never);
    svg.selectAll('g.axis-x, g.axis-y').attr('font-family', FONT).attr('color', MUTED);
    svg.selectAll('g.grid').data([0]).join('g').attr('class', 'grid').lower()
      .selectAll('line').data(gridTicks(y, view.log)).join('line')
      .attr('x1', M.l).attr('x2', w - M.r).attr('y1', (d) => y(d)).attr('y2', (d) => y(d)).attr('stroke', GRID);
    svg.selectAll('text.xlabel').data([0]).join('text').attr('class', 'xlabel')
      .attr('x', w - M.r).attr('y', H - 4).attr('text-anchor', 'end').attr('fill', MUTED).attr('font-size', 11).attr('font-family', FONT)
      .text(xKey === 'step' ? (logX ? 'step (log scale)' : 'step') : xKey === 'epoch' ? (perEpoch > 1 ? `epoch (${perEpoch} steps each)` : 'epoch (= step: full batch)') : 'compute time (s)');
    svg.selectAll('text.ylabel').data([0]).join('text').attr('class', 'ylabel')
      .attr('transform', `translate(12,${top}) rotate(-90)`).attr('text-anchor', 'end').attr('fill', MUTED).attr('font-size', 11).attr('font-family', FONT)
      .text(view.log ? 'loss (log scale)' : 'loss');

    const path = (p: { x: Float64Array; y: Float64Array }) => {
      const gen = d3.line<number>()
        .defined((i) => Number.isFinite(p.y[i]) && (!view.log || p.y[i] > 0) && (!logX || xs(p.x[i]) >= 1))
        .x((i) => x(xs(p.x[i])))
        .y((i) => y(p.y[i]));
      return gen(d3.range(p.x.length)) ?? '';
    };
    const lines = series.flatMap((s, i) => [
      { key: `train-${i}`, d: path(s.train), color: runColor(i), dash: null as string | null },
      ...(s.test ? [{ key: `test-${i}`, d: path(s.test), color: runColor(i), dash: TEST_DASH }] : []),
    ]);
    svg.selectAll('g.lines').data([0]).join('g').attr('class', 'lines')
      .selectAll('path').data(lines, (d) => (d as { key: string }).key).join('path')
      .attr('d', (d) => d.d).attr('fill', 'none').attr('stroke', (d) => d.color)
      .attr('stroke-width', (d) => (d.dash ? 1.3 : 1.8)).attr('stroke-dasharray', (d) => d.dash).attr('stroke-opacity', (d) => (d.dash ? 0.75 : 1));

    // Current position of each run.
    const heads = series.flatMap((sr, i) => {
      const n = sr.train.x.length;
      const v = n ? sr.train.y[n - 1] : NaN;
      const head = { i, cx: x(xs(sr.train.x[n - 1])), cy: y(v) };
      return n && Number.isFinite(v) && (!view.log || v > 0) && Number.isFinite(head.cx) && Number.isFinite(head.cy) ? [head] : [];
    });
    svg.selectAll('g.heads').data([0]).join('g').attr('class', 'heads')
      .selectAll('circle').data(heads).join('circle').attr('cx', (d) => d.cx).attr('cy', (d) => d.cy).attr('r', 3.2)
      .attr('fill', (d) => runColor(d.i)).attr('stroke', '#fff').attr('stroke-width', 1);

    // Switch, hyper-parameter change and divergence markers.
    const atX = (r: (typeof runs)[number], step: number) => {
      if (xKey !== 'wall') return x(xs(step));
      const j = r.buffer.nearest(step);
      return x(j >= 0 ? xs(r.buffer.wall[j]) : 0);
    };
    const atY = (v: number) => (Number.isFinite(v) && (!view.log || v > 0) ? y(v) : null);
    drawMarkers({ svg, runs, atX, atY, top, bottom: H - M.b, right: w - M.r, yhi });
    drawScheduled({ svg, runs, bottom: H - M.b }, xKey === 'step' ? (step) => x(step) : null);
    const scrubRun = runs[Math.min(view.sel, runs.length - 1)];
    drawScrubMark({ svg, top, bottom: H - M.b }, scrubAt !== null && scrubRun && (!logX || scrubAt > 0) ? { x: atX(scrubRun, scrubAt), step: scrubAt } : null);

    // Legend (inside the svg so exports carry it).
    const lg = svg.selectAll('g.legend').data([0]).join('g').attr('class', 'legend')
      .selectAll('g.item').data(items).join('g').attr('class', 'item').attr('transform', (d) => `translate(${d.x},${d.y})`);
    const vertical = (d: (typeof items)[number]) => !!d.dash && !d.flat;
    lg.attr('data-key', (d) => (d.flat ? 'test' : null));
    lg.selectAll('line').data((d) => [d]).join('line')
      .attr('x1', (d) => (vertical(d) ? 8 : 0)).attr('x2', (d) => (vertical(d) ? 8 : 16)).attr('y1', (d) => (vertical(d) ? -6 : 0)).attr('y2', (d) => (vertical(d) ? 6 : 0))
      .attr('stroke', (d) => (d.i < 0 ? MUTED : runColor(d.i))).attr('stroke-width', (d) => (d.dash === HYPER_DASH ? 2 : d.dash ? 1.2 : 2.2))
      .attr('stroke-dasharray', (d) => d.dash ?? null);
    lg.selectAll('text').data((d) => [d]).join('text').attr('x', 20).attr('dy', '0.32em').attr('font-size', 11).attr('font-family', FONT)
      .attr('fill', (d) => (d.i < 0 ? MUTED : INK)).text((d) => d.label);

    // Hover readout.
    const hx = hover.current;
    svg.selectAll('line.cross').data(hx === null ? [] : [hx]).join('line').attr('class', 'cross').attr('data-no-export', '')
      .attr('x1', (d) => d).attr('x2', (d) => d).attr('y1', top).attr('y2', H - M.b).attr('stroke', '#9aa1a9').attr('stroke-width', 1);
    const t = tip.current;
    if (t) {
      if (hx === null || !runs.length) t.hidden = true;
      else {
        const xv = x.invert(hx);
        t.replaceChildren();
        const head = document.createElement('div');
        head.className = 'tip-head';
        const r0 = runs[0].buffer;
        const j0 = xKey !== 'wall' ? r0.nearest(xKey === 'epoch' ? xv * perEpoch : xv) : nearestWall(r0.wall, r0.length, xv * 1000);
        head.textContent = xKey === 'step' ? `step ${Math.round(r0.step[j0] ?? xv)}` : xKey === 'epoch' ? `epoch ${xv.toFixed(2)} (step ${r0.step[j0]})` : `${xv.toFixed(2)} s`;
        t.appendChild(head);
        runs.forEach((r, i) => {
          const b = r.buffer;
          const j = xKey !== 'wall' ? b.nearest(xKey === 'epoch' ? xv * perEpoch : xv) : nearestWall(b.wall, b.length, xv * 1000);
          if (j < 0) return;
          const row = document.createElement('div');
          const dot = document.createElement('span');
          dot.className = 'dot';
          dot.style.background = runColor(i);
          row.appendChild(dot);
          row.append(`${r.label}: ${fmt(b.loss[j])}${showTest ? ` · test ${fmt(b.test[j])}` : ''}${xKey === 'wall' ? ` (step ${b.step[j]})` : ''}`);
          t.appendChild(row);
        });
        t.hidden = false;
        t.style.left = `${Math.min(hx + 12, w - 210)}px`;
      }
    }
    wrap.current?.setAttribute('data-points', String(series.reduce((n, s) => n + s.train.x.length, 0)));
  };
  useLiveDraw(draw, [width, view.log, view.x, logX, showTest, target, scrubAt, view.sel]);

  useEffect(() => {
    const el = svgRef.current;
    if (!el) return;
    const move = (e: PointerEvent) => {
      const r = el.getBoundingClientRect();
      const px = e.clientX - r.left;
      hover.current = px >= M.l && px <= r.width - M.r ? px : null;
      live.version++;
      requestFrame();
    };
    const leave = () => {
      hover.current = null;
      live.version++;
      requestFrame();
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerleave', leave);
    return () => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerleave', leave);
    };
  }, []);

  const actions = (
    <div className="seg" role="group" aria-label="Loss chart options">
      <label className="check small">
        <input type="checkbox" checked={view.log} onChange={(e) => setView({ log: e.target.checked })} /> Log scale
      </label>
      {xKey === 'step' && (
        <label className="check small">
          <input type="checkbox" checked={view.logx} onChange={(e) => setView({ logx: e.target.checked })} /> Log steps
        </label>
      )}
      <label className="small">
        <span className="sr-only">x axis</span>
        <select aria-label="x axis" value={view.x} onChange={(e) => setView({ x: e.target.value as 'step' | 'wall' | 'epoch' })}>
          <option value="step">x: step</option>
          <option value="epoch">x: epoch</option>
          <option value="wall">x: time</option>
        </select>
      </label>
      {hasTest && (
        <label className="check small">
          <input type="checkbox" checked={view.test} onChange={(e) => setView({ test: e.target.checked })} /> Test
        </label>
      )}
    </div>
  );

  return (
    <ChartCard title="Loss curves" name="mmlab-loss" svgRef={svgRef} actions={actions} className="span-2" subtitle={evalNote && <span data-testid="eval-every-note">{evalNote}</span>}>
      <div ref={wrap} className="chart-wrap" data-testid="loss-chart">
        <svg ref={svgRef} role="img" aria-label="Training and test loss per run" />
        <div ref={tip} className="tooltip" hidden role="status" aria-live="off" />
      </div>
    </ChartCard>
  );
}

function nearestWall(wall: Float64Array, n: number, v: number): number {
  if (!n) return -1;
  const j = d3.bisectLeft(wall.subarray(0, n), v);
  if (j <= 0) return 0;
  if (j >= n) return n - 1;
  return v - wall[j - 1] < wall[j] - v ? j - 1 : j;
}

/** Grid lines: every tick on a linear axis; on a log axis only the decades (when there are 2+). */
function gridTicks(y: d3.ScaleContinuousNumeric<number, number>, log: boolean): number[] {
  const t = y.ticks(5);
  if (!log) return t;
  const decades = t.filter((v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9);
  return decades.length >= 2 ? decades : t.filter((_, i) => i % 2 === 0);
}

/** Short axis labels: 0.001, 0.25, 100, 1e5, 1e-5 (no 100000 overlapping the axis title). */
function tickLabel(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e4 || a < 1e-3)) return v.toExponential(0).replace('e+', 'e');
  return String(Number(v.toPrecision(4)));
}
