import { Rng } from '../rng';

/** Which examples step t (0-based) uses: epoch-wise seeded permutations, shared by all runs. */
export class BatchSchedule {
  private rng: Rng;
  private perm: Int32Array = new Int32Array(0);
  private epoch = -1;
  private readonly perEpoch: number;

  constructor(
    private readonly n: number,
    private readonly size: number,
    private readonly seed: number,
  ) {
    this.rng = new Rng(seed);
    this.perEpoch = Math.ceil(n / size);
  }

  indices(t: number): Int32Array {
    const e = Math.floor(t / this.perEpoch);
    if (e < this.epoch) {
      this.rng = new Rng(this.seed);
      this.epoch = -1;
    }
    while (this.epoch < e) {
      this.perm = this.rng.permutation(this.n);
      this.epoch += 1;
    }
    const j = t % this.perEpoch;
    return this.perm.subarray(j * this.size, Math.min(this.n, (j + 1) * this.size));
  }
}
