/**
 * Test images with the network's prediction under each: misclassified ones first (in red, with the
 * true label), then correct ones (in green). Pixels drawn as ink on paper (0 white, 1 black).
 */
import * as d3 from 'd3';
import { useEffect, useRef, type RefObject } from 'react';
import type { ImageViewsData } from '../../worker/protocol';
import { FONT, useSize } from './hooks';
import { rasterUrl } from './raster';

const WRONG = '#b8404f';
const RIGHT = '#2f7d4a';
const GAP = 8;
const CAPTION = 26;

function inkImage(px: Float32Array, rows: number, cols: number): string {
  return rasterUrl(rows, cols, (r, c) => {
    const v = Math.round(255 * (1 - Math.max(0, Math.min(1, px[r * cols + c]))));
    return [v, v, v, 255];
  });
}

export function ImageStrip({ views, label, svgRef }: { views: ImageViewsData; label: (k: number) => string; svgRef: RefObject<SVGSVGElement | null> }) {
  const wrap = useRef<HTMLDivElement>(null);
  const width = useSize(wrap, 900);
  const { truth, predicted, pixels } = views.strip;
  const n = truth.length;
  const wrong = d3.range(n).filter((i) => truth[i] !== predicted[i]).length;
  useEffect(() => {
    const el = svgRef.current;
    if (!el) return;
    const { rows, cols } = views;
    const d = rows * cols;
    const cell = Math.max(40, Math.min(64, Math.floor(width / 12) - GAP));
    const per = Math.max(1, Math.floor((width + GAP) / (cell + GAP)));
    const lines = Math.ceil(n / per);
    const w = Math.min(n, per) * (cell + GAP);
    const h = lines * (cell + CAPTION + 4);
    const svg = d3.select(el).attr('width', w).attr('height', h).attr('viewBox', `0 0 ${w} ${h}`);
    const items = d3.range(n).map((i) => ({ i, t: truth[i], p: predicted[i], href: inkImage(pixels.subarray(i * d, (i + 1) * d), rows, cols) }));
    const g = svg.selectAll('g.sample').data(items).join((enter) => {
      const e = enter.append('g').attr('class', 'sample');
      e.append('image').attr('preserveAspectRatio', 'none').style('image-rendering', 'pixelated');
      e.append('rect').attr('fill', 'none').attr('stroke-width', 2);
      e.append('text').attr('class', 'pred').attr('text-anchor', 'middle').attr('font-family', FONT).attr('font-size', 11).attr('font-weight', 600);
      e.append('text').attr('class', 'truth').attr('text-anchor', 'middle').attr('font-family', FONT).attr('font-size', 9);
      return e;
    });
    g.attr('data-pred', (s) => s.p).attr('data-true', (s) => s.t).attr('data-correct', (s) => String(s.p === s.t))
      .attr('transform', (s) => `translate(${(s.i % per) * (cell + GAP) + GAP / 2},${Math.floor(s.i / per) * (cell + CAPTION + 4)})`);
    g.select('image').attr('href', (s) => s.href).attr('width', cell).attr('height', cell);
    g.select('rect').attr('width', cell).attr('height', cell).attr('stroke', (s) => (s.p === s.t ? '#d5dbe1' : WRONG));
    g.select('text.pred').attr('x', cell / 2).attr('y', cell + 12).attr('fill', (s) => (s.p === s.t ? RIGHT : WRONG)).text((s) => `${s.p === s.t ? '✓' : '✗'} ${label(s.p)}`);
    g.select('text.truth').attr('x', cell / 2).attr('y', cell + 23).attr('fill', WRONG).text((s) => (s.p === s.t ? '' : `true ${label(s.t)}`));
  }, [views, width, svgRef, label, n, truth, predicted, pixels]);
  return (
    <div ref={wrap} className="chart-wrap" data-testid="image-strip" data-images={n} data-wrong={wrong}>
      <svg ref={svgRef} role="img" aria-label="Test images with the predicted label (and the true one when wrong)" />
    </div>
  );
}
