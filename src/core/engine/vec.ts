/** An engine's parameter vector, opaque to algorithms (tfjs: a list of tensors; cpu: a Float32Array). See ./types.ts. */
export type Vec = { readonly __engineVec: unique symbol };
