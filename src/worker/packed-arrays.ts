/**
 * Cheap hand-over of big configs between the page and a worker. postMessage's structured clone copies a
 * number[][] of 20,000 rows as 20,000 separate arrays (~0.1–0.3 s of the page's main thread); the same
 * numbers as one Float64Array are a single memory copy. `packArrays` replaces every long array of
 * numbers, and every long array of equal-length number rows, by a packed block; `unpackArrays` restores
 * plain arrays with exactly the same values (float64 holds any JS number, −0 and NaN included).
 */

/** Arrays shorter than this are left as they are (packing them saves nothing). */
const MIN_LENGTH = 64;

interface Packed {
  __packed: 'vector' | 'matrix';
  data: Float64Array;
  cols: number;
}

const isPacked = (v: unknown): v is Packed => typeof v === 'object' && v !== null && '__packed' in v && (v as Packed).data instanceof Float64Array;
const isNumbers = (a: unknown): a is number[] => Array.isArray(a) && a.every((x) => typeof x === 'number');

function packArray(a: unknown[]): Packed | null {
  if (a.length < MIN_LENGTH) return null;
  if (isNumbers(a)) return { __packed: 'vector', data: Float64Array.from(a), cols: 1 };
  const cols = Array.isArray(a[0]) ? a[0].length : -1;
  if (cols < 0) return null;
  // One plain loop (no per-row callbacks or set calls): ~1 ms for 20,000 rows.
  const data = new Float64Array(a.length * cols);
  let o = 0;
  for (let i = 0; i < a.length; i++) {
    const r = a[i];
    if (!Array.isArray(r) || r.length !== cols) return null;
    for (let j = 0; j < cols; j++) {
      const x: unknown = r[j];
      if (typeof x !== 'number') return null;
      data[o++] = x;
    }
  }
  return { __packed: 'matrix', data, cols };
}

/** A copy of `v` with its long number arrays and matrices packed (other values shared, not copied). */
export function packArrays<T>(v: T): T {
  if (Array.isArray(v)) return (packArray(v) ?? v.map(packArrays)) as T;
  if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = packArrays(x);
  return out as T;
}

/** Undoes packArrays (plain arrays of numbers again). */
export function unpackArrays<T>(v: T): T {
  if (isPacked(v)) {
    const { data, cols } = v;
    if (v.__packed === 'vector') return Array.from(data) as T;
    const rows: number[][] = new Array(data.length / cols);
    for (let i = 0, o = 0; i < rows.length; i++) {
      const r: number[] = new Array(cols);
      for (let j = 0; j < cols; j++) r[j] = data[o++];
      rows[i] = r;
    }
    return rows as T;
  }
  if (Array.isArray(v)) return v.map(unpackArrays) as T;
  if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = unpackArrays(x);
  return out as T;
}
