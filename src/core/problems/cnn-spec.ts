/**
 * A small convolutional network on an image data set, without tfjs: the config's `conv` blocks, the
 * shapes they give, θ's layout and the seeded initial parameters. Both engines build their CNN from
 * these (engines/cpu/cnn-*.ts on flat arrays, engines/tfjs/cnn-problem.ts on tensors).
 *
 * The network (an MLP problem with `conv: [{filters, kernel, pool}, …]` before its `hidden` stack):
 *   block b: z = conv_valid(a, K_b) + c_b   (stride 1, no padding: H − k + 1 rows out),
 *            a = σ(z) (the problem's activation), then max-pool p×p with stride p (floor: a last
 *            partial window is dropped; pool 1 = none);
 *   then the image (rows, cols, channels: NHWC, channels fastest) flattened into the dense stack
 *   [flat, …hidden, classes] of the MLP, the last layer linear (logits).
 * θ's layout order: [K1 (k×k×cin×filters, HWIO row-major as tf.conv2d's filter), c1, K2, c2, …,
 * W1 (in×out), b1, …]. Blocks for the algorithms: each (K_b, c_b) pair, then each (W_l, b_l) pair.
 */
import { z } from 'zod';
import { int } from '../config-fields';
import { Rng } from '../rng';

export interface ConvBlock {
  /** Output channels (feature maps). */
  filters: number;
  /** Square kernel side. */
  kernel: number;
  /** Max-pool window and stride (1: no pooling). */
  pool: number;
}

/** Limits of the `conv` list (the engines train these in the page in seconds to minutes). */
export const CNN_LIMITS = {
  blocks: 3,
  filters: 64,
  kernel: 7,
  pool: 4,
  /** Multiply-adds of the convolutions per image (forward): bounds a step's time, not only its memory. */
  macs: 5_000_000,
} as const;

export const convBlockSchema = z.strictObject({
  filters: int('conv filters', 1, CNN_LIMITS.filters),
  kernel: int('conv kernel', 1, CNN_LIMITS.kernel),
  pool: int('conv pool', 1, CNN_LIMITS.pool).default(2),
});

export const convListSchema = z
  .array(convBlockSchema, { error: 'conv must be a list of blocks {filters, kernel, pool}' })
  .min(1, 'conv must have at least one block (leave it out for an MLP)')
  .max(CNN_LIMITS.blocks, `at most ${CNN_LIMITS.blocks} blocks`);

/** One block's input and output shapes. */
export interface ConvShape extends ConvBlock {
  inH: number;
  inW: number;
  inC: number;
  /** Convolution output (before pooling). */
  outH: number;
  outW: number;
  /** After pooling: the next block's input. */
  poolH: number;
  poolW: number;
}

export interface CNNShape {
  rows: number;
  cols: number;
  convs: ConvShape[];
  /** The dense stack's sizes: [flattened features, …hidden, outputs]. */
  dense: number[];
}

/**
 * The shapes a config's blocks give on a rows×cols single-channel image, or the first block whose
 * output would be empty (valid padding shrinks by k − 1, pooling divides).
 */
export function cnnShape(rows: number, cols: number, conv: readonly ConvBlock[], hidden: readonly number[], outputs: number): { ok: true; shape: CNNShape } | { ok: false; block: number; message: string } {
  const convs: ConvShape[] = [];
  let [h, w, c] = [rows, cols, 1];
  for (let b = 0; b < conv.length; b++) {
    const { filters, kernel, pool } = conv[b];
    const outH = h - kernel + 1;
    const outW = w - kernel + 1;
    if (outH < 1 || outW < 1)
      return { ok: false, block: b, message: `block ${b} gets a ${h}×${w} image, smaller than its ${kernel}×${kernel} kernel (valid padding); use a smaller kernel or pool, or fewer blocks` };
    const poolH = Math.floor(outH / pool);
    const poolW = Math.floor(outW / pool);
    if (poolH < 1 || poolW < 1)
      return { ok: false, block: b, message: `block ${b}'s ${outH}×${outW} output is smaller than its ${pool}×${pool} pool; use a smaller pool or kernel, or fewer blocks` };
    convs.push({ filters, kernel, pool, inH: h, inW: w, inC: c, outH, outW, poolH, poolW });
    [h, w, c] = [poolH, poolW, filters];
  }
  return { ok: true, shape: { rows, cols, convs, dense: [h * w * c, ...hidden, outputs] } };
}

export interface CNNTensor {
  name: string;
  shape: number[];
  offset: number;
  size: number;
}

/** θ's tensors in layout order: K1, c1, …, W1, b1, … (engine/problem.ts ParamTensor). */
export function cnnLayout(s: CNNShape): { tensors: CNNTensor[]; nParams: number; blocks: [number, number][] } {
  const tensors: CNNTensor[] = [];
  const blocks: [number, number][] = [];
  let o = 0;
  const push = (name: string, shape: number[]) => {
    const size = shape.reduce((a, b) => a * b, 1);
    tensors.push({ name, shape, offset: o, size });
    o += size;
  };
  s.convs.forEach((c, b) => {
    const start = o;
    push(`K${b + 1}`, [c.kernel, c.kernel, c.inC, c.filters]);
    push(`c${b + 1}`, [c.filters]);
    blocks.push([start, o]);
  });
  for (let l = 0; l + 1 < s.dense.length; l++) {
    const start = o;
    push(`W${l + 1}`, [s.dense[l], s.dense[l + 1]]);
    push(`b${l + 1}`, [s.dense[l + 1]]);
    blocks.push([start, o]);
  }
  return { tensors, nParams: o, blocks };
}

/** Multiply-adds of the convolutions for one image (forward pass). */
export function convMacs(s: CNNShape): number {
  return s.convs.reduce((n, c) => n + c.outH * c.outW * c.kernel * c.kernel * c.inC * c.filters, 0);
}

/**
 * θ₀: Glorot-uniform weights (U(±√(6/(fan_in + fan_out))); a kernel's fans are k²·cin and k²·filters,
 * as Keras's glorot_uniform for Conv2D), zero biases, drawn from one Rng(seed) in layout order.
 */
export function cnnTheta0(s: CNNShape, seed: number): Float32Array {
  const { tensors, nParams } = cnnLayout(s);
  const theta = new Float32Array(nParams);
  const rng = new Rng(seed);
  for (const t of tensors) {
    if (t.shape.length === 1) continue; // biases stay 0
    const [fin, fout] = t.shape.length === 4 ? [t.shape[0] * t.shape[1] * t.shape[2], t.shape[0] * t.shape[1] * t.shape[3]] : [t.shape[0], t.shape[1]];
    const a = Math.sqrt(6 / (fin + fout));
    for (let i = 0; i < t.size; i++) theta[t.offset + i] = rng.range(-a, a);
  }
  return theta;
}

/**
 * The shapes in words, for the page: "8×8 → conv 3×3: 6×6×8 → pool 2: 3×3×8 → 72 → 32 → 10
 * (2,746 parameters)", or the first block's problem.
 */
export function cnnSummary(rows: number, cols: number, conv: readonly ConvBlock[], hidden: readonly number[], outputs: number): { ok: boolean; text: string } {
  const r = cnnShape(rows, cols, conv, hidden, outputs);
  if (!r.ok) return { ok: false, text: `Block ${r.block + 1}: ${r.message.replace(/^block \d+ ?/, '')}` };
  const parts = [`${rows}×${cols}`];
  for (const c of r.shape.convs) {
    parts.push(`conv ${c.kernel}×${c.kernel}: ${c.outH}×${c.outW}×${c.filters}`);
    if (c.pool > 1) parts.push(`pool ${c.pool}: ${c.poolH}×${c.poolW}×${c.filters}`);
  }
  parts.push(...r.shape.dense.map(String));
  return { ok: true, text: `${parts.join(' → ')} (${cnnLayout(r.shape).nParams.toLocaleString('en-US')} parameters)` };
}
