/**
 * The CNN's layers on known answers (engines/cpu/cnn-net.ts, engines/tfjs/cnn-problem.ts): a valid
 * convolution of a 3×3 image computed by hand, max-pooling (the window's max and its index, a last
 * partial window dropped), im2col/col2im adjoint, and the whole network's gradient against central
 * finite differences of its own f in float64.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { CNNNet, col2im, im2col, maxPool } from '../src/core/engines/cpu/cnn-net';
import { gemmBias } from '../src/core/fused/mlp-kernels';
import { cnnLayout, cnnShape, cnnTheta0, type CNNShape } from '../src/core/problems/cnn-spec';
import { Rng } from '../src/core/rng';

const shapeOf = (rows: number, cols: number, conv: { filters: number; kernel: number; pool: number }[], hidden: number[], out: number): CNNShape => {
  const r = cnnShape(rows, cols, conv, hidden, out);
  if (!r.ok) throw new Error(r.message);
  return r.shape;
};

describe('convolution layer', () => {
  // x = [[1,2,3],[4,5,6],[7,8,9]]; filter 0 = [[1,2],[3,4]] + 0.5, filter 1 = [[0,1],[−1,0]] − 1.
  // By hand: filter 0 at (0,0) = 1·1 + 2·2 + 4·3 + 5·4 = 37, (0,1) = 2 + 6 + 15 + 24 = 47,
  // (1,0) = 4 + 10 + 21 + 32 = 67, (1,1) = 5 + 12 + 24 + 36 = 77; filter 1 = x[y][x+1] − x[y+1][x] = −2.
  const x = [1, 2, 3, 4, 5, 6, 7, 8, 9];
  // K in HWIO order: K[ky][kx][c=0][f].
  const K = [1, 0, 2, 1, 3, -1, 4, 0];
  const bias = [0.5, -1];
  const expected = [37.5, -3, 47.5, -3, 67.5, -3, 77.5, -3]; // NHWC: (y, x, f)

  it('im2col + the GEMM kernel give the hand-computed valid convolution', () => {
    const s = shapeOf(3, 3, [{ filters: 2, kernel: 2, pool: 1 }], [], 1).convs[0];
    expect([s.outH, s.outW]).toEqual([2, 2]);
    const cols = new Float64Array(4 * 4);
    im2col(Float64Array.from(x), s, 1, cols);
    expect(Array.from(cols.subarray(0, 4))).toEqual([1, 2, 4, 5]);
    const theta = Float64Array.from([...K, ...bias]);
    const z = new Float64Array(8);
    gemmBias(cols, theta, 0, 8, z, 4, 4, 2);
    expect(Array.from(z)).toEqual(expected);
  });

  it('tf.conv2d with the same HWIO kernel gives the same numbers (the engines share θ’s layout)', () => {
    const z = tf.tidy(() => tf.add(tf.conv2d(tf.tensor4d(x, [1, 3, 3, 1]), tf.tensor4d(K, [2, 2, 1, 2]), 1, 'valid'), tf.tensor1d(bias)));
    expect(Array.from(z.dataSync())).toEqual(expected);
    z.dispose();
  });

  it('col2im is the adjoint of im2col (2 channels, 2 images)', () => {
    const s = shapeOf(5, 4, [{ filters: 3, kernel: 2, pool: 1 }, { filters: 2, kernel: 3, pool: 1 }], [], 1).convs[1];
    expect([s.inH, s.inW, s.inC]).toEqual([4, 3, 3]);
    const rng = new Rng(7);
    const xin = Float64Array.from({ length: 2 * 4 * 3 * 3 }, () => rng.normal());
    const y = Float64Array.from({ length: 2 * s.outH * s.outW * 9 * 3 }, () => rng.normal());
    const cols = new Float64Array(y.length);
    im2col(xin, s, 2, cols);
    const back = new Float64Array(xin.length);
    col2im(y, s, 2, back);
    const dot = (a: Float64Array, b: Float64Array) => a.reduce((t, v, i) => t + v * b[i], 0);
    expect(dot(cols, y)).toBeCloseTo(dot(xin, back), 10);
  });
});

describe('max-pool', () => {
  it('takes each 2×2 window’s max and its index; a 5×5 map pools to 2×2 (the last row and column dropped)', () => {
    const s = shapeOf(6, 6, [{ filters: 1, kernel: 2, pool: 2 }], [], 1).convs[0];
    expect([s.outH, s.outW, s.poolH, s.poolW]).toEqual([5, 5, 2, 2]);
    // 5×5 map, one channel: value = 10·row + col, except a larger value in the dropped last column.
    const map = Float64Array.from({ length: 25 }, (_, i) => (i % 5 === 4 ? 1000 : 10 * Math.floor(i / 5) + (i % 5)));
    map[0] = 50; // window (0,0) = {50, 1, 10, 11}: max 50 at index 0
    const out = new Float64Array(4);
    const arg = new Int32Array(4);
    maxPool(map, s, 1, out, arg);
    expect(Array.from(out)).toEqual([50, 13, 31, 33]);
    expect(Array.from(arg)).toEqual([0, 8, 16, 18]);
  });

  it('tf.maxPool agrees (valid, stride = window)', () => {
    const s = shapeOf(6, 6, [{ filters: 1, kernel: 2, pool: 2 }], [], 1).convs[0];
    const rng = new Rng(3);
    const map = Float64Array.from({ length: 2 * 25 * 1 }, () => rng.normal());
    const out = new Float64Array(8);
    maxPool(map, s, 2, out, new Int32Array(8));
    const t = tf.tidy(() => tf.maxPool(tf.tensor4d(Float32Array.from(map), [2, 5, 5, 1]), 2, 2, 'valid'));
    expect(Array.from(t.dataSync())).toEqual(Array.from(Float32Array.from(out)));
    t.dispose();
  });
});

describe('the whole CNN', () => {
  const shape = shapeOf(8, 7, [{ filters: 3, kernel: 3, pool: 2 }, { filters: 2, kernel: 2, pool: 1 }], [5], 4);
  const n = 6;
  const rng = new Rng(11);
  const data = { n, X: Float64Array.from({ length: n * 56 }, () => rng.uniform()), y: Float64Array.from({ length: n }, (_, i) => i % 4) };

  it('has the layout [K1, c1, K2, c2, W1, b1, W2, b2] and the dense input of the pooled maps', () => {
    expect(shape.dense).toEqual([2 * 1 * 2, 5, 4]); // 8×7 → 6×5 → pool 3×2 → 2×1 ×2 filters
    const { tensors, nParams } = cnnLayout(shape);
    expect(tensors.map((t) => `${t.name}:${t.shape.join('x')}`)).toEqual(['K1:3x3x1x3', 'c1:3', 'K2:2x2x3x2', 'c2:2', 'W1:4x5', 'b1:5', 'W2:5x4', 'b2:4']);
    expect(nParams).toBe(27 + 3 + 24 + 2 + 20 + 5 + 20 + 4);
  });

  for (const activation of ['sigmoid', 'relu'] as const)
    it(`∇f matches central finite differences (${activation}, softmax CE, l2 penalty, 2-row chunks)`, () => {
      const net = new CNNNet({ shape, activation, loss: 'softmax_ce', l2: 0.05 }, 2);
      const theta = Float64Array.from(cnnTheta0(shape, 5), (v, i) => v + 0.05 * Math.sin(i)); // nonzero biases too
      const grad = new Float64Array(net.nParams);
      const f0 = net.evaluate(theta, data, null, true, grad);
      expect(f0).toBeCloseTo(net.evaluate(theta, data, null, true), 14);
      const h = 1e-6;
      let err = 0;
      let scale = 0;
      for (let i = 0; i < net.nParams; i++) {
        const tp = theta.slice();
        const tm = theta.slice();
        tp[i] += h;
        tm[i] -= h;
        const fd = (net.evaluate(tp, data, null, true) - net.evaluate(tm, data, null, true)) / (2 * h);
        err = Math.max(err, Math.abs(fd - grad[i]));
        scale = Math.max(scale, Math.abs(grad[i]));
      }
      expect(scale).toBeGreaterThan(1e-3);
      expect(err / scale).toBeLessThan(1e-6);
    });

  it('a mini-batch’s f is the mean over its rows, whatever the chunk size', () => {
    const rows = Int32Array.from([4, 1, 3]);
    const theta = Float64Array.from(cnnTheta0(shape, 9));
    const a = new CNNNet({ shape, activation: 'relu', loss: 'softmax_ce', l2: 0 }, 2);
    const b = new CNNNet({ shape, activation: 'relu', loss: 'softmax_ce', l2: 0 }, 64);
    const each = Array.from(rows, (r) => a.evaluate(theta, data, Int32Array.of(r), false));
    expect(a.evaluate(theta, data, rows, false)).toBeCloseTo((each[0] + each[1] + each[2]) / 3, 12);
    expect(b.evaluate(theta, data, rows, false)).toBeCloseTo(a.evaluate(theta, data, rows, false), 12);
  });
});
