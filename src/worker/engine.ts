/**
 * The session's experiment: the one fold (core/fold) over the problem built on one engine — 'cpu'
 * (flat float32 arrays, WebAssembly SIMD kernels: the backend the lab calls 'fused') or 'tfjs' (on
 * whichever tfjs backend is current). Everything the session does — steps, losses, switches,
 * snapshots, views, surrogates — goes through the engine interface, so nothing here or above knows
 * which engine runs.
 */
import type { ExperimentConfig } from '../core/config';
import { collectSteps, readLosses, type Collected } from '../core/fold/collect';
import type { Experiment } from '../core/fold/experiment';
import type { Run } from '../core/fold/run';
import { FusedExperiment } from '../core/fused/fused-experiment';
import { History } from './history';
import type { StartedEvt } from './protocol';
import { restoreSnapshot, takeSnapshot, type Snapshot } from './snapshot';
import { loadTfjs } from './tfjs-loader';

export type { Collected } from '../core/fold/collect';
export type AnyRun = Run;
export type EngineName = 'cpu' | 'tfjs';

export const algId = (r: Run): string => r.algorithm.id;

/** A new experiment at step 0 on `engine` (tfjs is loaded first if it is not yet). */
export async function buildExperiment(config: ExperimentConfig, engine: EngineName): Promise<Experiment> {
  const c = structuredClone(config);
  return engine === 'cpu' ? new FusedExperiment(c) : new (await loadTfjs()).TfjsExperiment(c);
}

export class LabEngine {
  exp: Experiment | null = null;
  engine: EngineName = 'tfjs';
  /** Kept past steps of every run, for the scrubber (recorded before each tick; cleared by a build). */
  readonly history = new History();

  get built(): boolean {
    return this.exp !== null;
  }
  get runs(): Run[] {
    return this.exp?.runs ?? [];
  }
  get t(): number {
    return this.exp?.t ?? 0;
  }

  async build(config: ExperimentConfig, engine: EngineName): Promise<void> {
    this.dispose();
    this.history.clear();
    this.exp = await buildExperiment(config, engine);
    this.engine = engine;
  }

  /** For `started`. */
  problemInfo(): StartedEvt['problem'] {
    const p = this.exp!.problem;
    return { kind: p.kind, nTrain: p.nTrain, paramNames: p.layout.map((x) => x.name), hasTest: p.hasTest };
  }

  /** f and test f of every run at the current point, read back asynchronously. */
  readLosses(): Promise<{ loss: Float32Array; testLoss: Float32Array }> {
    return readLosses(this.exp!);
  }

  /** K steps of every active run (core/fold/collect.ts); f is evaluated when due, and at `lastStep` (the target). */
  async collect(K: number, lastStep?: number): Promise<Collected> {
    await this.history.record(this.exp!);
    return collectSteps(this.exp!, K, lastStep);
  }

  /** Switch run i (θ kept; state from init unless `keepState` and the same algorithm). */
  switchRun(i: number, algorithm: string, hyper: Record<string, unknown>, keepState: boolean): void {
    this.exp!.runs[i].switchTo(algorithm, hyper, keepState);
  }

  snapshot(): Promise<Snapshot> {
    return takeSnapshot(this.exp!);
  }

  /** Rebuilds the experiment from a snapshot on `engine`. */
  async restore(config: ExperimentConfig, snap: Snapshot, engine: EngineName): Promise<void> {
    await this.build(config, engine);
    restoreSnapshot(this.exp!, snap);
  }

  dispose(): void {
    const exp = this.exp;
    this.exp = null;
    exp?.dispose();
  }
}
