/**
 * Mounts its children once the session's first point is on screen: the panels below the loss chart
 * (views, network, audio, sweep, explanation, glossary, presets) are a third of the page's first
 * render, and a share link's first plotted point should not wait for them. They mount on the task
 * after the frame that drew the first point — or after 1.5 s if no session starts (a bad link, a
 * crashed worker) — and stay mounted. Their code is a chunk of its own, fetched then.
 */
import { Suspense, useEffect, useState, type ReactNode } from 'react';
import { useLab } from '../store';

const FALLBACK_MS = 1500;

export function AfterFirstPoint({ children }: { children: ReactNode }) {
  const started = useLab((s) => s.session !== null);
  const [late, setLate] = useState(false);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const id = setTimeout(() => setLate(true), FALLBACK_MS);
    return () => clearTimeout(id);
  }, []);
  useEffect(() => {
    if (ready || !(started || late)) return;
    // The loss chart draws on the next animation frame; mount after it has painted.
    let timer = 0;
    const frame = requestAnimationFrame(() => {
      timer = window.setTimeout(() => setReady(true), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [started, late, ready]);
  // Suspense: the panels' chunk may still be loading (SecondaryCharts.tsx).
  return ready ? <Suspense fallback={null}>{children}</Suspense> : null;
}
