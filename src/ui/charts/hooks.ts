/**
 * Chart plumbing shared by the D3 charts: React owns the container (a div + svg), D3 draws inside it.
 * `useSize` tracks the container's width; `useLiveDraw` redraws on animation frames when the live
 * buffers changed (and whenever React-side inputs change).
 */
import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { live, onFrame, requestFrame } from '../live';
import { getLab } from '../store';

export const RUN_COLORS = ['#2f6fb3', '#d0632a', '#3a9a5b', '#8e5ab8', '#b8404f', '#8a7a2e', '#2a9aa0', '#6b6b6b'];
export const runColor = (i: number): string => RUN_COLORS[i % RUN_COLORS.length];
export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
export const INK = '#1f2328';
export const MUTED = '#6a717a';
export const GRID = '#e6e8eb';

export function useSize(ref: RefObject<HTMLElement | null>, fallback = 600): number {
  const [w, setW] = useState(fallback);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setW(el.clientWidth || fallback);
    const ro = new ResizeObserver((entries) => {
      const cw = Math.round(entries[0].contentRect.width);
      if (cw > 0) setW(cw);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref, fallback]);
  return w;
}

/**
 * While training streams, a live chart redraws at most this often (ms): every frame was ~20% of the
 * main thread under load, and a click landing behind such frames waited for them.
 */
export const LIVE_DRAW_GAP_MS = 100;

/**
 * Calls `draw` now, whenever `deps` change, and on each frame after the live data changed (while
 * playing, at most every LIVE_DRAW_GAP_MS).
 */
export function useLiveDraw(draw: () => void, deps: unknown[]): void {
  const drawRef = useRef(draw);
  drawRef.current = draw;
  useEffect(() => {
    let seen = -1;
    let drawnAt = -Infinity;
    const run = () => {
      if (seen === live.version) return;
      const now = performance.now();
      if (seen !== -1 && getLab().playing && now - drawnAt < LIVE_DRAW_GAP_MS) {
        requestFrame();
        return;
      }
      seen = live.version;
      drawnAt = now;
      drawRef.current();
    };
    run();
    return onFrame(run);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
}

/** Formats a loss for readouts: 4 significant digits, scientific when tiny or huge. */
export function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(3);
  return v.toPrecision(4);
}

/**
 * Whether the element is on screen (IntersectionObserver; true where there is none). Heavy pictures
 * skip their redraws off screen while training plays and catch up when scrolled into view.
 */
export function useOnScreen(ref: RefObject<HTMLElement | null>): boolean {
  const [on, setOn] = useState(true);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => setOn(entries[entries.length - 1].isIntersecting), { rootMargin: '100px' });
    io.observe(el);
    return () => io.disconnect();
  }, [ref]);
  return on;
}
