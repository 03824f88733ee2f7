/**
 * Largest-Triangle-Three-Buckets downsampling (Steinarsson 2013) and a bounded, growable series buffer
 * built on it. Long histories (10⁵ steps × several runs) stay cheap to keep and to draw: the buffer
 * halves itself with LTTB when full, and charts ask for at most ~2 points per pixel.
 */

/**
 * Indices of at most `threshold` points of (x, y) chosen by LTTB. The first and last points are kept.
 * Non-finite y values are kept as-is if picked (charts break the line there).
 */
export function lttbIndices(x: ArrayLike<number>, y: ArrayLike<number>, threshold: number, from = 0, to = x.length): Int32Array {
  const n = to - from;
  if (n <= 0) return new Int32Array(0);
  if (threshold >= n || threshold < 3) {
    if (threshold >= n) return Int32Array.from({ length: n }, (_, i) => from + i);
    // Degenerate: keep the ends.
    return threshold <= 1 ? Int32Array.of(to - 1) : Int32Array.of(from, to - 1);
  }
  const out = new Int32Array(threshold);
  const every = (n - 2) / (threshold - 2);
  let a = from;
  out[0] = from;
  const val = (i: number) => (Number.isFinite(y[i]) ? y[i] : 0);
  for (let i = 0; i < threshold - 2; i++) {
    // Average of the next bucket (the third vertex of the triangle).
    let avgStart = from + Math.floor((i + 1) * every) + 1;
    let avgEnd = from + Math.floor((i + 2) * every) + 1;
    avgEnd = Math.min(avgEnd, to);
    if (avgStart >= avgEnd) avgStart = avgEnd - 1;
    let avgX = 0;
    let avgY = 0;
    for (let j = avgStart; j < avgEnd; j++) {
      avgX += x[j];
      avgY += val(j);
    }
    const len = avgEnd - avgStart;
    avgX /= len;
    avgY /= len;
    // This bucket.
    const start = from + Math.floor(i * every) + 1;
    const end = from + Math.floor((i + 1) * every) + 1;
    const ax = x[a];
    const ay = val(a);
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      // A non-finite point (divergence) always wins its bucket so it is never hidden.
      if (!Number.isFinite(y[j])) {
        best = j;
        break;
      }
      const area = Math.abs((ax - avgX) * (val(j) - ay) - (ax - x[j]) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out[i + 1] = best;
    a = best;
  }
  out[threshold - 1] = to - 1;
  return out;
}

/** Column names of a series buffer. */
export type SeriesColumn = 'step' | 'wall' | 'loss' | 'test';

/**
 * A bounded append-only series of (step, wall ms, train loss, test loss). When `capacity` points are
 * held, it keeps `capacity / 2` of them chosen by LTTB on the train loss and from then on keeps one
 * new point in `stride` (doubled at each compaction), so the density stays uniform along the run.
 * The latest point is always held (as a provisional last entry), so readouts show the current loss.
 */
export class SeriesBuffer {
  step: Float64Array;
  wall: Float64Array;
  loss: Float64Array;
  test: Float64Array;
  length = 0;
  /** Total points ever appended (≥ length once compacted). */
  appended = 0;
  /** Times the buffer was compacted. */
  compactions = 0;
  /** One point in `stride` is kept for good; 2^compactions. */
  stride = 1;
  /** The last entry is the latest point but not on the stride grid: the next push replaces it. */
  private provisional = false;

  constructor(readonly capacity = 40_000) {
    if (capacity < 8) throw new Error('capacity must be ≥ 8');
    const c = Math.min(1024, capacity);
    this.step = new Float64Array(c);
    this.wall = new Float64Array(c);
    this.loss = new Float64Array(c);
    this.test = new Float64Array(c);
  }

  push(step: number, wall: number, loss: number, test: number = NaN): void {
    if (this.provisional) this.length--;
    if (this.length === this.step.length) {
      if (this.length >= this.capacity) this.compact();
      else this.grow(Math.min(this.capacity, this.step.length * 2));
    }
    const i = this.length++;
    this.step[i] = step;
    this.wall[i] = wall;
    this.loss[i] = loss;
    this.test[i] = test;
    this.provisional = this.appended % this.stride !== 0;
    this.appended++;
  }

  private grow(size: number): void {
    for (const k of ['step', 'wall', 'loss', 'test'] as const) {
      const next = new Float64Array(size);
      next.set(this[k].subarray(0, this.length));
      this[k] = next;
    }
  }

  private compact(): void {
    const idx = lttbIndices(this.step, this.loss, Math.floor(this.capacity / 2), 0, this.length);
    for (const k of ['step', 'wall', 'loss', 'test'] as const) {
      const col = this[k];
      for (let j = 0; j < idx.length; j++) col[j] = col[idx[j]];
    }
    this.length = idx.length;
    this.compactions++;
    this.stride *= 2;
  }

  last(col: SeriesColumn): number {
    return this.length ? this[col][this.length - 1] : NaN;
  }

  /** Points to draw: at most `maxPoints` chosen by LTTB over x = step or wall, y = `col`. */
  view(x: 'step' | 'wall', col: 'loss' | 'test', maxPoints: number): { x: Float64Array; y: Float64Array } {
    const idx = lttbIndices(this[x], this[col], Math.max(3, maxPoints), 0, this.length);
    const xs = new Float64Array(idx.length);
    const ys = new Float64Array(idx.length);
    idx.forEach((j, i) => {
      xs[i] = this[x][j];
      ys[i] = this[col][j];
    });
    return { x: xs, y: ys };
  }

  /** Index of the point whose step is nearest to `step` (binary search: steps are increasing). */
  nearest(step: number): number {
    if (!this.length) return -1;
    let lo = 0;
    let hi = this.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (this.step[mid] <= step) lo = mid;
      else hi = mid;
    }
    return Math.abs(this.step[lo] - step) <= Math.abs(this.step[hi] - step) ? lo : hi;
  }

  clear(): void {
    this.length = 0;
    this.appended = 0;
    this.compactions = 0;
    this.stride = 1;
    this.provisional = false;
  }
}
