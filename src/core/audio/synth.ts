/**
 * Built-in pieces synthesised in code, deterministic from their name and parameters (so a share link
 * names one instead of carrying samples). 'piano-notes': C4, E4 and G4 played alone, then as chords
 * (C–E–G, C–G, E–G) — the classic Itakura–Saito NMF demonstration (Févotte, Bertin & Durrieu 2009
 * decompose a short piano sequence into one component per note plus onsets): rank 3 finds the notes.
 */
import { Rng } from '../rng';
import { PIANO_EVENTS, pieceSamples, type AudioPiece } from './shape';

export interface PieceParams {
  name: AudioPiece;
  sampleRate: number;
  noteSeconds: number;
}

/** Inharmonicity of the piano-like partials: f_h = h·f₀·√(1 + B·h²) (Fletcher's stiff string). */
const B = 1e-4;

/** The piece's samples (peak 0.8). */
export function synthPiece(p: PieceParams): Float32Array {
  const n = pieceSamples(p.name, p.sampleRate, p.noteSeconds);
  const out = new Float64Array(n);
  const sr = p.sampleRate;
  const rng = new Rng(1);
  const eventLen = Math.round(p.noteSeconds * sr);
  PIANO_EVENTS.forEach((notes, e) => {
    const start = e * eventLen;
    const len = Math.min(eventLen, n - start);
    const release = Math.round(0.03 * sr);
    for (const midi of notes) {
      const f0 = 440 * 2 ** ((midi - 69) / 12);
      for (let h = 1; ; h++) {
        const fh = h * f0 * Math.sqrt(1 + B * h * h);
        if (fh > 0.45 * sr || h > 30) break;
        const amp = 1 / h;
        // Higher partials decay faster; the fundamental lasts about the note.
        const tau = (0.5 * p.noteSeconds) / (1 + 0.5 * (h - 1));
        const phase = 2 * Math.PI * rng.uniform();
        const w = (2 * Math.PI * fh) / sr;
        for (let i = 0; i < len; i++) {
          const t = i / sr;
          const attack = Math.min(1, t / 0.005);
          const fade = i >= len - release ? (len - i) / release : 1;
          out[start + i] += amp * attack * fade * Math.exp(-t / tau) * Math.sin(w * i + phase);
        }
      }
    }
    // The hammer: a 10 ms burst of decaying noise at the onset.
    for (let i = 0; i < Math.min(len, Math.round(0.01 * sr)); i++) out[start + i] += 0.05 * notes.length * (2 * rng.uniform() - 1) * Math.exp(-i / (0.002 * sr));
  });
  let peak = 0;
  for (const x of out) peak = Math.max(peak, Math.abs(x));
  return Float32Array.from(out, (x) => (0.8 * x) / (peak || 1));
}
