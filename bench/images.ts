/**
 * npm run bench — image MLPs (issue 12): softmax cross-entropy on digits and MNIST, mini-batches in the
 * lab's seeded order, each algorithm trained alone for a fixed number of epochs with no loss read per
 * step (training time only, as PyTorch's loop below), then its test accuracy. Ours: the cpu engine
 * ('js-fused', WebAssembly SIMD, one thread), tfjs's wasm backend (XNNPACK, its thread count printed:
 * `npm run bench -- --threads N`, default 1) and tfjs's cpu backend; reference: PyTorch CPU
 * (tools/bench_torch_images.py) on the same data, θ₀ and batch order, threads pinned (1 and every core)
 * and printed. Time per epoch = stepsPerEpoch / (steps/s).
 *
 * CNN rows (issue 12): the small CNNs of examples/digits-cnn.json and mnist-cnn.json (conv → ReLU →
 * max-pool blocks, then dense), Adam and SGD against torch's Conv2d / MaxPool2d on the same θ₀ (the
 * script permutes our HWIO kernels and flattens NHWC, as problems/cnn-spec.ts), and mm-lipschitz.
 * BENCH_IMAGES=cnn (any part of the case names) runs only the matching cases; BENCH_IMAGES_ALGS=adam,mm-layerwise
 * only those algorithms; BENCH_IMAGES_ENGINES=fused,wasm only the engines whose label holds one of those.
 *
 * Algorithms: Adam and SGD (against torch.optim's) and every MM algorithm the problem allows on
 * mini-batches — Lipschitz, layer-wise, Gauss–Newton and Böhning, on the MLPs and the CNNs. Each
 * training stops at the case's time budget (`budgetSec`); one cut short prints its
 * steps/s over the steps it took and no accuracy (an engine's error, e.g. a kernel tfjs-wasm lacks,
 * prints in the last column).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadExperiment, type ExperimentConfig, type ExperimentInput } from '../src/core/config';
import { BatchSchedule, Experiment as TfjsExperiment } from '../src/core/experiment';
import type { Experiment } from '../src/core/fold/experiment';
import { FusedExperiment, simdAvailable } from '../src/core/fused';
import { mlpData } from '../src/core/problems/mlp-data';
import { cnnShapeOf } from '../src/core/problems/cnn-config';
import { cnnLayout, type ConvBlock } from '../src/core/problems/cnn-spec';
import { setNodeBackend, type NodeBackend } from '../src/cli/backend';
import { wasmThreads } from '../src/cli/wasm-threads';
import { loadImageDataNode } from '../src/cli/data-files';
import { printTable } from './table';

interface Case {
  name: string;
  set: 'digits' | 'mnist';
  n: number;
  hidden: number[];
  /** Convolution blocks before the hidden stack (a CNN). */
  conv?: ConvBlock[];
  batch: number;
  epochs: number;
  /** Adam's learning rate (SGD: 0.1 everywhere). */
  adamLr: number;
  /** Steps tfjs's cpu backend is timed for (it needs minutes for an MNIST epoch): accuracy only if it finishes. */
  tfjsSteps: number;
  /** Trainings timed from θ₀ (ours and torch alike), the fastest kept: short ones are at the mercy of a shared machine. */
  repeats: number;
  /** Seconds one training of ours may take; a longer one is cut there (steps/s from the steps taken, no accuracy). */
  budgetSec: number;
}

const CASES = (quick: boolean): Case[] => [
  { name: 'digits 64-32-10', set: 'digits', n: 1797, hidden: [32], batch: 64, epochs: quick ? 3 : 10, adamLr: 0.01, tfjsSteps: Infinity, repeats: quick ? 1 : 3, budgetSec: quick ? 20 : 60 },
  { name: 'mnist 784-256-10', set: 'mnist', n: 10_000, hidden: [256], batch: 128, epochs: 1, adamLr: 0.001, tfjsSteps: quick ? 6 : 20, repeats: quick ? 1 : 2, budgetSec: quick ? 30 : 120 },
  { name: 'digits CNN c8k3p2-32-10', set: 'digits', n: 1797, conv: [{ filters: 8, kernel: 3, pool: 2 }], hidden: [32], batch: 128, epochs: quick ? 2 : 5, adamLr: 0.01, tfjsSteps: quick ? 4 : 12, repeats: quick ? 1 : 2, budgetSec: quick ? 30 : 120 },
  {
    name: 'mnist CNN c8k3p2-c16k3p2-64-10',
    set: 'mnist',
    n: 10_000,
    conv: [{ filters: 8, kernel: 3, pool: 2 }, { filters: 16, kernel: 3, pool: 2 }],
    hidden: [64],
    batch: 128,
    epochs: 1,
    adamLr: 0.001,
    tfjsSteps: quick ? 2 : 6,
    repeats: 1,
    budgetSec: quick ? 60 : 300,
  },
];

/**
 * Algorithms and their hyper-parameters (torch: the optimizer of the same name): every MM algorithm runs
 * on the MLPs and the CNNs (NetOps). Böhning moves the last layer only; on a mini-batch smaller than
 * that layer's inputs its bound is singular without damping.
 */
const algorithms = (c: Case): { id: string; hyper: Record<string, unknown>; torch?: 'adam' | 'sgd' }[] => [
  { id: 'adam', hyper: { lr: c.adamLr }, torch: 'adam' },
  { id: 'sgd', hyper: { lr: 0.1 }, torch: 'sgd' },
  { id: 'mm-lipschitz', hyper: {} },
  { id: 'mm-layerwise', hyper: {} },
  { id: 'mm-gauss-newton', hyper: {} },
  { id: 'mm-bohning', hyper: { damping: 0.01 } },
];

const input = (c: Case, runs: ExperimentInput['runs'], steps: number): ExperimentInput => ({
  version: 1,
  problem: { kind: 'mlp', data: { kind: 'dataset', name: c.set, n: c.n, testRatio: 0.2 }, ...(c.conv ? { conv: c.conv } : {}), hidden: c.hidden, activation: 'relu', loss: 'softmax_ce', batchSize: c.batch },
  runs,
  steps,
});

/**
 * `steps` training steps of run 0 on the lab's batch order, no evaluation, or as many as `budgetMs`
 * allows; then its test accuracy (NaN when cut short).
 */
function train(exp: Experiment, steps: number, budgetMs = Infinity): { stepsPerSec: number; testAccuracy: number; status: string; steps: number } {
  const run = exp.runs[0];
  const t0 = performance.now();
  for (let t = 0; t < steps && run.active && performance.now() - t0 < budgetMs; t++) {
    const { f, release } = exp.stepObjective(exp.t);
    run.step(f);
    release();
    exp.t += 1;
  }
  // The last step's work is done once θ is read back (tfjs may still be computing).
  exp.problem.ops.toArray(run.theta);
  const stepsPerSec = (1000 * run.t) / (performance.now() - t0);
  const done = run.t >= steps;
  return { stepsPerSec, testAccuracy: done ? exp.accuracy(0, 'test') : NaN, status: run.status === 'running' || run.status === 'done' ? 'ok' : run.message.slice(0, 70), steps: run.t };
}

function torchRef(dir: string, c: Case, config: ExperimentConfig, steps: number, optimizer: 'adam' | 'sgd', hyper: Record<string, unknown>, threads: number) {
  const problem = config.problem as Extract<ExperimentConfig['problem'], { kind: 'mlp' }>;
  const sizes = [c.set === 'digits' ? 64 : 784, ...c.hidden, 10];
  // A CNN: its shapes and θ's tensors (the script builds Conv2d/MaxPool2d/Linear from them).
  const cnn = c.conv ? (() => { const shape = cnnShapeOf(problem); return { shape, tensors: cnnLayout(shape).tensors }; })() : undefined;
  const job = { dir, sizes, cnn, nTrain: 0, nTest: 0, steps, batch: c.batch, activation: 'relu', optimizer, hyper, threads, repeats: c.repeats };
  const data = mlpData(problem, config.seeds.data);
  job.nTrain = data.X.length;
  job.nTest = data.Xtest!.length;
  const r = spawnSync('/usr/bin/python3', ['tools/bench_torch_images.py'], { input: JSON.stringify(job), encoding: 'utf8' });
  if (r.status !== 0) return { ok: false as const, reason: `skipped (${(r.stderr || r.error?.message || '').trim().split('\n').at(-1)})` };
  return { ok: true as const, ...(JSON.parse(r.stdout) as { stepsPerSec: number; testAccuracy: number; threads: number }) };
}

/** The data, θ₀ and batch order as files for the torch script. */
function writeJob(config: ExperimentConfig, fx: Experiment, steps: number, batch: number): string {
  const dir = mkdtempSync(join(os.tmpdir(), 'mm-bench-images-'));
  const data = mlpData(config.problem as Extract<ExperimentConfig['problem'], { kind: 'mlp' }>, config.seeds.data);
  writeFileSync(join(dir, 'X.f32'), Float32Array.from(data.X.flat()));
  writeFileSync(join(dir, 'y.i32'), Int32Array.from(data.y));
  writeFileSync(join(dir, 'Xtest.f32'), Float32Array.from(data.Xtest!.flat()));
  writeFileSync(join(dir, 'ytest.i32'), Int32Array.from(data.ytest!));
  writeFileSync(join(dir, 'theta0.f32'), fx.problem.ops.toArray(fx.problem.theta0()));
  const sched = new BatchSchedule(data.X.length, batch, config.seeds.batch);
  const rows = new Int32Array(steps * batch).fill(-1);
  for (let t = 0; t < steps; t++) rows.set(sched.indices(t), t * batch);
  writeFileSync(join(dir, 'batches.i32'), rows);
  return dir;
}

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '—');

export async function benchImages(quick: boolean): Promise<void> {
  const rows: string[][] = [];
  const cores = os.cpus().length;
  const only = process.env.BENCH_IMAGES;
  const algs = process.env.BENCH_IMAGES_ALGS?.split(',');
  const engineFilter = process.env.BENCH_IMAGES_ENGINES?.split(',');
  const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' / ');
  console.log(`images: load average (1 / 5 / 15 min) at the start ${load()}${quick ? '; --quick: fewer epochs on digits, tfjs cpu timed on fewer steps, shorter budgets' : ''}`);
  for (const c of CASES(quick).filter((k) => !only || k.name.includes(only))) {
    const probe = loadExperiment(input(c, [{ algorithm: 'adam' }], 0));
    await loadImageDataNode(probe.problem);
    const fx0 = new FusedExperiment(probe);
    const perEpoch = Math.ceil(fx0.problem.nTrain / c.batch);
    const steps = perEpoch * c.epochs;
    const dir = writeJob(probe, fx0, steps, c.batch);
    fx0.dispose();
    const ALGS = algorithms(c).filter((a) => !algs || algs.includes(a.id));
    const label = `${c.name}, batch ${c.batch}, ${c.epochs} epoch${c.epochs > 1 ? 's' : ''} (${perEpoch} steps each)`;
    let torchAdam = NaN;
    for (const a of ALGS.filter((x) => x.torch)) {
      for (const threads of [1, ...(cores > 1 ? [cores] : [])]) {
        const r = torchRef(dir, c, probe, steps, a.torch!, a.hyper, threads);
        if (r.ok && a.id === 'adam') torchAdam = Math.max(Number.isFinite(torchAdam) ? torchAdam : 0, r.stepsPerSec);
        rows.push([label, a.id, r.ok ? `PyTorch CPU (${r.threads} thread${r.threads > 1 ? 's' : ''})` : 'PyTorch CPU', r.ok ? fmt(r.stepsPerSec) : r.reason, r.ok ? (perEpoch / r.stepsPerSec).toFixed(3) : '—', r.ok ? pct(r.testAccuracy) : '—', '']);
      }
    }
    rmSync(dir, { recursive: true, force: true });
    const engines: { label: string; tfjs: NodeBackend | null }[] = [
      { label: `js-fused (${simdAvailable() ? 'wasm-simd' : 'js'}, 1 thread)`, tfjs: null },
      { label: `tfjs wasm (XNNPACK, ${wasmThreads()} thread${wasmThreads() > 1 ? 's' : ''})`, tfjs: 'wasm' },
      { label: 'tfjs cpu', tfjs: 'cpu' },
    ];
    for (const { label: engine, tfjs } of engines.filter((e) => !engineFilter || engineFilter.some((x) => e.label.includes(x)))) {
      const fused = tfjs === null;
      const make = async (config: ExperimentConfig): Promise<Experiment> => (tfjs ? (await setNodeBackend(tfjs), new TfjsExperiment(config)) : new FusedExperiment(config));
      const timed = tfjs === 'cpu' ? Math.min(steps, c.tfjsSteps) : steps;
      for (const a of ALGS) {
        const config = loadExperiment(input(c, [{ algorithm: a.id, hyper: a.hyper }], steps));
        // Warm-up on a throw-away run (V8's optimiser, kernels, tfjs's first allocations).
        const warm = await make(config);
        train(warm, fused ? 30 : 2, 2000);
        warm.dispose();
        let r = { stepsPerSec: 0, testAccuracy: NaN, status: '', steps: 0 };
        for (let k = 0; k < (fused ? c.repeats : 1); k++) {
          const exp = await make(config);
          try {
            const rk = train(exp, timed, 1000 * c.budgetSec);
            if (rk.stepsPerSec > r.stepsPerSec || rk.status !== 'ok') r = rk;
          } finally {
            exp.dispose();
          }
          if (r.steps < timed) break; // cut short by the budget or an error: no second try
        }
        const vs = Number.isFinite(torchAdam) ? `${(r.stepsPerSec / torchAdam).toFixed(2)}×` : '—';
        const acc = r.steps === steps ? pct(r.testAccuracy) : `— (timed ${r.steps} steps)`;
        // A run that failed before its first step has no rate: its error takes the row.
        if (r.steps === 0 && r.status !== 'ok') rows.push([label, a.id, engine, 'error', '—', '—', r.status]);
        else rows.push([label, a.id, engine, fmt(r.stepsPerSec), (perEpoch / r.stepsPerSec).toFixed(3), acc, r.status === 'ok' ? vs : `${vs} (${r.status})`]);
      }
    }
  }
  console.log(`images: load average at the end ${load()}`);
  printTable(
    'Image MLPs and CNNs, softmax CE, mini-batches (training steps/s without per-step loss reads; s/epoch; test accuracy after the epochs; ratio = ours / PyTorch CPU Adam, best thread count)',
    ['problem', 'algorithm', 'engine', 'steps/s', 's/epoch', 'test acc', 'vs torch adam'],
    rows,
  );
}
