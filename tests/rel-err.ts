// Shared by tests: max |a − b| / max |b|, the largest absolute difference of two arrays relative to the
// reference's largest entry (a zero reference: 0 when equal, huge otherwise).
import { expect } from 'vitest';

export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let err = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return err / Math.max(scale, 1e-30);
}
