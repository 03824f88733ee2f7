/**
 * The fused engine (src/core/fused: MLP + gradient optimizers and Lipschitz MM on flat float32 arrays, WebAssembly SIMD
 * kernels, no tfjs in the loop) inside the lab's worker: which sessions it can run and up to which
 * step, the config a FusedExperiment is built from, its calibration, and the tfjs copies of a run that
 * views and surrogates need while the session stays on it.
 *
 * A session on the fused engine hands the whole experiment over to tfjs when a run switches to an
 * algorithm the engine does not run (an MM algorithm) — live, or at a switch scheduled in the config —
 * exactly: θ and the optimizer states are copied as float32 arrays at the same step (snapshot.ts), and
 * the curve continues. Since a scheduled switch hands over at its step too, a recorded config replays
 * a live session with the same engines at the same steps, hence the same losses.
 */
import type { ExperimentConfig, RunConfig } from '../core/config';
import { Experiment } from '../core/experiment';
import { FusedExperiment, FUSED_SCOPE, isFusedAlgorithm, simdAvailable, toTfjs, type FusedRun } from '../core/fused';
import { getAlgorithm } from '../core/algorithms/registry';
import type { AlgorithmState } from '../core/engine/algorithm';
import { tfjsVec } from '../core/engines/tfjs/vector-ops';
import { Run } from '../core/run';

/** The engine's name in the UI and in reasons. */
export function fusedLabel(): string {
  return simdAvailable() ? 'JS fused (WASM SIMD)' : 'JS fused';
}

/** The algorithm and hyper-parameters run `rc` uses after `t` steps: its last switch due at ≤ t, else its own. */
export function algorithmAt(rc: RunConfig, t: number): { algorithm: string; hyper: Record<string, unknown> } {
  let cur: { algorithm: string; hyper: Record<string, unknown> } = { algorithm: rc.algorithm, hyper: rc.hyper };
  for (const s of rc.switches) if (s.at <= t) cur = { algorithm: s.algorithm, hyper: s.hyper };
  return cur;
}

/**
 * True when the fused engine can build `config` at step 0: an MLP whose runs all start with an algorithm
 * it runs (switches due at step 0 included). Later switches to other algorithms hand over (handOverAt).
 */
export function fusableFromStart(config: ExperimentConfig): boolean {
  return (
    (config.problem.kind === 'mlp' || (config.problem.kind === 'nmf' && simdAvailable())) &&
    config.runs.every((r) => isFusedAlgorithm(r.algorithm) && r.switches.every((s) => s.at !== 0 || isFusedAlgorithm(s.algorithm)))
  );
}

/** The first step count > `from` at which a switch to an algorithm the fused engine does not run is due (Infinity: none). */
export function handOverAt(config: ExperimentConfig, from: number): number {
  let at = Infinity;
  for (const r of config.runs) for (const s of r.switches) if (s.at > from && s.at < at && !isFusedAlgorithm(s.algorithm)) at = s.at;
  return at;
}

/**
 * The config a FusedExperiment is built from to run `config` from step `from` until the hand-over at
 * `until`: each run's own algorithm and its switches due before `until` (from step 0), or — for a
 * restore, whose snapshot then overwrites every run — the algorithms the runs use now (`current`) and
 * the switches due in (from, until).
 */
export function fusedConfig(
  config: ExperimentConfig,
  from: number,
  until: number,
  current?: readonly { algorithm: string; hyper: Record<string, unknown> }[],
): ExperimentConfig {
  return {
    ...config,
    runs: config.runs.map((rc, i) => ({
      ...rc,
      ...(current ? { algorithm: current[i].algorithm, hyper: current[i].hyper } : {}),
      switches: rc.switches.filter((s) => s.at < until && (!current || s.at > from)),
    })),
  };
}

/**
 * Calibration: mean ms per step (one step of one run and the evaluation of f after it, test f
 * included, as the session does) on the fused engine. Runs until ~budgetMs or
 * 500 timed steps (after 20 warm-up steps), at least 2. A run that diverges meanwhile is rebuilt outside the timed region.
 */
export function timeFusedSteps(config: ExperimentConfig, budgetMs: number): number {
  const rc =
    config.runs.find((r) => isFusedAlgorithm(r.algorithm)) ??
    config.runs.flatMap((r) => r.switches.map((s) => ({ ...r, algorithm: s.algorithm, hyper: s.hyper }))).find((r) => isFusedAlgorithm(r.algorithm));
  if (!rc || !fusableFromStart({ ...config, runs: [{ ...rc, switches: [] }] })) throw new Error(`the fused engine runs ${FUSED_SCOPE} only`);
  // A step budget that cannot end the run mid-calibration (rebuilding it costs more than the steps).
  const cfg: ExperimentConfig = { ...config, steps: Math.max(config.steps, 1_000_000), runs: [{ ...rc, switches: [] }] };
  const make = (): FusedExperiment => {
    const fx = new FusedExperiment(cfg);
    fx.evaluateAll();
    return fx;
  };
  let fx = make();
  for (let k = 0; k < 20; k++) fx.step(); // warm-up (kernel compilation, JIT, caches)
  let n = 0;
  let spent = 0;
  while (n < 2 || (n < 500 && spent < budgetMs)) {
    if (!fx.runs[0].active) fx = make();
    const t0 = performance.now();
    fx.step();
    spent += performance.now() - t0;
    n += 1;
  }
  return spent / n;
}

/**
 * A tfjs Experiment with the session's problem (same data, same mini-batch order), for the views and
 * surrogates of fused runs: one run, no switches. The caller disposes it.
 */
export function shadowExperiment(fx: FusedExperiment): Experiment {
  return new Experiment(structuredClone({ ...fx.config, runs: [{ ...fx.config.runs[0], switches: [] }] }));
}

/** A tfjs Run holding a copy of fused run `run` (θ and optimizer state in the tfjs layout, same step) on `exp`'s problem. The caller disposes it. */
export function tfjsCopy(run: FusedRun, exp: Experiment): Run {
  const { params, state, t } = toTfjs(run);
  const copy = new Run(run.id, run.algorithm.id, run.hyper, exp.problem, getAlgorithm);
  copy.load(run.algorithm.id, run.hyper, tfjsVec(params), state as AlgorithmState);
  copy.t = t;
  copy.status = run.status;
  copy.message = run.message;
  copy.divergedAt = run.divergedAt;
  return copy;
}
