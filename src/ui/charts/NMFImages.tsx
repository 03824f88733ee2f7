/**
 * The NMF picture, in one svg (so SVG/PNG exports carry all of it): the data V and the reconstruction
 * WH as heatmaps on one log colour scale with named axes and a colour bar; W's columns as spectra (line
 * plots) and H's rows as activations over time. Axis names follow the data: frequency bin / time frame
 * for a spectrogram, feature / sample otherwise. Two columns when there is room, one on a phone.
 */
import * as d3 from 'd3';
import { useEffect, useRef, type RefObject } from 'react';
import type { Matrix, NMFView } from '../../worker/protocol';
import { FONT, MUTED, useSize } from './hooks';
import { drawActivations } from './nmfActivations';
import { drawColourBar, drawHeatmap, HEATMAP_MARGIN, logRange } from './nmfHeatmap';
import { drawSpectra } from './nmfSpectra';
import { drawParts, partsGrid } from './NMFParts';

interface Props {
  view: NMFView;
  svgRef: RefObject<SVGSVGElement | null>;
  /** How V was made: names the axes. */
  dataKind: 'spectrogram' | 'synthetic' | 'explicit' | 'images';
  /** V's columns are images of this size: W's columns are drawn as images (NMFParts), not spectra. */
  image?: [number, number];
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

/** Axis names for V's rows and columns. */
export function nmfAxisNames(dataKind: Props['dataKind']): { rows: string; cols: string } {
  return dataKind === 'spectrogram' ? { rows: 'frequency bin', cols: 'time frame' } : dataKind === 'images' ? { rows: 'pixel', cols: 'image' } : { rows: 'feature', cols: 'sample' };
}

const BAR_W = 56;

export function NMFImages({ view, svgRef, dataKind, image }: Props) {
  const wrap = useRef<HTMLDivElement>(null);
  const width = useSize(wrap, 480);

  useEffect(() => {
    const el = svgRef.current;
    if (!el) return;
    const w = Math.max(280, width);
    const two = w >= 640;
    const gap = 18;
    const [m, n] = view.V.shape;
    const K = view.W.shape[1];
    const names = nmfAxisNames(dataKind);
    const colW = two ? (w - gap) / 2 : w;
    // V and WH share one colour bar, to the right of WH (two columns) or of each image (one column).
    const imgW = colW - HEATMAP_MARGIN.l - (two ? 0 : BAR_W);
    const imgWH = two ? imgW - BAR_W : imgW;
    const imgH = Math.round(Math.min(220, Math.max(110, (imgWH * m) / n)));
    const heatH = HEATMAP_MARGIN.t + imgH + HEATMAP_MARGIN.b;
    const partsH = image ? partsGrid(K, colW, image).height : 0;
    const lineH = Math.max(170, Math.min(260, 40 + Math.min(K, 8) * 26), partsH);
    const rows = two ? [0, heatH + 16] : [0, heatH + 12, 2 * (heatH + 12), 2 * (heatH + 12) + lineH + 12];
    const hTotal = (two ? rows[1] + lineH : rows[3] + lineH) + 36;
    const svg = d3.select(el).attr('width', w).attr('height', hTotal).attr('viewBox', `0 0 ${w} ${hTotal}`);
    svg.selectAll('*').remove();
    const [V, WH] = [view.V, view.WH].map((x) => downsample(x));
    const H = downsample(view.H, 512);
    const vr = logRange([V, WH]);
    const shrunk = V !== view.V ? ` · images show ${V.shape[0]}×${V.shape[1]} block means` : '';
    const at = (x: number, y: number) => svg.append('g').attr('transform', `translate(${x},${y})`);
    const heat = (x: number, y: number, mm: Matrix, title: string, iw: number) =>
      drawHeatmap(at(x, y), { m: mm, shape: [m, n], w: iw, h: imgH, range: vr, title, rowName: names.rows, colName: names.cols });
    const bar = (x: number, y: number) => drawColourBar(at(x, y), vr, imgH, 'value');
    if (two) {
      heat(0, rows[0], V, `V — the data (${m}×${n})`, imgW);
      heat(colW + gap, rows[0], WH, `WH — the reconstruction (rank ${K})`, imgWH);
      bar(colW + gap + HEATMAP_MARGIN.l + imgWH + 8, rows[0]);
      if (image) drawParts(at(0, rows[1]), view.W, { w: colW, image, title: `W — ${K} parts (columns of W as ${image[0]}×${image[1]} images, β = ${view.beta})` });
      else drawSpectra(at(0, rows[1]), view.W, { w: colW, h: lineH, title: `W — ${K} spectra (columns of W, ${m}×${K})`, xName: names.rows });
      drawActivations(at(colW + gap, rows[1]), H, { w: colW, h: lineH, title: `H — activations over ${names.cols}s (rows of H, ${K}×${n})`, xName: names.cols });
    } else {
      heat(0, rows[0], V, `V — the data (${m}×${n})`, imgW);
      bar(HEATMAP_MARGIN.l + imgW + 8, rows[0]);
      heat(0, rows[1], WH, `WH — the reconstruction (rank ${K})`, imgW);
      bar(HEATMAP_MARGIN.l + imgW + 8, rows[1]);
      if (image) drawParts(at(0, rows[2]), view.W, { w: colW, image, title: `W — ${K} parts (${image[0]}×${image[1]}, β = ${view.beta})` });
      else drawSpectra(at(0, rows[2]), view.W, { w: colW, h: lineH, title: `W — ${K} spectra (${m}×${K})`, xName: names.rows });
      drawActivations(at(0, rows[3]), H, { w: colW, h: lineH, title: `H — activations (${K}×${n})`, xName: names.cols });
    }
    const caption = image
      ? [`β = ${view.beta} · V ≈ WH: each image (column of V) is a sum of W's parts,`, `weighted by that column of H · parts each scaled to its max · heatmaps on a log₁₀ scale${shrunk}`]
      : [`β = ${view.beta} · V ≈ WH: each column of V is a mix of W's spectra,`, `weighted by that column of H · colours on a log₁₀ scale${shrunk}`];
    svg.append('text').attr('class', 'nmf-caption').attr('y', hTotal - 20).attr('font-size', 11).attr('font-family', FONT).attr('fill', MUTED)
      .selectAll('tspan').data(caption).join('tspan').attr('x', 0).attr('dy', (_, i) => (i ? '1.25em' : 0)).text((d) => d);
  }, [view, width, svgRef, dataKind, image]);

  return (
    <div ref={wrap} className="chart-wrap" data-testid="nmf-images">
      <svg ref={svgRef} role="img" aria-label="NMF: data V and reconstruction WH as heatmaps, W's columns as spectra, H's rows as activations" />
    </div>
  );
}
