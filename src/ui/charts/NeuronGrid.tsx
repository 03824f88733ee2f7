/**
 * The network view, as in TensorFlow Playground: one small heatmap per unit, showing what it computes
 * over the (x₁, x₂) plane — the input features in the first column, then each hidden layer's neurons
 * (their activations, from the worker's `neurons` answer). Blue is negative, orange positive, white 0.
 */
import * as d3 from 'd3';
import { useEffect, useRef, type RefObject } from 'react';
import { FEATURE_LABELS, featureValue, type FeatureName } from '../../core/problems/features';
import type { MLPGridView } from '../../worker/protocol';
import { FONT, INK, MUTED, useOnScreen, useSize } from './hooks';
import { useLab } from '../store';
import { rasterUrl } from './raster';

const NEG: [number, number, number] = [59, 120, 194];
const POS: [number, number, number] = [224, 123, 57];
const CELL_MAX = 56;
const GAP = 6;
const HEAD = 30;

interface Props {
  view: MLPGridView;
  features: readonly FeatureName[];
  svgRef: RefObject<SVGSVGElement | null>;
}

/** A unit's values on a g×g grid (row index j·g + i, j along y) as a diverging image, y up. */
function unitImage(g: number, value: (k: number) => number, scale: number): string {
  return rasterUrl(g, g, (r, c) => {
    const v = Math.max(-1, Math.min(1, value((g - 1 - r) * g + c) / (scale || 1)));
    const to = v < 0 ? NEG : POS;
    const a = Math.abs(v);
    return [Math.round(255 + (to[0] - 255) * a), Math.round(255 + (to[1] - 255) * a), Math.round(255 + (to[2] - 255) * a), 255];
  });
}

export function NeuronGrid({ view, features, svgRef }: Props) {
  const wrap = useRef<HTMLDivElement>(null);
  const width = useSize(wrap, 600);
  // The input features' pictures depend on the plane only: painted once per features × extent × grid.
  const inputImages = useRef<{ key: string; urls: string[] } | null>(null);
  // Off screen while playing: no redraw (one raster per neuron, twice a second); caught up when seen.
  const onScreen = useOnScreen(wrap);
  const playing = useLab((s) => s.playing);
  const drawn = useRef<unknown[] | null>(null);
  useEffect(() => {
    const el = svgRef.current;
    const nv = view.neurons;
    if (!el || !nv) return;
    const key = [view, features, width];
    // Skipped off screen while playing; a pause or scrolling back redraws only what is stale.
    if ((!onScreen && playing && drawn.current) || (drawn.current && key.every((k, i) => k === drawn.current![i]))) return;
    drawn.current = key;
    const g = nv.grid;
    const { x0, x1, y0, y1 } = view.extent;
    const at = (k: number): [number, number] => [x0 + ((x1 - x0) * (k % g)) / (g - 1), y0 + ((y1 - y0) * Math.floor(k / g)) / (g - 1)];
    const inputKey = `${features.join()}|${x0},${x1},${y0},${y1}|${g}`;
    if (inputImages.current?.key !== inputKey) {
      const urls = features.map((f) => {
        const vals = Float32Array.from({ length: g * g }, (_, k) => featureValue(f, ...at(k)));
        return unitImage(g, (k) => vals[k], d3.max(vals, Math.abs) ?? 1);
      });
      inputImages.current = { key: inputKey, urls };
    }
    const inputUrls = inputImages.current.urls;
    const columns = [
      { title: 'inputs', units: features.map((f, j) => ({ label: FEATURE_LABELS[f], url: inputUrls[j] })) },
      ...nv.layers.map((m, l) => {
        const w = m.shape[1];
        const units = Array.from({ length: w }, (_, j) => {
          const vals = Float32Array.from({ length: g * g }, (_, k) => m.data[k * w + j]);
          // tanh and sigmoid have fixed ranges; relu and linear are scaled to the unit's own largest value.
          const scale = nv.activation === 'tanh' ? 1 : nv.activation === 'sigmoid' ? 1 : (d3.max(vals, Math.abs) ?? 1);
          const shown = nv.activation === 'sigmoid' ? vals.map((v) => 2 * v - 1) : vals;
          return { label: `${l + 1}.${j + 1}`, url: unitImage(g, (k) => shown[k], scale) };
        });
        return { title: `hidden ${l + 1}`, units };
      }),
    ];
    const rows = Math.max(...columns.map((c) => c.units.length));
    const colW = Math.max(38, Math.min(CELL_MAX + 24, Math.floor((width - 10) / columns.length)));
    const cell = Math.min(CELL_MAX, colW - 20);
    const w = colW * columns.length + 10;
    const h = HEAD + rows * (cell + GAP + 12);
    const svg = d3.select(el).attr('width', w).attr('height', h).attr('viewBox', `0 0 ${w} ${h}`);
    svg.selectAll('*').remove();
    columns.forEach((col, ci) => {
      const cx = 5 + ci * colW + (colW - cell) / 2;
      svg.append('text').attr('x', cx + cell / 2).attr('y', 14).attr('text-anchor', 'middle').attr('font-family', FONT).attr('font-size', 12)
        .attr('font-weight', 600).attr('fill', INK).text(col.title);
      const gcol = svg.append('g').attr('class', ci === 0 ? 'input-units' : 'hidden-units').attr('data-layer', ci);
      col.units.forEach((u, r) => {
        const y = HEAD + r * (cell + GAP + 12);
        const unit = gcol.append('g').attr('class', 'unit').attr('data-unit', u.label);
        unit.append('image').attr('href', u.url).attr('x', cx).attr('y', y).attr('width', cell).attr('height', cell)
          .attr('preserveAspectRatio', 'none');
        unit.append('rect').attr('x', cx).attr('y', y).attr('width', cell).attr('height', cell).attr('fill', 'none').attr('stroke', '#c9ced4');
        unit.append('text').attr('x', cx + cell / 2).attr('y', y + cell + 10).attr('text-anchor', 'middle').attr('font-family', FONT)
          .attr('font-size', 10).attr('fill', MUTED).text(u.label);
      });
    });
  }, [view, features, width, svgRef, onScreen, playing]);
  return (
    <div ref={wrap} className="chart-wrap network-wrap" data-testid="network-view">
      <svg ref={svgRef} role="img" aria-label="Each input feature and hidden neuron as a heatmap over the input plane" />
    </div>
  );
}
