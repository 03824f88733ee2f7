/**
 * The cpu engine's CNN structure (engine/net-ops.ts) for Gauss–Newton and Böhning MM: the logits, J·v,
 * Jᵀu, JᵀJ and the last dense layer's inputs on the objective's current rows, by cnn-tangent.ts's float64
 * JS loops (whatever kernels f itself runs on: the products are the MM algorithms' linear algebra, in
 * float64 like the dense MLP's). The tangent net is made on first use, so objectives that never serve
 * these algorithms (accuracy, predictions) allocate nothing.
 */
import { curvatureBoundOf } from '../../engine/mlp-ops';
import type { LastLayer, NetOps } from '../../engine/net-ops';
import type { Vec } from '../../engine/types';
import type { FusedData } from '../../fused/mlp-net';
import { cnnNetShape } from '../../problems/cnn-config';
import type { CNNNetSpec } from './cnn-net';
import { CNNTangentNet } from './cnn-tangent';
import { RowsData } from './rows-data';
import { allocF32, cpuArray, cpuVec } from './vector-ops';

export class CpuCNNOps implements NetOps {
  readonly loss: CNNNetSpec['loss'];
  readonly l2: number;
  readonly curvatureBound: number;
  readonly layoutKey: readonly number[];
  readonly lastLayer: LastLayer;
  private readonly K: number;
  private readonly mask: Float64Array;
  private net: CNNTangentNet | null = null;
  private readonly theta64: Float64Array;
  private readonly v64: Float64Array;
  private readonly rowsData: RowsData;

  constructor(
    private readonly spec: CNNNetSpec,
    private readonly data: FusedData,
    /** The objective's current rows (null: every row); read at each call. */
    private readonly rowsOf: () => Int32Array | null,
    withPenalty = true,
  ) {
    const { dense } = spec.shape;
    this.K = dense[dense.length - 1];
    this.loss = spec.loss;
    this.l2 = withPenalty ? spec.l2 : 0;
    this.curvatureBound = curvatureBoundOf(spec.loss, this.K);
    const s = cnnNetShape(spec.shape);
    this.layoutKey = s.layoutKey;
    this.lastLayer = s.lastLayer;
    this.mask = s.weightMask;
    this.rowsData = new RowsData(data, rowsOf, spec.shape.rows * spec.shape.cols);
    this.theta64 = new Float64Array(this.mask.length);
    this.v64 = new Float64Array(this.mask.length);
  }

  private tangentNet(theta: Vec): CNNTangentNet {
    this.net ??= new CNNTangentNet(this.spec);
    this.theta64.set(cpuArray(theta));
    return this.net;
  }

  get n(): number {
    return this.rowsData.n;
  }

  get dataKey(): number {
    return this.rowsData.dataKey;
  }

  targets(): Float64Array {
    return this.rowsData.targets(this.K, this.loss);
  }

  outputs(theta: Vec): Float64Array {
    return this.tangentNet(theta).logits(this.theta64, this.data, this.rowsOf());
  }

  lastLayerInputs(theta: Vec): Float64Array {
    return this.tangentNet(theta).lastInputs(this.theta64, this.data, this.rowsOf());
  }

  jvp(theta: Vec, v: Vec): Float64Array {
    const net = this.tangentNet(theta);
    this.v64.set(cpuArray(v));
    return net.jvp(this.theta64, this.v64, this.data, this.rowsOf());
  }

  vjp(theta: Vec, u: Float64Array): Vec {
    const net = this.tangentNet(theta);
    net.vjp(this.theta64, u, this.data, this.rowsOf(), this.v64);
    const out = allocF32(this.v64.length);
    out.set(this.v64);
    return cpuVec(out);
  }

  jacobianGram(theta: Vec, out?: Float64Array): Float64Array {
    const P = this.mask.length;
    const G = out ?? new Float64Array(P * P);
    if (G.length !== P * P) throw new Error(`jacobianGram: out must hold ${P}×${P} entries`);
    this.tangentNet(theta).jacobianGram(this.theta64, this.data, this.rowsOf(), G);
    return G;
  }

  weightMask(like: Vec): Vec {
    const out = allocF32(cpuArray(like).length);
    out.set(this.mask);
    return cpuVec(out);
  }
}
