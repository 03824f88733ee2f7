/**
 * W's columns as parts: when V's columns are images (NMF data 'images'), each column of W is itself an
 * image of the same size — Lee & Seung's parts-based picture. Drawn as a grid of small images, each
 * normalised to its own max (grey: white 0 … black its max), so a part's shape shows whatever its scale.
 * Drawn inside the NMF factorization svg (NMFImages.tsx) in place of the spectra line plot.
 */
import * as d3 from 'd3';
import type { Matrix } from '../../worker/protocol';
import { FONT, INK, MUTED } from './hooks';
import { rasterUrl } from './raster';

type G = d3.Selection<SVGGElement, unknown, null, undefined>;

export interface PartsSpec {
  /** Width available for the grid. */
  w: number;
  /** Each image's rows × columns (8×8 for digits). */
  image: [number, number];
  title: string;
}

const TITLE_H = 20;
const GAP = 4;

/**
 * The grid's layout for K parts in width w: as many columns as fit cells of at least 40 px (at most
 * 8, at most K), square cells of one size, rows to hold every part.
 */
export function partsGrid(K: number, w: number, image: [number, number]): { cols: number; rows: number; cell: number; cellH: number; height: number } {
  const cols = Math.max(1, Math.min(K, 8, Math.floor((w + GAP) / (40 + GAP))));
  const rows = Math.ceil(K / cols);
  const cell = Math.min(72, Math.floor((w - (cols - 1) * GAP) / cols));
  const cellH = Math.round((cell * image[0]) / image[1]);
  return { cols, rows, cell, cellH, height: TITLE_H + rows * (cellH + GAP) };
}

/** Column k of W as an image (row-major pixels), divided by its max (all zeros stay zeros). */
export function partImage(W: Matrix, k: number): Float32Array {
  const [m, K] = W.shape;
  const out = new Float32Array(m);
  let max = 0;
  for (let p = 0; p < m; p++) {
    const v = W.data[p * K + k];
    out[p] = Number.isFinite(v) ? v : 0;
    if (out[p] > max) max = out[p];
  }
  if (max > 0) for (let p = 0; p < m; p++) out[p] /= max;
  return out;
}

export function drawParts(g: G, W: Matrix, s: PartsSpec): number {
  const K = W.shape[1];
  const [ir, ic] = s.image;
  const L = partsGrid(K, s.w, s.image);
  g.attr('data-chart', 'nmf-parts').attr('data-parts', K).attr('data-image', `${ir}x${ic}`);
  g.append('text').attr('y', 12).attr('font-size', 12).attr('font-weight', 600).attr('font-family', FONT).attr('fill', INK).text(s.title);
  for (let k = 0; k < K; k++) {
    const img = partImage(W, k);
    const grey = (r: number, c: number): [number, number, number, number] => {
      const v = Math.round(255 * (1 - img[r * ic + c]));
      return [v, v, v, 255];
    };
    const x = (k % L.cols) * (L.cell + GAP);
    const y = TITLE_H + Math.floor(k / L.cols) * (L.cellH + GAP);
    const part = g.append('g').attr('class', 'part').attr('data-component', k + 1).attr('transform', `translate(${x},${y})`);
    part.append('image').attr('href', rasterUrl(ir, ic, grey)).attr('width', L.cell).attr('height', L.cellH)
      .attr('preserveAspectRatio', 'none').style('image-rendering', 'pixelated');
    part.append('rect').attr('width', L.cell).attr('height', L.cellH).attr('fill', 'none').attr('stroke', '#d0d4d9');
    part.append('text').attr('x', 3).attr('y', 11).attr('font-size', 9).attr('font-family', FONT).attr('fill', MUTED).text(k + 1);
  }
  return L.height;
}
