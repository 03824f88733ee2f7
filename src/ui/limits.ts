/**
 * What the page can do must fit in its own share link. The schema's limits (LIMITS in core/config.ts)
 * and the link's length cap (MAX_HASH_CHARS) are checked here, before a mid-run change is sent, and
 * every link the page writes is decoded first: a link that would not open is never written.
 */
import { LIMITS, parseHyper, type ExperimentConfig, type RunConfig } from '../core/config';
import { decodeShare, encodeShare, MAX_HASH_CHARS, type ViewState } from './share';

/** An uploaded recording (NMF audio data): kept in the page and in Export JSON, never in a link. */
const hasUpload = (c: ExperimentConfig): boolean => c.problem.kind === 'nmf' && c.problem.data.kind === 'audio' && c.problem.data.source.kind === 'upload';

export type CheckedShare = { ok: true; hash: string } | { ok: false; reason: string };

/** The share hash of an experiment, or why the lab could not open it (then nothing is written). */
export function checkedShare(config: ExperimentConfig, view: ViewState): CheckedShare {
  if (hasUpload(config)) return { ok: false, reason: 'uploaded audio is never put in a share link' };
  const hash = encodeShare(config, view);
  const d = decodeShare(hash);
  if (d.kind === 'ok') return { ok: true, hash };
  return { ok: false, reason: d.kind === 'error' ? d.errors.join('; ') : 'the link is empty' };
}

/**
 * The run's switches after a mid-run change at step `at`, as the worker records it (core of
 * worker/switching.ts): hyper-parameters with defaults filled, one entry per step (a change at a step
 * that already has one replaces it, keeping state only if both did), sorted by step.
 */
export function switchesAfter(rc: RunConfig, kind: string, at: number, algorithm: string, hyper: Record<string, unknown>, keepState: boolean): RunConfig['switches'] | null {
  const h = parseHyper(algorithm, hyper, kind);
  if (!h.ok) return null;
  const same = rc.switches.filter((x) => x.at === at);
  const keep = keepState && same.every((x) => x.keepState);
  return [...rc.switches.filter((x) => x.at !== at), { at, algorithm, hyper: h.hyper, keepState: keep }].sort((a, b) => a.at - b.at);
}

/** Whether run `run` can take another mid-run change at step `at` without passing the switch limit. */
export function switchLimitReached(rc: RunConfig, at: number): boolean {
  return rc.switches.length >= LIMITS.switches && !rc.switches.some((x) => x.at === at);
}

export const switchLimitMessage = (run: number): string =>
  `Run ${run + 1} already has ${LIMITS.switches} mid-run changes, the most an experiment (and its share link) holds: Reset the session, or remove scheduled switches, to change it again.`;

/**
 * Why a mid-run change of run `run` at step `at` is refused, or null: the switch limit, or a share
 * link that would pass MAX_HASH_CHARS (checked on the config as it would be recorded).
 */
export function midRunRefusal(
  config: ExperimentConfig,
  view: ViewState,
  run: number,
  at: number,
  algorithm: string,
  hyper: Record<string, unknown>,
  keepState: boolean,
): string | null {
  const rc = config.runs[run];
  if (!rc) return null;
  if (switchLimitReached(rc, at)) return switchLimitMessage(run);
  const switches = switchesAfter(rc, config.problem.kind, at, algorithm, hyper, keepState);
  if (!switches) return null; // invalid hyper-parameters: the form (and the worker) say why
  const next = { ...config, runs: config.runs.map((r, i) => (i === run ? { ...r, switches } : r)) };
  if (hasUpload(config)) return null; // no link to keep short: uploads never go in one
  const hash = encodeShare(next, view);
  if (hash.length - 1 > MAX_HASH_CHARS)
    return `This change would make the share link ${(hash.length - 1).toLocaleString('en-US')} characters long, more than the ${MAX_HASH_CHARS.toLocaleString('en-US')} a link may have: Reset the session, or remove scheduled switches, to change run ${run + 1} again (Export JSON keeps everything).`;
  return null;
}
