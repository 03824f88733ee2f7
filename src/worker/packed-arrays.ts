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

/** Whether `like` (a plain array) holds exactly the packed values (so it can stand for them). */
function holds(p: Packed, like: unknown): boolean {
  const { data, cols } = p;
  if (!Array.isArray(like) || like.length * (p.__packed === 'vector' ? 1 : cols) !== data.length) return false;
  if (p.__packed === 'vector') {
    for (let i = 0; i < data.length; i++) if (!Object.is(like[i], data[i])) return false;
    return true;
  }
  for (let i = 0, o = 0; i < like.length; i++) {
    const r: unknown = like[i];
    if (!Array.isArray(r) || r.length !== cols) return false;
    for (let j = 0; j < cols; j++) if (!Object.is(r[j], data[o++])) return false;
  }
  return true;
}

/**
 * Undoes packArrays (plain arrays of numbers again). `like`: a value of the same shape that the page
 * already holds (the config it sent): a packed block equal to the array at the same place in `like` is
 * that array, not a new copy (no 20,000 allocations for an echo of the page's own data).
 */
export function unpackArrays<T>(v: T, like?: unknown): T {
  if (isPacked(v)) {
    if (like !== undefined && holds(v, like)) return like as T;
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
  const at = (k: string | number): unknown => (typeof like === 'object' && like !== null ? (like as Record<string, unknown>)[k] : undefined);
  if (Array.isArray(v)) return v.map((x, i) => unpackArrays(x, at(i))) as T;
  if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = unpackArrays(x, at(k));
  return out as T;
}
