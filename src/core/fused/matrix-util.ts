/** Small dense-matrix helpers of the fused NMF engine (row-major Float32Arrays). */

/** [start, end) of part `i` of `count` items split into `parts` (whole blocks of `unit`). */
export function part(count: number, parts: number, i: number, unit = 1): [number, number] {
  const units = Math.ceil(count / unit);
  const lo = Math.floor((units * i) / parts) * unit;
  const hi = Math.min(count, Math.floor((units * (i + 1)) / parts) * unit);
  return [lo, hi];
}

export function transpose(src: Float32Array, dst: Float32Array, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) dst[j * rows + i] = src[i * cols + j];
}

/** Σ_j X[k, j] for X rows×cols (float64 sums rounded once), into out[0, rows). */
export function rowSums(X: Float32Array, rows: number, cols: number, out: Float32Array): Float32Array {
  for (let k = 0; k < rows; k++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += X[k * cols + j];
    out[k] = s;
  }
  return out.subarray(0, rows);
}

/** Σ_i X[i, k] for X rows×cols, into out[0, cols). */
export function columnSums(X: Float32Array, rows: number, cols: number, out: Float32Array): Float32Array {
  for (let k = 0; k < cols; k++) {
    let s = 0;
    for (let i = 0; i < rows; i++) s += X[i * cols + k];
    out[k] = s;
  }
  return out.subarray(0, cols);
}
