/**
 * Per-dataset default noise: the largest round value at which each set's shape still shows (measured:
 * a 5-nearest-neighbour vote recovers ≥ 90% of the labels of 256 points, tests/ui-preview.test.ts).
 * The spiral's arms lie ~0.2 apart, so its noise is much smaller than the moons'.
 */
import type { SyntheticDatasetName } from '../core/data/datasets';

export const DEFAULT_NOISE: Record<SyntheticDatasetName, number> = {
  moons: 0.1,
  circles: 0.08,
  xor: 0.05,
  gaussians: 0.1,
  spiral: 0.03,
  sine: 0.1,
  ripple: 0.05,
};

/** The noise a dataset starts with when it is picked in the form (image sets have none). */
export function defaultNoise(name: string, fallback: number): number {
  return (DEFAULT_NOISE as Record<string, number>)[name] ?? fallback;
}
