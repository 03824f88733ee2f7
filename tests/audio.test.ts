/**
 * core/audio: the STFT/ISTFT round trip (perfect reconstruction for the windows and hops the config
 * allows), the WAV parser on good and bad files made here, base64 PCM, Wiener masks summing to the
 * mixture, and the audio data's config validation and V.
 */
import { describe, expect, it } from 'vitest';
import { analyseAudio, checkAudible } from '../src/core/audio/analysis';
import { decodePcm16, encodePcm16, fromBase64, toBase64 } from '../src/core/audio/pcm';
import { stftFrames } from '../src/core/audio/shape';
import { istft, stft } from '../src/core/audio/stft';
import { synthPiece } from '../src/core/audio/synth';
import { encodeWav, parseWav, WavError } from '../src/core/audio/wav';
import { wienerComponents, wienerMasks } from '../src/core/audio/wiener';
import { CONFIG_VERSION, nmfShape, parseExperiment, type NMFProblemConfig } from '../src/core/config';
import { nmfData } from '../src/core/problems/nmf-data';
import { Rng } from '../src/core/rng';

const noise = (n: number, seed = 3): Float32Array => {
  const r = new Rng(seed);
  return Float32Array.from({ length: n }, () => 0.5 * (2 * r.uniform() - 1));
};
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let e = 0;
  for (let i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i] - b[i]));
  return e;
};

describe('STFT / ISTFT', () => {
  for (const [fft, hop, window] of [[1024, 256, 'hann'], [512, 256, 'hann'], [256, 64, 'hamming'], [64, 32, 'hamming'], [64, 7, 'hann'], [128, 1, 'hann']] as const)
    it(`reconstructs the signal exactly: fft ${fft}, hop ${hop}, ${window}`, () => {
      const x = noise(3001);
      const X = stft(x, { fft, hop, window });
      expect(X.frames).toBe(stftFrames(x.length, fft, hop));
      expect(X.bins).toBe(fft / 2 + 1);
      expect(maxAbsDiff(istft(X), x)).toBeLessThan(1e-6);
    });

  it('puts a sinusoid at its bin, with the frame centred on sample t·hop', () => {
    const sr = 8000;
    const x = Float32Array.from({ length: 4000 }, (_, i) => Math.sin((2 * Math.PI * 1000 * i) / sr));
    const X = stft(x, { fft: 256, hop: 64, window: 'hann' });
    const t = 20;
    const power = Array.from({ length: X.bins }, (_, b) => X.re[b * X.frames + t] ** 2 + X.im[b * X.frames + t] ** 2);
    expect(power.indexOf(Math.max(...power))).toBe(Math.round((1000 * 256) / sr));
  });

  it('refuses a hop that leaves samples uncovered', () => {
    expect(() => stft(noise(100), { fft: 64, hop: 40, window: 'hann' })).toThrow(/hop must be an integer in \[1, fft\/2 = 32\]/);
  });
});

describe('WAV parser', () => {
  const x = noise(1000, 5);
  it('reads 16-bit, 24-bit and float32 files, mono and stereo (mixed down to the mean)', () => {
    for (const enc of ['pcm16', 'pcm24', 'float32'] as const) {
      const tol = enc === 'pcm16' ? 2 ** -15 : enc === 'pcm24' ? 2 ** -23 : 1e-7;
      const mono = parseWav(encodeWav([x], 22050, enc));
      expect(mono).toMatchObject({ sampleRate: 22050, channels: 1, encoding: enc });
      expect(maxAbsDiff(mono.samples, x)).toBeLessThanOrEqual(tol);
      const y = Float32Array.from(x, (v) => -0.5 * v);
      const st = parseWav(encodeWav([x, y], 44100, enc));
      expect(st.channels).toBe(2);
      expect(maxAbsDiff(st.samples, Float32Array.from(x, (v) => 0.25 * v))).toBeLessThanOrEqual(2 * tol);
    }
  });

  it('skips unknown chunks and reads WAVE_FORMAT_EXTENSIBLE', () => {
    const plain = encodeWav([x], 16000, 'pcm16');
    // insert a LIST chunk between fmt and data
    const list = new Uint8Array([0x4c, 0x49, 0x53, 0x54, 4, 0, 0, 0, 1, 2, 3, 4]);
    const withList = new Uint8Array(plain.length + list.length);
    withList.set(plain.subarray(0, 36));
    withList.set(list, 36);
    withList.set(plain.subarray(36), 36 + list.length);
    expect(parseWav(withList).samples.length).toBe(1000);
    // extensible: fmt chunk of 40 bytes whose sub-format is PCM
    const ext = new Uint8Array(plain.length + 24);
    ext.set(plain.subarray(0, 36));
    const v = new DataView(ext.buffer);
    v.setUint32(16, 40, true);
    v.setUint16(20, 0xfffe, true);
    v.setUint16(36, 22, true);
    v.setUint16(44, 1, true); // sub-format GUID starts with the format code
    ext.set(plain.subarray(36), 60);
    expect(maxAbsDiff(parseWav(ext).samples, parseWav(plain).samples)).toBe(0);
  });

  it('refuses what it cannot read, saying why', () => {
    const bad = (b: Uint8Array) => {
      try {
        parseWav(b);
      } catch (e) {
        expect(e).toBeInstanceOf(WavError);
        return (e as Error).message;
      }
      throw new Error('parsed');
    };
    expect(bad(new TextEncoder().encode('ID3\u0003 this is an mp3'))).toMatch(/not a WAV file: it does not start with a RIFF\/WAVE header \(it starts with "ID3\?"\)/);
    expect(bad(new Uint8Array(3))).toMatch(/shorter than a header/);
    const pcm8 = encodeWav([x], 16000, 'pcm16');
    new DataView(pcm8.buffer).setUint16(34, 8, true);
    expect(bad(pcm8)).toMatch(/unsupported WAV encoding: 8-bit PCM; the lab reads 16-bit PCM, 24-bit PCM and 32-bit float/);
    const mp3 = encodeWav([x], 16000, 'pcm16');
    new DataView(mp3.buffer).setUint16(20, 0x55, true);
    expect(bad(mp3)).toMatch(/unsupported WAV encoding: MP3/);
    const slow = encodeWav([x], 16000, 'pcm16');
    new DataView(slow.buffer).setUint32(24, 4000, true);
    expect(bad(slow)).toMatch(/unsupported sample rate 4000 Hz: the lab reads 8000–96000 Hz/);
    expect(bad(encodeWav([new Float32Array(8000 * 31)], 8000))).toMatch(/the recording is 31\.0 s long; the lab factorises at most 30 s/);
    expect(bad(encodeWav([new Float32Array(0)], 8000))).toMatch(/has no samples/);
    expect(bad(encodeWav([x], 16000).subarray(0, 36))).toMatch(/no data chunk/);
  });

  it('calls a silent recording silent', () => {
    expect(() => checkAudible(parseWav(encodeWav([new Float32Array(800)], 8000)).samples)).toThrow(/the audio is silent \(peak 0/);
    expect(() => checkAudible(x)).not.toThrow();
  });
});

describe('base64 PCM', () => {
  it('round-trips bytes and 16-bit samples', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 100]) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 255);
      expect(Array.from(fromBase64(toBase64(b)))).toEqual(Array.from(b));
    }
    expect(toBase64(new TextEncoder().encode('Man'))).toBe('TWFu');
    const x = noise(501);
    expect(maxAbsDiff(decodePcm16(encodePcm16(x)), x)).toBeLessThanOrEqual(2 ** -16);
    expect(() => fromBase64('ab$d')).toThrow(/not base64/);
  });
});

describe('Wiener masks', () => {
  it('sum to 1 at every point, so the components sum to the mixture', () => {
    const x = synthPiece({ name: 'piano-notes', sampleRate: 8000, noteSeconds: 0.3 });
    const X = stft(x, { fft: 256, hop: 64, window: 'hann' });
    const K = 3;
    const r = new Rng(9);
    const W = Float32Array.from({ length: X.bins * K }, () => r.uniform());
    const H = Float32Array.from({ length: K * X.frames }, () => r.uniform());
    H.fill(0, 0, X.frames); // a silent component
    W.fill(0, 0, K); // a bin where every component is 0: shared equally
    const masks = wienerMasks(W, H, K, X.bins, X.frames);
    for (let i = 0; i < masks[0].length; i++) expect(Math.abs(masks[0][i] + masks[1][i] + masks[2][i] - 1)).toBeLessThan(1e-12);
    const parts = wienerComponents(X, W, H, K);
    const sum = Float32Array.from(x, (_, i) => parts[0][i] + parts[1][i] + parts[2][i]);
    expect(maxAbsDiff(sum, x)).toBeLessThan(1e-5);
    // a component silent everywhere (H's row 0, W without all-zero bins) is silence
    W.fill(0.5, 0, K);
    expect(maxAbsDiff(wienerComponents(X, W, H, K)[0], new Float32Array(x.length))).toBe(0);
    expect(() => wienerComponents(X, W.subarray(1), H, K)).toThrow(/do not match/);
  });
});

describe('audio NMF data', () => {
  const problem = (data: unknown) => ({ version: CONFIG_VERSION, problem: { kind: 'nmf', beta: 0, rank: 3, data }, runs: [{ algorithm: 'nmf-mm' }] });
  it('builds V = |STFT|² of the built-in piece, normalised, with the shape the config check predicts', () => {
    const r = parseExperiment(problem({ kind: 'audio', source: { kind: 'builtin', name: 'piano-notes' }, stft: { fft: 512, hop: 128 } }));
    if (!r.ok) throw new Error(r.errors.join('; '));
    const p = r.config.problem as NMFProblemConfig;
    expect(p.data).toMatchObject({ source: { sampleRate: 16000, noteSeconds: 0.5 }, stft: { window: 'hann' } });
    const V = nmfData(p, 0);
    expect([V.length, V[0].length]).toEqual(nmfShape(p));
    expect(Math.max(...V.flat())).toBeCloseTo(1 + 1e-6, 9);
    expect(Math.min(...V.flat())).toBeGreaterThanOrEqual(1e-6);
    if (p.data.kind !== 'audio') throw new Error('not audio');
    const a = analyseAudio(p.data);
    expect(a.hzPerBin).toBe(16000 / 512);
    expect(a.secondsPerFrame).toBe(128 / 16000);
    expect(nmfData(p, 0)).toEqual(V);
  });

  it('carries an upload as base64 PCM and checks its length and V size', () => {
    const x = synthPiece({ name: 'piano-notes', sampleRate: 8000, noteSeconds: 0.25 });
    const up = { kind: 'upload', name: 'a.wav', sampleRate: 8000, pcm16: encodePcm16(x) };
    const ok = parseExperiment(problem({ kind: 'audio', source: up, stft: { fft: 256, hop: 64 } }));
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(nmfData(ok.config.problem as NMFProblemConfig, 0).length).toBe(129);
    const errs = (data: unknown) => {
      const r = parseExperiment(problem(data));
      return r.ok ? [] : r.errors;
    };
    expect(errs({ kind: 'audio', source: up, stft: { fft: 256, hop: 200 } }).join()).toMatch(/stft\.hop must be at most fft\/2/);
    expect(errs({ kind: 'audio', source: up, stft: { fft: 300, hop: 64 } }).join()).toMatch(/stft\.fft must be a power of two/);
    expect(errs({ kind: 'audio', source: { ...up, pcm16: 'not base64!' } }).join()).toMatch(/pcm16 must be base64/);
    const long = { ...up, pcm16: encodePcm16(new Float32Array(8000 * 31).fill(0.1)) };
    expect(errs({ kind: 'audio', source: long, stft: { fft: 4096, hop: 2048 } }).join()).toMatch(/31\.0 s long, at most 30 s/);
    const big = { ...up, pcm16: encodePcm16(new Float32Array(8000 * 29).fill(0.1)) };
    expect(errs({ kind: 'audio', source: big, stft: { fft: 4096, hop: 16 } }).join()).toMatch(/at most 1048576 entries in V \(this audio gives 2049 bins × \d+ frames: raise stft\.hop/);
    expect(errs({ kind: 'audio', source: { kind: 'builtin', name: 'violin' } }).join()).toMatch(/audio piece must be one of piano-notes/);
  });

  it('refuses silent audio when V is built, with the reason', () => {
    const silent = parseExperiment(problem({ kind: 'audio', source: { kind: 'upload', sampleRate: 8000, pcm16: encodePcm16(new Float32Array(4000)) } }));
    if (!silent.ok) throw new Error(silent.errors.join());
    expect(() => nmfData(silent.config.problem as NMFProblemConfig, 0)).toThrow(/the audio is silent/);
  });
});
