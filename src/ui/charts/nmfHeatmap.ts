/**
 * One NMF heatmap (V or WH): the matrix on a log₁₀ magma scale, row index down the left axis, column
 * index along the bottom, each axis named (frequency bin / time frame for a spectrogram, feature /
 * sample otherwise), and a colour bar with the values it stands for.
 */
import * as d3 from 'd3';
import type { Matrix } from '../../worker/protocol';
import { FONT, INK, MUTED } from './hooks';
import { rasterUrl, rgb } from './raster';

type G = d3.Selection<SVGGElement, unknown, null, undefined>;

/** [lo, hi] of log₁₀ of the positive finite entries (at most 6 decades below the top). */
export function logRange(ms: Matrix[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const m of ms)
    for (const v of m.data)
      if (v > 0 && Number.isFinite(v)) {
        const l = Math.log10(v);
        if (l < lo) lo = l;
        if (l > hi) hi = l;
      }
  if (!Number.isFinite(lo)) return [0, 1];
  return [Math.max(lo, hi - 6), hi === lo ? hi + 1 : hi];
}

const colour = (range: [number, number]) => d3.scaleSequential(d3.interpolateMagma).domain(range);

function image(m: Matrix, range: [number, number]): string {
  const [rows, cols] = m.shape;
  const scale = colour(range);
  const lut = d3.range(256).map((i) => rgb(scale(range[0] + ((range[1] - range[0]) * i) / 255)));
  return rasterUrl(rows, cols, (r, c) => {
    const v = m.data[r * cols + c];
    const l = v > 0 ? Math.log10(v) : range[0];
    const t = Math.max(0, Math.min(255, Math.round(((l - range[0]) / (range[1] - range[0])) * 255)));
    const [R, G, B] = lut[t];
    return [R, G, B, 255];
  });
}

/** 10^k as a short label: 0.01, 1, 100, 1e4. */
export const powLabel = (k: number): string => {
  const v = 10 ** k;
  return Math.abs(k) >= 3 ? `1e${Math.round(k)}` : String(+v.toPrecision(3));
};

export interface HeatmapSpec {
  m: Matrix;
  /** Rows and columns of the full matrix (the painted one may be block means). */
  shape: [number, number];
  w: number;
  h: number;
  range: [number, number];
  title: string;
  rowName: string;
  colName: string;
}

/** Margins a heatmap needs around its image: axis ticks and names. */
export const HEATMAP_MARGIN = { l: 44, t: 24, b: 34 };

export function drawHeatmap(g: G, s: HeatmapSpec): void {
  const { l, t } = HEATMAP_MARGIN;
  g.attr('data-chart', 'nmf-heatmap');
  g.append('text').attr('x', l).attr('y', 12).attr('font-size', 12).attr('font-weight', 600).attr('font-family', FONT).attr('fill', INK).text(s.title);
  g.append('image').attr('x', l).attr('y', t).attr('href', image(s.m, s.range)).attr('width', s.w).attr('height', s.h)
    .attr('preserveAspectRatio', 'none').style('image-rendering', 'pixelated');
  g.append('rect').attr('x', l).attr('y', t).attr('width', s.w).attr('height', s.h).attr('fill', 'none').attr('stroke', '#d0d4d9');
  const y = d3.scaleLinear().domain([0, s.shape[0]]).range([t, t + s.h]);
  const x = d3.scaleLinear().domain([0, s.shape[1]]).range([l, l + s.w]);
  g.append('g').attr('transform', `translate(${l},0)`).call(d3.axisLeft(y).ticks(Math.max(2, Math.floor(s.h / 40)), 'd').tickSizeOuter(0))
    .attr('font-family', FONT).attr('color', MUTED);
  g.append('g').attr('transform', `translate(0,${t + s.h})`).call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(s.w / 60)), 'd').tickSizeOuter(0))
    .attr('font-family', FONT).attr('color', MUTED);
  g.append('text').attr('class', 'axis-name').attr('transform', `translate(11,${t + s.h / 2}) rotate(-90)`).attr('text-anchor', 'middle')
    .attr('font-size', 11).attr('font-family', FONT).attr('fill', MUTED).text(`${s.rowName} ↓`);
  g.append('text').attr('class', 'axis-name').attr('x', l + s.w / 2).attr('y', t + s.h + 30).attr('text-anchor', 'middle')
    .attr('font-size', 11).attr('font-family', FONT).attr('fill', MUTED).text(`${s.colName} →`);
}

/** A vertical colour bar for `range` (log₁₀ values), labelled with the values themselves. */
export function drawColourBar(g: G, range: [number, number], h: number, caption: string): void {
  g.attr('data-chart', 'nmf-colour-bar');
  const id = `cbar-${Math.random().toString(36).slice(2, 8)}`;
  const scale = colour(range);
  const grad = g.append('defs').append('linearGradient').attr('id', id).attr('x1', 0).attr('x2', 0).attr('y1', 1).attr('y2', 0);
  d3.range(11).forEach((i) => grad.append('stop').attr('offset', i / 10).attr('stop-color', scale(range[0] + ((range[1] - range[0]) * i) / 10)));
  g.append('rect').attr('y', HEATMAP_MARGIN.t).attr('width', 12).attr('height', h).attr('fill', `url(#${id})`).attr('stroke', '#d0d4d9');
  const y = d3.scaleLinear().domain(range).range([HEATMAP_MARGIN.t + h, HEATMAP_MARGIN.t]);
  const ticks = d3.range(Math.ceil(range[0]), Math.floor(range[1]) + 1);
  const step = Math.max(1, Math.ceil(ticks.length / Math.max(2, Math.floor(h / 28))));
  g.append('g').attr('transform', 'translate(12,0)')
    .call(d3.axisRight(y).tickValues(ticks.filter((_, i) => i % step === 0)).tickFormat((k) => powLabel(Number(k))).tickSizeOuter(0))
    .attr('font-family', FONT).attr('color', MUTED);
  g.append('text').attr('x', 0).attr('y', 12).attr('font-size', 11).attr('font-family', FONT).attr('fill', MUTED).text(caption);
}
