/**
 * The fused (cpu) engine: MLP experiments on flat Float32Arrays, without tfjs in the
 * loop (pure TS, no DOM: runs in Node and in a Web Worker). See fused-experiment.ts.
 */
export { canFuse, FusedExperiment, runFusedExperiment, FUSED_BACKEND, type FusedStepOptions } from './fused-experiment';
export { Run as FusedRun } from '../fold/run';
export { buildFusedProblem, buildNet, simdAvailable, flattenLayers, unflattenLayers, type FusedOptions, type FusedProblem } from './problem';
export { FusedMLP, paramLayout, type FusedData, type FusedNet, type KernelKind, type NetSpec } from './mlp-net';
export { FusedMLPWasm } from './mlp-net-wasm';
export { toTfjs, fromTfjs, flatToTensors, tensorsToFlat, mapStateVecs, stateToTfjs, stateFromTfjs } from './tfjs-bridge';
export { FUSED_ALGORITHMS, FUSED_MM, FUSED_SCOPE, fusedAlgorithm, isFusedAlgorithm, isFusedMM, type FusedAlgorithmId } from './algorithms';
export { NMFWorkspace } from './nmf-engine';
export { canFuseNMF, FusedNMFExperiment, nmfFactors, runFusedNMFExperiment, FUSED_NMF_ALGORITHMS, type FusedNMFRun } from './nmf-experiment';
