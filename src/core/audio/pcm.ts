/**
 * Uploaded audio in a config: the mono mix as 16-bit PCM (little-endian), base64-encoded, so a config
 * stays JSON (Export JSON carries it; share links never do — see ui/limits.ts). Pure TS, no atob/Buffer.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/** Base64 of `bytes` (standard alphabet, '=' padding). */
export function toBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 3 * 4096;
  for (let s = 0; s < bytes.length; s += CHUNK) {
    let out = '';
    const end = Math.min(bytes.length, s + CHUNK);
    for (let i = s; i < end; i += 3) {
      const a = bytes[i];
      const b = i + 1 < end ? bytes[i + 1] : 0;
      const c = i + 2 < end ? bytes[i + 2] : 0;
      const n = (a << 16) | (b << 8) | c;
      out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + (i + 1 < end ? ALPHABET[(n >> 6) & 63] : '=') + (i + 2 < end ? ALPHABET[n & 63] : '=');
    }
    parts.push(out);
  }
  return parts.join('');
}

/** Bytes of a base64 string; throws on characters outside the alphabet. */
export function fromBase64(s: string): Uint8Array {
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const out = new Uint8Array(base64Bytes(s));
  let o = 0;
  for (let i = 0; i < s.length - pad; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const ch = i + j < s.length - pad ? s.charCodeAt(i + j) : 65;
      const d = ch < 128 ? LOOKUP[ch] : -1;
      if (d < 0) throw new Error(`not base64: character ${JSON.stringify(s[i + j])} at ${i + j}`);
      n = (n << 6) | d;
    }
    if (o < out.length) out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

/** Bytes a base64 string decodes to (from its length alone). */
export function base64Bytes(s: string): number {
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((s.length * 3) / 4) - pad);
}

/** The mono signal as base64 16-bit PCM (rounded, clipped to [−1, 1)). */
export function encodePcm16(samples: Float32Array): string {
  const bytes = new Uint8Array(samples.length * 2);
  const v = new DataView(bytes.buffer);
  for (let i = 0; i < samples.length; i++) v.setInt16(2 * i, Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32768))), true);
  return toBase64(bytes);
}

export function decodePcm16(b64: string): Float32Array {
  const bytes = fromBase64(b64);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = v.getInt16(2 * i, true) / 32768;
  return out;
}
