/**
 * A run's life on any engine: the class is core/fold/run.ts; its status, the divergence rule and the
 * switch record are core/fold/status.ts (re-exported here for their many importers).
 */
export { Run } from './fold/run';
export { stopIfNotFinite, type RunEnd, type RunStatus, type SwitchRecord } from './fold/status';
