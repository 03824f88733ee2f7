/**
 * The tfjs engine's objective operations over a core Objective (problems/*.ts): f through
 * `obj.loss`, ∇f by tfjs's reverse-mode autodiff. Blocks: an MLP's layers (W_l, b_l), i.e. the
 * parameter tensors in pairs; NMF's factors W and H one each.
 */
import * as tf from '@tensorflow/tfjs';
import type { NetOps } from '../../engine/net-ops';
import type { ObjectiveOps, Vec } from '../../engine/types';
import type { NMFObjective } from '../../problems/nmf';
import type { MLPObjective } from '../../problems/mlp';
import type { Objective, Params } from '../../types';
import { tfjsMLPOps } from './mlp-ops';
import { tfjsNMFOps } from './nmf-ops';
import { tensorsOf, tfjsVec } from './vector-ops';

function blockIndices(kind: Objective['kind'], b: number): number[] {
  return kind === 'mlp' ? [2 * b, 2 * b + 1] : [b];
}

/** ObjectiveOps for `obj` whose parameters are `count` tensors. */
export function tfjsObjective(obj: Objective, count: number): ObjectiveOps {
  const value = (theta: Vec): number => tf.tidy(() => obj.loss(tensorsOf(theta)).dataSync()[0]);
  const withIdx = (theta: Vec, idx: number[], part: tf.Tensor[]): Params =>
    tensorsOf(theta).map((p, i) => (idx.includes(i) ? part[idx.indexOf(i)] : p));
  return {
    kind: obj.kind,
    blocks: obj.kind === 'mlp' ? count / 2 : count,
    value,
    valueAndGrad(theta) {
      const { value: v, grads } = tf.valueAndGrads((...p: tf.Tensor[]) => obj.loss(p))(tensorsOf(theta));
      const f = v.dataSync()[0];
      v.dispose();
      return { value: f, grad: tfjsVec(grads) };
    },
    blockValueAndGrad(theta, b) {
      const idx = blockIndices(obj.kind, b);
      const block = idx.map((i) => tensorsOf(theta)[i]);
      const { value: v, grads } = tf.valueAndGrads((...part: tf.Tensor[]) => obj.loss(withIdx(theta, idx, part)))(block);
      const f = v.dataSync()[0];
      v.dispose();
      return { value: f, grad: tfjsVec(grads) };
    },
    block: (theta, b) => tfjsVec(blockIndices(obj.kind, b).map((i) => tensorsOf(theta)[i])),
    withBlock: (theta, b, part) => tfjsVec(withIdx(theta, blockIndices(obj.kind, b), tensorsOf(part))),
    // The structure exists only on the problems' own objectives (a test's ad-hoc f has none).
    mlp: obj.kind === 'mlp' && 'spec' in obj ? tfjsMLPOps(obj as MLPObjective) : undefined,
    net: obj.kind === 'mlp' && 'net' in obj ? (obj as { net: NetOps }).net : undefined,
    nmf: obj.kind === 'nmf' && 'V' in obj ? tfjsNMFOps(obj as NMFObjective) : undefined,
  };
}
