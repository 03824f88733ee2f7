/**
 * Issue 16, point 2: the lab must not write share links it cannot open. The schema and the page share
 * one switch limit (LIMITS.switches), the page refuses a mid-run change that would pass it or the
 * link's length cap, and a property test drives the worker's Session with generated sequences of what
 * the page's buttons send (Step, Switch/Apply now through the page's gate, Steps, Reset) and checks
 * that the link of the resulting experiment decodes to that very experiment.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIMITS, loadExperiment, parseExperiment, type ExperimentConfig } from '../src/core/config';
import { checkedShare, midRunRefusal } from '../src/ui/limits';
import { DEFAULT_VIEW, decodeShare, encodeShare, MAX_HASH_CHARS } from '../src/ui/share';
import { harness } from './session-harness';

const base = (runs: number, steps = 40): ExperimentConfig =>
  loadExperiment({
    version: 1,
    problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 16 }, hidden: [3], batchSize: null },
    runs: Array.from({ length: runs }, () => ({ algorithm: 'sgd', hyper: { lr: 0.05 } })),
    steps,
  });

const withSwitches = (c: ExperimentConfig, perRun: number, lr: (i: number, j: number) => number): ExperimentConfig => ({
  ...c,
  runs: c.runs.map((r, i) => ({
    ...r,
    switches: Array.from({ length: perRun }, (_, j) => ({
      at: j + 1,
      algorithm: 'adam',
      hyper: { lr: lr(i, j), betas: [0.9, 0.999] as [number, number], eps: 1e-8, weight_decay: 0, amsgrad: false },
      keepState: false,
    })),
  })),
});

describe('one switch limit for the schema and the page', () => {
  it('the schema states it; the page refuses the 101st switch and allows one at a step that already has one', () => {
    expect(LIMITS.switches).toBe(100);
    const full = withSwitches(base(1), LIMITS.switches, () => 0.01);
    expect(parseExperiment(full).ok).toBe(true);
    const over = withSwitches(base(1), LIMITS.switches + 1, () => 0.01);
    const r = parseExperiment(over);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toMatch(/runs\[0\]\.switches: at most 100 switches/);
    expect(midRunRefusal(full, DEFAULT_VIEW, 0, 200, 'sgd', { lr: 0.1 }, false)).toMatch(/already has 100 mid-run changes/);
    expect(midRunRefusal(full, DEFAULT_VIEW, 0, 50, 'sgd', { lr: 0.1 }, false)).toBeNull(); // replaces the one at step 50
  });

  it("the page refuses a change that would make the link longer than it can open, and never writes such a link", () => {
    // 8 runs × 99 switches with full-precision learning rates: valid, but far beyond 12,000 characters
    const big = withSwitches(base(8), 99, (i, j) => Math.PI / (1 + i * 100 + j) + 1e-9 * Math.sqrt(j + 2));
    expect(parseExperiment(big).ok).toBe(true);
    expect(encodeShare(big, DEFAULT_VIEW).length).toBeGreaterThan(MAX_HASH_CHARS);
    const checked = checkedShare(big, DEFAULT_VIEW);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.reason).toMatch(/too long/);
    const small = withSwitches(base(8), 40, (i, j) => Math.PI / (1 + i * 100 + j) + 1e-9 * Math.sqrt(j + 2));
    let config = small;
    let refused: string | null = null;
    for (let j = 41; j < 100 && !refused; j++)
      for (let i = 0; i < 8 && !refused; i++) {
        const lr = Math.E / (3 + i * 100 + j);
        refused = midRunRefusal(config, DEFAULT_VIEW, i, j, 'adam', { lr }, false);
        if (!refused)
          config = { ...config, runs: config.runs.map((r, k) => (k === i ? { ...r, switches: [...r.switches, { at: j, algorithm: 'adam', hyper: { lr, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weight_decay: 0, amsgrad: false }, keepState: false }] } : r)) };
      }
    expect(refused).toMatch(/share link .* more than the 12,000/);
    expect(checkedShare(config, DEFAULT_VIEW).ok).toBe(true);
  });
});

type Action =
  | { kind: 'step'; n: number }
  | { kind: 'change'; run: number; algorithm: 'sgd' | 'adam'; lr: number }
  | { kind: 'burst'; run: number; count: number; lr: number }
  | { kind: 'steps'; steps: number }
  | { kind: 'reset' };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('step' as const), n: fc.integer({ min: 1, max: 3 }) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('change' as const),
      run: fc.integer({ min: 0, max: 1 }),
      algorithm: fc.constantFrom('sgd' as const, 'adam' as const),
      lr: fc.double({ min: 1e-6, max: 0.5, noNaN: true }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('burst' as const),
      run: fc.integer({ min: 0, max: 1 }),
      count: fc.integer({ min: 90, max: 115 }),
      lr: fc.double({ min: 1e-6, max: 0.5, noNaN: true }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('steps' as const), steps: fc.integer({ min: 0, max: 300 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reset' as const) }) },
);

describe('property: every experiment the page can reach round-trips through its own link', () => {
  it('generated sequences of Step / Switch now / Apply now / Steps / Reset', async () => {
    let sawLimit = false;
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 12 }), async (actions) => {
        const h = harness({ calibrationMs: 50 });
        await h.send({ type: 'start', config: base(2, 20), backend: 'cpu', play: false });
        const current = (): ExperimentConfig => h.of('config').at(-1)!.config;
        let t = 0;
        let target = 20;
        const step = async () => {
          // the page's Step: after the last step it raises the budget by one first
          if (t >= target) {
            target = t + 1;
            await h.send({ type: 'setSteps', steps: target });
          }
          await h.send({ type: 'step', n: 1 });
          t += 1;
        };
        const change = async (run: number, algorithm: string, lr: number) => {
          if (t === 0) return; // the page offers mid-run changes after the first step
          const c = { ...current(), steps: target };
          const inEffect = [...c.runs[run].switches].reverse().find((s) => s.at <= t)?.algorithm ?? c.runs[run].algorithm;
          const refusal = midRunRefusal(c, DEFAULT_VIEW, run, t, algorithm, { lr }, algorithm === inEffect);
          if (refusal) {
            sawLimit = true;
            return;
          }
          if (algorithm === inEffect) await h.send({ type: 'setHyper', run, hyper: { lr } });
          else await h.send({ type: 'switchAlgorithm', run, algorithm, hyper: { lr } });
        };
        for (const a of actions) {
          if (a.kind === 'step') for (let k = 0; k < a.n; k++) await step();
          else if (a.kind === 'change') await change(a.run, a.algorithm, a.lr);
          else if (a.kind === 'burst')
            for (let k = 0; k < a.count; k++) {
              await step();
              await change(a.run, k % 2 ? 'sgd' : 'adam', a.lr * (1 + k / 7));
            }
          else if (a.kind === 'steps') {
            target = a.steps;
            await h.send({ type: 'setSteps', steps: a.steps });
          } else {
            await h.send({ type: 'reset', keepSwitches: true });
            t = 0;
          }
        }
        expect(h.of('error')).toEqual([]);
        const config = { ...current(), steps: target };
        const d = decodeShare(encodeShare(config, DEFAULT_VIEW));
        expect(d.kind === 'error' ? d.errors : d.kind).toBe('ok');
        if (d.kind === 'ok') expect(d.config).toEqual(config);
      }),
      { numRuns: 25, seed: 16 },
    );
    expect(sawLimit).toBe(true);
  });
});
