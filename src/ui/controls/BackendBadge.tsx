/**
 * Which engine the worker runs on and why (calibration, forced, fallback), with a selector. The details
 * popover closes on Escape, on a click or tap outside it, when focus leaves it, and as soon as the
 * pointer reaches a chart (it must never cover the loss chart's hover readout).
 */
import { useEffect, useId, useRef, useState } from 'react';
import { setBackend } from '../actions';
import { BACKENDS, type BackendChoice } from '../share';
import { useLab } from '../store';

const NAMES: Record<string, string> = { fused: 'Fused (WASM)', webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU', auto: 'Auto (fastest)' };

export function BackendBadge() {
  const backend = useLab((s) => s.backend);
  const choice = useLab((s) => s.view.backend);
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const inside = (t: EventTarget | null) => t instanceof Node && !!root.current?.contains(t);
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      if (inside(document.activeElement)) button.current?.focus();
    };
    const onDown = (e: PointerEvent) => !inside(e.target) && setOpen(false);
    const onOver = (e: PointerEvent) => e.target instanceof Element && e.target.closest('.chart-wrap') && setOpen(false);
    const onFocus = (e: FocusEvent) => !inside(e.target) && setOpen(false);
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onDown);
    document.addEventListener('pointerover', onOver);
    document.addEventListener('focusin', onFocus);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onDown);
      document.removeEventListener('pointerover', onOver);
      document.removeEventListener('focusin', onFocus);
    };
  }, [open]);
  const why = backend ? `${backend.reasonKind}: ${backend.reason}` : 'starting the worker…';
  return (
    <div
      className="backend"
      ref={root}
      onBlur={(e) => {
        // Focus moved out of the badge, selector and popover (to another control or out of the page).
        if (!(e.relatedTarget instanceof Node && root.current?.contains(e.relatedTarget)) && e.relatedTarget !== null) setOpen(false);
      }}
    >
      <button
        ref={button}
        type="button"
        className={`badge backend-badge ${backend ? `on-${backend.name}` : 'pending'}`}
        data-testid="backend-badge"
        data-backend={backend?.name ?? ''}
        aria-expanded={open}
        aria-controls={detailsId}
        title={why}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="dot" aria-hidden />
        {backend ? `Backend: ${NAMES[backend.name] ?? backend.name}` : 'Backend: …'}
        {backend && <span className="badge-why"> · {backend.reasonKind}</span>}
      </button>
      <label className="inline">
        <span className="sr-only">Backend</span>
        <select aria-label="Backend" value={choice} onChange={(e) => setBackend(e.target.value as BackendChoice)}>
          {BACKENDS.map((b) => (
            <option key={b} value={b}>
              {NAMES[b]}
            </option>
          ))}
        </select>
      </label>
      {open && (
        <div className="popover" id={detailsId} role="region" aria-label="Backend details" tabIndex={-1} data-testid="backend-popover">
          <p>{backend?.reason ?? 'The worker has not reported yet.'}</p>
          {backend && (
            <table className="mini">
              <tbody>
                {backend.backends.map((b) => (
                  <tr key={b.name}>
                    <th scope="row">{NAMES[b.name] ?? b.name}</th>
                    <td>{b.status}</td>
                    <td>{b.msPerStep !== undefined ? `${b.msPerStep < 0.1 ? b.msPerStep.toPrecision(2) : b.msPerStep.toFixed(1)} ms/step` : ''}</td>
                    <td className="muted">{b.message ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </div>
  );
}
