/**
 * npm run bench — throughput of the headless core against PyTorch CPU and scikit-learn, measured in
 * the same run on the same data and initial parameters, printed as ratios. A benchmark, not a test:
 * a missing reference prints "skipped" and never fails the bench.
 *
 *   npm run bench [-- --quick] [-- --only mlp|nmf|mm|me|images|browser] [-- --browser] [-- --threads N]
 *   (--browser: also bench/browser.ts; --threads: XNNPACK threads for the tfjs wasm rows)
 */
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { loadExperiment, type ExperimentInput } from '../src/core/config';
import { Experiment, paramsOf } from '../src/core/experiment';
import { ALGORITHMS } from '../src/core/algorithms/registry';
import { setNodeBackend, NODE_BACKENDS } from '../src/cli/backend';
import { setWasmThreads, wasmThreads } from '../src/cli/wasm-threads';
import { defaultKernelThreads, spawnNodeThread } from '../src/cli/kernel-threads';
import { FusedExperiment, FusedNMFExperiment, FUSED_BACKEND, FUSED_MM, simdAvailable, type KernelKind } from '../src/core/fused';
import type { MLPProblem } from '../src/core/problems/mlp';
import type { NMFProblem } from '../src/core/problems/nmf';
import { sklearnNmfItersPerSec, torchStepsPerSec, type Reference, type TorchJob } from './references';
import { mmVersusGradient } from './mm-vs-gradient';
import { printTable } from './table';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
const SECONDS = quick ? 0.5 : 1.5;
// Threads for the fused NMF kernels (default: one per core) and tfjs-wasm's XNNPACK (default 1).
const THREADS = args.includes('--threads') ? Number(args[args.indexOf('--threads') + 1]) : null;
setWasmThreads(THREADS ?? 1);
const KERNEL_THREADS = THREADS ?? defaultKernelThreads();
/** The tfjs backend as the tables name it: wasm with its thread count. */
const backendLabel = (backend: string) => (backend === 'wasm' ? `wasm ×${wasmThreads()}` : backend);

/**
 * Ticks per second: 3 warm-up ticks (kernel compilation, first allocations), then `seconds` split into
 * `windows` windows, keeping the fastest (on a shared machine, the window least disturbed by other
 * jobs). Stops early when `alive` turns false.
 */
function bestOfWindows(tick: () => void, seconds: number, windows: number, alive: () => boolean = () => true): { stepsPerSec: number; steps: number } {
  for (let i = 0; i < 3; i++) tick();
  let best = { stepsPerSec: 0, steps: 0 };
  for (let w = 0; w < windows; w++) {
    let steps = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < (seconds * 1000) / windows && alive()) {
      tick();
      steps += 1;
    }
    const stepsPerSec = (1000 * steps) / (performance.now() - t0);
    if (stepsPerSec > best.stepsPerSec) best = { stepsPerSec, steps };
  }
  return best;
}

/**
 * Steps per second of every run of `input` stepped alone (step + loss read back, as the lab does;
 * `withLoss = false`: the step alone, θ's last entry read back to wait for the backend). `windows` > 1
 * splits the time into that many windows and keeps the fastest (on a shared machine, the window
 * least disturbed by other jobs).
 */
function measure(input: ExperimentInput, seconds = SECONDS, withLoss = true, windows = 1): { stepsPerSec: number; steps: number }[] {
  const exp = new Experiment(loadExperiment(input));
  try {
    return exp.runs.map((run) => {
      const obj = exp.problem.tfjs.full;
      const tick = () => {
        run.step(exp.problem.full);
        const params = paramsOf(run);
        if (!withLoss) return void tf.tidy(() => tf.slice(params.at(-1)!.flatten(), [params.at(-1)!.size - 1], [1]).dataSync());
        const f = obj.loss(params);
        f.dataSync();
        f.dispose();
      };
      return bestOfWindows(tick, seconds, windows, () => run.active);
    });
  } finally {
    exp.dispose();
  }
}

/**
 * The same on the fused engine (src/core/fused, `--backend js`): each tick is the lab's step + f(θ)
 * after it, which full batch is one forward/backward pass (f and the next step's ∇f together).
 */
function measureFused(input: ExperimentInput, kernels: KernelKind, seconds = SECONDS): { stepsPerSec: number; steps: number } {
  const fx = new FusedExperiment(loadExperiment(input), { kernels });
  fx.evaluateAll();
  const w0 = performance.now();
  for (let i = 0; i < 20 || performance.now() - w0 < 100; i++) fx.step(); // warm-up: let V8 optimise the loops
  let steps = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000 && fx.runs[0].active) {
    fx.step();
    steps += 1;
  }
  return { stepsPerSec: (1000 * steps) / (performance.now() - t0), steps };
}

/** The references get every core (PyTorch reads 1 intra-op thread here by default): pinned and printed. */
const CORES = os.cpus().length;

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const ratio = (ours: number, ref: Reference) => (ref.ok ? `${(ours / ref.value).toFixed(2)}×` : '—');

const MLP_CASES = [
  { name: 'moons 2-8-8-1, 256 pts', data: { kind: 'dataset', name: 'moons', n: 256, testRatio: 0 }, hidden: [8, 8] },
  { name: 'moons 2-64-64-1, 4096 pts', data: { kind: 'dataset', name: 'moons', n: 4096, testRatio: 0 }, hidden: [64, 64] },
] as const;

/** Every MLP algorithm, Adam first. */
const MLP_ALGORITHMS = ['adam', ...Object.keys(ALGORITHMS).filter((id) => id !== 'adam' && ALGORITHMS[id].problems.includes('mlp'))];

function mlpAlgorithms(): string[] {
  return ['adam', ...Object.values(ALGORITHMS).filter((a) => a.family === 'mm' && a.problems.includes('mlp') && a.id !== 'mm-bohning').map((a) => a.id)];
}

async function benchMLP(): Promise<void> {
  const rows: string[][] = [];
  for (const c of MLP_CASES) {
    const problem: ExperimentInput['problem'] = { kind: 'mlp', data: { ...c.data }, hidden: [...c.hidden], activation: 'tanh', loss: 'bce' };
    // The exact data and initial weights, handed to PyTorch.
    await setNodeBackend('cpu');
    const probe = new Experiment(loadExperiment({ version: 1, problem, runs: [{ algorithm: 'adam' }] }));
    const mlp = probe.problem.tfjs as MLPProblem;
    const init = paramsOf(probe.runs[0]);
    const layers = Array.from({ length: init.length / 2 }, (_, l) => ({
      W: init[2 * l].arraySync() as number[][],
      b: init[2 * l + 1].arraySync() as number[],
    }));
    const torchJob: TorchJob = {
      X: mlp.full.X.arraySync(),
      y: (mlp.full.Y.arraySync() as number[][]).map((r) => r[0]),
      init: layers,
      activation: 'tanh',
      optimizer: 'adam',
      hyper: { lr: 0.01 },
      seconds: SECONDS,
    };
    // PyTorch on one thread and on every core (torch reads 1 here by default): the faster is the reference.
    const torchRuns = [1, ...(CORES > 1 ? [CORES] : [])].map((threads) => torchStepsPerSec({ ...torchJob, threads }));
    const okRuns = torchRuns.filter((r): r is Extract<Reference, { ok: true }> => r.ok);
    const torch: Reference = okRuns.length ? okRuns.reduce((a, b) => (b.value > a.value ? b : a)) : torchRuns[0];
    probe.dispose();
    for (const r of torchRuns) {
      const label = r.ok ? `torch (${r.detail.threads} thread${r.detail.threads === 1 ? '' : 's'}${r === torch ? ', reference' : ''})` : 'torch';
      rows.push([c.name, 'PyTorch CPU (adam)', label, r.ok ? fmt(r.value) : r.reason, r.ok && torch.ok ? ratio(r.value, torch) : '—']);
    }
    // The cpu engine (`--backend js`, one thread) runs every MLP algorithm (each written once against
    // the engine interface), on WebAssembly SIMD kernels where the runtime has them (the default); the
    // plain-JS kernels are timed for Adam and the Lipschitz MM algorithms.
    for (const kernels of (simdAvailable() ? ['wasm-simd', 'js'] : ['js']) as KernelKind[]) {
      for (const alg of kernels === 'js' ? ['adam', ...FUSED_MM.filter((a) => a.startsWith('mm-l'))] : MLP_ALGORITHMS) {
        const hyper = alg === 'adam' ? { lr: 0.01 } : {};
        const fused = measureFused({ version: 1, problem, runs: [{ algorithm: alg, hyper }] }, kernels);
        rows.push([c.name, alg, `${FUSED_BACKEND} (${kernels}, 1 thread)`, fmt(fused.stepsPerSec), ratio(fused.stepsPerSec, torch)]);
      }
    }
    for (const backend of NODE_BACKENDS) {
      await setNodeBackend(backend);
      for (const alg of mlpAlgorithms()) {
        const hyper = alg === 'adam' ? { lr: 0.01 } : {};
        const [m] = measure({ version: 1, problem, runs: [{ algorithm: alg, hyper }] });
        rows.push([c.name, alg, backendLabel(backend), fmt(m.stepsPerSec), ratio(m.stepsPerSec, torch)]);
      }
    }
  }
  printTable('MLP training throughput, full batch (steps/s; ratio = ours / PyTorch CPU Adam on the same net, data and init)', ['problem', 'algorithm', 'backend', 'steps/s', 'vs torch'], rows);
}

/** Iterations/s of the fused NMF engine: best of `windows`, the update alone or with f after each. */
function measureFusedNMF(input: ExperimentInput, seconds: number, withLoss: boolean, windows: number): { itPerSec: number; threads: number } {
  const fx = new FusedNMFExperiment(loadExperiment(input), { threads: KERNEL_THREADS, spawn: spawnNodeThread });
  const run = fx.runs[0];
  const tick = () => {
    run.step(fx.problem.full);
    if (withLoss) run.evaluate(false, false);
  };
  try {
    return { itPerSec: bestOfWindows(tick, seconds, windows).stepsPerSec, threads: fx.workspace.threads };
  } finally {
    fx.close();
  }
}

/** NMF timings keep the best of this many windows, on both sides (see `measure`). */
const NMF_WINDOWS = 5;

async function benchNMF(): Promise<void> {
  const rows: string[][] = [];
  const cases = quick ? [{ m: 256, K: 16 }] : [{ m: 256, K: 16 }, { m: 1024, K: 32 }];
  for (const { m, K } of cases) {
    for (const beta of [0, 1, 2]) {
      await setNodeBackend('cpu');
      const input: ExperimentInput = {
        version: 1,
        problem: { kind: 'nmf', beta, rank: K, data: { kind: 'synthetic', rows: m, cols: m, trueRank: K } },
        runs: [{ algorithm: 'nmf-mm' }],
      };
      const probe = new Experiment(loadExperiment(input));
      const nmf = probe.problem.tfjs as NMFProblem;
      const [W0, H0] = paramsOf(probe.runs[0]);
      const job = { V: nmf.full.V.arraySync(), W0: W0.arraySync() as number[][], H0: H0.arraySync() as number[][], beta, seconds: 2 * SECONDS, windows: NMF_WINDOWS, threads: CORES };
      // Both sides timed the same two ways: the update alone, and the update + D_β(V | WH) after every
      // iteration (the lab records f every step; sklearn: _beta_divergence every iteration).
      const sk = sklearnNmfItersPerSec(job);
      const skf = sklearnNmfItersPerSec({ ...job, withLoss: true });
      probe.dispose();
      const name = `${m}×${m}, K=${K}, β=${beta}`;
      const cell = (x: Reference) => (x.ok ? fmt(x.value) : x.reason);
      rows.push([name, `scikit-learn mu${sk.ok && sk.detail.threads ? ` (${sk.detail.threads} BLAS threads)` : ''}`, cell(sk), '1.00×', cell(skf), '1.00×']);
      if (simdAvailable()) {
        const { itPerSec: r, threads } = measureFusedNMF(input, 2 * SECONDS, false, NMF_WINDOWS);
        const rf = measureFusedNMF(input, 2 * SECONDS, true, NMF_WINDOWS).itPerSec;
        rows.push([name, `nmf-mm (${FUSED_BACKEND} ×${threads})`, fmt(r), ratio(r, sk), fmt(rf), ratio(rf, skf)]);
      }
      for (const backend of NODE_BACKENDS) {
        await setNodeBackend(backend);
        const [r] = measure(input, 2 * SECONDS, false, NMF_WINDOWS);
        const [rf] = measure(input, 2 * SECONDS, true, NMF_WINDOWS);
        rows.push([name, `nmf-mm (${backendLabel(backend)})`, fmt(r.stepsPerSec), ratio(r.stepsPerSec, sk), fmt(rf.stepsPerSec), ratio(rf.stepsPerSec, skf)]);
      }
    }
  }
  printTable(
    `NMF multiplicative updates (iterations/s on the same V, W0, H0, best of ${NMF_WINDOWS} windows on both sides; "step": the update alone on both sides; "step + f": the update and D_β(V | WH) every iteration on both sides; ratio = ours / scikit-learn \`mu\`)`,
    ['problem', 'solver', 'step it/s', 'vs sklearn', 'step + f it/s', 'vs sklearn'],
    rows,
  );
}

async function main(): Promise<void> {
  console.log(`MM Lab bench — ${new Date().toISOString().slice(0, 10)} — ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, Node ${process.version}, tfjs ${tf.version.tfjs}${quick ? ' (quick)' : ''}\n`);
  if (!only || only === 'mlp') await benchMLP();
  if (!only || only === 'nmf') await benchNMF();
  if (!only || only === 'mm') {
    await setNodeBackend('cpu');
    await mmVersusGradient(quick);
  }
  // Image MLPs: digits and MNIST, Adam / SGD / MM against PyTorch, time per epoch and test accuracy (bench/images.ts).
  if (!only || only === 'images') await (await import('./images')).benchImages(quick);
  // ME vs MM iterations and wall time to a fixed objective (bench/nmf-me.ts).
  if (!only || only === 'me') await (await import('./nmf-me')).meVersusMM(quick);
  // The lab itself in Chromium (bench/browser.ts, alone: npm run bench:browser): only when asked.
  if (args.includes('--browser') || only === 'browser') await (await import('./browser')).benchBrowser({ quick });
}

main().then(
  // emscripten keeps the pthread workers of a threaded tfjs-wasm referenced: leave explicitly
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
