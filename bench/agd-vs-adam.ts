/**
 * AGD's qualitative claim (Bernstein et al. 2023: "trains without tuning, competitive with tuned Adam")
 * on the digits MLP: `npx tsx bench/agd-vs-adam.ts [--quick]`.
 *
 * Softmax cross-entropy, relu, mini-batches of 64 in the lab's seeded order on the cpu engine, E epochs.
 * AGD runs with its only setting at the paper's value (gain 1); Adam with each lr of a grid, the best by
 * final training loss reported; SLS (sgd-armijo, n_batches_per_epoch = n/b) for reference. Two setups:
 *  - lab: the lab's θ₀ (Glorot-uniform, zero biases) and the data as the lab gives it;
 *  - paper: the paper's Prescription 1 — inputs scaled to ‖x‖ = √d₀, weights semi-orthogonal scaled by
 *    √(d_l/d_{l−1}), zero biases (AGD keeps biases fixed, so its network is the paper's bias-free one).
 */
import { loadExperiment, type ExperimentInput } from '../src/core/config';
import { runFusedExperiment } from '../src/core/fused';
import { mlpData, type LayerInit } from '../src/core/problems/mlp-data';
import { loadImageSetNode } from '../src/cli/data-files';
import { Rng } from '../src/core/rng';
import { printTable } from './table';

const quick = process.argv.includes('--quick');
const EPOCHS = quick ? 3 : 10;
const BATCH = 64;
const ADAM_LRS = [3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1];
const NETS = [[32], [64, 64]];

/** A (rows × cols) matrix with orthonormal columns (or rows, if rows < cols) scaled by `scale`: Gram–Schmidt on Gaussians. */
function semiOrthogonal(rows: number, cols: number, scale: number, rng: Rng): number[][] {
  const [m, k] = rows >= cols ? [rows, cols] : [cols, rows];
  const gauss = () => rng.normal();
  const q: number[][] = [];
  for (let j = 0; j < k; j++) {
    let v = Array.from({ length: m }, gauss);
    for (const u of q) {
      const d = v.reduce((s, x, i) => s + x * u[i], 0);
      v = v.map((x, i) => x - d * u[i]);
    }
    const n = Math.hypot(...v);
    q.push(v.map((x) => x / n));
  }
  // q: k orthonormal vectors of length m. W is rows × cols (MM Lab's [in][out]).
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => scale * (rows >= cols ? q[j][i] : q[i][j])));
}

function paperProblem(hidden: number[]): ExperimentInput['problem'] {
  const base = loadExperiment({ version: 1, problem: { kind: 'mlp', data: { kind: 'dataset', name: 'digits', n: 1797, testRatio: 0.2 }, hidden, activation: 'relu', loss: 'softmax_ce' }, runs: [{ algorithm: 'sgd' }] });
  if (base.problem.kind !== 'mlp') throw new Error('mlp expected');
  const data = mlpData(base.problem, base.seeds.data);
  const d0 = data.X[0].length;
  const norm = (X: number[][]) => X.map((r) => {
    const n = Math.hypot(...r) || 1;
    return r.map((x) => (x / n) * Math.sqrt(d0));
  });
  const sizes = [d0, ...hidden, 10];
  const rng = new Rng(7);
  const init: LayerInit[] = sizes.slice(1).map((out, l) => ({ W: semiOrthogonal(sizes[l], out, Math.sqrt(out / sizes[l]), rng), b: new Array(out).fill(0) }));
  return {
    kind: 'mlp',
    data: { kind: 'explicit', X: norm(data.X), y: data.y, Xtest: norm(data.Xtest!), ytest: data.ytest },
    hidden,
    activation: 'relu',
    loss: 'softmax_ce',
    batchSize: BATCH,
    init,
  };
}

const labProblem = (hidden: number[]): ExperimentInput['problem'] => ({
  kind: 'mlp',
  data: { kind: 'dataset', name: 'digits', n: 1797, testRatio: 0.2 },
  hidden,
  activation: 'relu',
  loss: 'softmax_ce',
  batchSize: BATCH,
});

interface Row {
  train: number;
  test: number;
  acc: number;
  sps: number;
}

function train(problem: ExperimentInput['problem'], algorithm: string, hyper: Record<string, unknown>): Row {
  const stepsPerEpoch = Math.ceil(1437 / BATCH);
  const config = loadExperiment({ version: 1, problem, runs: [{ algorithm, hyper }], steps: EPOCHS * stepsPerEpoch });
  const [r] = runFusedExperiment(config).runs;
  if (r.status !== 'done') return { train: NaN, test: NaN, acc: NaN, sps: r.stepsPerSec };
  return { train: r.losses.at(-1)!, test: r.testLosses!.at(-1)!, acc: r.testAccuracy ?? NaN, sps: r.stepsPerSec };
}

async function main(): Promise<void> {
  await loadImageSetNode('digits');
  const rows: string[][] = [];
  const fmt = (x: number, d = 4) => (Number.isFinite(x) ? x.toFixed(d) : 'diverged');
  for (const [setup, make] of [['lab', labProblem], ['paper', paperProblem]] as const) {
    for (const hidden of NETS) {
      const problem = make(hidden);
      const net = `64-${hidden.join('-')}-10`;
      const agd = train(problem, 'agd', {});
      const adams = ADAM_LRS.map((lr) => ({ lr, ...train(problem, 'adam', { lr }) }));
      const best = adams.filter((a) => Number.isFinite(a.train)).sort((a, b) => a.train - b.train)[0];
      const sls = train(problem, 'sgd-armijo', { n_batches_per_epoch: Math.ceil(1437 / BATCH) });
      const grid = adams.map((a) => `${a.lr}:${fmt(a.train, 3)}`).join(' ');
      rows.push([setup, net, 'AGD (gain 1, no tuning)', fmt(agd.train), fmt(agd.test), fmt(agd.acc * 100, 1), '—']);
      rows.push([setup, net, `Adam, best lr = ${best.lr}`, fmt(best.train), fmt(best.test), fmt(best.acc * 100, 1), grid]);
      rows.push([setup, net, 'SLS (sgd-armijo defaults)', fmt(sls.train), fmt(sls.test), fmt(sls.acc * 100, 1), '—']);
      console.error(`${setup} ${net} done`);
    }
  }
  printTable(
    `AGD vs tuned Adam — digits, softmax CE, relu, batch ${BATCH}, ${EPOCHS} epochs (cpu engine)`,
    ['setup', 'net', 'algorithm', 'train f', 'test f', 'test acc %', 'Adam grid (lr: train f)'],
    rows,
  );
}

void main();
