/**
 * A CNN config (an MLP problem with `conv` blocks, see cnn-spec.ts): its shapes from the config, and
 * the cross-field checks parseExperiment adds — an image data set (checkMLP refuses input features on
 * images), no explicit layers, blocks whose outputs stay non-empty, the parameter and compute limits, and the algorithms a
 * CNN cannot serve with the reason.
 */
import { LIMITS } from '../config-fields';
import { IMAGE_SETS, isImageDataset } from '../data/image-sets';
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
 * Algorithms that need the MLP structure (engine/mlp-ops.ts: per-layer linear maps of a dense net),
 * which the CNN objectives do not offer, and why. Every other MLP algorithm needs only f and ∇f (or
 * the parameter blocks: mm-layerwise) and runs on a CNN.
 */
export const CNN_REFUSED: Readonly<Record<string, string>> = {
  'mm-gauss-newton': "needs the network's Jacobian products J·v and Jᵀu (MLPOps), which the engines implement for dense layers only",
  'mm-bohning': "bounds the last dense layer through MLPOps (its input features and their Gram matrix), which the engines implement for dense networks only",
  agd: "scales each dense weight matrix by its layer's widths and bounds its step through MLPOps (the dense layout, layer inputs), defined for dense networks only",
  proxprop: 'takes proximal steps on each dense layer through MLPOps (layer inputs and their Gram matrices), which convolution layers do not offer',
};

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
      if (Object.hasOwn(CNN_REFUSED, a)) errors.push(`${at}.algorithm: '${a}' does not run on a CNN: it ${CNN_REFUSED[a]} (use mm-lipschitz, mm-layerwise or a gradient algorithm)`);
  });
  return errors;
}
