/**
 * The progress line on stderr: `step 12000/300000 · 5130 steps/s · ETA 56 s`. It appears only once a
 * command has run for a second, and only where someone reads it: on a terminal it is one line
 * rewritten in place (and erased at the end, so the terminal keeps only the output); when stderr is
 * not a terminal (a pipe, a file, CI) it says nothing, unless asked for (`--progress`), and then it
 * prints a plain line every second.
 */

export interface ProgressSink {
  isTTY?: boolean;
  write(chunk: string): unknown;
}

export interface ProgressOptions {
  /** What is counted, plural ("steps"). */
  unit: string;
  total: number;
  /** Forced on (true) or off (false); null: on when the sink is a terminal. */
  force: boolean | null;
  sink?: ProgressSink;
  /** Before this, nothing is shown (ms). */
  delayMs?: number;
  now?: () => number;
  /** Extra text in front of the counts, e.g. "sweep lr: 3/8 points". */
  prefix?: () => string;
}

export interface Progress {
  /** `done` units are done (cheap to call every step: it reads the clock and returns). */
  update(done: number): void;
  /** Erases the line on a terminal, so that other output can be written there (it comes back). */
  clear(): void;
  /** Erases the line on a terminal (or prints the last one when forced off a terminal). */
  end(): void;
}

const fmtRate = (r: number): string => (r >= 100 ? String(Math.round(r)) : r >= 10 ? r.toFixed(1) : r.toPrecision(2));

export function fmtSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(Math.round(s - 60 * m)).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** The text of the line: done/total, rate, ETA. */
export function progressText(unit: string, done: number, total: number, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (1000 * done) / elapsedMs : 0;
  // The first 1% says little about the rate (start-up, compilation): no ETA until then.
  const eta = rate > 0 && done >= total / 100 ? (total - done) / rate : Infinity;
  const singular = unit.replace(/s$/, '');
  return `${singular} ${done}/${total} · ${fmtRate(rate)} ${unit}/s · ETA ${fmtSeconds(eta)}`;
}

export function progress(o: ProgressOptions): Progress {
  const sink = o.sink ?? process.stderr;
  const tty = Boolean(sink.isTTY);
  const on = o.force ?? tty;
  const now = o.now ?? (() => performance.now());
  const t0 = now();
  const delay = o.delayMs ?? 1000;
  const every = tty ? 200 : 1000;
  let next = t0 + delay;
  let shown = false;
  let done = 0;
  const text = (): string => `${o.prefix ? `${o.prefix()} · ` : ''}${progressText(o.unit, done, o.total, now() - t0)}`;
  return {
    update(d) {
      done = d;
      if (!on) return;
      const t = now();
      if (t < next) return;
      next = t + every;
      shown = true;
      sink.write(tty ? `\r\x1b[K${text()}` : `${text()}\n`);
    },
    clear() {
      if (!on || !shown || !tty) return;
      sink.write('\r\x1b[K');
      shown = false;
    },
    end() {
      if (!on || !shown) return;
      sink.write(tty ? '\r\x1b[K' : `${text()}\n`);
    },
  };
}
