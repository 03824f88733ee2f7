/**
 * Rasters for charts: a matrix painted into a small canvas and returned as a data: URL, so it can sit in
 * an SVG <image> (allowed by the CSP's img-src data:) and travel with SVG/PNG exports.
 */

/**
 * One scratch canvas for every raster: a new canvas per picture made `getContext` the largest cost of a
 * live redraw (the network view paints one raster per neuron, twice a second).
 */
let scratch: { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D } | null = null;

/** Paints rows × cols cells (row 0 at the top) with `color(r, c)` → [r, g, b, a] (0–255). */
export function rasterUrl(rows: number, cols: number, color: (r: number, c: number) => [number, number, number, number]): string {
  if (!scratch) {
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d');
    if (!ctx) return '';
    scratch = { canvas, ctx };
  }
  const { canvas, ctx } = scratch;
  // putImageData below replaces every pixel: the canvas is resized only when the shape changes.
  if (canvas.width !== Math.max(1, cols)) canvas.width = Math.max(1, cols);
  if (canvas.height !== Math.max(1, rows)) canvas.height = Math.max(1, rows);
  const img = ctx.createImageData(canvas.width, canvas.height);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const [R, G, B, A] = color(r, c);
      const k = 4 * (r * cols + c);
      img.data[k] = R;
      img.data[k + 1] = G;
      img.data[k + 2] = B;
      img.data[k + 3] = A;
    }
  ctx.putImageData(img, 0, 0);
  return canvas.toDataURL('image/png');
}

/** '#rrggbb' or 'rgb(r, g, b)' → [r, g, b]. */
export function rgb(css: string): [number, number, number] {
  if (css.startsWith('#')) {
    const n = parseInt(css.slice(1), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  const m = css.match(/\d+(\.\d+)?/g) ?? ['0', '0', '0'];
  return [Number(m[0]), Number(m[1]), Number(m[2])];
}
