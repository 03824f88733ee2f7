/**
 * H's rows drawn as activations over time: one lane per component k (same colour as its spectrum),
 * H[k, ·] against the column index (time frame for a spectrogram, sample otherwise), each lane scaled
 * to its own maximum and labelled with it — when each component is "on".
 */
import * as d3 from 'd3';
import type { Matrix } from '../../worker/protocol';
import { FONT, INK, MUTED } from './hooks';
import { componentColor, LINE_MARGIN, MAX_COMPONENT_LINES, type LinePanelSpec } from './nmfSpectra';

type G = d3.Selection<SVGGElement, unknown, null, undefined>;

export function drawActivations(g: G, H: Matrix, s: LinePanelSpec): void {
  const [K, n] = H.shape;
  const { l, r, t, b } = LINE_MARGIN;
  const iw = s.w - l - r;
  const ih = s.h - t - b;
  const shown = Math.min(K, MAX_COMPONENT_LINES);
  const lane = ih / shown;
  g.attr('data-chart', 'nmf-activations');
  g.append('text').attr('x', l).attr('y', 12).attr('font-size', 12).attr('font-weight', 600).attr('font-family', FONT).attr('fill', INK)
    .text(`${s.title}${shown < K ? ` (first ${shown} of ${K})` : ''}`);
  const x = d3.scaleLinear().domain([0, Math.max(1, n - 1)]).range([l, l + iw]);
  g.append('g').attr('transform', `translate(0,${t + ih})`).call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(iw / 70)), 'd').tickSizeOuter(0))
    .attr('font-family', FONT).attr('color', MUTED);
  g.append('text').attr('x', l + iw / 2).attr('y', s.h - 2).attr('text-anchor', 'middle').attr('font-size', 11).attr('font-family', FONT).attr('fill', MUTED).text(`${s.xName} →`);
  const lanes = g.append('g').attr('class', 'activations');
  for (let k = 0; k < shown; k++) {
    const row = H.data.subarray(k * n, (k + 1) * n);
    const max = d3.max(row, (v) => (Number.isFinite(v) ? v : 0)) || 1;
    const y0 = t + (k + 1) * lane;
    const y = d3.scaleLinear().domain([0, max]).range([y0 - 1, y0 - lane + 3]);
    const area = d3.area<number>().x((i) => x(i)).y0(y0 - 1).y1((i) => y(Number.isFinite(row[i]) ? row[i] : 0))(d3.range(n)) ?? '';
    const c = componentColor(k);
    lanes.append('line').attr('x1', l).attr('x2', l + iw).attr('y1', y0 - 0.5).attr('y2', y0 - 0.5).attr('stroke', '#e6e8eb');
    lanes.append('path').attr('d', area).attr('fill', c).attr('fill-opacity', 0.25).attr('stroke', c).attr('stroke-width', 1.1).attr('data-component', k + 1);
    lanes.append('text').attr('x', l - 4).attr('y', y0 - lane / 2).attr('dy', '0.32em').attr('text-anchor', 'end').attr('font-size', 10)
      .attr('font-family', FONT).attr('fill', c).text(`k=${k + 1}`);
    if (lane >= 18)
      lanes.append('text').attr('x', l + iw).attr('y', y0 - lane + 9).attr('text-anchor', 'end').attr('font-size', 9).attr('font-family', FONT)
        .attr('fill', MUTED).text(`max ${d3.format('.3~g')(max)}`);
  }
}
