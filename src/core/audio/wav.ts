/**
 * RIFF/WAVE reading and writing, no DOM: PCM 16-bit, PCM 24-bit and IEEE float32 (also inside
 * WAVE_FORMAT_EXTENSIBLE), any number of channels mixed down to mono (the mean of the channels).
 * Anything else is refused with a `WavError` whose message says what the file is and what the lab reads.
 */

/** The longest recording the lab factorises (its spectrogram is V; longer audio is refused, not cut). */
export const MAX_AUDIO_SECONDS = 30;
export const MIN_SAMPLE_RATE = 8000;
export const MAX_SAMPLE_RATE = 96000;

export class WavError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WavError';
  }
}

export interface MonoAudio {
  sampleRate: number;
  /** The mono mix in [−1, 1]. */
  samples: Float32Array;
  /** What the file held, for the page: channels, encoding, seconds. */
  channels: number;
  encoding: 'pcm16' | 'pcm24' | 'float32';
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;
const FORMAT_NAMES: Record<number, string> = { 2: 'Microsoft ADPCM', 6: 'A-law', 7: 'µ-law', 0x11: 'IMA ADPCM', 0x55: 'MP3' };

const tag = (v: DataView, at: number): string => String.fromCharCode(v.getUint8(at), v.getUint8(at + 1), v.getUint8(at + 2), v.getUint8(at + 3));

/** Parses a WAV file's bytes into a mono signal; throws WavError with the reason on anything else. */
export function parseWav(bytes: Uint8Array, maxSeconds = MAX_AUDIO_SECONDS): MonoAudio {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 12 || tag(v, 0) !== 'RIFF' || tag(v, 8) !== 'WAVE')
    throw new WavError(`not a WAV file: it does not start with a RIFF/WAVE header${bytes.byteLength >= 4 ? ` (it starts with ${JSON.stringify(tag(v, 0).replace(/[^\x20-\x7e]/g, '?'))})` : ' (it is shorter than a header)'}`);
  let fmt: { format: number; channels: number; rate: number; bits: number; align: number } | null = null;
  let data: { at: number; size: number } | null = null;
  for (let at = 12; at + 8 <= bytes.byteLength; ) {
    const id = tag(v, at);
    const size = v.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.byteLength) throw new WavError('damaged WAV file: its fmt chunk is shorter than 16 bytes');
      let format = v.getUint16(body, true);
      if (format === FORMAT_EXTENSIBLE && size >= 40 && body + 26 <= bytes.byteLength) format = v.getUint16(body + 24, true);
      fmt = { format, channels: v.getUint16(body + 2, true), rate: v.getUint32(body + 4, true), bits: v.getUint16(body + 14, true), align: v.getUint16(body + 12, true) };
    } else if (id === 'data') {
      // A streamed file may give 0 or 0xFFFFFFFF as the size: read to the end of the file.
      data = { at: body, size: Math.min(size === 0 || size === 0xffffffff ? Infinity : size, bytes.byteLength - body) };
      if (fmt) break;
    }
    at = body + size + (size & 1);
  }
  if (!fmt) throw new WavError('damaged WAV file: it has no fmt chunk (the chunk that says how samples are stored)');
  if (!data) throw new WavError('damaged WAV file: it has no data chunk (no samples)');
  const { format, channels, rate, bits } = fmt;
  const encoding = format === FORMAT_PCM && bits === 16 ? 'pcm16' : format === FORMAT_PCM && bits === 24 ? 'pcm24' : format === FORMAT_FLOAT && bits === 32 ? 'float32' : null;
  if (!encoding) {
    const what = format === FORMAT_PCM ? `${bits}-bit PCM` : format === FORMAT_FLOAT ? `${bits}-bit float` : (FORMAT_NAMES[format] ?? `format code ${format}`);
    throw new WavError(`unsupported WAV encoding: ${what}; the lab reads 16-bit PCM, 24-bit PCM and 32-bit float (re-export the file in one of those)`);
  }
  if (channels < 1) throw new WavError('damaged WAV file: it says it has 0 channels');
  if (rate < MIN_SAMPLE_RATE || rate > MAX_SAMPLE_RATE) throw new WavError(`unsupported sample rate ${rate} Hz: the lab reads ${MIN_SAMPLE_RATE}–${MAX_SAMPLE_RATE} Hz`);
  const width = bits / 8;
  const frame = width * channels;
  const n = Math.floor(data.size / frame);
  if (n === 0) throw new WavError('the WAV file has no samples (its data chunk is empty)');
  const seconds = n / rate;
  if (seconds > maxSeconds) throw new WavError(`the recording is ${seconds.toFixed(1)} s long; the lab factorises at most ${maxSeconds} s (cut it shorter)`);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < channels; c++) {
      const p = data.at + i * frame + c * width;
      if (encoding === 'pcm16') s += v.getInt16(p, true) / 32768;
      else if (encoding === 'pcm24') s += (((v.getUint8(p) | (v.getUint8(p + 1) << 8) | (v.getUint8(p + 2) << 16)) << 8) >> 8) / 8388608;
      else {
        const x = v.getFloat32(p, true);
        s += Number.isFinite(x) ? Math.max(-1, Math.min(1, x)) : 0;
      }
    }
    out[i] = s / channels;
  }
  return { sampleRate: rate, samples: out, channels, encoding };
}

/** A WAV file of `channels` interleaved signals (tests, and the page's "download component"). */
export function encodeWav(signals: Float32Array[], sampleRate: number, encoding: MonoAudio['encoding'] = 'pcm16'): Uint8Array {
  const channels = signals.length;
  const n = signals[0]?.length ?? 0;
  const width = encoding === 'pcm16' ? 2 : encoding === 'pcm24' ? 3 : 4;
  const dataSize = n * channels * width;
  const out = new Uint8Array(44 + dataSize + (dataSize & 1));
  const v = new DataView(out.buffer);
  const put = (at: number, s: string) => [...s].forEach((ch, i) => v.setUint8(at + i, ch.charCodeAt(0)));
  put(0, 'RIFF');
  v.setUint32(4, out.length - 8, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, encoding === 'float32' ? FORMAT_FLOAT : FORMAT_PCM, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * channels * width, true);
  v.setUint16(32, channels * width, true);
  v.setUint16(34, width * 8, true);
  put(36, 'data');
  v.setUint32(40, dataSize, true);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < channels; c++) {
      const p = 44 + (i * channels + c) * width;
      const x = Math.max(-1, Math.min(1, signals[c][i]));
      if (encoding === 'float32') v.setFloat32(p, x, true);
      else if (encoding === 'pcm16') v.setInt16(p, Math.max(-32768, Math.min(32767, Math.round(x * 32768))), true);
      else {
        const q = Math.max(-8388608, Math.min(8388607, Math.round(x * 8388608)));
        v.setUint8(p, q & 0xff);
        v.setUint8(p + 1, (q >> 8) & 0xff);
        v.setUint8(p + 2, (q >> 16) & 0xff);
      }
    }
  return out;
}
