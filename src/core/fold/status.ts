/**
 * What every fold (every engine's runs) shares about a run's life: its status, the divergence rule and
 * the record of a mid-run switch.
 */
export type RunStatus = 'running' | 'done' | 'diverged' | 'error';

/** What a run of any engine carries about its own end. */
export interface RunEnd {
  status: RunStatus;
  divergedAt: number | null;
  message: string;
  readonly active: boolean;
}

/**
 * The divergence rule of every engine: a non-finite f after step `atStep` stops an active run there,
 * with `diverged at step k: the objective became v` (+ `hint`). Returns true if it stopped the run.
 */
export function stopIfNotFinite(run: RunEnd, value: number, atStep: number, hint = ''): boolean {
  if (Number.isFinite(value) || !run.active) return false;
  run.status = 'diverged';
  run.divergedAt = atStep;
  run.message = `diverged at step ${atStep}: the objective became ${value}${hint}`;
  return true;
}

export interface SwitchRecord {
  /** Number of steps taken before the switch. */
  at: number;
  from: string;
  to: string;
  hyper: Record<string, unknown>;
  /** Only the hyper-parameters changed and the algorithm kept its state. */
  keepState: boolean;
}
