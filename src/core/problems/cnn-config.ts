/**
 * A CNN config (an MLP problem with `conv` blocks, see cnn-spec.ts): its shapes from the config, and
 * the cross-field checks parseExperiment adds — an image data set (checkMLP refuses input features on
 * images), no explicit layers, blocks whose outputs stay non-empty, the parameter and compute limits, and the algorithms a
 * CNN cannot serve (the dense-only ones) with the reason; and the structure both engines' NetOps report.
 */
import { LIMITS } from '../config-fields';
import { IMAGE_SETS, isImageDataset } from '../data/image-sets';
import type { LastLayer } from '../engine/net-ops';
import { CNN_LIMITS, cnnLayout, cnnShape, convMacs, type CNNShape, type ConvBlock } from './cnn-spec';

/** The fields of an MLP problem config a CNN reads (config.ts's MLPProblemConfig; not imported: no cycle). */
export interface CNNProblemFields {
  readonly data: { readonly kind: 'dataset'; readonly name: string } | { readonly kind: 'explicit' };
  readonly conv?: readonly ConvBlock[];
  readonly hidden: readonly number[];
  readonly init?: unknown;
}

interface RunFields {
  readonly algorithm: string;
  readonly switches: readonly { readonly algorithm: string }[];
}

/** The problem's CNN shapes (throws where checkCNN would refuse the config). */
export function cnnShapeOf(p: CNNProblemFields): CNNShape {
  if (!p.conv || p.data.kind !== 'dataset' || !isImageDataset(p.data.name)) throw new Error('not a CNN problem: conv blocks on an image data set');
  const info = IMAGE_SETS[p.data.name];
  const r = cnnShape(info.rows, info.cols, p.conv, p.hidden, info.classes);
  if (!r.ok) throw new Error(`problem.conv[${r.block}]: ${r.message}`);
  return r.shape;
}

/**
 * What both engines' NetOps (engine/net-ops.ts) say of a CNN's structure: its layoutKey (the number of
 * blocks, each block's filters, kernel and pool, then the dense sizes), its last dense layer, and the
 * weight mask (1 on kernels and dense weights, 0 on biases: the ridge's diagonal) in θ's layout order.
 */
export function cnnNetShape(shape: CNNShape): { layoutKey: number[]; lastLayer: LastLayer; weightMask: Float64Array } {
  const { tensors, nParams } = cnnLayout(shape);
  const L = shape.dense.length - 1;
  const weightMask = new Float64Array(nParams);
  for (const t of tensors) if (t.shape.length > 1) weightMask.fill(1, t.offset, t.offset + t.size);
  return {
    layoutKey: [shape.convs.length, ...shape.convs.flatMap((c) => [c.filters, c.kernel, c.pool]), ...shape.dense],
    lastLayer: { inputs: shape.dense[L - 1], outputs: shape.dense[L], offset: tensors[tensors.length - 2].offset },
    weightMask,
  };
}

/**
 * Algorithms that need the dense MLP structure (engine/mlp-ops.ts: per-layer linear maps and their
 * inputs), which the CNN objectives do not offer, and why. Every other MLP algorithm runs on a CNN: most
 * need only f and ∇f (mm-layerwise: the parameter blocks), Gauss–Newton and Böhning MM the network's
 * Jacobian products and last dense layer (engine/net-ops.ts), which both engines' CNN objectives offer.
 */
export const CNN_REFUSED: Readonly<Record<string, string>> = {
  agd: "scales each dense weight matrix by its layer's widths and bounds its step through MLPOps (the dense layout, layer inputs), defined for dense networks only",
  proxprop: 'takes proximal steps on each dense layer through MLPOps (layer inputs and their Gram matrices), which convolution layers do not offer',
};

/**
 * tfjs backends a CNN cannot train on, and why: tfjs 4.22's WASM backend has convolution forward kernels
 * but no gradient kernels (Conv2DBackpropFilter / Conv2DBackpropInput), so every algorithm that moves a
 * convolution fails at its first step (measured: bench/images.ts, "Kernel 'Conv2DBackpropFilter' not
 * registered for backend 'wasm'"). The page's backend choice skips it with this reason; the CLI refuses it.
 */
export const CNN_BACKEND_REFUSED: Readonly<Record<string, string>> = {
  wasm: "tfjs's WASM backend has no convolution gradient kernel (Conv2DBackpropFilter), so a CNN cannot train on it",
};

/** Why `backend` cannot run this problem (a CNN on a backend without convolution gradients), or null. */
export function cnnBackendRefusal(p: { readonly kind: string; readonly conv?: readonly unknown[] }, backend: string): string | null {
  return p.kind === 'mlp' && p.conv && p.conv.length > 0 && Object.hasOwn(CNN_BACKEND_REFUSED, backend) ? CNN_BACKEND_REFUSED[backend] : null;
}

export function checkCNN(p: CNNProblemFields, runs: readonly RunFields[]): string[] {
  if (!p.conv) return [];
  const errors: string[] = [];
  if (p.data.kind !== 'dataset' || !isImageDataset(p.data.name)) {
    const what = p.data.kind === 'explicit' ? 'explicit data' : `'${p.data.name}'`;
    return [`problem.conv: convolution blocks need an image data set (digits, mnist, fashion-mnist); ${what} is not one`];
  }
  if (p.init) errors.push('problem.init: explicit initial layers describe a dense network; a CNN starts from the seeded Glorot draw (drop init)');
  const info = IMAGE_SETS[p.data.name];
  const r = cnnShape(info.rows, info.cols, p.conv, p.hidden, info.classes);
  if (!r.ok) errors.push(`problem.conv[${r.block}]: ${r.message}`);
  else {
    const { nParams } = cnnLayout(r.shape);
    if (nParams > LIMITS.params)
      errors.push(`problem: the CNN has ${nParams.toLocaleString('en-US')} parameters, at most ${LIMITS.params.toLocaleString('en-US')} (fewer filters, more pooling or narrower dense layers)`);
    const macs = convMacs(r.shape);
    if (macs > CNN_LIMITS.macs)
      errors.push(
        `problem.conv: the convolutions cost ${macs.toLocaleString('en-US')} multiply-adds per image, at most ${CNN_LIMITS.macs.toLocaleString('en-US')} (fewer filters or smaller kernels)`,
      );
  }
  runs.forEach((run, i) => {
    const steps = [{ a: run.algorithm, at: `runs[${i}]` }, ...run.switches.map((s, j) => ({ a: s.algorithm, at: `runs[${i}].switches[${j}]` }))];
    for (const { a, at } of steps)
      if (Object.hasOwn(CNN_REFUSED, a)) errors.push(`${at}.algorithm: '${a}' does not run on a CNN: it ${CNN_REFUSED[a]} (use mm-lipschitz, mm-layerwise, mm-gauss-newton, mm-bohning or a gradient algorithm)`);
  });
  return errors;
}
