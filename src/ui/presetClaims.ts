/**
 * What a preset says about its runs, in a form a test can check. Each claim is data (which run, which
 * step, which relation); its sentence on the page is generated from that data (`claimText`), so the text
 * a reader sees and the fact tests/presets.test.ts checks against a headless run are the same thing.
 * Runs are 0-based indices into the preset's runs; steps are 0-based loss indices (f(θₖ) after k steps).
 */

/** Relative tolerance for "does not rise": the same as the page's monotone badge (live.ts). */
export const CLAIM_RTOL = 1e-5;

export type PresetClaim =
  /** f of `run` is below f of `other` after `at` steps. */
  | { kind: 'below'; run: number; other: number; at: number }
  /** f of `run` never rises (beyond float32 noise) from step `from` (default 0) to the end. */
  | { kind: 'monotone'; run: number; from?: number }
  /** f of `run` rises at least once (by more than float32 noise): the run is not monotone. */
  | { kind: 'rises'; run: number }
  /** f of `run` blows up: the last f is above `factor`·f(θ₀), or the run was stopped as not finite. */
  | { kind: 'diverges'; run: number; factor: number }
  /** f of `run` and f of `other` agree within `rel` (relative) after `at` steps. */
  | { kind: 'close'; run: number; other: number; at: number; rel: number }
  /** f of `run` and f of `other` agree within `rel` at every step: the same iteration. */
  | { kind: 'same'; run: number; other: number; rel: number }
  /**
   * NMF of images: W's columns (the parts) of `run`, after the last step, have on average more than
   * `min` of their pixels near zero (≤ NEAR_ZERO of the column's max) — localised parts, not whole images.
   * Needs the run's W (ClaimRun.partsNearZero); tests/nmf-images.test.ts checks it.
   */
  | { kind: 'sparseParts'; run: number; min: number };

/** A run as claims see it: f(θ₀), f(θ₁), … and whether it was stopped for a non-finite f. */
export interface ClaimRun {
  losses: number[];
  diverged: boolean;
  /** For NMF: the mean fraction of near-zero entries over W's columns at the end (nearZeroFraction). */
  partsNearZero?: number;
}

/** "Near zero" for the parts claim: at most this fraction of the column's largest entry. */
export const NEAR_ZERO = 0.05;

/**
 * The mean, over the columns of an m×K row-major matrix, of the fraction of a column's entries that are
 * ≤ NEAR_ZERO·(its max): how sparse the columns are (a zero column counts as all near zero).
 */
export function nearZeroFraction(data: ArrayLike<number>, m: number, K: number): number {
  let sum = 0;
  for (let k = 0; k < K; k++) {
    let max = 0;
    for (let i = 0; i < m; i++) max = Math.max(max, data[i * K + k]);
    let z = 0;
    for (let i = 0; i < m; i++) if (data[i * K + k] <= NEAR_ZERO * max) z++;
    sum += z / m;
  }
  return sum / K;
}

const pct = (rel: number) => `${+(rel * 100).toPrecision(2)}%`;

const SUP: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '-': '⁻' };
/** 1e6 → "10⁶", 50 → "50". */
const times = (x: number): string => {
  const e = Math.log10(x);
  return Number.isInteger(e) && e >= 3 ? `10${[...String(e)].map((c) => SUP[c] ?? c).join('')}` : String(x);
};

/** The sentence a claim reads as, given the runs' display names. */
export function claimText(c: PresetClaim, names: string[]): string {
  const a = names[c.run] ?? `run ${c.run + 1}`;
  const b = 'other' in c ? (names[c.other] ?? `run ${c.other + 1}`) : '';
  switch (c.kind) {
    case 'below':
      return `At step ${c.at}, ${a} has a lower loss than ${b}.`;
    case 'monotone':
      return c.from ? `From step ${c.from} on, the loss of ${a} never rises.` : `The loss of ${a} never rises.`;
    case 'rises':
      return `The loss of ${a} rises at some steps: it is not monotone.`;
    case 'diverges':
      return `${a} diverges: its loss grows to more than ${times(c.factor)} times its starting value.`;
    case 'close':
      return `By step ${c.at}, ${a} and ${b} agree to within ${pct(c.rel)}.`;
    case 'same':
      return `${a} and ${b} give the same loss at every step (within ${pct(c.rel)}).`;
    case 'sparseParts':
      return `At the last step, the parts (W’s columns) of ${a} are sparse: on average more than ${pct(c.min)} of each part’s pixels are near zero (at most ${pct(NEAR_ZERO)} of its max).`;
  }
}

const rel = (x: number, y: number) => Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y), 1e-30);

/** Steps k ≥ from where f(θₖ) > f(θₖ₋₁) beyond the float32 tolerance. */
export function risesOf(losses: number[], from = 0): number[] {
  const out: number[] = [];
  for (let k = Math.max(1, from + 1); k < losses.length; k++) {
    const prev = losses[k - 1];
    if (Number.isFinite(prev) && !(losses[k] <= prev + CLAIM_RTOL * Math.max(Math.abs(prev), 1e-12))) out.push(k);
  }
  return out;
}

/** Checks one claim against headless runs: null when it holds, else why not. */
export function checkClaim(c: PresetClaim, runs: ClaimRun[]): string | null {
  const A = runs[c.run];
  if (!A) return `no run ${c.run}`;
  const B = 'other' in c ? runs[c.other] : undefined;
  if ('other' in c && !B) return `no run ${c.other}`;
  const at = (r: ClaimRun, k: number) => (k < r.losses.length ? r.losses[k] : NaN);
  switch (c.kind) {
    case 'below': {
      const x = at(A, c.at), y = at(B!, c.at);
      return x < y ? null : `at step ${c.at}: ${x} is not below ${y}`;
    }
    case 'monotone': {
      const r = risesOf(A.losses, c.from ?? 0);
      if (A.diverged) return 'the run diverged';
      return r.length ? `rises at steps ${r.slice(0, 5).join(', ')}` : null;
    }
    case 'rises':
      return risesOf(A.losses).length || A.diverged ? null : 'f never rises';
    case 'diverges': {
      const last = A.losses[A.losses.length - 1];
      return A.diverged || !Number.isFinite(last) || last > c.factor * A.losses[0] ? null : `last f ${last} is not above ${c.factor}·f(θ₀)`;
    }
    case 'close': {
      const x = at(A, c.at), y = at(B!, c.at);
      return rel(x, y) <= c.rel ? null : `at step ${c.at}: ${x} and ${y} differ by ${rel(x, y)}`;
    }
    case 'same': {
      const n = Math.min(A.losses.length, B!.losses.length);
      if (A.losses.length !== B!.losses.length) return 'the runs have different lengths';
      for (let k = 0; k < n; k++) if (!(rel(A.losses[k], B!.losses[k]) <= c.rel)) return `at step ${k}: ${A.losses[k]} vs ${B!.losses[k]}`;
      return null;
    }
    case 'sparseParts':
      if (A.partsNearZero === undefined) return "the run's W was not measured (partsNearZero)";
      return A.partsNearZero > c.min ? null : `the parts have ${A.partsNearZero} of their pixels near zero, not more than ${c.min}`;
  }
}
