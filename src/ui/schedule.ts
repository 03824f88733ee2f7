/**
 * A run's scheduled switches as people read them — "after step 50: Adam → MM (Gauss–Newton)" — for the
 * run table and the loss chart's x-axis markers, shown from the moment a link is opened (before Start).
 */
import { ALGORITHM_SPECS } from '../core/algorithms/spec-registry';
import type { RunConfig } from '../core/config';
import { changeLabel } from './hyperDiff';
import { isHyperChange, marksFromConfig, type SwitchMark } from './live';

export interface ScheduleItem {
  at: number;
  kind: 'switch' | 'hyper';
  /** "Adam → MM (Gauss–Newton)" or "lr 0.01→0.001". */
  what: string;
  /** Already applied at step t (the algorithm taking step t + 1 is the new one). */
  done: boolean;
}

const algLabel = (id: string): string => ALGORITHM_SPECS[id]?.label ?? id;

/** What a switch mark does, in words. */
export function switchWords(s: SwitchMark): string {
  if (isHyperChange(s)) return s.fromHyper && s.hyper ? changeLabel(s.fromHyper, s.hyper) : 'new hyper-parameters';
  return `${algLabel(s.from)} → ${algLabel(s.to)}`;
}

/** The run's switches (from its config, the record of truth), each marked done once step `t` reached it. */
export function scheduleOf(run: RunConfig, t: number): ScheduleItem[] {
  return marksFromConfig(run).map((s) => ({ at: s.at, kind: isHyperChange(s) ? 'hyper' : 'switch', what: switchWords(s), done: s.at <= t && t > 0 }));
}

/** One line for the run table: "after step 50: Adam → MM (Gauss–Newton)". */
export const scheduleText = (i: ScheduleItem): string => `after step ${i.at}: ${i.what}`;
