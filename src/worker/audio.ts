/**
 * Answers `requestAudio`: run `run`'s NMF components as sound. θ = [W; H] is read through the engine
 * interface (as views.ts's nmfView does, without blocking a GPU), whichever engine runs the session;
 * the mixture's STFT comes from core/audio/analysis.ts (the one V was built from), and each
 * component's signal is istft(W_k H_k / WH ⊙ X) (core/audio/wiener.ts).
 */
import { analyseAudio } from '../core/audio/analysis';
import { wienerComponents } from '../core/audio/wiener';
import type { ExperimentConfig } from '../core/config';
import type { Experiment } from '../core/fold/experiment';
import type { Run } from '../core/fold/run';
import type { AudioEvt } from './protocol';

export type ComponentAudio = Omit<AudioEvt, 'type' | 'epoch' | 'run' | 'requestId' | 't'>;

export async function componentAudio(config: ExperimentConfig, exp: Experiment, run: Run): Promise<ComponentAudio> {
  const p = config.problem;
  if (p.kind !== 'nmf' || p.data.kind !== 'audio')
    throw new Error(`no audio to play: the problem is ${p.kind === 'nmf' ? `NMF on ${p.data.kind} data` : 'not NMF'} (choose NMF data 'Audio' to hear components)`);
  if (run.status === 'diverged' || run.status === 'error') throw new Error(`run ${exp.runs.indexOf(run) + 1} has stopped (${run.status}): its factors are not finite`);
  const a = analyseAudio(p.data);
  const [w, h] = exp.problem.layout;
  const ops = exp.problem.ops;
  const theta = ops.read ? await ops.read(run.theta) : ops.toArray(run.theta);
  const [m, K] = w.shape;
  const n = h.shape[1];
  if (m !== a.X.bins || n !== a.X.frames) throw new Error(`the run's factors (${m}×${K}, ${K}×${n}) do not match the audio's ${a.X.bins} bins × ${a.X.frames} frames`);
  const W = Float32Array.from(theta.subarray(w.offset, w.offset + w.size));
  const H = Float32Array.from(theta.subarray(h.offset, h.offset + h.size));
  const parts = wienerComponents(a.X, W, H, K);
  const L = a.signal.length;
  const components = new Float32Array(K * L);
  parts.forEach((c, k) => components.set(c, k * L));
  return {
    sampleRate: a.sampleRate,
    mixture: a.signal.slice(),
    components,
    rank: K,
    W: { data: W, shape: [m, K] },
    H: { data: H, shape: [K, n] },
    hzPerBin: a.hzPerBin,
    secondsPerFrame: a.secondsPerFrame,
  };
}
