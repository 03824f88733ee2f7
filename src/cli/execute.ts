/**
 * Runs one validated experiment in this process, on the engine the CLI picks (or the one asked for):
 * the plain ExperimentResult, the thinned one (`--every`) or a stream of JSON lines (`--stream`).
 * Shared by `run` and by the sweep's worker threads, so a sweep point is computed exactly as the
 * same experiment run alone.
 */
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '../core/config';
import { runExperiment, type ExperimentResult } from '../core/experiment';
import { canFuse, canFuseNMF, FUSED_SCOPE, runFusedExperiment, runFusedNMFExperiment } from '../core/fused';
import { setNodeBackend, type Engine } from './backend';
import { loadImageDataNode } from './data-files';
import { defaultKernelThreads, spawnNodeThread } from './kernel-threads';
import { runStreamed, runThinned, type FoldEngine } from './stream';
import { hasTrajectory, runWithTrajectory } from './trajectory';
import { UsageError } from './args';
import { cnnBackendRefusal } from '../core/problems/cnn-config';

export interface ExecOptions {
  /** The engine asked for (--backend), or null: the CLI's default for this config. */
  backend: Engine | null;
  /** Kernel threads of the fused NMF engine (null: one per core). */
  threads: number | null;
  recordTest: boolean;
  /** Called after every step with the steps taken. */
  onStep?: (t: number) => void;
}

/** The engine that runs `config`: js (the fused engine) when it can, else tfjs wasm for NMF, else cpu. */
export function chooseEngine(config: ExperimentConfig, requested: Engine | null): { backend: Engine; fusedNMF: boolean } {
  const fusedNMF = canFuseNMF(config);
  const fusable = canFuse(config) || fusedNMF;
  const backend: Engine = requested ?? (fusable ? 'js' : config.problem.kind === 'nmf' ? 'wasm' : 'cpu');
  if (backend === 'js' && !fusable) throw new UsageError(`--backend js runs ${FUSED_SCOPE}; use --backend cpu or wasm`);
  const refused = cnnBackendRefusal(config.problem, backend);
  if (refused) throw new UsageError(`--backend ${backend}: ${refused}; use --backend js (the fast CPU engine, the default) or cpu`);
  return { backend, fusedNMF };
}

/** The whole experiment, every f kept: the ExperimentResult that `run` prints. */
export async function executeFull(config: ExperimentConfig, o: ExecOptions): Promise<ExperimentResult> {
  const { backend, fusedNMF } = chooseEngine(config, o.backend);
  const opts = { recordTest: o.recordTest, onStep: o.onStep };
  await loadImageDataNode(config.problem);
  try {
    if (backend === 'js' && hasTrajectory(config)) return runWithTrajectory(config, opts);
    if (backend === 'js')
      return fusedNMF
        ? runFusedNMFExperiment(config, { ...opts, threads: o.threads ?? defaultKernelThreads(), spawn: spawnNodeThread })
        : runFusedExperiment(config, opts);
    await setNodeBackend(backend);
    return runExperiment(config, opts);
  } finally {
    tf.disposeVariables();
  }
}

/** The fold engine of stream.ts for `config` (bounded-memory runs). */
async function foldEngine(config: ExperimentConfig, o: ExecOptions): Promise<FoldEngine> {
  const { backend, fusedNMF } = chooseEngine(config, o.backend);
  await loadImageDataNode(config.problem);
  if (backend !== 'js') {
    await setNodeBackend(backend);
    return { kind: 'tfjs' };
  }
  return fusedNMF ? { kind: 'fused-nmf', opts: { threads: o.threads ?? defaultKernelThreads(), spawn: spawnNodeThread } } : { kind: 'fused' };
}

/** `--every k`: the series kept at steps 0, k, 2k, … and the last. */
export async function executeThinned(config: ExperimentConfig, o: ExecOptions, every: number) {
  const engine = await foldEngine(config, o);
  try {
    return runThinned(config, engine, o.recordTest, every, o.onStep);
  } finally {
    tf.disposeVariables();
  }
}

/** `--stream`: JSON lines handed to `write` as the runs go. */
export async function executeStreamed(config: ExperimentConfig, o: ExecOptions, every: number, write: (chunk: string) => void): Promise<void> {
  const engine = await foldEngine(config, o);
  try {
    runStreamed(config, engine, o.recordTest, every, write, o.onStep);
  } finally {
    tf.disposeVariables();
  }
}
