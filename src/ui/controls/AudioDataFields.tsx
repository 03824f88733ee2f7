/**
 * NMF on audio: the source (a built-in piece, named with its parameters so a share link carries it, or
 * an uploaded WAV — read here with core/audio/wav.ts, refused with the parser's reason, and never put in
 * a share link) and the STFT (FFT size, hop, window) whose power spectrogram is V.
 */
import { useState } from 'react';
import { checkAudible } from '../../core/audio/analysis';
import { encodePcm16 } from '../../core/audio/pcm';
import { stftBins, stftFrames } from '../../core/audio/shape';
import { MAX_AUDIO_SECONDS, parseWav } from '../../core/audio/wav';
import { LIMITS, nmfShape, type NMFProblemConfig } from '../../core/config';
import { NumField, SelectField } from './fields';

type AudioData = Extract<NMFProblemConfig['data'], { kind: 'audio' }>;

export const BUILTIN_AUDIO: AudioData = {
  kind: 'audio',
  source: { kind: 'builtin', name: 'piano-notes', sampleRate: 16000, noteSeconds: 0.5 },
  stft: { fft: 1024, hop: 256, window: 'hann' },
};

const FFTS = ['256', '512', '1024', '2048', '4096'] as const;

/** The smallest hop (a multiple of 16, ≤ fft/2) that keeps V within the page's limit, or null. */
export function hopThatFits(samples: number, fft: number, want: number): number | null {
  for (let hop = want; hop <= fft / 2; hop += 16) if (stftBins(fft) * stftFrames(samples, fft, hop) <= LIMITS.nmfEntries) return hop;
  return null;
}

interface Props {
  p: NMFProblemConfig & { data: AudioData };
  err: (path: string) => string | undefined;
  setData: (data: AudioData) => void;
}

export function AudioDataFields({ p, err, setData }: Props) {
  const data = p.data;
  const src = data.source;
  const [upload, setUpload] = useState<{ error?: string; info?: string }>({});
  const setStft = (patch: Partial<AudioData['stft']>) => setData({ ...data, stft: { ...data.stft, ...patch } });
  const [bins, frames] = nmfShape(p);

  const onFile = async (file: File) => {
    try {
      const wav = parseWav(new Uint8Array(await file.arrayBuffer()));
      checkAudible(wav.samples);
      const n = wav.samples.length;
      let { fft, hop } = data.stft;
      let fit = hopThatFits(n, fft, hop);
      for (const f of [1024, 512, 256]) if (fit === null && f < fft) [fft, fit] = [f, hopThatFits(n, f, Math.min(hop, f / 2))];
      if (fit === null) throw new Error('the recording is too long for the page at any STFT setting');
      hop = fit;
      setData({ ...data, source: { kind: 'upload', name: file.name.slice(0, 200), sampleRate: wav.sampleRate, pcm16: encodePcm16(wav.samples) }, stft: { ...data.stft, fft, hop } });
      setUpload({ info: `${file.name}: ${(n / wav.sampleRate).toFixed(2)} s, ${wav.sampleRate} Hz, ${wav.channels === 1 ? 'mono' : `${wav.channels} channels mixed to mono`}, ${wav.encoding}` });
    } catch (e) {
      setUpload({ error: `${file.name}: ${e instanceof Error ? e.message : String(e)}` });
    }
  };

  return (
    <div className="audio-fields" data-testid="audio-fields">
      <SelectField
        label="Sound"
        value={src.kind}
        options={[
          { value: 'builtin', label: 'Built-in: piano-like notes' },
          { value: 'upload', label: 'Uploaded WAV' },
        ]}
        onChange={(k) => k === 'builtin' && setData({ ...data, source: BUILTIN_AUDIO.source })}
      />
      {src.kind === 'builtin' ? (
        <div className="row2">
          <NumField label="Sample rate (Hz)" value={src.sampleRate} error={err('problem.data.source.sampleRate')} onChange={(sampleRate) => setData({ ...data, source: { ...src, sampleRate } })} />
          <NumField label="Seconds per note" value={src.noteSeconds} error={err('problem.data.source.noteSeconds')} onChange={(noteSeconds) => setData({ ...data, source: { ...src, noteSeconds } })} />
        </div>
      ) : (
        <p className="muted small">
          {src.name} · {src.sampleRate} Hz · kept in the page and in Export JSON only: <strong>uploaded audio is never put in a share link</strong>.
        </p>
      )}
      <label className="field">
        <span>Upload a WAV (16/24-bit PCM or 32-bit float, mono or stereo, up to {MAX_AUDIO_SECONDS} s)</span>
        <input type="file" accept=".wav,audio/wav,audio/x-wav,audio/wave" data-testid="audio-upload" onChange={(e) => e.target.files?.[0] && void onFile(e.target.files[0])} />
      </label>
      {upload.error && (
        <p className="field-error" role="alert" data-testid="audio-upload-error">
          {upload.error}
        </p>
      )}
      {upload.info && !upload.error && <p className="muted small">{upload.info}</p>}
      <div className="row3">
        <SelectField label="FFT size" value={String(data.stft.fft) as (typeof FFTS)[number]} options={FFTS} error={err('problem.data.stft.fft')} onChange={(v) => setStft({ fft: Number(v), hop: Math.min(data.stft.hop, Number(v) / 2) })} />
        <NumField label="Hop (samples)" value={data.stft.hop} error={err('problem.data.stft.hop')} onChange={(hop) => setStft({ hop })} />
        <SelectField label="Window" value={data.stft.window} options={['hann', 'hamming'] as const} onChange={(window) => setStft({ window })} />
      </div>
      <p className="muted small">
        V = power spectrogram: {bins} bins (0–{src.sampleRate / 2} Hz, {(src.sampleRate / data.stft.fft).toFixed(1)} Hz apart) × {frames} frames ({((1000 * data.stft.hop) / src.sampleRate).toFixed(1)} ms apart); hop ≤ FFT/2.
      </p>
    </div>
  );
}
