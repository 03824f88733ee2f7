/**
 * The editable experiment (the form behind the controls) and its conversion to and from the config
 * schema. Validation goes through parseExperiment / the algorithms' zod schemas, so the form shows
 * exactly the messages the CLI and the worker would give.
 */
import { ALGORITHM_SPECS } from '../core/algorithms/spec-registry';
import { CONFIG_VERSION, parseExperiment, type ExperimentConfig, type ParseResult, type ProblemConfig } from '../core/config';
import type { AlgorithmSpec } from '../core/engine/algorithm';
import { FUNCTION_DEFAULT_PROBLEM, FUNCTION_DEFAULT_RUNS } from './presets-functions';
import type { ObjectiveKind as ProblemKind } from '../core/engine/types';
import { checkHyper, draftToHyper, hyperDraft, type HyperDraft } from './hyperFields';
import { parseWithKnownProblem, rememberProblem } from './knownProblems';

export interface SwitchEntry {
  at: number;
  algorithm: string;
  hyper: Record<string, unknown>;
  keepState: boolean;
}

export interface RunDraft {
  /** Stable React key. */
  key: number;
  id?: string;
  algorithm: string;
  hyper: HyperDraft;
  switches: SwitchEntry[];
}

export interface Draft {
  /** Config-shaped problem (defaults filled); numeric fields may hold NaN while being edited. */
  problem: ProblemConfig;
  seeds: { data: number; init: number; batch: number };
  steps: number;
  /** f evaluated every this many steps; absent = "auto" (core/fold/eval-every.ts). */
  evalEvery?: number;
  runs: RunDraft[];
}

let nextKey = 1;
export const newKey = (): number => nextKey++;

export function algorithmsFor(kind: ProblemKind): AlgorithmSpec[] {
  return Object.values(ALGORITHM_SPECS).filter((a) => a.problems.includes(kind));
}

export function newRun(algorithm: string, hyper: Record<string, unknown> = {}): RunDraft {
  const alg = ALGORITHM_SPECS[algorithm];
  return { key: newKey(), algorithm, hyper: alg ? hyperDraft(alg, hyper) : {}, switches: [] };
}

/** Editable form of a validated config. */
export function configToDraft(c: ExperimentConfig): Draft {
  const problem = structuredClone(c.problem);
  // Already validated: the form's copy is known to the schema (no second parse of a heavy link).
  rememberProblem(problem, c.problem);
  return {
    problem,
    seeds: { ...c.seeds },
    steps: c.steps,
    ...(typeof c.evalEvery === 'number' ? { evalEvery: c.evalEvery } : {}),
    runs: c.runs.map((r) => ({ ...newRun(r.algorithm, r.hyper), ...(r.id !== undefined ? { id: r.id } : {}), switches: structuredClone(r.switches) })),
  };
}

/** The config input the draft stands for (not yet validated). */
export function draftToInput(d: Draft): unknown {
  return {
    version: CONFIG_VERSION,
    problem: d.problem,
    seeds: d.seeds,
    steps: d.steps,
    ...(d.evalEvery !== undefined ? { evalEvery: d.evalEvery } : {}),
    runs: d.runs.map((r) => {
      const alg = ALGORITHM_SPECS[r.algorithm];
      return {
        ...(r.id !== undefined ? { id: r.id } : {}),
        algorithm: r.algorithm,
        hyper: alg ? draftToHyper(alg, r.hyper) : {},
        switches: r.switches,
      };
    }),
  };
}

export interface DraftCheck {
  result: ParseResult;
  /** Per-run field errors from the algorithm's schema (shown next to each field). */
  runErrors: Record<string, string>[];
  /** Errors not attached to a field of a run card (problem, seeds, steps, …). */
  otherErrors: string[];
}

const cache = new WeakMap<Draft, DraftCheck>();

export function checkDraft(d: Draft): DraftCheck {
  const hit = cache.get(d);
  if (hit) return hit;
  // A heavy problem the schema accepted before (same object) is not parsed again (knownProblems.ts).
  const result = parseWithKnownProblem(draftToInput(d) as { problem: unknown }, d.problem);
  const runErrors = d.runs.map((r) => {
    const alg = ALGORITHM_SPECS[r.algorithm];
    if (!alg) return { '': `unknown algorithm '${r.algorithm}'` };
    const h = checkHyper(alg, r.hyper);
    return h.ok ? {} : h.fieldErrors;
  });
  const otherErrors = result.ok ? [] : result.errors.filter((e) => !/^runs\[\d+\]\.hyper\./.test(e));
  const out = { result, runErrors, otherErrors };
  cache.set(d, out);
  return out;
}

/** First error whose path starts with `path` (e.g. 'problem.data.n'), without the path prefix. */
export function errorAt(errors: string[], path: string): string | undefined {
  const hit = errors.find((e) => e.startsWith(`${path}:`));
  return hit?.slice(path.length + 1).trim();
}

/** Default problem configs per model kind (all through the schema, so defaults are the schema's). */
export function defaultProblem(kind: ModelKind): ProblemConfig {
  const input =
    kind === 'function'
      ? FUNCTION_DEFAULT_PROBLEM
      : kind === 'nmf'
      ? NMF_DEFAULT_PROBLEM
      : kind === 'logreg'
        ? { kind: 'mlp', hidden: [], loss: 'bce', data: { kind: 'dataset', name: 'gaussians', classes: 2, noise: 0.3 } }
        : { kind: 'mlp' };
  const any = Object.keys(ALGORITHM_SPECS).find((id) => ALGORITHM_SPECS[id].problems.includes(kind === 'nmf' || kind === 'function' ? kind : 'mlp')) ?? 'sgd';
  const r = parseExperiment({ version: CONFIG_VERSION, problem: input, runs: [{ algorithm: any }] });
  if (r.ok) return r.config.problem;
  // The registry has no algorithm for this kind yet: parse the problem part alone.
  const p = parseExperiment({ version: CONFIG_VERSION, problem: input, runs: [{ algorithm: 'sgd' }] });
  return p.ok ? p.config.problem : (input as unknown as ProblemConfig);
}

export type ModelKind = 'mlp' | 'logreg' | 'nmf' | 'function';
export const modelKindOf = (p: ProblemConfig): ModelKind => (p.kind === 'nmf' || p.kind === 'function' ? p.kind : p.hidden.length === 0 ? 'logreg' : 'mlp');

/**
 * NMF's default problem: a spectrogram (its axes read as frequency and time) at β = ½, where the MM
 * exponent γ = 1/(2−β) = ⅔ differs from the heuristic's 1, so the two default runs differ.
 */
export const NMF_DEFAULT_PROBLEM = { kind: 'nmf', beta: 0.5, rank: 6, data: { kind: 'spectrogram', bins: 96, frames: 128 } };

/** The runs a problem kind starts with when none of the current ones applies: MM next to its rival. */
const DEFAULT_RUNS: Record<ProblemKind, { algorithm: string; hyper?: Record<string, unknown> }[]> = {
  nmf: [{ algorithm: 'nmf-mm' }, { algorithm: 'nmf-mu' }],
  mlp: [{ algorithm: 'mm-lipschitz' }, { algorithm: 'mm-gauss-newton' }, { algorithm: 'adam', hyper: { lr: 0.01 } }],
  function: FUNCTION_DEFAULT_RUNS,
};

/** Runs valid for a problem kind: keep those that apply, else the kind's default side-by-side runs. */
export function runsFor(kind: ProblemKind, runs: RunDraft[]): RunDraft[] {
  const ok = runs.filter((r) => ALGORITHM_SPECS[r.algorithm]?.problems.includes(kind));
  if (ok.length) return ok;
  const defaults = DEFAULT_RUNS[kind].filter((r) => ALGORITHM_SPECS[r.algorithm]?.problems.includes(kind));
  if (defaults.length) return defaults.map((r) => newRun(r.algorithm, r.hyper));
  const first = algorithmsFor(kind)[0];
  return first ? [newRun(first.id)] : runs;
}
