/**
 * The network view's data (answering `requestView` with `neurons`): every hidden neuron's activation on
 * a small grid over the (x₁, x₂) plane, through the engine interface (EngineProblem.hiddenActivations),
 * the grid's points mapped to the problem's input features first, as the training data is.
 */
import type { MLPProblemConfig } from '../core/config';
import type { EngineProblem } from '../core/engine/problem';
import type { Vec } from '../core/engine/types';
import { mapFeaturesFlat } from '../core/problems/features';
import type { MLPGridView, NeuronsView } from './protocol-data';

/** The neurons' grid: small pictures, G² forward passes (G = 24: 576 points). */
export const NEURON_GRID = 24;

/** The network's inputs for flat (x₁, x₂) points: the features if the problem has them. */
export const networkInputs = (p: MLPProblemConfig, X: Float32Array, n: number): Float32Array => (p.features ? mapFeaturesFlat(p.features, X, n) : X);

export async function neuronsView(p: MLPProblemConfig, problem: EngineProblem, theta: Vec, e: MLPGridView['extent'], g = NEURON_GRID): Promise<NeuronsView | undefined> {
  if (!problem.hiddenActivations || p.hidden.length === 0) return undefined;
  const pts = new Float32Array(g * g * 2);
  for (let j = 0; j < g; j++)
    for (let i = 0; i < g; i++) {
      pts[2 * (j * g + i)] = e.x0 + ((e.x1 - e.x0) * i) / (g - 1);
      pts[2 * (j * g + i) + 1] = e.y0 + ((e.y1 - e.y0) * j) / (g - 1);
    }
  const acts = await problem.hiddenActivations(theta, networkInputs(p, pts, g * g), g * g);
  return { grid: g, activation: p.activation, layers: acts.map((a, l) => ({ data: a, shape: [g * g, p.hidden[l]] as [number, number] })) };
}
