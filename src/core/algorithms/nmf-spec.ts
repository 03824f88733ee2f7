/**
 * What every β-NMF algorithm's spec shares (nmf-*-spec.ts): no hyper-parameters for the multiplicative
 * updates, and the extras the config check and the page's monotone indicator read. No step code here.
 */
import { z } from 'zod';
import type { AlgorithmSpec } from '../engine/algorithm';

export const noHyper = z.strictObject({});
export type NoHyper = z.infer<typeof noHyper>;

/** What every NMF algorithm here adds to its spec (read by the config check and the docs). */
export interface NMFAlgorithmExtras {
  /**
   * The β for which the algorithm is proven monotone (f(θₖ₊₁) ≤ f(θₖ)) through the shown auxiliary
   * function, G(θₖ₊₁|θₖ) ≤ G(θₖ|θₖ) (never with W renormalisation: see nmf-updates.ts nmfNormalize).
   */
  readonly monotone: (beta: number) => boolean;
  /** Why the algorithm cannot run at this β, or null (config.ts refuses such runs with this message). */
  readonly betaError?: (beta: number) => string | null;
}

export type NMFSpec<H extends object = NoHyper> = AlgorithmSpec<H> & NMFAlgorithmExtras;
