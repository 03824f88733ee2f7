/**
 * The structure of a β-NMF objective f(W, H) = D_β(V | WH) that the NMF algorithms exploit (the pieces
 * of the multiplicative updates), offered by `ObjectiveOps.nmf` on every engine.
 */
export interface NMFOps {
  /** β of the divergence. */
  readonly beta: number;
}
