/**
 * Exports: runs as CSV and JSON (the config the CLI re-runs, plus the recorded results), charts as
 * standalone SVG and PNG. Everything is built from the live buffers, so it still works after a worker
 * crash. Downloads go through blob URLs (allowed by the page's CSP).
 */
import { ALGORITHM_SPECS } from '../core/algorithms/spec-registry';
import type { ExperimentConfig } from '../core/config';
import { framed, type ExportInfo } from './exportFrame';
import { live } from './live';
import { isOwnData, ownDataMark } from './ownData-link';

export function download(name: string, data: Blob): void {
  const url = URL.createObjectURL(data);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const num = (v: number): string => (Number.isFinite(v) ? String(v) : Number.isNaN(v) ? '' : v > 0 ? 'Infinity' : '-Infinity');
/** CSV field: quoted when needed; a leading =+-@ is defused so spreadsheets never run it as a formula. */
const field = (s: string): string => {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/**
 * The runs as CSV, one row per recorded step. `run` is 1-based, as in `label` ("3: Adam"); the label
 * names the algorithm that took that step (it follows switches). Then the step info each algorithm
 * streamed (one column per key, e.g. L, lambda; empty where not reported) and `monotone`: for steps
 * taken by an MM algorithm on the full batch, whether f has never risen up to that step (held / broken).
 */
export function runsCsv(): string {
  const keys = [...new Set(live.runs.flatMap((r) => [...r.extras.keys()]))].sort();
  const rows = [['run', 'label', 'algorithm', 'step', 'wall_ms', 'train_loss', 'test_loss', ...keys.map(field), 'monotone'].join(',')];
  live.runs.forEach((r, i) => {
    const b = r.buffer;
    for (let j = 0; j < b.length; j++) {
      const t = b.step[j];
      const alg = r.algorithmAt(t);
      const label = alg === r.baseAlgorithm || t === 0 ? r.label : `${i + 1}: ${ALGORITHM_SPECS[alg]?.label ?? alg}`;
      const mm = t > 0 && ALGORITHM_SPECS[alg]?.family === 'mm' && r.monotone.state !== 'n/a';
      const mono = !mm ? '' : r.monotone.brokenAt !== null && t >= r.monotone.brokenAt ? 'broken' : 'held';
      const extras = keys.map((k) => num(r.extraAt(k, t)));
      rows.push([String(i + 1), field(label), field(alg), String(t), b.wall[j].toFixed(3), num(b.loss[j]), num(b.test[j]), ...extras, mono].join(','));
    }
  });
  return `${rows.join('\n')}\n`;
}

export interface ExportedResults {
  backend: string | null;
  steps: number;
  runs: {
    id: string;
    algorithm: string;
    status: string;
    message?: string;
    /** Step index of each recorded loss (long runs are downsampled; t = 0 is the initial point). */
    t: number[];
    losses: (number | null)[];
    testLosses?: (number | null)[];
    wallMs: number[];
    divergedAt?: number;
    switches: { at: number; from: string; to: string; keepState: boolean }[];
    monotone?: { state: string; brokenAt: number | null };
  }[];
}

const jnum = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** `{config, results}`: `config` is exactly what `npm run lab -- run` accepts. */
export function runsJson(config: ExperimentConfig, backend: string | null): string {
  const results: ExportedResults = {
    backend,
    steps: Math.max(0, ...live.runs.map((r) => r.buffer.last('step')).filter(Number.isFinite)),
    runs: live.runs.map((r, i) => {
      const b = r.buffer;
      const hasTest = Array.from(b.test.subarray(0, b.length)).some(Number.isFinite);
      return {
        id: config.runs[i]?.id ?? r.label,
        algorithm: r.currentAlgorithm,
        status: r.status,
        ...(r.message ? { message: r.message } : {}),
        t: Array.from(b.step.subarray(0, b.length)),
        losses: Array.from(b.loss.subarray(0, b.length), jnum),
        ...(hasTest ? { testLosses: Array.from(b.test.subarray(0, b.length), jnum) } : {}),
        wallMs: Array.from(b.wall.subarray(0, b.length), (v) => Math.round(v * 1000) / 1000),
        ...(r.divergedAt !== null ? { divergedAt: r.divergedAt } : {}),
        switches: r.switches,
        ...(r.monotone.state !== 'n/a' ? { monotone: { state: r.monotone.state, brokenAt: r.monotone.brokenAt } } : {}),
      };
    }),
  };
  // Own data (not in share links) is marked so that loading the file back keeps it out of them too.
  const own = isOwnData(config.problem) ? ownDataMark() : null;
  return JSON.stringify({ config, results, ...(own ? { ownData: { origin: own.origin, name: own.name } } : {}) }, null, 1);
}

/**
 * A standalone SVG document for a chart (charts set presentation attributes, not CSS classes); with
 * `info`, framed with its title, run, step and legend (exportFrame.ts).
 */
export function svgText(svg: SVGSVGElement, info?: ExportInfo): string {
  if (info) {
    const { width, height } = svg.getBoundingClientRect();
    const f = framed(svg, Math.round(width), Math.round(height), info);
    return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(f.svg)}`;
  }
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const { width, height } = svg.getBoundingClientRect();
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(Math.round(width)));
  clone.setAttribute('height', String(Math.round(height)));
  clone.setAttribute('font-family', 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif');
  clone.querySelectorAll('[data-no-export]').forEach((n) => n.remove());
  const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', '#ffffff');
  clone.insertBefore(bg, clone.firstChild);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}`;
}

export function exportSvg(svg: SVGSVGElement, name: string, info?: ExportInfo): void {
  download(`${name}.svg`, new Blob([svgText(svg, info)], { type: 'image/svg+xml' }));
}

export async function exportPng(svg: SVGSVGElement, name: string, scale = 2, info?: ExportInfo): Promise<void> {
  const text = svgText(svg, info);
  // The framed picture's own size (the header adds to the chart's height).
  const size = /<svg[^>]*?width="(\d+)"[^>]*?height="(\d+)"/.exec(text);
  const rect = svg.getBoundingClientRect();
  const width = size ? Number(size[1]) : rect.width;
  const height = size ? Number(size[2]) : rect.height;
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('could not render the chart'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const ctx = canvas.getContext('2d')!;
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, width, height);
    const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/png'));
    if (blob) download(`${name}.png`, blob);
  } finally {
    URL.revokeObjectURL(url);
  }
}
