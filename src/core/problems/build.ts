/** Builds the Problem a config describes (data, model, initial parameters), seeded as it says. */
import type { ExperimentConfig, MLPProblemConfig } from '../config';
import { mlpSizes } from '../config';
import type { Problem } from '../types';
import { buildMLP, type MLPProblem } from './mlp';
import { mlpData } from './mlp-data';

export { mlpData } from './mlp-data';
import { buildNMF } from './nmf';

export function buildMLPProblem(p: MLPProblemConfig, seeds: ExperimentConfig['seeds']): MLPProblem {
  if (p.conv) throw new Error('a config with conv blocks is a CNN: engines/tfjs/cnn-problem.ts builds it (TfjsProblem.build)');
  return buildMLP(
    { sizes: mlpSizes(p), activation: p.activation, loss: p.loss, l2: p.l2 },
    mlpData(p, seeds.data),
    { seed: seeds.init, layers: p.init },
  );
}

export function buildProblem(config: Pick<ExperimentConfig, 'problem' | 'seeds'>): Problem {
  const p = config.problem;
  if (p.kind === 'function') throw new Error("2-D function problems run on the cpu engine only (the page's 'fused' backend, the CLI's --backend js)");
  return p.kind === 'mlp' ? buildMLPProblem(p, config.seeds) : buildNMF(p, config.seeds);
}
