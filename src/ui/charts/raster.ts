/**
 * Rasters for charts: a matrix painted into a small canvas and returned as a data: URL, so it can sit in
 * an SVG <image> (allowed by the CSP's img-src data:) and travel with SVG/PNG exports.
 */

/** Paints rows × cols cells (row 0 at the top) with `color(r, c)` → [r, g, b, a] (0–255). */
export function rasterUrl(rows: number, cols: number, color: (r: number, c: number) => [number, number, number, number]): string {
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, cols);
  canvas.height = Math.max(1, rows);
  const ctx = canvas.getContext('2d');
  if (!ctx) return '';
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
