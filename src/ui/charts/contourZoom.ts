/**
 * Zoom for the contour view (ContourChart.tsx): the box that fits every run's path ("Fit paths"), and
 * the d3-zoom behaviour on the map — wheel zooms, a drag pans, a click without a drag is left to the
 * map's own click handler (θ₀; d3-zoom swallows the click that ends a drag). While a gesture runs the
 * drawn map is only transformed; at its end the zoomed axes' domain becomes the requested box and the
 * worker recomputes the contour grid for it (src/worker/contour.ts takes `box`).
 */
import * as d3 from 'd3';
import type { ContourBox } from '../contour-state';

/** Margin around the paths, as a share of their extent on each axis. */
const PAD = 0.08;

/**
 * The smallest box holding every finite point of `paths` (x, y interleaved) and the extra `points`,
 * padded by 8 % on each side; an axis with no extent (one point, a path along a line) gets the span of
 * the other axis, or 1e-3 of `fallback`'s span when both have none. Null when there is no finite point.
 */
export function fitBox(paths: readonly ArrayLike<number>[], points: readonly (readonly [number, number] | null)[], fallback: ContourBox): ContourBox | null {
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  const add = (a: number, b: number) => {
    if (!Number.isFinite(a) || !Number.isFinite(b)) return;
    [x0, x1, y0, y1] = [Math.min(x0, a), Math.max(x1, a), Math.min(y0, b), Math.max(y1, b)];
  };
  for (const p of paths) for (let k = 0; k + 1 < p.length; k += 2) add(p[k], p[k + 1]);
  for (const p of points) if (p) add(p[0], p[1]);
  if (!(x0 <= x1 && y0 <= y1)) return null;
  const tiny = 1e-3 * Math.max(fallback.x[1] - fallback.x[0], fallback.y[1] - fallback.y[0]);
  let [sx, sy] = [x1 - x0, y1 - y0];
  if (!(sx > 0) && !(sy > 0)) [sx, sy] = [tiny, tiny];
  else if (!(sx > 0)) sx = sy;
  else if (!(sy > 0)) sy = sx;
  const [cx, cy] = [(x0 + x1) / 2, (y0 + y1) / 2];
  const [hx, hy] = [(sx / 2) * (1 + 2 * PAD), (sy / 2) * (1 + 2 * PAD)];
  return { x: [cx - hx, cx + hx], y: [cy - hy, cy + hy] };
}

/** The box the axes show after `t`, for scales drawn with the box's domain. */
export function boxAfter(t: d3.ZoomTransform, x: d3.ScaleLinear<number, number>, y: d3.ScaleLinear<number, number>): ContourBox {
  const [a, b] = t.rescaleX(x).domain();
  const [c, d] = t.rescaleY(y).domain();
  return { x: [Math.min(a, b), Math.max(a, b)], y: [Math.min(c, d), Math.max(c, d)] };
}

export interface ZoomHandlers {
  /** During the gesture: draw the map transformed by `t` (relative to the drawn box). */
  onZoom(t: d3.ZoomTransform): void;
  /** The gesture ended having moved: `t` relative to the drawn box. */
  onEnd(t: d3.ZoomTransform): void;
}

/**
 * Installs d3-zoom on `svg` for the plot area [l, r] × [t, b] (wheel: zoom about the pointer; drag:
 * pan; double-click does not zoom: a click sets θ₀). The transform restarts at identity whenever the
 * chart draws a new box (`resetZoom`).
 */
export function installZoom(svg: SVGSVGElement, area: [[number, number], [number, number]], h: ZoomHandlers): void {
  let moved = false;
  const zoom = d3
    .zoom<SVGSVGElement, unknown>()
    .scaleExtent([1e-3, 1e6])
    .extent(area)
    .filter((ev: Event) => {
      const e = ev as MouseEvent;
      if (e.button) return false;
      const r = svg.getBoundingClientRect();
      const [px, py] = [e.clientX - r.left, e.clientY - r.top];
      return !(e.ctrlKey && ev.type !== 'wheel') && px >= area[0][0] && px <= area[1][0] && py >= area[0][1] && py <= area[1][1];
    })
    .on('start', () => (moved = false))
    .on('zoom', (ev: d3.D3ZoomEvent<SVGSVGElement, unknown>) => {
      if (!ev.sourceEvent) return; // resetZoom's programmatic identity
      moved = true;
      h.onZoom(ev.transform);
    })
    .on('end', (ev: d3.D3ZoomEvent<SVGSVGElement, unknown>) => {
      if (moved) h.onEnd(ev.transform);
      moved = false;
    });
  d3.select(svg).call(zoom).on('dblclick.zoom', null);
}

/** Sets the zoom transform back to identity (the drawn box is the new reference), without a zoom event's handlers acting on it. */
export function resetZoom(svg: SVGSVGElement): void {
  (svg as unknown as { __zoom: d3.ZoomTransform }).__zoom = d3.zoomIdentity;
}

/** The zoom transform now held by `svg` (identity when none). */
export const zoomOf = (svg: SVGSVGElement): d3.ZoomTransform => d3.zoomTransform(svg);
