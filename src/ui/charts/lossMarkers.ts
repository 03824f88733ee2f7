/**
 * Markers on the loss chart. An algorithm switch is a dotted line across the plot labelled "→ SGD";
 * a hyper-parameter change (same algorithm, state kept) is a short dashed tick across the run's curve
 * labelled "lr 0.01→0.003"; a divergence is a red cross. A switch still ahead (a link's schedule, shown
 * before Start) is a hollow triangle on the x axis at its step. Each marker carries an SVG <title> with
 * the whole story for hover.
 */
import * as d3 from 'd3';
import { ALGORITHM_SPECS } from '../../core/algorithms/spec-registry';
import { changeLabel, hyperChanges } from '../hyperDiff';
import { isHyperChange, type LiveRun, type SwitchMark } from '../live';
import { FONT, runColor } from './hooks';

export const SWITCH_DASH = '2 3';
export const HYPER_DASH = '4 2';
const BAD = '#c62828';

interface Ctx {
  svg: d3.Selection<SVGSVGElement, unknown, null, undefined>;
  runs: LiveRun[];
  /** x pixel of a run's step (step or wall-time axis). */
  atX: (r: LiveRun, step: number) => number;
  /** y pixel of a loss, or null when it cannot be drawn (non-finite, ≤ 0 on a log axis). */
  atY: (loss: number) => number | null;
  top: number;
  bottom: number;
  right: number;
  yhi: number;
}

const algLabel = (id: string): string => ALGORITHM_SPECS[id]?.label ?? id;

function describe(r: LiveRun, s: SwitchMark): string {
  if (isHyperChange(s)) {
    const c = s.fromHyper && s.hyper ? hyperChanges(s.fromHyper, s.hyper).join(', ') : 'new hyper-parameters';
    return `${r.label}, after step ${s.at}: ${c || 'same hyper-parameters'} (${algLabel(s.to)} keeps its state)`;
  }
  return `${r.label}, after step ${s.at}: ${algLabel(s.from)} → ${algLabel(s.to)} (θ kept, new state)`;
}

/** Which kinds of marker the runs have shown so far (for the legend). */
export function markerKinds(runs: LiveRun[]): { switch: boolean; hyper: boolean } {
  const seen = (hyper: boolean) => runs.some((r) => r.switches.some((s) => s.at > 0 && s.at <= r.buffer.last('step') && isHyperChange(s) === hyper));
  return { switch: seen(false), hyper: seen(true) };
}

/** Switches not reached yet: the schedule ahead of each run. */
export function pendingSwitches(runs: LiveRun[]): { i: number; r: LiveRun; s: SwitchMark }[] {
  return runs.flatMap((r, i) => r.switches.filter((s) => s.at > Math.max(0, r.buffer.last('step') || 0)).map((s) => ({ i, r, s })));
}

/** Hollow triangles on the x axis at the steps of switches still ahead (step axis only). */
export function drawScheduled(ctx: Pick<Ctx, 'svg' | 'runs' | 'bottom'>, x: ((step: number) => number) | null): void {
  const items = x ? pendingSwitches(ctx.runs).map((d) => ({ ...d, x: x(d.s.at) })).filter((d) => Number.isFinite(d.x)) : [];
  const g = ctx.svg.selectAll('g.scheduled').data([0]).join('g').attr('class', 'scheduled')
    .selectAll('g.scheduled-marker').data(items).join('g').attr('class', 'scheduled-marker')
    .attr('data-run', (d) => d.i).attr('data-step', (d) => d.s.at);
  g.selectAll('title').data((d) => [d]).join('title').text((d) => `Scheduled — ${describe(d.r, d.s)}`);
  g.selectAll('path').data((d) => [d]).join('path')
    .attr('d', (d) => `M${d.x},${ctx.bottom - 1}l-5,-9h10z`).attr('fill', '#fff').attr('stroke', (d) => runColor(d.i)).attr('stroke-width', 1.6);
  // Labels stay inside the plot: anchored at their start near the left edge, at their end near the right.
  const w = Number(ctx.svg.attr('width')) || 600;
  const anchor = (x: number) => (x < 160 ? 'start' : x > w - 160 ? 'end' : 'middle');
  const lx = (x: number) => (x < 160 ? x - 5 : x > w - 160 ? x + 5 : x);
  g.selectAll('text').data((d) => [d]).join('text').attr('x', (d) => lx(d.x)).attr('y', (d) => ctx.bottom - 14 - 12 * d.i).attr('text-anchor', (d) => anchor(d.x))
    .attr('font-size', 10).attr('font-family', FONT).attr('fill', (d) => runColor(d.i))
    .attr('stroke', '#fff').attr('stroke-width', 3).attr('paint-order', 'stroke')
    .text((d) => (isHyperChange(d.s) ? `after ${d.s.at}: ${d.s.fromHyper && d.s.hyper ? changeLabel(d.s.fromHyper, d.s.hyper) : 'new hyper'}` : `after ${d.s.at}: → ${algLabel(d.s.to)}`));
}

export function drawMarkers({ svg, runs, atX, atY, top, bottom, right, yhi }: Ctx): void {
  // Only switches already reached: a scheduled one ahead of the run is not on the chart yet.
  const due = runs.flatMap((r, i) => r.switches.filter((s) => s.at > 0 && s.at <= r.buffer.last('step')).map((s) => ({ i, r, s, x: atX(r, s.at) })));
  const switches = due.filter((d) => !isHyperChange(d.s));
  const sw = svg.selectAll('g.switches').data([0]).join('g').attr('class', 'switches')
    .selectAll('g.switch-marker').data(switches).join('g').attr('class', 'switch-marker')
    .attr('data-run', (d) => d.i).attr('data-step', (d) => d.s.at);
  sw.selectAll('title').data((d) => [d]).join('title').text((d) => describe(d.r, d.s));
  sw.selectAll('line').data((d) => [d]).join('line').attr('x1', (d) => d.x).attr('x2', (d) => d.x).attr('y1', top).attr('y2', bottom)
    .attr('stroke', (d) => runColor(d.i)).attr('stroke-dasharray', SWITCH_DASH).attr('stroke-width', 1.2);
  sw.selectAll('text').data((d) => [d]).join('text').attr('x', (d) => d.x + 3).attr('y', (d) => top + 10 + 12 * d.i)
    .attr('font-size', 10).attr('font-family', FONT).attr('fill', (d) => runColor(d.i))
    .text((d) => `→ ${algLabel(d.s.to)}`);

  const hypers = due.filter((d) => isHyperChange(d.s)).map((d, k) => {
    const j = d.r.buffer.nearest(d.s.at);
    const cy = atY(j >= 0 ? d.r.buffer.loss[j] : NaN) ?? top + 24;
    const label = d.s.fromHyper && d.s.hyper ? changeLabel(d.s.fromHyper, d.s.hyper) : 'new hyper-parameters';
    // Labels above the curve, alternating below for successive changes of one run.
    const above = k % 2 === 0 || cy + 34 > bottom;
    const ly = above ? Math.max(top + 9, cy - 20) : cy + 28;
    const anchor = d.x > right - 90 ? 'end' : 'start';
    return { ...d, cy, label, ly, anchor, lx: anchor === 'end' ? d.x - 3 : d.x + 3 };
  });
  const hm = svg.selectAll('g.hypers').data([0]).join('g').attr('class', 'hypers')
    .selectAll('g.hyper-marker').data(hypers).join('g').attr('class', 'hyper-marker')
    .attr('data-run', (d) => d.i).attr('data-step', (d) => d.s.at).attr('data-label', (d) => d.label);
  hm.selectAll('title').data((d) => [d]).join('title').text((d) => describe(d.r, d.s));
  hm.selectAll('line').data((d) => [d]).join('line').attr('x1', (d) => d.x).attr('x2', (d) => d.x)
    .attr('y1', (d) => Math.max(top, d.cy - 16)).attr('y2', (d) => Math.min(bottom, d.cy + 16))
    .attr('stroke', (d) => runColor(d.i)).attr('stroke-dasharray', HYPER_DASH).attr('stroke-width', 2.2);
  hm.selectAll('text').data((d) => [d]).join('text').attr('x', (d) => d.lx).attr('y', (d) => d.ly).attr('text-anchor', (d) => d.anchor)
    .attr('font-size', 10.5).attr('font-weight', 600).attr('font-family', FONT).attr('fill', (d) => runColor(d.i))
    .attr('stroke', '#fff').attr('stroke-width', 3).attr('stroke-linejoin', 'round').attr('paint-order', 'stroke')
    .text((d) => d.label);

  const div = runs.flatMap((r, i) => {
    if (r.divergedAt === null) return [];
    const b = r.buffer;
    let j = b.length - 1;
    while (j > 0 && !Number.isFinite(b.loss[j])) j--;
    return [{ i, x: atX(r, r.divergedAt), y: atY(b.loss[j]) ?? atY(yhi) ?? top, at: r.divergedAt }];
  });
  const dv = svg.selectAll('g.divs').data([0]).join('g').attr('class', 'divs')
    .selectAll('g.divergence-marker').data(div).join('g').attr('class', 'divergence-marker').attr('data-step', (d) => d.at);
  dv.selectAll('path').data((d) => [d]).join('path')
    .attr('d', (d) => `M${d.x - 5},${d.y - 5}L${d.x + 5},${d.y + 5}M${d.x - 5},${d.y + 5}L${d.x + 5},${d.y - 5}`)
    .attr('stroke', BAD).attr('stroke-width', 2.2);
  dv.selectAll('text').data((d) => [d]).join('text').attr('x', (d) => d.x - 6).attr('y', (d) => d.y - 8).attr('text-anchor', 'end')
    .attr('font-size', 10).attr('font-family', FONT).attr('fill', BAD).text((d) => `diverged at ${d.at}`);
}

/** The step the scrubber shows (views at a past step): a solid grey line labelled "step k shown"; none when live. */
export function drawScrubMark(ctx: Pick<Ctx, 'svg' | 'top' | 'bottom'>, mark: { x: number; step: number } | null): void {
  const items = mark && Number.isFinite(mark.x) ? [mark] : [];
  const g = ctx.svg.selectAll('g.scrub').data([0]).join('g').attr('class', 'scrub')
    .selectAll('g.scrub-marker').data(items).join('g').attr('class', 'scrub-marker').attr('data-step', (d) => d.step);
  g.selectAll('line').data((d) => [d]).join('line').attr('x1', (d) => d.x).attr('x2', (d) => d.x).attr('y1', ctx.top).attr('y2', ctx.bottom)
    .attr('stroke', '#5b6470').attr('stroke-width', 1.5);
  g.selectAll('text').data((d) => [d]).join('text').attr('x', (d) => d.x + 4).attr('y', ctx.bottom - 6)
    .attr('font-size', 10).attr('font-family', FONT).attr('fill', '#5b6470').attr('stroke', '#fff').attr('stroke-width', 3).attr('paint-order', 'stroke')
    .text((d) => `step ${d.step} shown`);
}
