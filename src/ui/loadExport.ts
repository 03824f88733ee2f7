/**
 * Loading an exported JSON back into the page (Open JSON… or a file dropped on the page): the file's
 * `config` (or a bare config, as `mm-lab run` accepts) is validated like a share link and opened as a
 * paused session; what the file recorded (backend, steps, each run's final loss) is said in a notice.
 */
import { parseExperiment, type ExperimentConfig } from '../core/config';
import { openExperiment } from './actions';
import type { ExportedResults } from './export';
import { fmtHyper } from './hyperDiff';
import { getLab, setLab, type Notice } from './store';
import { markLoadedOwnData } from './ownData';
import type { OwnOrigin } from './ownData-link';

/** Exports of the biggest in-limit experiments stay far below this. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

export type LoadedExport = { ok: true; config: ExperimentConfig; recorded: string[]; ownData?: { origin: OwnOrigin; name: string } } | { ok: false; errors: string[] };

/** The experiment in an export's text, and what it recorded, in words. */
export function readExport(text: string): LoadedExport {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, errors: ['the file is not valid JSON'] };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, errors: ['the file holds no experiment'] };
  const obj = raw as { config?: unknown; results?: ExportedResults; ownData?: { origin?: unknown; name?: unknown } };
  const parsed = parseExperiment('config' in obj ? obj.config : raw);
  if (!parsed.ok) return { ok: false, errors: parsed.errors.slice(0, 20) };
  const recorded: string[] = [];
  const res = obj.results;
  if (res && Array.isArray(res.runs)) {
    recorded.push(`Recorded: ${res.steps ?? '?'} steps${res.backend ? ` on ${res.backend}` : ''}. Press Start to run it again here.`);
    res.runs.slice(0, 8).forEach((r, i) => {
      const losses = Array.isArray(r.losses) ? r.losses : [];
      const last = losses.length ? losses[losses.length - 1] : null;
      recorded.push(`${i + 1}: ${String(r.id ?? r.algorithm).slice(0, 60)} — ${r.status ?? '?'}, final loss ${typeof last === 'number' ? fmtHyper(last) : '—'}`);
    });
  } else recorded.push('A bare config (no recorded results). Press Start to run it.');
  const own = obj.ownData;
  const ownData = own && (own.origin === 'upload' || own.origin === 'points') ? { origin: own.origin as OwnOrigin, name: String(own.name ?? 'own data').slice(0, 100) } : undefined;
  return { ok: true, config: parsed.config, recorded, ...(ownData ? { ownData } : {}) };
}

/** Reads a file chosen or dropped by the user and opens its experiment (or says why not). */
export async function loadExportFile(file: File): Promise<boolean> {
  const fail = (messages: string[]): false => {
    const notice: Notice = { kind: 'error', title: `${file.name} could not be opened — the current experiment was kept`, messages };
    setLab({ linkNotice: notice });
    return false;
  };
  if (file.size > MAX_FILE_BYTES) return fail([`the file is ${Math.round(file.size / 2 ** 20)} MiB; exports are far smaller`]);
  const r = readExport(await file.text());
  if (!r.ok) return fail(r.errors);
  openExperiment(r.config, { ...getLab().view, sel: 0 });
  if (r.ownData) markLoadedOwnData(r.ownData.origin, r.ownData.name);
  setLab({ linkNotice: { kind: 'info', title: `Loaded ${file.name}`, messages: r.recorded } });
  return true;
}

/** Files dropped anywhere on the page: the first .json one is loaded. Returns the cleanup. */
export function acceptDroppedExports(target: Window = window): () => void {
  const isFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
  const over = (e: DragEvent) => {
    if (!isFiles(e)) return;
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
  };
  const drop = (e: DragEvent) => {
    if (!isFiles(e)) return;
    e.preventDefault();
    const file = Array.from(e.dataTransfer?.files ?? []).find((f) => /\.json$/i.test(f.name) || f.type === 'application/json');
    if (file) void loadExportFile(file);
  };
  target.addEventListener('dragover', over);
  target.addEventListener('drop', drop);
  return () => {
    target.removeEventListener('dragover', over);
    target.removeEventListener('drop', drop);
  };
}
