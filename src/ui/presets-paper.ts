/**
 * Re-enactments of Févotte & Idier, "Algorithms for nonnegative matrix factorization with the
 * β-divergence" (Neural Computation 23(9), 2011; arXiv 1010.1763): the cost against iterations of the
 * MM multiplicative update (γ(β) exponent), the heuristic update (exponent 1) and majorization–
 * equalization (ME), on log-log axes, on synthetic data and on a spectrogram. Added to the gallery by
 * presets.ts; every claim is checked headless by tests/presets-paper.test.ts.
 *
 * What matches the paper: the three algorithms, their exponents and ME's closed forms, the same θ₀ for
 * all runs, log-log cost curves, ME below MM after the first iterations. What differs: MM Lab's data
 * (V = W*H* with exponential factors and log-normal noise, 30×50, K = 5; the built-in piano-like notes
 * instead of the paper's recording), its initialisation (scikit-learn-style random), float32 arithmetic,
 * and for β = 3/2 ME's `blend` 0.95 (pure ME zeroes entries there; see nmf-me.ts). The curves are this
 * lab's, not digitised from the paper.
 *
 * Checked against the paper on 2026-12-07 (issue 13): the text we could read — arXiv 1010.1763v3's
 * abstract and first page (and summaries of the paper) — confirms the three algorithms, MM = heuristic
 * for 1 ≤ β ≤ 2, the heuristic's proven monotonicity for β ∈ (0, 1), ME's larger steps, and that the
 * simulations use synthetic and real data (an audio spectrogram). It ends before the simulations
 * section, so the figure numbers, the paper's data sizes, ranks, iteration counts and axes could NOT be
 * confirmed: each title marks its figure number as unconfirmed, and each intro says so. Each intro ends
 * with a "Settings:" sentence (β, V's size, K, iterations) that tests/presets-paper-settings.test.ts
 * checks against the preset's config.
 */
import type { PresetClaim } from './presetClaims';

const synthetic = { kind: 'synthetic', rows: 30, cols: 50, trueRank: 5, noise: 0.1 };
const piano = { kind: 'audio', source: { kind: 'builtin', name: 'piano-notes', sampleRate: 16000, noteSeconds: 0.5 }, stft: { fft: 512, hop: 256, window: 'hann' } };
const runs = (meHyper: Record<string, unknown> = {}) => [{ algorithm: 'nmf-mm' }, { algorithm: 'nmf-mu' }, { algorithm: 'nmf-me', hyper: meHyper }];
const logLog = { log: true, logx: true };

/** Same fields as presets.ts's PresetSpec (kept structural here: presets.ts imports this file). */
export const PAPER_PRESETS: {
  slug: string;
  title: string;
  intro: string;
  problem: Record<string, unknown>;
  runs: { algorithm: string; hyper?: Record<string, unknown> }[];
  steps: number;
  claims: PresetClaim[];
  view?: { log?: boolean; logx?: boolean };
}[] = [
  {
    slug: 'paper-fi-synthetic-is',
    title: 'Re-enactment of Févotte & Idier (2011), Fig. 4 (number unconfirmed), β = 0: MM, heuristic and ME on synthetic data',
    intro:
      'Itakura–Saito NMF (β = 0) of a 30×50 synthetic V = W*H* (rank 5, log-normal noise), K = 5, cost against iterations on log-log axes as in the paper’s simulations. MM uses the exponent γ(0) = ½; the heuristic update uses 1; ME moves each entry to the far side of the auxiliary function’s level set, which for β = 0 works out to the exponent 2γ = 1 — the heuristic update itself (a claim below checks it). Matches the paper: the three algorithms and their exponents, one θ₀ for all, log-log axes. Differs from the paper: this lab’s data generator and random initialisation. Not confirmed against the paper’s text (the copy we could read ends before its simulations): the figure number, and whether its sizes, rank and iteration count are these. Settings: β = 0, V 30×50, K = 5, 1000 iterations.',
    problem: { kind: 'nmf', beta: 0, rank: 5, data: synthetic },
    runs: runs(),
    steps: 1000,
    view: logLog,
    claims: [
      { kind: 'same', run: 1, other: 2, rel: 1e-5 },
      { kind: 'monotone', run: 0 },
      { kind: 'monotone', run: 2 },
      { kind: 'below', run: 2, other: 0, at: 100 },
      { kind: 'below', run: 2, other: 0, at: 1000 },
    ],
  },
  {
    slug: 'paper-fi-synthetic-half',
    title: 'Re-enactment of Févotte & Idier (2011), Fig. 4 (number unconfirmed), β = ½: ME, MM and the heuristic on synthetic data',
    intro:
      'The same synthetic V at β = ½ (between Itakura–Saito and Kullback–Leibler). MM’s exponent is γ = 1/(2−β) = ⅔, the heuristic’s 1; ME has a closed form here (a quadratic in √h). The paper proves the heuristic monotone for β ∈ (0, 1) with the same auxiliary function (its abstract says so). Matches the paper: the algorithms, their exponents, log-log axes. Differs from the paper: data and initialisation. Not confirmed against the paper’s text (the copy we could read ends before its simulations): the figure number, and whether its sizes, rank and iteration count are these. Settings: β = 0.5, V 30×50, K = 5, 1000 iterations.',
    problem: { kind: 'nmf', beta: 0.5, rank: 5, data: synthetic },
    runs: runs(),
    steps: 1000,
    view: logLog,
    claims: [
      { kind: 'monotone', run: 0 },
      { kind: 'monotone', run: 1 },
      { kind: 'monotone', run: 2 },
      { kind: 'below', run: 2, other: 0, at: 10 },
      { kind: 'below', run: 2, other: 1, at: 100 },
      { kind: 'below', run: 2, other: 0, at: 1000 },
    ],
  },
  {
    slug: 'paper-fi-synthetic-three-halves',
    title: 'Re-enactment of Févotte & Idier (2011), Fig. 4 (number unconfirmed), β = 3/2: MM is the heuristic, ME differs',
    intro:
      'The synthetic V at β = 3/2. For 1 ≤ β ≤ 2 the MM exponent γ(β) is 1, so MM and the heuristic are one formula; ME jumps to the far root of G(h|h̃) = G(h̃|h̃). Pure ME sets entries with ratio below 1/3 to zero for good here, so this lab runs it with blend 0.95 (still monotone) — a departure from the paper’s pure ME. Matches the paper: MM = heuristic for 1 ≤ β ≤ 2. Differs also in data and initialisation. Not confirmed against the paper’s text (the copy we could read ends before its simulations): the figure number, and whether its sizes, rank and iteration count are these. Settings: β = 1.5, V 30×50, K = 5, 1000 iterations.',
    problem: { kind: 'nmf', beta: 1.5, rank: 5, data: synthetic },
    runs: runs({ blend: 0.95 }),
    steps: 1000,
    view: logLog,
    claims: [
      { kind: 'same', run: 0, other: 1, rel: 1e-6 },
      { kind: 'monotone', run: 2 },
      { kind: 'below', run: 0, other: 2, at: 10 },
      { kind: 'below', run: 2, other: 0, at: 100 },
      { kind: 'below', run: 2, other: 0, at: 1000 },
    ],
  },
  {
    slug: 'paper-fi-synthetic-three',
    title: 'Re-enactment of Févotte & Idier (2011), Fig. 4 (number unconfirmed), β = 3: beyond the Euclidean cost',
    intro:
      'The synthetic V at β = 3, where γ(β) = 1/(β−1) = ½ and ME solves a cubic. No proof covers the heuristic update for β > 2; the monotone badge shows what this run does. Matches the paper: MM’s exponent 1/(β−1) and ME’s cubic. Differs from the paper: data and initialisation. Not confirmed against the paper’s text (the copy we could read ends before its simulations): the figure number, and whether its sizes, rank and iteration count are these. Settings: β = 3, V 30×50, K = 5, 1000 iterations.',
    problem: { kind: 'nmf', beta: 3, rank: 5, data: synthetic },
    runs: runs(),
    steps: 1000,
    view: logLog,
    claims: [
      { kind: 'monotone', run: 0 },
      { kind: 'monotone', run: 2 },
      { kind: 'below', run: 2, other: 0, at: 100 },
      { kind: 'below', run: 2, other: 0, at: 1000 },
      { kind: 'below', run: 1, other: 2, at: 1000 },
    ],
  },
  {
    slug: 'paper-fi-spectrogram-is',
    title: 'Re-enactment of Févotte & Idier (2011), Fig. 5 (number unconfirmed): IS-NMF of a piano-like spectrogram',
    intro:
      'Itakura–Saito NMF (β = 0, K = 3) of the power spectrogram of the built-in piece — C4, E4 and G4 alone, then in chords, synthesised in the page (16 kHz, FFT 512, hop 256) — in place of the paper’s recorded music. MM (γ = ½) against the heuristic update and ME, which coincide at β = 0. Matches the paper: IS-NMF of a music power spectrogram with the three algorithms. Differs from the paper: a synthesised piece instead of its recording, this lab’s initialisation. Not confirmed against the paper’s text (the copy we could read ends before its simulations): the figure number, and whether its sizes, rank and iteration count are these. Open “Hear the components” to listen to each component of a run. Settings: β = 0, V 257×189, K = 3, 300 iterations.',
    problem: { kind: 'nmf', beta: 0, rank: 3, data: piano },
    runs: runs(),
    steps: 300,
    view: logLog,
    claims: [
      { kind: 'same', run: 1, other: 2, rel: 1e-5 },
      { kind: 'monotone', run: 0 },
      { kind: 'monotone', run: 2 },
      { kind: 'below', run: 2, other: 0, at: 30 },
    ],
  },
];
