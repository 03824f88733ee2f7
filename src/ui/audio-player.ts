/**
 * Plays the NMF components with the Web Audio API: one AudioContext (made on the first Play, a user
 * gesture, as browsers' autoplay rules ask), one sound at a time (Play on another stops the first).
 * The graph is source → AnalyserNode → destination; `level()` reads the analyser (peak of the current
 * output block), so the page's level meter — and the e2e test — see that what plays is not silence.
 */
type Listener = (playing: string | null) => void;

let ctx: AudioContext | null = null;
let analyser: AnalyserNode | null = null;
let current: { id: string; src: AudioBufferSourceNode } | null = null;
const listeners = new Set<Listener>();
let scratch: Float32Array<ArrayBuffer> | null = null;

const notify = () => listeners.forEach((l) => l(current?.id ?? null));

function graph(): { ctx: AudioContext; analyser: AnalyserNode } {
  if (!ctx || !analyser) {
    ctx = new AudioContext();
    analyser = ctx.createAnalyser();
    analyser.fftSize = 2048;
    analyser.connect(ctx.destination);
  }
  return { ctx, analyser };
}

/** Plays `samples` (mono, at `sampleRate`) under `id`, stopping whatever played. */
export async function play(id: string, samples: Float32Array, sampleRate: number): Promise<void> {
  stop();
  const g = graph();
  if (g.ctx.state === 'suspended') await g.ctx.resume();
  const buf = g.ctx.createBuffer(1, samples.length, sampleRate);
  buf.copyToChannel(Float32Array.from(samples), 0);
  const src = g.ctx.createBufferSource();
  src.buffer = buf;
  src.connect(g.analyser);
  const me = { id, src };
  src.onended = () => {
    if (current === me) {
      current = null;
      notify();
    }
  };
  current = me;
  src.start();
  notify();
}

export function stop(): void {
  if (!current) return;
  const c = current;
  current = null;
  try {
    c.src.stop();
  } catch {
    // already stopped
  }
  c.src.disconnect();
  notify();
}

export const playingId = (): string | null => current?.id ?? null;

export function onPlaying(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** Peak |sample| of the analyser's latest block (0 when nothing plays). */
export function level(): number {
  if (!analyser || !current) return 0;
  if (!scratch || scratch.length !== analyser.fftSize) scratch = new Float32Array(analyser.fftSize);
  analyser.getFloatTimeDomainData(scratch);
  let peak = 0;
  for (const v of scratch) peak = Math.max(peak, Math.abs(v));
  return peak;
}
