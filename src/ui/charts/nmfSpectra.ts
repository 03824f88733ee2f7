/**
 * W's columns drawn as spectra: one line per component k, W[·, k] against the row index (frequency bin
 * for a spectrogram, feature otherwise), on a shared linear axis — what each component "sounds like".
 */
import * as d3 from 'd3';
import type { Matrix } from '../../worker/protocol';
import { FONT, GRID, INK, MUTED } from './hooks';

type G = d3.Selection<SVGGElement, unknown, null, undefined>;

/** Component colours (distinct from the run colours). */
export const componentColor = (k: number): string => d3.schemeDark2[k % 8];

/** Components drawn as lines at most (more would be a tangle): the first ones, said in the caption. */
export const MAX_COMPONENT_LINES = 8;

export interface LinePanelSpec {
  w: number;
  h: number;
  title: string;
  xName: string;
}

export const LINE_MARGIN = { l: 50, r: 8, t: 24, b: 34 };

/** A linear y scale from 0 to the largest finite value of the first `cols` columns. */
function valueScale(W: Matrix, cols: number, range: [number, number]): d3.ScaleLinear<number, number> {
  const [m, K] = W.shape;
  let hi = 0;
  for (let i = 0; i < m; i++)
    for (let k = 0; k < cols; k++) {
      const v = W.data[i * K + k];
      if (Number.isFinite(v) && v > hi) hi = v;
    }
  return d3.scaleLinear().domain([0, hi > 0 ? hi : 1]).range(range).nice();
}

export function drawSpectra(g: G, W: Matrix, s: LinePanelSpec): void {
  const [m, K] = W.shape;
  const { l, r, t, b } = LINE_MARGIN;
  const iw = s.w - l - r;
  const ih = s.h - t - b;
  g.attr('data-chart', 'nmf-spectra');
  const shown = Math.min(K, MAX_COMPONENT_LINES);
  g.append('text').attr('x', l).attr('y', 12).attr('font-size', 12).attr('font-weight', 600).attr('font-family', FONT).attr('fill', INK)
    .text(`${s.title}${shown < K ? ` (first ${shown} of ${K})` : ''}`);
  const x = d3.scaleLinear().domain([0, Math.max(1, m - 1)]).range([l, l + iw]);
  const y = valueScale(W, shown, [t + ih, t]);
  g.append('g').selectAll('line').data(y.ticks(4)).join('line').attr('x1', l).attr('x2', l + iw).attr('y1', (d) => y(d)).attr('y2', (d) => y(d)).attr('stroke', GRID);
  g.append('g').attr('transform', `translate(${l},0)`).call(d3.axisLeft(y).ticks(4, '.2~g').tickSizeOuter(0)).attr('font-family', FONT).attr('color', MUTED);
  g.append('g').attr('transform', `translate(0,${t + ih})`).call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(iw / 70)), 'd').tickSizeOuter(0))
    .attr('font-family', FONT).attr('color', MUTED);
  g.append('text').attr('x', l + iw / 2).attr('y', s.h - 2).attr('text-anchor', 'middle').attr('font-size', 11).attr('font-family', FONT).attr('fill', MUTED).text(`${s.xName} →`);
  g.append('text').attr('transform', `translate(11,${t + ih / 2}) rotate(-90)`).attr('text-anchor', 'middle').attr('font-size', 11).attr('font-family', FONT)
    .attr('fill', MUTED).text('weight');
  const line = (k: number) =>
    d3.line<number>().defined((i) => Number.isFinite(W.data[i * K + k])).x((i) => x(i)).y((i) => y(W.data[i * K + k]))(d3.range(m)) ?? '';
  g.append('g').attr('class', 'spectra').selectAll('path').data(d3.range(shown)).join('path')
    .attr('d', (k) => line(k)).attr('fill', 'none').attr('stroke', (k) => componentColor(k)).attr('stroke-width', 1.4)
    .attr('data-component', (k) => k + 1);
}
