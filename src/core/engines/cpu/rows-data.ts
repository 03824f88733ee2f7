/**
 * The rows a cpu network objective sees (all of a FusedData, or a mini-batch's, read at each call): their
 * count, their fingerprint (NetOps.dataKey, cached per rows array) and the targets Y — what the MLP's and
 * the CNN's NetOps (mlp-ops.ts, cnn-ops.ts) share.
 */
import { inputsKey } from '../../engine/mlp-ops';
import type { NetLoss } from '../../engine/net-ops';
import type { FusedData } from '../../fused/mlp-net';

export class RowsData {
  private keyRows: Int32Array | null | undefined = undefined;
  private key = 0;

  constructor(
    readonly data: FusedData,
    /** The objective's current rows (null: every row). */
    readonly rowsOf: () => Int32Array | null,
    /** Input values per row. */
    private readonly d: number,
  ) {}

  get n(): number {
    const rows = this.rowsOf();
    return rows ? rows.length : this.data.n;
  }

  get dataKey(): number {
    const rows = this.rowsOf();
    if (rows !== this.keyRows) {
      this.key = inputsKey(this.data.X, this.n, this.d, rows);
      this.keyRows = rows;
    }
    return this.key;
  }

  /** Y, n×K: one-hot for softmax_ce, else the target repeated over the outputs. */
  targets(K: number, loss: NetLoss): Float64Array {
    const rows = this.rowsOf();
    const n = this.n;
    const out = new Float64Array(n * K);
    for (let i = 0; i < n; i++) {
      const t = this.data.y[rows ? rows[i] : i];
      if (loss === 'softmax_ce') out[i * K + t] = 1;
      else out.fill(t, i * K, (i + 1) * K);
    }
    return out;
  }
}
