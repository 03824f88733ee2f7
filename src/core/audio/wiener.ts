/**
 * Hearing NMF's components: Wiener-style masks. With V ≈ WH (bins × frames), component k's share of
 * each time–frequency point is M_k = (W_k H_k) / (WH) — the posterior mean of source k's STFT under
 * IS-NMF's Gaussian composite model (Févotte, Bertin & Durrieu 2009, eq. 13) — and its signal is
 * istft(M_k ⊙ X), X the mixture's STFT. The masks sum to 1 at every point, so the component signals
 * sum to the mixture (exactly, up to rounding, since the inverse STFT is linear).
 */
import { istft, type Stft } from './stft';

/**
 * The masks, K × (bins·frames): W is bins × K and H is K × frames, row-major (θ's layout). Where
 * WH = 0 (every component silent there) the point is shared equally, so the masks still sum to 1.
 */
export function wienerMasks(W: ArrayLike<number>, H: ArrayLike<number>, K: number, bins: number, frames: number): Float64Array[] {
  const masks = Array.from({ length: K }, () => new Float64Array(bins * frames));
  const part = new Float64Array(K);
  for (let b = 0; b < bins; b++)
    for (let t = 0; t < frames; t++) {
      let sum = 0;
      for (let k = 0; k < K; k++) {
        part[k] = Math.max(0, W[b * K + k]) * Math.max(0, H[k * frames + t]);
        sum += part[k];
      }
      const at = b * frames + t;
      for (let k = 0; k < K; k++) masks[k][at] = sum > 0 && Number.isFinite(sum) ? part[k] / sum : 1 / K;
    }
  return masks;
}

/** Each component's signal: istft(M_k ⊙ X). */
export function wienerComponents(X: Stft, W: ArrayLike<number>, H: ArrayLike<number>, K: number): Float32Array[] {
  if (W.length !== X.bins * K || H.length !== K * X.frames)
    throw new Error(`W (${W.length} entries) and H (${H.length}) do not match the STFT's ${X.bins} bins × ${X.frames} frames at rank ${K}`);
  return wienerMasks(W, H, K, X.bins, X.frames).map((m) =>
    istft({ ...X, re: X.re.map((v, i) => v * m[i]), im: X.im.map((v, i) => v * m[i]) }),
  );
}
