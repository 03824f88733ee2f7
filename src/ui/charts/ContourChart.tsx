/**
 * The contour view of a 2-D function problem: f's contour map, every run's path θ₀ … θₜ (step markers,
 * switch markers ◆), and the inspected run's model g(·|θₜ) as its own dashed contours with the region
 * where g < f shaded. θₜ₊₁ (g's minimiser for MM) is the open circle the arrow points to. Clicking the
 * map sets θ₀ (problem.start: the form, hence the share link). "Step through" animates one iteration:
 * draw g, jump to its minimiser, step (the worker's next answer redraws g at the new point).
 * Data: ui/contour-state.ts (requestContour, computed in the worker by src/worker/contour.ts).
 */
import * as d3 from 'd3';
import { useEffect, useId, useRef, useState } from 'react';
import { functionStart } from '../../core/problems/functions-config';
import { pause, stepOnce } from '../actions';
import { setContourBox, startContourPump, useContour } from '../contour-state';
import { send } from '../engine';
import { editDraft, useLab } from '../store';
import { ChartCard } from './ChartCard';
import { FONT, fmt, INK, MUTED, runColor, useSize } from './hooks';
import { VIOLATION } from './SurrogateChart';
import './contour.css';

const M = { l: 44, r: 12, t: 12, b: 30 };
const LEVELS = 14;
type Phase = 'idle' | 'bowl' | 'jump';

// The zoom (d3-zoom, with d3-drag and d3-transition: ≈ 30 kB) is a chunk of its own, loaded with the
// first contour map: the page's first script does not carry it.
type ZoomModule = typeof import('./contourZoom');
let zoomModule: ZoomModule | null = null;
const loadZoom = (): Promise<ZoomModule> => import('./contourZoom').then((m) => (zoomModule = m));

const CERT = { global: 'certified majorizer: g ≥ f everywhere', step: 'MM step certified at θₜ₊₁', none: 'implied model, not certified' } as const;

/** Contour levels at quantiles of the grid's values: evenly spread lines whatever f's scale. */
function levelsOf(f: Float64Array): number[] {
  const v = Array.from(f).filter(Number.isFinite).sort((a, b) => a - b);
  if (!v.length) return [];
  const out = d3.range(1, LEVELS + 1).map((k) => d3.quantileSorted(v, (k / (LEVELS + 1)) ** 1.6)!);
  return [...new Set(out)].filter((x, i, a) => i === 0 || x > a[i - 1]);
}

export function ContourChart() {
  const svgRef = useRef<SVGSVGElement>(null);
  const wrap = useRef<HTMLDivElement>(null);
  const width = useSize(wrap, 520);
  const clipId = `clipf-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const { evt, error, box: zoomBox } = useContour();
  /** The box the zoom transform is relative to (the one drawn when the gesture began). */
  const drawnBox = useRef('');
  const [zm, setZm] = useState<ZoomModule | null>(zoomModule);
  const session = useLab((s) => s.session);
  const sel = useLab((s) => s.view.sel);
  const draftProblem = useLab((s) => s.draft.problem);
  const summaries = useLab((s) => s.summaries);
  const [phase, setPhase] = useState<Phase>('idle');
  const timers = useRef<ReturnType<typeof setTimeout>[]>([]);
  useEffect(() => () => timers.current.forEach(clearTimeout), []);
  useEffect(() => startContourPump(send), []);

  const isFunction = session?.config.problem.kind === 'function' || draftProblem.kind === 'function';
  const shown = evt && evt.epoch === session?.epoch ? evt : null;
  const newStart = draftProblem.kind === 'function' ? functionStart(draftProblem) : null;
  const h = Math.round(Math.max(260, Math.min(480, width * 0.78)));
  const hasMap = !!shown;
  useEffect(() => {
    if (hasMap && !zm) void loadZoom().then(setZm);
  }, [hasMap, zm]);

  useEffect(() => {
    const el = svgRef.current;
    if (!el) return;
    const w = Math.max(240, width);
    const svg = d3.select(el).attr('width', w).attr('height', h).attr('viewBox', `0 0 ${w} ${h}`);
    if (!shown) {
      svg.selectAll('*').remove();
      return;
    }
    const { grid: G, f, g } = shown;
    const x0 = d3.scaleLinear().domain(shown.x).range([M.l, w - M.r]);
    const y0 = d3.scaleLinear().domain(shown.y).range([h - M.b, M.t]);
    // A newly drawn box (the worker's answer to a zoom) is the zoom's new reference: identity again.
    const boxKey = JSON.stringify([shown.x, shown.y, w, h]);
    if (zm && boxKey !== drawnBox.current) zm.resetZoom(el);
    drawnBox.current = boxKey;
    const dx = (shown.x[1] - shown.x[0]) / (G - 1);
    const dy = (shown.y[1] - shown.y[0]) / (G - 1);
    const levels = levelsOf(f);
    const top = levels.at(-1) ?? 1;
    const clean = (v: ArrayLike<number>) => Array.from(v, (z) => (Number.isFinite(z) ? z : top * 10));
    const gen = d3.contours().size([G, G]);
    const fc = gen.thresholds(levels)(clean(f));
    const gc = g ? gen.thresholds(levels)(clean(g)) : [];
    const below = g ? d3.contours().size([G, G]).thresholds([0])(Array.from(f, (fv, i) => (Number.isFinite(fv) && Number.isFinite(g[i]) ? fv - g[i] - (1e-6 * Math.abs(fv) + 1e-9) : 0))) : [];
    const color = runColor(shown.run);
    const runs = shown.paths.map((p, i) => {
      const pts = d3.range(p.points.length / 2).map((k) => [p.points[2 * k], p.points[2 * k + 1]] as [number, number]).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
      const sw = p.switches.map((s) => Math.round(s / p.stride)).filter((k) => k < pts.length).map((k) => pts[k]);
      return { i, pts, sw, markers: pts.length <= 400 };
    });
    let timer: d3.Timer | null = null;

    // Everything below is drawn with the zoom's current transform (identity but during a gesture and
    // until the worker answers for the zoomed box).
    const draw = (t: d3.ZoomTransform | null) => {
      const x = t ? t.rescaleX(x0) : x0;
      const y = t ? t.rescaleY(y0) : y0;
      svg.attr('data-x-domain', x.domain().join(',')).attr('data-y-domain', y.domain().join(','));
      // Contour coordinates put grid point k at k + ½: the polygons' runs along the grid's border land
      // half a cell outside the plot, where the clip hides them.
      const proj = d3.geoTransform({
        point(px, py) {
          this.stream.point(x(shown.x[0] + (px - 0.5) * dx), y(shown.y[0] + (py - 0.5) * dy));
        },
      });
      const path = d3.geoPath(proj);

      svg.selectAll('defs').data([0]).join('defs').selectAll('clipPath').data([0]).join('clipPath').attr('id', clipId)
        .selectAll('rect').data([0]).join('rect').attr('x', M.l).attr('y', M.t).attr('width', w - M.l - M.r).attr('height', h - M.t - M.b);
      const plot = svg.selectAll('g.plot').data([0]).join('g').attr('class', 'plot').attr('clip-path', `url(#${clipId})`);
      plot.selectAll('rect.bg').data([0]).join('rect').attr('class', 'bg').attr('x', M.l).attr('y', M.t)
        .attr('width', w - M.l - M.r).attr('height', h - M.t - M.b).attr('fill', '#fbfbfc');
      plot.selectAll('path.below').data(below).join('path').attr('class', 'below').attr('d', (d) => path(d) ?? '')
        .attr('fill', VIOLATION).attr('fill-opacity', 0.22).attr('stroke', 'none');
      plot.selectAll('path.fc').data(fc).join('path').attr('class', 'fc').attr('d', (d) => path(d) ?? '')
        .attr('fill', 'none').attr('stroke', INK).attr('stroke-opacity', phase === 'bowl' ? 0.18 : 0.38).attr('stroke-width', 1);
      plot.selectAll('path.gc').data(gc).join('path').attr('class', 'gc').attr('d', (d) => path(d) ?? '')
        .attr('fill', 'none').attr('stroke', color).attr('stroke-width', phase === 'bowl' ? 2.4 : 1.3).attr('stroke-dasharray', '5 3');

      // Paths: every run's iterates, with step markers while they are few enough to tell apart.
      const line = d3.line<[number, number]>().x((d) => x(d[0])).y((d) => y(d[1]));
      const pg = plot.selectAll('g.path').data(runs).join('g').attr('class', 'path').attr('data-run', (d) => d.i);
      pg.selectAll('path.trail').data((d) => [d]).join('path').attr('class', 'trail').attr('d', (d) => line(d.pts) ?? '')
        .attr('fill', 'none').attr('stroke', (d) => runColor(d.i)).attr('stroke-width', (d) => (d.i === shown.run ? 2 : 1.4)).attr('stroke-opacity', 0.9);
      pg.selectAll('circle.step').data((d) => (d.markers ? d.pts.map((p) => ({ p, i: d.i })) : [])).join('circle').attr('class', 'step')
        .attr('cx', (d) => x(d.p[0])).attr('cy', (d) => y(d.p[1])).attr('r', 2.4).attr('fill', (d) => runColor(d.i));
      pg.selectAll('path.switch').data((d) => d.sw.map((p) => ({ p, i: d.i }))).join('path').attr('class', 'switch')
        .attr('d', d3.symbol(d3.symbolDiamond, 70)).attr('transform', (d) => `translate(${x(d.p[0])},${y(d.p[1])})`)
        .attr('fill', '#fff').attr('stroke', (d) => runColor(d.i)).attr('stroke-width', 2);
      const starts = runs.filter((r) => r.pts.length).slice(0, 1);
      plot.selectAll('rect.start').data(starts).join('rect').attr('class', 'start').attr('x', (d) => x(d.pts[0][0]) - 5).attr('y', (d) => y(d.pts[0][1]) - 5)
        .attr('width', 10).attr('height', 10).attr('fill', '#fff').attr('stroke', INK).attr('stroke-width', 1.6);

      // θₜ, θₜ₊₁ and the step between them (the inspected run).
      const [tx, ty] = shown.theta;
      const next = shown.next && shown.next.every(Number.isFinite) ? shown.next : null;
      plot.selectAll('line.jump').data(next ? [next] : []).join('line').attr('class', 'jump')
        .attr('x1', x(tx)).attr('y1', y(ty)).attr('x2', (d) => x(d[0])).attr('y2', (d) => y(d[1]))
        .attr('stroke', color).attr('stroke-width', 1.6).attr('stroke-dasharray', '2 2');
      plot.selectAll('circle.next').data(next ? [next] : []).join('circle').attr('class', 'next').attr('cx', (d) => x(d[0])).attr('cy', (d) => y(d[1]))
        .attr('r', 5).attr('fill', '#fff').attr('stroke', color).attr('stroke-width', 2);
      const cur = plot.selectAll('circle.current').data(Number.isFinite(tx) && Number.isFinite(ty) ? [0] : []).join('circle').attr('class', 'current')
        .attr('r', 5.5).attr('fill', color).attr('stroke', '#fff').attr('stroke-width', 1.5);
      cur.attr('cx', x(tx)).attr('cy', y(ty));
      // The jump θₜ → θₜ₊₁ (d3.timer: selection.transition is not in the bundle's d3 build).
      timer?.stop();
      if (phase === 'jump' && next)
        timer = d3.timer((ms) => {
          const u = d3.easeCubicInOut(Math.min(1, ms / 800));
          cur.attr('cx', x(tx + u * (next[0] - tx))).attr('cy', y(ty + u * (next[1] - ty)));
          if (u >= 1) timer?.stop();
        });
      const pending = newStart && (newStart[0] !== runs[0]?.pts[0]?.[0] || newStart[1] !== runs[0]?.pts[0]?.[1]) ? [newStart] : [];
      plot.selectAll('path.newstart').data(pending).join('path').attr('class', 'newstart').attr('d', d3.symbol(d3.symbolCross, 90))
        .attr('transform', (d) => `translate(${x(d[0])},${y(d[1])})`).attr('fill', INK);

      svg.selectAll('g.axis-x').data([0]).join('g').attr('class', 'axis-x').attr('transform', `translate(0,${h - M.b})`)
        .call(d3.axisBottom(x).ticks(Math.max(3, Math.floor(w / 80))).tickSizeOuter(0) as never);
      svg.selectAll('g.axis-y').data([0]).join('g').attr('class', 'axis-y').attr('transform', `translate(${M.l},0)`)
        .call(d3.axisLeft(y).ticks(6).tickSizeOuter(0) as never);
      svg.selectAll('g.axis-x, g.axis-y').attr('font-family', FONT).attr('color', MUTED);
      svg.selectAll('text.xlabel').data([0]).join('text').attr('class', 'xlabel').attr('x', w - M.r).attr('y', h - 2)
        .attr('text-anchor', 'end').attr('fill', MUTED).attr('font-size', 11).attr('font-family', FONT).text('θ₁');
      svg.selectAll('text.ylabel').data([0]).join('text').attr('class', 'ylabel').attr('x', 4).attr('y', M.t + 8)
        .attr('fill', MUTED).attr('font-size', 11).attr('font-family', FONT).text('θ₂');
    };
    draw(zm ? zm.zoomOf(el) : null);

    // Wheel zooms, a drag pans (the map follows at once; the worker then recomputes the grid).
    zm?.installZoom(el, [[M.l, M.t], [w - M.r, h - M.b]], { onZoom: draw, onEnd: (t) => setContourBox(zm.boxAfter(t, x0, y0)) });

    // Click (without a drag): the clicked point becomes θ₀ (rounded to what the axes can show).
    svg.style('cursor', 'crosshair').on('click', (ev: MouseEvent) => {
      const [px, py] = d3.pointer(ev, el);
      if (px < M.l || px > w - M.r || py < M.t || py > h - M.b) return;
      const t = zm?.zoomOf(el);
      const [x, y] = t ? [t.rescaleX(x0), t.rescaleY(y0)] : [x0, y0];
      const [[a, b], [c, d]] = [x.domain(), y.domain()];
      const round = (v: number, span: number) => Number(v.toFixed(Math.max(0, 3 - Math.floor(Math.log10(span)))));
      const start: [number, number] = [round(x.invert(px), b - a), round(y.invert(py), d - c)];
      editDraft((d) => (d.problem.kind === 'function' ? { ...d, problem: { ...d.problem, start } } : d));
    });
    return () => {
      timer?.stop();
    };
  }, [shown, width, h, clipId, phase, zm, newStart?.[0], newStart?.[1]]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!isFunction) return null;

  const stepThrough = () => {
    timers.current.forEach(clearTimeout);
    pause();
    setPhase('bowl');
    timers.current = [
      setTimeout(() => setPhase('jump'), 900),
      setTimeout(() => {
        stepOnce();
        setPhase('idle');
      }, 1800),
    ];
  };
  const name = shown ? (summaries[shown.run]?.label ?? `run ${shown.run + 1}`) : '';
  const fit = () => {
    if (!shown || !zm) return;
    const b = zm.fitBox(shown.paths.map((p) => p.points), [shown.theta, shown.next], { x: shown.x, y: shown.y });
    if (b) setContourBox(b);
  };
  const actions = (
    <>
      <button type="button" className="small" onClick={fit} disabled={!shown || !zm} data-testid="contour-fit" title="Zoom the map to every run's path (wheel: zoom, drag: pan)">
        Fit paths
      </button>
      <button type="button" className="small" onClick={() => setContourBox(null)} disabled={!zoomBox} data-testid="contour-reset-zoom" title="Back to the function's own window">
        Reset zoom
      </button>
      <button type="button" className="small" onClick={stepThrough} disabled={!shown || !shown.g || phase !== 'idle'} data-testid="contour-step-through">
        Step through
      </button>
    </>
  );
  const subtitle = shown ? (
    <>
      <span className={`badge cert-${shown.certificate}`} data-testid="contour-certificate" data-certificate={shown.certificate}>
        {CERT[shown.certificate]}
      </span>{' '}
      <span className="muted small">
        {name} at step {shown.t}
        {summaries[shown.run] ? ` · f = ${fmt(summaries[shown.run].loss)}` : ''} · click the map to set θ₀, wheel / drag to zoom / pan
      </span>
    </>
  ) : null;

  return (
    <ChartCard title="Contour view" name="contour" svgRef={svgRef} actions={actions} subtitle={subtitle} className="wide">
      <div ref={wrap} className="chart-wrap" data-testid="contour-chart" data-phase={phase} data-step={shown?.t ?? -1} data-run={sel}>
        <svg ref={svgRef} role="img" aria-label="Contours of f with every run's path and the inspected run's surrogate g" />
        {!shown && <p className="chart-empty">{error ?? 'Computing the contour map…'}</p>}
      </div>
      {shown && (
        <p className="muted small contour-legend">
          <span className="swatch-line" /> f · <span className="swatch-dash" style={{ borderColor: runColor(shown.run) }} /> g(·|θₜ) of {name} ·{' '}
          <span className="swatch-box" /> g &lt; f · □ θ₀ · ◆ switch · ○ θₜ₊₁ — {shown.formula}
        </p>
      )}
    </ChartCard>
  );
}

