/**
 * An algorithm written once against the engine interface (./types.ts): optax-style pure values,
 *   init(θ₀) → state,   step(θₖ, state) → (θₖ₊₁, state′, info),   model(θₖ, state) → g(·|θₖ).
 * State is a plain object of numbers, booleans, number arrays and Vecs (null for a slot the
 * hyper-parameters do not use); the same layout on every engine, so a run moves between engines by
 * converting its Vecs (see engines/convert.ts). `step` never mutates or frees its inputs.
 */
import type { z } from 'zod';
import type { ObjectiveKind, StepContext, Vec } from './types';

export type AlgorithmFamily = 'gradient' | 'mm';

/** What the UI, the config schema and the docs know of an algorithm (no engine, no tfjs). */
export interface AlgorithmSpec<H extends object = Record<string, unknown>> {
  readonly id: string;
  readonly label: string;
  readonly family: AlgorithmFamily;
  /** The problem kinds this algorithm applies to. */
  readonly problems: readonly ObjectiveKind[];
  /** Hyper-parameter schema: parsing fills torch's defaults and refuses out-of-range values. */
  readonly hyper: z.ZodType<H>;
  /** One-line description and the update formula (LaTeX) for the explanation panel and README. */
  readonly summary: string;
  readonly formula: string;
}

/** Scalars an algorithm reports about one step. */
export interface StepInfo {
  /** f(θₖ) when the algorithm computed it anyway. */
  lossBefore?: number;
  [key: string]: number | boolean | undefined;
}

export type AlgorithmState = { [key: string]: Vec | number | boolean | number[] | boolean[] | null };

/**
 * g(·|θₖ) on an engine's Vecs (see core/types.ts's Surrogate for the meaning of each field). Its Vecs are
 * kept (outside any tidy); `dispose` frees them.
 */
export interface VecSurrogate {
  value(theta: Vec): number;
  certified: boolean;
  scope?: 'global' | 'step';
  minimiser?: Vec;
  path?: (t: number) => Vec;
  stepT?: number;
  formula: string;
  dispose(): void;
}

export interface EngineAlgorithm<H extends object = Record<string, unknown>, S extends AlgorithmState = AlgorithmState>
  extends AlgorithmSpec<H> {
  init(c: StepContext, theta: Vec, h: H): S;
  step(c: StepContext, theta: Vec, state: S, h: H): { theta: Vec; state: S; info: StepInfo };
  model(c: StepContext, theta: Vec, state: S, h: H): VecSurrogate;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyEngineAlgorithm = EngineAlgorithm<any, any>;
