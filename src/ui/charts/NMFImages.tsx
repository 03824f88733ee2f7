/**
 * NMF pictures: the data V, the reconstruction WH (same colour scale), and the factors W (dictionary,
 * m×K) and H (activations, K×n). Values are shown on a log scale (spectrograms span decades).
 */
import * as d3 from 'd3';
import { useEffect, useRef, type RefObject } from 'react';
import type { Matrix, NMFView } from '../../worker/protocol';
import { FONT, INK, MUTED, useSize } from './hooks';
import { rasterUrl, rgb } from './raster';

interface Props {
  view: NMFView;
  svgRef: RefObject<SVGSVGElement | null>;
}

/** Largest side of a painted image: the panels are at most a few hundred pixels wide. */
export const MAX_IMAGE_SIDE = 256;

/**
 * m averaged over blocks down to at most `max` rows and columns (the matrix itself when it is small):
 * a 1024×1024 V is painted from 256×256 means, so the main thread never colours and PNG-encodes a
 * million pixels per update.
 */
export function downsample(m: Matrix, max = MAX_IMAGE_SIDE): Matrix {
  const [rows, cols] = m.shape;
  const fr = Math.ceil(rows / max);
  const fc = Math.ceil(cols / max);
  if (fr === 1 && fc === 1) return m;
  const R = Math.ceil(rows / fr);
  const C = Math.ceil(cols / fc);
  const sum = new Float64Array(R * C);
  const cnt = new Float64Array(R * C);
  for (let r = 0; r < rows; r++) {
    const o = Math.floor(r / fr) * C;
    for (let c = 0; c < cols; c++) {
      const k = o + Math.floor(c / fc);
      sum[k] += m.data[r * cols + c];
      cnt[k] += 1;
    }
  }
  const data = new Float32Array(R * C);
  for (let k = 0; k < data.length; k++) data[k] = sum[k] / cnt[k];
  return { shape: [R, C], data };
}

function logRange(ms: Matrix[]): [number, number] {
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

function image(m: Matrix, range: [number, number]): string {
  const [rows, cols] = m.shape;
  const scale = d3.scaleSequential(d3.interpolateMagma).domain(range);
  const lut = d3.range(256).map((i) => rgb(scale(range[0] + ((range[1] - range[0]) * i) / 255)));
  return rasterUrl(rows, cols, (r, c) => {
    const v = m.data[r * cols + c];
    const l = v > 0 ? Math.log10(v) : range[0];
    const t = Math.max(0, Math.min(255, Math.round(((l - range[0]) / (range[1] - range[0])) * 255)));
    const [R, G, B] = lut[t];
    return [R, G, B, 255];
  });
}

export function NMFImages({ view, svgRef }: Props) {
  const wrap = useRef<HTMLDivElement>(null);
  const width = useSize(wrap, 480);

  useEffect(() => {
    const el = svgRef.current;
    if (!el) return;
    const w = Math.max(260, width);
    const gap = 14;
    const [m, n] = view.V.shape;
    const K = view.W.shape[1];
    // Top row: V and WH side by side; bottom row: W (narrow) and H.
    const half = (w - gap) / 2;
    const imgH = Math.min(170, Math.max(80, (half * m) / n));
    const wW = Math.max(28, Math.min(80, K * 10));
    const hH = Math.max(36, Math.min(90, K * 12));
    const top = 18;
    const row2 = top + imgH + 30;
    const hTotal = row2 + Math.max(imgH, hH + 22) + 6;
    const svg = d3.select(el).attr('width', w).attr('height', hTotal).attr('viewBox', `0 0 ${w} ${hTotal}`);
    svg.selectAll('*').remove();
    const [V, WH, W, H] = [view.V, view.WH, view.W, view.H].map((x) => downsample(x));
    const vr = logRange([V, WH]);
    const shrunk = V !== view.V ? ` · shown as ${V.shape[0]}×${V.shape[1]} block means` : '';
    const panels = [
      { m: V, x: 0, y: top, w: half, h: imgH, label: `V (${m}×${n})`, range: vr },
      { m: WH, x: half + gap, y: top, w: half, h: imgH, label: 'WH', range: vr },
      { m: W, x: 0, y: row2, w: wW, h: imgH, label: `W (${m}×${K})`, range: logRange([W]) },
      { m: H, x: wW + gap, y: row2, w: w - wW - gap, h: hH, label: `H (${K}×${n})`, range: logRange([H]) },
    ];
    for (const p of panels) {
      const g = svg.append('g').attr('transform', `translate(${p.x},${p.y})`);
      g.append('image').attr('href', image(p.m, p.range)).attr('width', p.w).attr('height', p.h).attr('preserveAspectRatio', 'none')
        .style('image-rendering', 'pixelated');
      g.append('rect').attr('width', p.w).attr('height', p.h).attr('fill', 'none').attr('stroke', '#d0d4d9');
      g.append('text').attr('y', -5).attr('font-size', 11).attr('font-family', FONT).attr('fill', INK).text(p.label);
    }
    svg.append('text').attr('x', w).attr('y', row2 + hH + 16).attr('text-anchor', 'end').attr('font-size', 10).attr('font-family', FONT)
      .attr('fill', MUTED).text(`log₁₀ colour scale · β = ${view.beta}${shrunk}`);
  }, [view, width, svgRef]);

  return (
    <div ref={wrap} className="chart-wrap" data-testid="nmf-images">
      <svg ref={svgRef} role="img" aria-label="NMF: data V, reconstruction WH, factors W and H" />
    </div>
  );
}
