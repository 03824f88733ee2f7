/**
 * The fused engine (src/core/fused) against torch.optim's trajectories and against the tfjs engine:
 * same objective, same gradients, same optimizer updates, same fold (mini-batches, switches,
 * divergence), same ExperimentResult.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadExperiment, type ExperimentConfig, type ExperimentInput } from '../src/core/config';
import { runExperiment, type RunResult } from '../src/core/experiment';
import { buildMLPProblem } from '../src/core/problems/build';
import { ACTIVATIONS, LOSSES, type Activation, type LossName } from '../src/core/problems/mlp';
import {
  buildFusedProblem, canFuse, fromTfjs, FusedExperiment, FusedRun, fusedAlgorithm, runFusedExperiment, simdAvailable, toTfjs, unflattenLayers, type KernelKind,
} from '../src/core/fused';
import { CpuMLPProblem } from '../src/core/engines/cpu/mlp-problem';
import { ops, paramsOf, tfjsRun } from './tfjs-run';
import type { Run } from '../src/core/run';
import type { AlgorithmState } from '../src/core/engine/algorithm';
import { tfjsVec } from '../src/core/engines/tfjs/vector-ops';
import { fastTanh } from '../src/core/fused/mlp-kernels';
import { createWasmKernels } from '../src/core/fused/wasm-kernels';

/** Both kernel sets: WebAssembly SIMD (the default where available, as in Node ≥ 16) and plain JS. */
const KERNELS: KernelKind[] = ['wasm-simd', 'js'];
it('WebAssembly SIMD is available here (the tests cover both kernel sets)', () => expect(simdAvailable()).toBe(true));

interface FixtureCase {
  name: string;
  torch: string;
  config: unknown;
  losses: number[];
}
const fixture: { cases: FixtureCase[] } = JSON.parse(readFileSync(new URL('./fixtures/torch-optim.json', import.meta.url), 'utf8'));

/** max_k |a_k − b_k| / |b_k| over the first `window + 1` entries, with where it happened. */
function worstRel(a: number[], b: number[], window = a.length - 1): { err: number; at: number } {
  let err = 0;
  let at = 0;
  for (let k = 0; k <= window; k++) {
    const e = Math.abs(a[k] - b[k]) / Math.abs(b[k]);
    if (!(e <= err)) [err, at] = [e, k];
  }
  return { err, at };
}

describe('fused engine vs torch.optim (tests/fixtures/torch-optim.json)', () => {
  const cases = fixture.cases.flatMap((c) => KERNELS.map((k) => [c.name, k, c] as const));
  it.each(cases)('%s (%s kernels) matches torch over 50 steps within 1e-4', (_name, kernels, c) => {
    const config = loadExperiment(c.config);
    expect(canFuse(config)).toBe(true);
    const result = runFusedExperiment(config, { recordTest: false, kernels });
    expect(result.backend).toBe('js-fused');
    const [run] = result.runs;
    expect(run.status, run.message).toBe('done');
    expect(run.losses.length).toBe(c.losses.length);
    const { err, at } = worstRel(run.losses, c.losses, 50);
    expect(err, `${c.name} (${c.torch}): ${err.toExponential(2)} at step ${at}`).toBeLessThanOrEqual(1e-4);
  });
});

/** A problem for an activation × loss pair: a classification or regression dataset that suits the loss. */
function problemFor(activation: Activation, loss: LossName, extra: Record<string, unknown> = {}): ExperimentInput['problem'] {
  const data =
    loss === 'mse'
      ? { kind: 'dataset', name: 'sine', n: 64, noise: 0.1 }
      : loss === 'softmax_ce'
        ? { kind: 'dataset', name: 'gaussians', n: 64, classes: 3 }
        : { kind: 'dataset', name: 'moons', n: 64 };
  return { kind: 'mlp', data, hidden: [6, 5], activation, loss, ...extra } as ExperimentInput['problem'];
}

/** Runs a config on tfjs and on both fused kernel sets; every recorded trajectory agrees within `tol`. */
function agree(input: ExperimentInput, tol = 1e-5): { tfjs: RunResult[]; fused: RunResult[] } {
  const config = loadExperiment(input);
  expect(canFuse(config)).toBe(true);
  const a = runExperiment(config).runs;
  const results = KERNELS.map((kernels) => runFusedExperiment(config, { kernels }).runs);
  results.forEach((b) => compare(a, b, tol));
  return { tfjs: a, fused: results[0] };
}

function compare(a: RunResult[], b: RunResult[], tol: number): void {
  expect(b.length).toBe(a.length);
  a.forEach((ra, i) => {
    const rb = b[i];
    expect(rb.id).toBe(ra.id);
    expect(rb.algorithm).toBe(ra.algorithm);
    expect(rb.status, rb.message).toBe(ra.status);
    expect(rb.steps).toBe(ra.steps);
    expect(rb.switches).toEqual(ra.switches);
    expect(rb.losses.length).toBe(ra.losses.length);
    const train = worstRel(rb.losses, ra.losses);
    expect(train.err, `${ra.id} train: ${train.err.toExponential(2)} at step ${train.at}`).toBeLessThanOrEqual(tol);
    expect(!!rb.testLosses).toBe(!!ra.testLosses);
    if (ra.testLosses) {
      const test = worstRel(rb.testLosses!, ra.testLosses);
      expect(test.err, `${ra.id} test: ${test.err.toExponential(2)} at step ${test.at}`).toBeLessThanOrEqual(tol);
    }
  });
}

const OPTIMIZERS: [string, Record<string, unknown>][] = [
  ['adam', { lr: 0.01 }],
  ['sgd', { lr: 0.05, momentum: 0.9, nesterov: true }],
  ['rmsprop', { lr: 0.003, momentum: 0.5 }],
  ['adagrad', { lr: 0.05, lr_decay: 0.01 }],
  ['adamw', { lr: 0.005, weight_decay: 0.1, amsgrad: true }],
  ['sgd', { lr: 0.05, momentum: 0.5, dampening: 0.2, weight_decay: 0.01 }],
];

describe('fused engine vs tfjs runExperiment (100 steps, ≤ 1e-5 relative)', () => {
  const pairs = ACTIVATIONS.flatMap((a) => LOSSES.map((l) => [a, l] as const));
  it.each(pairs.map(([a, l], i) => [a, l, i] as const))('%s × %s', (activation, loss, i) => {
    const [algorithm, hyper] = OPTIMIZERS[i % OPTIMIZERS.length];
    agree({ version: 1, problem: problemFor(activation, loss), runs: [{ algorithm, hyper }], steps: 100 });
  });

  it('with the L2 penalty, several runs side by side', () => {
    agree({
      version: 1,
      problem: problemFor('tanh', 'bce', { l2: 0.05 }),
      runs: [
        { algorithm: 'adam', hyper: { lr: 0.01, weight_decay: 0.01 } },
        { algorithm: 'rmsprop', hyper: { lr: 0.003, centered: true } },
        { algorithm: 'adagrad', hyper: { lr: 0.05, initial_accumulator_value: 0.1, weight_decay: 0.01 } },
      ],
      steps: 100,
    });
  });

  it('with mini-batches (same batch order, last batch short)', () => {
    agree({
      version: 1,
      problem: problemFor('relu', 'softmax_ce', { batchSize: 13, l2: 0.01 }),
      runs: [
        { algorithm: 'sgd', hyper: { lr: 0.05, momentum: 0.9 } },
        { algorithm: 'adam', hyper: { lr: 0.005 } },
      ],
      steps: 100,
    });
  });

  it('with scheduled switches (fresh state, kept state, amsgrad turned on with a kept state)', () => {
    const { fused } = agree({
      version: 1,
      problem: problemFor('tanh', 'bce', { batchSize: 20 }),
      runs: [
        {
          algorithm: 'sgd',
          hyper: { lr: 0.1, momentum: 0.9 },
          switches: [
            { at: 0, algorithm: 'sgd', hyper: { lr: 0.05, momentum: 0.9 }, keepState: true },
            { at: 30, algorithm: 'adam', hyper: { lr: 0.01 } },
            { at: 60, algorithm: 'adam', hyper: { lr: 0.005, amsgrad: true }, keepState: true },
            { at: 80, algorithm: 'rmsprop', hyper: { lr: 0.002, centered: true, momentum: 0.3 } },
          ],
        },
        { algorithm: 'adagrad', hyper: { lr: 0.05 }, switches: [{ at: 50, algorithm: 'sgd', hyper: { lr: 0.05 } }] },
      ],
      steps: 100,
    });
    expect(fused[0].switches.map((s) => [s.at, s.to, s.keepState])).toEqual([
      [0, 'sgd', true],
      [30, 'adam', false],
      [60, 'adam', true],
      [80, 'rmsprop', false],
    ]);
  });
});

describe('fused objective and gradient', () => {
  it.each(KERNELS.flatMap((k) => ACTIVATIONS.flatMap((a) => LOSSES.map((l) => [k, a, l] as const))))(
    '%s kernels, %s × %s: f and ∇f equal tfjs (odd sizes, several chunks, a mini-batch)',
    (kernels, activation, loss) => {
      // Widths that are not multiples of 4 and chunks of 6 rows exercise every tail of the kernels.
      const config = loadExperiment({ version: 1, problem: { ...problemFor(activation, loss, { l2: 0.03 }), hidden: [7, 5, 8] }, runs: [{ algorithm: 'sgd' }] });
      const fused = buildFusedProblem(config, { chunkRows: 6, kernels });
      expect(fused.net.kernels).toBe(kernels);
      const tfjs = buildMLPProblem(config.problem as Extract<ExperimentConfig['problem'], { kind: 'mlp' }>, config.seeds);
      const theta64 = Float64Array.from(fused.theta0);
      const rows = Int32Array.from([5, 3, 40, 0, 17, 9, 22, 31, 8, 1, 2]);
      for (const subset of [null, rows]) {
        const grad = new Float64Array(theta64.length);
        const f = fused.net.evaluate(theta64, fused.train, subset, true, grad);
        const batch = subset ? tfjs.batch(subset) : null;
        const obj = batch ?? tfjs.full;
        const params = tfjs.initialParams();
        const { value, grads } = tf.valueAndGrads((...p: tf.Tensor[]) => obj.loss(p))(params);
        expect(Math.abs(f - value.dataSync()[0]) / Math.abs(f)).toBeLessThan(2e-6);
        const g = grads.flatMap((t) => Array.from(t.dataSync()));
        const scale = Math.max(...g.map(Math.abs));
        g.forEach((v, i) => expect(Math.abs(grad[i] - v), `∂f/∂θ[${i}]`).toBeLessThan(1e-5 * scale));
        tf.dispose([value, ...grads, ...params]);
        batch?.dispose();
      }
      tfjs.dispose();
    },
  );

  it('θ₀ and its layout match the tfjs problem', () => {
    const config = loadExperiment({ version: 1, problem: problemFor('tanh', 'softmax_ce'), runs: [{ algorithm: 'adam' }] });
    const fused = buildFusedProblem(config);
    const tfjs = buildMLPProblem(config.problem as Extract<ExperimentConfig['problem'], { kind: 'mlp' }>, config.seeds);
    const params = tfjs.initialParams();
    expect(fused.tensors.map((t) => t.name)).toEqual(tfjs.paramNames);
    expect(fused.tensors.map((t) => t.shape)).toEqual(params.map((p) => p.shape));
    expect(Array.from(fused.theta0)).toEqual(params.flatMap((p) => Array.from(p.dataSync())));
    const layers = unflattenLayers(fused.spec.sizes, fused.theta0);
    expect(layers[0].W).toEqual(params[0].arraySync());
    tf.dispose(params);
    tfjs.dispose();
  });

  it('tanh is within 3e-7 relative of Math.tanh (JS, float64) and 5e-7 (SIMD, float32)', () => {
    const xs = Float32Array.from({ length: 24001 }, (_, i) => -12 + i * 0.001);
    const k = createWasmKernels(xs.byteLength + 64)!;
    const mem = new Float32Array(k.memory.buffer, 0, xs.length + 3);
    mem.set(xs);
    k.tanh(0, xs.length);
    xs.forEach((x, i) => {
      const t = Math.tanh(x);
      expect(Math.abs(fastTanh(x) - t), `JS tanh(${x})`).toBeLessThanOrEqual(3e-7 * Math.abs(t));
      expect(Math.abs(mem[i] - t), `SIMD tanh(${x})`).toBeLessThanOrEqual(5e-7 * Math.abs(t));
    });
    expect(fastTanh(0)).toBe(0);
    expect(Number.isNaN(fastTanh(NaN))).toBe(true);
    mem.set([NaN, 0, Infinity, -Infinity]);
    k.tanh(0, 4);
    expect(Array.from(mem.subarray(0, 4)).map((v) => (Number.isNaN(v) ? 'NaN' : Math.round(v * 1e6) / 1e6))).toEqual(['NaN', 0, 1, -1]);
  });
});

describe('fused fold', () => {
  it('detects divergence at the same step as the tfjs engine', () => {
    const input: ExperimentInput = {
      version: 1,
      problem: problemFor('linear', 'mse'),
      runs: [{ algorithm: 'sgd', hyper: { lr: 50 } }, { algorithm: 'adam', hyper: { lr: 0.01 } }],
      steps: 200,
    };
    const config = loadExperiment(input);
    const a = runExperiment(config).runs;
    for (const kernels of KERNELS) {
      const b = runFusedExperiment(config, { kernels }).runs;
      expect(b[0].status).toBe('diverged');
      expect(b[0].divergedAt).toBe(a[0].divergedAt);
      expect(b[0].message).toBe(a[0].message);
      expect(b[0].losses.length).toBe(a[0].losses.length);
      expect(Number.isFinite(b[0].losses.at(-1)!)).toBe(false);
      expect(b[1].status).toBe('done');
      expect(b[1].losses.length).toBe(201);
    }
  });

  it('canFuse: every MLP algorithm (gradient, Lipschitz, Gauss–Newton, Böhning, ProxProp), switches included; NMF where SIMD runs', () => {
    const base = loadExperiment({ version: 1, problem: problemFor('tanh', 'bce'), runs: [{ algorithm: 'adam' }, { algorithm: 'sgd' }] });
    expect(canFuse(base)).toBe(true);
    const lip = structuredClone(base);
    lip.runs[1].algorithm = 'mm-lipschitz';
    lip.runs[0].switches.push({ at: 5, algorithm: 'mm-layerwise', hyper: {}, keepState: false });
    expect(canFuse(lip)).toBe(true);
    const gn = structuredClone(base);
    gn.runs[1].algorithm = 'mm-gauss-newton';
    expect(canFuse(gn)).toBe(true); // written once against the engine interface: runs on the cpu engine
    gn.runs[0].algorithm = 'proxprop';
    expect(canFuse(gn)).toBe(true);
    const sw = structuredClone(base);
    sw.runs[0].switches.push({ at: 5, algorithm: 'mm-bohning', hyper: {}, keepState: false });
    expect(canFuse(sw)).toBe(true);
    const nmf = loadExperiment({ version: 1, problem: { kind: 'nmf' }, runs: [{ algorithm: 'nmf-mu' }] });
    expect(canFuse(nmf)).toBe(simdAvailable());
    expect(new FusedExperiment(nmf).problem.kind).toBe('nmf');
    const unknown = structuredClone(base);
    unknown.runs[0].algorithm = 'constructor';
    expect(canFuse(unknown)).toBe(false);
    expect(() => new FusedExperiment(unknown)).toThrow(/fused engine runs MLP problems, 2-D function problems, and NMF problems/);
  });

  it('steps treat θ and the state as values: the arrays a step read are never written (the objective caches by identity)', () => {
    const config = loadExperiment({ version: 1, problem: problemFor('tanh', 'bce', { batchSize: 16 }), runs: [{ algorithm: 'adam', hyper: { amsgrad: true } }] });
    const fx = new FusedExperiment(config);
    fx.evaluateAll();
    fx.step();
    const run: FusedRun = fx.runs[0];
    const seen: [Float32Array, Float32Array][] = [];
    const arrays = () => [run.theta, run.state.m, run.state.v, run.state.vmax] as unknown as Float32Array[];
    for (let k = 0; k < 500; k++) {
      if (k % 50 === 0) arrays().forEach((a) => seen.push([a, a.slice()]));
      fx.step();
    }
    for (const [a, copy] of seen) expect(a).toEqual(copy);
    expect(arrays().every((a, i) => a !== seen[i][0])).toBe(true);
    expect(run.t).toBe(501);
    expect(run.status).toBe('running');
    expect(Number.isFinite(run.lastLoss)).toBe(true);
  });
});

describe('hand-over between the engines (tfjs-bridge)', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['adam', { lr: 0.01, amsgrad: true, weight_decay: 0.01 }],
    ['sgd', { lr: 0.05, momentum: 0.9 }],
    ['rmsprop', { lr: 0.003, centered: true, momentum: 0.5 }],
    ['adagrad', { lr: 0.05, lr_decay: 0.01 }],
  ];
  it.each(cases)('%s: 30 fused steps + 30 tfjs steps = 60 of either, and back', (algorithm, hyper) => {
    const config = loadExperiment({ version: 1, problem: problemFor('tanh', 'bce'), runs: [{ algorithm, hyper }], steps: 60 });
    const tfjsAll = runExperiment(config, { recordTest: false }).runs[0].losses;
    const fusedAll = runFusedExperiment(config, { recordTest: false }).runs[0].losses;
    const tfjsProblem = buildMLPProblem(config.problem as Extract<ExperimentConfig['problem'], { kind: 'mlp' }>, config.seeds);
    const obj = tfjsProblem.full;
    const h = config.runs[0].hyper;
    const loss = (r: Run) => tf.tidy(() => obj.loss(paramsOf(r)).dataSync()[0]);

    // fused → tfjs
    const fx = new FusedExperiment(config);
    for (let k = 0; k < 30; k++) fx.step({ withTest: false });
    const out = toTfjs(fx.runs[0]);
    const run = tfjsRun('r', algorithm, h, tfjsProblem, out.params);
    run.load(algorithm, h, tfjsVec(out.params), out.state as unknown as AlgorithmState);
    run.t = out.t;
    expect(loss(run)).toBeCloseTo(fusedAll[30], 6);
    for (let k = 0; k < 30; k++) run.step(ops(obj, run));
    expect(Math.abs(loss(run) - tfjsAll[60]) / tfjsAll[60]).toBeLessThan(1e-5);

    // tfjs → fused
    const back = tfjsRun('b', algorithm, h, tfjsProblem);
    for (let k = 0; k < 30; k++) back.step(ops(obj, back));
    const cpu = new CpuMLPProblem(buildFusedProblem(config));
    const fused = new FusedRun('f', algorithm, h, cpu, fusedAlgorithm);
    fromTfjs(fused, paramsOf(back), back.state as unknown as tf.TensorContainer);
    fused.t = back.t;
    expect(fused.state.t).toBe(30);
    for (let k = 0; k < 30; k++) fused.step(cpu.full);
    expect(Math.abs(fused.evaluate(false, false) - fusedAll[60]) / fusedAll[60]).toBeLessThan(1e-5);
    run.dispose();
    back.dispose();
    tfjsProblem.dispose();
  });
});
