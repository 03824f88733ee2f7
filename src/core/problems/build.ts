/** Builds the Problem a config describes (data, model, initial parameters), seeded as it says. */
import type { ExperimentConfig, MLPProblemConfig } from '../config';
import { mlpSizes } from '../config';
import { makeDataset } from '../data/datasets';
import type { Problem } from '../types';
import { buildMLP, type MLPData, type MLPProblem } from './mlp';
import { buildNMF } from './nmf';

export function mlpData(p: MLPProblemConfig, dataSeed: number): MLPData {
  if (p.data.kind === 'explicit') return { X: p.data.X, y: p.data.y, Xtest: p.data.Xtest, ytest: p.data.ytest };
  const ds = makeDataset(p.data, dataSeed);
  return { X: ds.train.X, y: ds.train.y, Xtest: ds.test.X, ytest: ds.test.y };
}

export function buildMLPProblem(p: MLPProblemConfig, seeds: ExperimentConfig['seeds']): MLPProblem {
  return buildMLP(
    { sizes: mlpSizes(p), activation: p.activation, loss: p.loss, l2: p.l2 },
    mlpData(p, seeds.data),
    { seed: seeds.init, layers: p.init },
  );
}

export function buildProblem(config: Pick<ExperimentConfig, 'problem' | 'seeds'>): Problem {
  const p = config.problem;
  return p.kind === 'mlp' ? buildMLPProblem(p, config.seeds) : buildNMF(p, config.seeds);
}
