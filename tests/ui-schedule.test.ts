/** Issue 15 point 11: a run's scheduled switches in words (run table, chart markers). */
import { describe, expect, it } from 'vitest';
import { CONFIG_VERSION, parseExperiment } from '../src/core/config';
import { scheduleOf, scheduleText } from '../src/ui/schedule';

describe('scheduleOf', () => {
  const r = parseExperiment({
    version: CONFIG_VERSION,
    problem: { kind: 'mlp' },
    runs: [{ algorithm: 'adam', hyper: { lr: 0.01 }, switches: [{ at: 50, algorithm: 'mm-gauss-newton' }, { at: 80, algorithm: 'mm-gauss-newton', hyper: { lambda0: 10 }, keepState: true }] }],
  });
  if (!r.ok) throw new Error(r.errors.join('; '));
  const run = r.config.runs[0];

  it('says what each switch does and when, before Start', () => {
    const s = scheduleOf(run, 0);
    expect(s.map(scheduleText)).toEqual(['after step 50: Adam → MM (Gauss–Newton, prox-linear)', 'after step 80: lambda0 1→10']);
    expect(s.map((x) => x.kind)).toEqual(['switch', 'hyper']);
    expect(s.every((x) => !x.done)).toBe(true);
  });

  it('marks a switch done once the run reached it', () => {
    expect(scheduleOf(run, 50).map((x) => x.done)).toEqual([true, false]);
    expect(scheduleOf(run, 120).map((x) => x.done)).toEqual([true, true]);
  });
});
