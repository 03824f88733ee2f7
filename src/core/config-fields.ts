/**
 * What every part of the config schema shares: the version, the size limits, and zod builders for
 * numbers, integers in a range, seeds and matrices, each with a message that names the field.
 */
import './zod-setup'; // before any schema is built (see the file)
import { z } from 'zod';

export const CONFIG_VERSION = 1;

/** Limits that keep the page responsive; the CLI accepts the same (bigger runs belong in PyTorch). */
export const LIMITS = {
  points: 20_000,
  width: 256,
  hiddenLayers: 6,
  runs: 8,
  steps: 1_000_000,
  nmfEntries: 1024 * 1024,
  nmfRank: 64,
  /** Parameters of one MLP (Σ (in + 1)·out): a 6×256 net on 2 inputs has 0.33M; explicit inputs can be wide. */
  params: 4_000_000,
  /** Switches per run (scheduled and mid-run): the page refuses the change that would pass it. */
  switches: 100,
} as const;

/** scikit-learn's EPSILON (float32 eps): entries of V at or below it count as zeros in the β-divergence. */
export const NMF_EPSILON = 2 ** -23;
export const NMF_EPSILON_TEXT = '1.19e-7';

export const finite = (name: string) => z.number({ error: `${name} must be a number` }).refine(Number.isFinite, `${name} must be finite`);
export const int = (name: string, lo: number, hi: number) =>
  z
    .number({ error: `${name} must be a number` })
    .int(`${name} must be an integer`)
    .min(lo, `${name} must be in [${lo}, ${hi}]`)
    .max(hi, `${name} must be in [${lo}, ${hi}]`);
export const seed = (name: string, d: number) => int(name, 0, 2 ** 31 - 1).default(d);
export const matrix = (name: string) =>
  z
    .array(z.array(finite(`${name} entries`)).min(1, `${name} rows must not be empty`), { error: `${name} must be a matrix (array of rows)` })
    .min(1, `${name} must have at least one row`)
    .refine((m) => m.every((r) => r.length === m[0].length), `${name} rows must all have the same length`);
