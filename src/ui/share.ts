/**
 * Share links: the whole experiment (config incl. mid-run switches) and the view state live in the URL
 * hash as `#v1.<lz-string payload>`. Decoding never throws: a malformed or hostile link yields field
 * errors (from parseExperiment) so the page can explain them and fall back to defaults. Nothing read
 * from a link is ever rendered as HTML — callers show strings as text only.
 */
import LZString from 'lz-string';
import { z } from 'zod';
import { parseExperiment, type ExperimentConfig } from '../core/config';
import { linkSafe, omittedMessage, omittedSchema } from './ownData-link';

export const SHARE_VERSION = 1;
const PREFIX = `v${SHARE_VERSION}.`;
/** LZ decompression can expand quadratically: refuse long payloads before decompressing. */
export const MAX_HASH_CHARS = 12_000;
const MAX_JSON_CHARS = 400_000;

export const BACKENDS = ['auto', 'fused', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKENDS)[number];

export const viewSchema = z.strictObject({
  /** Log-scale y axis on the loss chart. */
  log: z.boolean().default(true),
  /** x axis: optimisation step, wall-clock time, or epoch (steps / steps per epoch, mini-batches). */
  x: z.enum(['step', 'wall', 'epoch']).default('step'),
  /** Log-scale step axis on the loss chart (from step 1: the log-log plots of Févotte & Idier). */
  logx: z.boolean().default(false),
  /** Selected run (surrogate view, decision boundary, explanation). */
  sel: z.number().int().min(0).max(7).default(0),
  /** Surrogate view: 1-D slice along the step or 2-D contour. */
  surr: z.enum(['line', 'contour']).default('line'),
  /** Show test losses as dashed lines. */
  test: z.boolean().default(true),
  /** Speed: a cap on steps per second (slow motion for teaching); 0 = as fast as possible. */
  speed: z.number().int().min(0).max(1000).default(0),
  backend: z.enum(BACKENDS).default('auto'),
});
export type ViewState = z.output<typeof viewSchema>;
export const DEFAULT_VIEW: ViewState = viewSchema.parse({});

export type DecodeResult =
  | { kind: 'empty' }
  | { kind: 'ok'; config: ExperimentConfig; view: ViewState; warnings: string[] }
  | { kind: 'error'; errors: string[] };

/** The hash (with leading '#') for an experiment and view. */
export function encodeShare(config: ExperimentConfig, view: ViewState): string {
  const v: Partial<ViewState> = {};
  for (const k of Object.keys(DEFAULT_VIEW) as (keyof ViewState)[]) {
    if (view[k] !== DEFAULT_VIEW[k]) (v as Record<string, unknown>)[k] = view[k];
  }
  // Own data (an upload, points added on the plot) stays out: the built-in set and a note instead.
  const safe = linkSafe(config);
  const c = safe?.config ?? config;
  const payload = { c, ...(Object.keys(v).length ? { v } : {}), ...(safe ? { o: safe.omitted } : {}) };
  return `#${PREFIX}${LZString.compressToEncodedURIComponent(JSON.stringify(payload))}`;
}

/** A full link for the current page. */
export function shareUrl(config: ExperimentConfig, view: ViewState, base: string): string {
  return base.replace(/#.*$/, '') + encodeShare(config, view);
}

const short = (s: string, n = 60) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** Decodes a location hash; never throws. */
export function decodeShare(hash: string): DecodeResult {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!h) return { kind: 'empty' };
  if (h.length > MAX_HASH_CHARS) return { kind: 'error', errors: [`the link is too long (${h.length} characters, at most ${MAX_HASH_CHARS})`] };
  const m = /^v(\d+)\.(.*)$/s.exec(h);
  if (!m) return { kind: 'error', errors: [`the link's hash is not an MM Lab experiment (expected '#${PREFIX}…', got '#${short(h, 24)}')`] };
  if (Number(m[1]) !== SHARE_VERSION)
    return { kind: 'error', errors: [`the link uses share format v${short(m[1], 8)}; this lab reads v${SHARE_VERSION}`] };
  let json: string | null = null;
  try {
    json = LZString.decompressFromEncodedURIComponent(m[2]);
  } catch {
    json = null;
  }
  if (!json) return { kind: 'error', errors: ['the link is damaged: its data could not be decompressed (was it cut off when copied?)'] };
  if (json.length > MAX_JSON_CHARS) return { kind: 'error', errors: ['the link expands to too much data'] };
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { kind: 'error', errors: ['the link is damaged: its data is not valid JSON'] };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw) || !('c' in raw))
    return { kind: 'error', errors: ['the link holds no experiment config'] };
  const obj = raw as { c: unknown; v?: unknown };
  const parsed = parseExperiment(obj.c);
  if (!parsed.ok) return { kind: 'error', errors: parsed.errors.map((e) => short(e, 300)) };
  const warnings: string[] = [];
  // What the link carries beyond what this lab writes is read past, and said so.
  if (m[1] !== String(SHARE_VERSION)) warnings.push(`the link's prefix 'v${short(m[1], 8)}.' was read as '${PREFIX}'`);
  const canonical = LZString.compressToEncodedURIComponent(json);
  if (canonical !== m[2])
    warnings.push(
      m[2].startsWith(canonical)
        ? `${m[2].length - canonical.length} character(s) after the end of the link's data were ignored ('${short(m[2].slice(canonical.length), 24)}')`
        : "the link's data is not as this lab writes it (characters the decoder skips were ignored)",
    );
  const extra = Object.keys(obj).filter((k) => k !== 'c' && k !== 'v' && k !== 'o');
  if ('o' in obj) {
    const o = omittedSchema.safeParse(obj.o);
    warnings.push(o.success ? omittedMessage(o.data, parsed.config.problem) : "the link's note on left-out data was not understood");
  }
  if (extra.length) warnings.push(`unknown keys in the link were ignored: ${extra.slice(0, 5).map((k) => `'${short(k, 24)}'`).join(', ')}${extra.length > 5 ? ` and ${extra.length - 5} more` : ''}`);
  let view = DEFAULT_VIEW;
  if (obj.v !== undefined) {
    const vr = viewSchema.safeParse(obj.v);
    if (vr.success) view = vr.data;
    else warnings.push(`view settings ignored: ${vr.error.issues.map((i) => `${i.path.join('.') || 'view'}: ${i.message}`).join('; ')}`);
  }
  if (view.sel >= parsed.config.runs.length) view = { ...view, sel: 0 };
  return { kind: 'ok', config: parsed.config, view, warnings };
}
