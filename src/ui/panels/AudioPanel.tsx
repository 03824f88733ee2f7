/**
 * Hear the components (NMF on audio only): asks the worker for the selected run's component signals
 * (Wiener masks W_k H_k / WH on the mixture's STFT, inverse STFT — src/worker/audio.ts), then plays
 * the mixture, the sum of the components and each component with the Web Audio API (audio-player.ts),
 * with a level meter read from the page's AnalyserNode, and draws W and H in Hz and seconds.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { encodeWav } from '../../core/audio/wav';
import { play, stop, level, onPlaying, playingId } from '../audio-player';
import { useAudio } from '../audio-state';
import { ChartCard } from '../charts/ChartCard';
import { ComponentSpectra } from '../charts/ComponentSpectra';
import { componentColor } from '../charts/nmfSpectra';
import { send } from '../engine';
import { download } from '../export';
import { useLab } from '../store';
import './audio.css';

export function AudioPanel() {
  const problem = useLab((s) => s.session?.config.problem);
  const epoch = useLab((s) => s.session?.epoch);
  const sel = useLab((s) => s.view.sel);
  const t = useLab((s) => s.t);
  const { evt: raw, error, pending } = useAudio();
  const evt = raw && raw.epoch === epoch ? raw : null;
  const [logFreq, setLogFreq] = useState(true);
  const [now, setNow] = useState<string | null>(playingId());
  const svgRef = useRef<SVGSVGElement>(null);
  const meter = useRef<HTMLDivElement>(null);
  useEffect(() => onPlaying(setNow), []);
  useEffect(() => () => stop(), [epoch]);
  // The level meter follows the analyser while something plays.
  useEffect(() => {
    if (!now) return;
    let id = 0;
    let peak = 0;
    const tick = () => {
      const v = level();
      peak = Math.max(peak, v);
      if (meter.current) {
        meter.current.style.setProperty('--level', `${Math.min(100, 100 * Math.sqrt(v))}%`);
        meter.current.dataset.peak = peak.toFixed(4);
      }
      id = requestAnimationFrame(tick);
    };
    id = requestAnimationFrame(tick);
    return () => {
      cancelAnimationFrame(id);
      meter.current?.style.setProperty('--level', '0%');
    };
  }, [now]);

  const tracks = useMemo(() => {
    if (!evt) return [];
    const L = evt.mixture.length;
    const parts = Array.from({ length: evt.rank }, (_, k) => evt.components.subarray(k * L, (k + 1) * L));
    const sum = new Float32Array(L);
    parts.forEach((p) => p.forEach((v, i) => (sum[i] += v)));
    const energy = (x: Float32Array) => x.reduce((a, v) => a + v * v, 0);
    const total = energy(evt.mixture) || 1;
    return [
      { id: 'mixture', label: 'Mixture (the input)', samples: evt.mixture, color: '#1f2328', share: '' },
      { id: 'sum', label: 'Sum of the components', samples: sum, color: '#6a717a', share: '' },
      ...parts.map((p, k) => ({ id: `k${k + 1}`, label: `Component k=${k + 1}`, samples: p, color: componentColor(k), share: `${((100 * energy(p)) / total).toFixed(1)}% of the energy` })),
    ];
  }, [evt]);

  if (problem?.kind !== 'nmf' || problem.data.kind !== 'audio') return null;
  const upload = problem.data.source.kind === 'upload';
  const ask = () => {
    useAudio.setState({ pending: true, error: null });
    send({ type: 'requestAudio', run: sel });
  };
  return (
    <ChartCard
      title="Hear the components"
      name="mmlab-components"
      svgRef={evt ? svgRef : undefined}
      className="span-2"
      subtitle={<span className="muted">{evt ? `run ${evt.run + 1} at step ${evt.t} · ${evt.sampleRate} Hz · ${(evt.mixture.length / evt.sampleRate).toFixed(2)} s` : 'Wiener masks W_k H_k / WH on the mixture’s STFT, then the inverse STFT'}</span>}
      actions={
        <label className="check small">
          <input type="checkbox" checked={logFreq} onChange={(e) => setLogFreq(e.target.checked)} /> Log frequency
        </label>
      }
    >
      <div className="audio-panel" data-testid="audio-panel">
        <div className="buttons">
          <button type="button" onClick={ask} disabled={pending} data-testid="audio-separate">
            {pending ? 'Separating…' : `Separate run ${sel + 1} at step ${t}`}
          </button>
          <div className="level-meter" ref={meter} data-testid="audio-level" data-peak="0" aria-label="output level" title="output level (Web Audio analyser)" />
        </div>
        {error && <p className="field-error" role="alert">{error}</p>}
        {upload && <p className="muted small">Uploaded audio stays in this page: it is never put in a share link (Export JSON keeps it).</p>}
        {evt && (
          <>
            <ul className="audio-tracks" data-testid="audio-tracks">
              {tracks.map((tr) => (
                <li key={tr.id} data-track={tr.id}>
                  <span className="dot" style={{ background: tr.color }} />
                  <span className="track-label">{tr.label}</span>
                  <span className="muted small">{tr.share}</span>
                  <button type="button" className="secondary small" aria-label={`${now === tr.id ? 'Stop' : 'Play'} ${tr.label}`} onClick={() => (now === tr.id ? stop() : void play(tr.id, tr.samples, evt.sampleRate))}>
                    {now === tr.id ? '■ Stop' : '▶ Play'}
                  </button>
                  <button type="button" className="ghost small" aria-label={`Download ${tr.label} as WAV`} onClick={() => download(`mmlab-${tr.id}.wav`, new Blob([encodeWav([tr.samples], evt.sampleRate).buffer as ArrayBuffer], { type: 'audio/wav' }))}>
                    WAV
                  </button>
                </li>
              ))}
            </ul>
            <ComponentSpectra evt={evt} logFreq={logFreq} svgRef={svgRef} />
          </>
        )}
      </div>
    </ChartCard>
  );
}
