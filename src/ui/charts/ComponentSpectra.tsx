/**
 * An audio NMF's components in physical units: W's columns as spectra against frequency (Hz, linear or
 * log axis; each column in dB below its own peak, floor −60 dB) and H's rows as activations against
 * time (s, frame t centred at t·hop/sampleRate), one lane per component, coloured as in the players.
 */
import * as d3 from 'd3';
import { useEffect, useRef, type RefObject } from 'react';
import type { AudioEvt } from '../../worker/protocol';
import { FONT, INK, MUTED, useSize } from './hooks';
import { componentColor } from './nmfSpectra';

const LANE = 34;
const M = { l: 40, r: 10, t: 20, b: 34 };
const FLOOR_DB = -60;

export function ComponentSpectra({ evt, logFreq, svgRef }: { evt: AudioEvt; logFreq: boolean; svgRef: RefObject<SVGSVGElement | null> }) {
  const wrap = useRef<HTMLDivElement>(null);
  const width = useSize(wrap);
  useEffect(() => {
    const el = svgRef.current;
    if (!el) return;
    const K = evt.rank;
    const [bins] = evt.W.shape;
    const frames = evt.H.shape[1];
    const w = Math.max(320, width);
    const half = w < 640 ? w : w / 2;
    const h = M.t + K * LANE + M.b;
    const total = w < 640 ? 2 * h : h;
    const svg = d3.select(el).attr('width', w).attr('height', total).attr('viewBox', `0 0 ${w} ${total}`);
    svg.selectAll('*').remove();
    const nyq = (bins - 1) * evt.hzPerBin;
    const panel = (i: number) => svg.append('g').attr('transform', w < 640 ? `translate(0,${i * h})` : `translate(${i * half},0)`);
    const iw = half - M.l - M.r;

    // W: spectra
    const gw = panel(0).attr('data-chart', 'component-spectra');
    const fx = (logFreq ? d3.scaleLog().domain([Math.max(evt.hzPerBin, 20), nyq]) : d3.scaleLinear().domain([0, nyq])).range([M.l, M.l + iw]).clamp(true);
    const b0 = logFreq ? Math.max(1, Math.ceil(20 / evt.hzPerBin)) : 0;
    title(gw, `W: each component's spectrum (dB below its peak)`);
    axis(gw, fx, h, logFreq ? 'frequency (Hz, log scale) →' : 'frequency (Hz) →', iw, logFreq ? '~s' : '~s');
    for (let k = 0; k < K; k++) {
      const col = Float64Array.from({ length: bins }, (_, b) => evt.W.data[b * K + k]);
      const max = d3.max(col) || 1;
      const y0 = M.t + (k + 1) * LANE;
      const y = d3.scaleLinear().domain([FLOOR_DB, 0]).range([y0 - 1, y0 - LANE + 3]).clamp(true);
      const db = (b: number) => (col[b] > 0 ? 10 * Math.log10(col[b] / max) : FLOOR_DB);
      lane(gw, k, y0, iw, d3.area<number>().x((b) => fx(Math.max(b * evt.hzPerBin, logFreq ? 20 : 0))).y0(y0 - 1).y1((b) => y(db(b)))(d3.range(b0, bins)) ?? '');
    }

    // H: activations
    const gh = panel(1).attr('data-chart', 'component-activations');
    const tx = d3.scaleLinear().domain([0, Math.max(1, frames - 1) * evt.secondsPerFrame]).range([M.l, M.l + iw]);
    title(gh, 'H: when each component sounds');
    axis(gh, tx, h, 'time (s) →', iw, '~g');
    for (let k = 0; k < K; k++) {
      const row = evt.H.data.subarray(k * frames, (k + 1) * frames);
      const max = d3.max(row) || 1;
      const y0 = M.t + (k + 1) * LANE;
      const y = d3.scaleLinear().domain([0, max]).range([y0 - 1, y0 - LANE + 3]);
      lane(gh, k, y0, iw, d3.area<number>().x((t) => tx(t * evt.secondsPerFrame)).y0(y0 - 1).y1((t) => y(row[t]))(d3.range(frames)) ?? '');
    }
  }, [evt, logFreq, width, svgRef]);
  return (
    <div ref={wrap} className="chart-wrap" data-testid="component-spectra">
      <svg ref={svgRef} role="img" aria-label="NMF components: spectra against frequency and activations against time" />
    </div>
  );
}

type G = d3.Selection<SVGGElement, unknown, null, undefined>;

function title(g: G, text: string): void {
  g.append('text').attr('x', M.l).attr('y', 12).attr('font-size', 12).attr('font-weight', 600).attr('font-family', FONT).attr('fill', INK).text(text);
}

function axis(g: G, x: d3.ScaleContinuousNumeric<number, number>, h: number, name: string, iw: number, format: string): void {
  g.append('g').attr('transform', `translate(0,${h - M.b})`).call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(iw / 70)), format).tickSizeOuter(0))
    .attr('font-family', FONT).attr('color', MUTED);
  g.append('text').attr('x', M.l + iw / 2).attr('y', h - 4).attr('text-anchor', 'middle').attr('font-size', 11).attr('font-family', FONT).attr('fill', MUTED).text(name);
}

function lane(g: G, k: number, y0: number, iw: number, d: string): void {
  const c = componentColor(k);
  g.append('line').attr('x1', M.l).attr('x2', M.l + iw).attr('y1', y0 - 0.5).attr('y2', y0 - 0.5).attr('stroke', '#e6e8eb');
  g.append('path').attr('d', d).attr('fill', c).attr('fill-opacity', 0.25).attr('stroke', c).attr('stroke-width', 1.1).attr('data-component', k + 1);
  g.append('text').attr('x', M.l - 4).attr('y', y0 - LANE / 2).attr('dy', '0.32em').attr('text-anchor', 'end').attr('font-size', 10).attr('font-family', FONT).attr('fill', c).text(`k=${k + 1}`);
}
