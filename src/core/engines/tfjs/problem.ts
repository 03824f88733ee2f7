/**
 * A problem on the tfjs engine (core/engine/problem.ts) over the tfjs Problem a config builds
 * (problems/build.ts): its objectives as ObjectiveOps, θ₀ as a tensor list, losses read back as numbers
 * — or kept as tensors (`lossTensors`) so a live session reads many at once without stalling a GPU.
 */
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '../../config';
import type { EngineProblem, ParamTensor, PendingLosses } from '../../engine/problem';
import type { ObjectiveOps, Vec } from '../../engine/types';
import { buildProblem } from '../../problems/build';
import { buildTfjsCNN, type CNNProblem } from './cnn-problem';
import type { MLPProblem } from '../../problems/mlp';
import type { Objective, Problem } from '../../types';
import { tfjsObjective } from './objective';
import { tensorsOf, tfjsVec, tfjsVectorOps } from './vector-ops';

/** Frees every tensor of `old` that `next` no longer references (steps may pass tensors through). */
export function disposeReplaced(old: unknown, next: unknown): void {
  const keep = new Set<number>();
  const collect = (x: unknown, out: (t: tf.Tensor) => void): void => {
    if (x instanceof tf.Tensor) out(x);
    else if (Array.isArray(x)) x.forEach((v) => collect(v, out));
    else if (x && typeof x === 'object' && !ArrayBuffer.isView(x)) Object.values(x).forEach((v) => collect(v, out));
  };
  collect(next, (t) => keep.add(t.id));
  collect(old, (t) => {
    if (!keep.has(t.id) && !t.isDisposed) t.dispose();
  });
}

export class TfjsProblem implements EngineProblem {
  readonly engine = 'tfjs';
  readonly ops = tfjsVectorOps;
  readonly full: ObjectiveOps;
  readonly layout: ParamTensor[];
  private readonly count: number;

  /** `tfjs`: the problem's tfjs form (objectives with their structure, predict, views' data). */
  constructor(readonly tfjs: Problem) {
    const p0 = tfjs.initialParams();
    let offset = 0;
    this.layout = p0.map((t, i) => {
      const e = { name: tfjs.paramNames[i], shape: [...t.shape], offset, size: t.size };
      offset += t.size;
      return e;
    });
    tf.dispose(p0);
    this.count = this.layout.length;
    this.full = tfjsObjective(tfjs.full, this.count);
  }

  static build(config: Pick<ExperimentConfig, 'problem' | 'seeds'>): TfjsProblem {
    const p = config.problem;
    return new TfjsProblem(p.kind === 'mlp' && p.conv ? buildTfjsCNN(config) : buildProblem(config));
  }

  get kind() {
    return this.tfjs.kind;
  }

  get nTrain(): number {
    return this.tfjs.nTrain;
  }

  get hasTest(): boolean {
    return !!this.tfjs.testLoss;
  }

  /** The tfjs Objective on a mini-batch's rows, or the full one; `dispose` after use. */
  objectiveOn(rows: Int32Array | null): { obj: Objective; dispose(): void } {
    if (!rows) return { obj: this.tfjs.full, dispose: () => {} };
    const b = this.tfjs.batch(rows);
    return { obj: b, dispose: () => b.dispose() };
  }

  batch(rows: Int32Array) {
    const b = this.tfjs.batch(rows);
    return { f: tfjsObjective(b, this.count), release: () => b.dispose() };
  }

  theta0(): Vec {
    return tfjsVec(this.tfjs.initialParams());
  }

  /** f(θ) and the test f as scalar tensors (the caller reads and disposes them). */
  lossTensors(theta: Vec, test: boolean): { train: tf.Scalar; test: tf.Scalar | null } {
    const p = tensorsOf(theta);
    const train = tf.tidy(() => this.tfjs.full.loss(p));
    const t = test && this.tfjs.testLoss ? tf.tidy(() => this.tfjs.testLoss!(p)) : null;
    return { train, test: t };
  }

  losses(theta: Vec, test: boolean): { train: number; test: number } {
    const r = this.lossTensors(theta, test);
    const out = { train: r.train.dataSync()[0], test: r.test ? r.test.dataSync()[0] : NaN };
    tf.dispose([r.train, r.test ?? []]);
    return out;
  }

  /** The loss tensors stay on the backend until `readPending` reads them all with one `await data()`. */
  pendingLosses(theta: Vec, test: boolean): PendingLosses {
    const { train, test: t } = this.lossTensors(theta, test);
    return { known: null, tensors: [train, t ?? tf.scalar(NaN)] } as PendingLosses;
  }

  async readPending(handles: readonly PendingLosses[]): Promise<Float32Array> {
    const ts = handles.flatMap((h) => (h as unknown as { tensors: tf.Tensor[] }).tensors);
    if (ts.length === 0) return new Float32Array(0);
    const stacked = tf.stack(ts);
    tf.dispose(ts);
    try {
      return (await stacked.data()) as Float32Array;
    } finally {
      stacked.dispose();
    }
  }

  async predict(theta: Vec, X: Float32Array, n: number): Promise<Float32Array> {
    const problem = this.tfjs as MLPProblem;
    if (problem.kind !== 'mlp') throw new Error('predict: not an MLP problem');
    const cnn = 'shape' in this.tfjs ? (this.tfjs as CNNProblem).shape : null;
    const d = cnn ? cnn.rows * cnn.cols : problem.spec.sizes[0];
    const z = tf.tidy(() => problem.predict(tensorsOf(theta), tf.tensor2d(X, [n, d])));
    try {
      return Float32Array.from((await z.data()) as Float32Array);
    } finally {
      z.dispose();
    }
  }

  /** The hidden layers' activations on X: the network's layers up to the last, with its activation. */
  async hiddenActivations(theta: Vec, X: Float32Array, n: number): Promise<Float32Array[]> {
    const problem = this.tfjs as MLPProblem;
    if (problem.kind !== 'mlp') throw new Error('hiddenActivations: not an MLP problem');
    const { sizes, activation } = problem.spec;
    const p = tensorsOf(theta);
    const act = (z: tf.Tensor2D): tf.Tensor2D =>
      activation === 'tanh' ? tf.tanh(z) : activation === 'relu' ? tf.relu(z) : activation === 'sigmoid' ? tf.sigmoid(z) : z;
    const layers = tf.tidy(() => {
      const out: tf.Tensor2D[] = [];
      let a = tf.tensor2d(X, [n, sizes[0]]);
      for (let l = 0; l < sizes.length - 2; l++) {
        a = act(tf.add(tf.matMul(a, p[2 * l] as tf.Tensor2D), p[2 * l + 1]) as tf.Tensor2D);
        out.push(a);
      }
      return out;
    });
    try {
      return await Promise.all(layers.map(async (t) => Float32Array.from((await t.data()) as Float32Array)));
    } finally {
      tf.dispose(layers);
    }
  }

  /** The tfjs problem's accuracy (problems/mlp.ts: argmax, or logit > 0 for bce), read with dataSync. */
  accuracy(theta: Vec, which: 'train' | 'test'): number {
    const problem = this.tfjs as import('../../problems/mlp').MLPProblem;
    if (problem.kind !== 'mlp' || !problem.accuracy || (which === 'test' && !this.hasTest)) return NaN;
    const a = problem.accuracy(tensorsOf(theta), which);
    try {
      return a.dataSync()[0];
    } finally {
      a.dispose();
    }
  }

  releaseReplaced(old: unknown, next: unknown): void {
    disposeReplaced(old, next);
  }

  dispose(): void {
    this.tfjs.dispose();
  }
}
