/**
 * Every preset's claims hold: each preset's config is run headless on the cpu engine (the engine the
 * page's calibration picks for these small problems, the same numbers the page shows) and on tfjs's cpu
 * backend for the cheap ones, and each structured claim — the source of the sentence the page shows — is
 * checked against the recorded losses. No preset repeats the default setup.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadImageDataNode } from '../src/cli/data-files';
import { runExperiment } from '../src/core/experiment';
import { runFusedExperiment } from '../src/core/fused';
import type { ExperimentResult } from '../src/core/fold/result';
import { checkClaim, claimText, risesOf, type ClaimRun } from '../src/ui/presetClaims';
import { defaultExperiment, presets } from '../src/ui/presets';

const claimRuns = (r: ExperimentResult): ClaimRun[] => r.runs.map((x) => ({ losses: x.losses, diverged: x.status === 'diverged' }));
const sameConfig = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

describe('presets', () => {
  // presets on image data (NMF of digits) need the set loaded, as the CLI and the worker do
  beforeAll(() => Promise.all(presets().map((p) => loadImageDataNode(p.problem))));
  it('are all available, and none is the default setup', () => {
    const def = defaultExperiment();
    for (const p of presets()) {
      expect(p.ok, `${p.slug}: ${p.ok ? '' : p.reason}`).toBe(true);
      if (p.ok) expect(sameConfig(p.config, def), `${p.slug} repeats the default setup`).toBe(false);
      expect(p.claims.length, `${p.slug} makes no checked claim`).toBeGreaterThan(0);
    }
    expect(new Set(presets().map((p) => p.slug)).size).toBe(presets().length);
  });

  it("shows each claim's sentence, naming its runs and step", () => {
    for (const p of presets()) {
      p.claims.forEach((c, i) => {
        const text = p.claimTexts[i];
        expect(text).toBe(claimText(c, p.names));
        expect(text).toContain(p.names[c.run]);
        if ('other' in c) expect(text).toContain(p.names[c.other]);
        if ('at' in c) expect(text).toContain(`step ${c.at}`);
        expect(p.intro).not.toMatch(/\b(faster|slower|crawls|non-monotone|never rises|diverges)\b/i);
      });
    }
  });

  for (const p of presets()) {
    it(`${p.slug}: every claim holds on the cpu engine`, () => {
      if (!p.ok) throw new Error(p.reason);
      const runs = claimRuns(runFusedExperiment(p.config, { recordTest: false }));
      // (a parts claim needs the run's W: tests/nmf-images.test.ts checks it)
      for (const c of p.claims.filter((x) => x.kind !== 'sparseParts')) expect(checkClaim(c, runs), `${p.slug}: ${claimText(c, p.names)}`).toBeNull();
    }, 60_000);
  }

  // tfjs (cpu backend) agrees; the spiral's Gauss–Newton run takes ~100 s there, so it is checked on the cpu engine only,
  // as are the 2-D functions (the cpu engine alone runs them).
  for (const p of presets().filter((x) => x.slug !== 'spiral-gauss-newton' && x.problem.kind !== 'function')) {
    it(`${p.slug}: every claim holds on tfjs (cpu backend)`, async () => {
      if (!p.ok) throw new Error(p.reason);
      if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
      const runs = claimRuns(runExperiment(p.config, { recordTest: false }));
      for (const c of p.claims.filter((x) => x.kind !== 'sparseParts')) expect(checkClaim(c, runs), `${p.slug} (tfjs): ${claimText(c, p.names)}`).toBeNull();
    }, 120_000);
  }
});

describe('checkClaim', () => {
  const run = (losses: number[], diverged = false): ClaimRun => ({ losses, diverged });
  it('checks each kind of claim, and refuses what the losses do not show', () => {
    const falling = run([3, 2, 1]);
    const rising = run([3, 2, 2.5, 1.5]);
    expect(checkClaim({ kind: 'below', run: 0, other: 1, at: 2 }, [falling, rising])).toBeNull();
    expect(checkClaim({ kind: 'below', run: 1, other: 0, at: 2 }, [falling, rising])).not.toBeNull();
    expect(checkClaim({ kind: 'monotone', run: 0 }, [falling])).toBeNull();
    expect(checkClaim({ kind: 'monotone', run: 0 }, [rising])).toContain('rises at steps 2');
    expect(checkClaim({ kind: 'monotone', run: 0, from: 2 }, [rising])).toBeNull();
    expect(checkClaim({ kind: 'rises', run: 0 }, [rising])).toBeNull();
    expect(checkClaim({ kind: 'rises', run: 0 }, [falling])).not.toBeNull();
    expect(checkClaim({ kind: 'diverges', run: 0, factor: 100 }, [run([1, 10, 1000])])).toBeNull();
    expect(checkClaim({ kind: 'diverges', run: 0, factor: 100 }, [run([1, 0.5], true)])).toBeNull();
    expect(checkClaim({ kind: 'diverges', run: 0, factor: 100 }, [falling])).not.toBeNull();
    expect(checkClaim({ kind: 'close', run: 0, other: 1, at: 1, rel: 0.01 }, [run([1, 1.005]), run([1, 1])])).toBeNull();
    expect(checkClaim({ kind: 'close', run: 0, other: 1, at: 1, rel: 0.01 }, [run([1, 1.05]), run([1, 1])])).not.toBeNull();
    expect(checkClaim({ kind: 'same', run: 0, other: 1, rel: 1e-6 }, [falling, run([3, 2, 1])])).toBeNull();
    expect(checkClaim({ kind: 'same', run: 0, other: 1, rel: 1e-6 }, [falling, run([3, 2, 1.1])])).not.toBeNull();
  });

  it('ignores rises within float32 noise (the page badge tolerance)', () => {
    expect(risesOf([1, 1 + 1e-7, 0.5])).toEqual([]);
    expect(risesOf([1, 1.001, 0.5])).toEqual([1]);
  });

  it('the old gallery claims were false: Adam (lr 0.01) on moons never rises', () => {
    const p = presets().find((x) => x.slug === 'adam-then-gauss-newton');
    if (!p?.ok) throw new Error('missing preset');
    const adam = runFusedExperiment({ ...p.config, runs: [p.config.runs[0]] }, { recordTest: false }).runs[0];
    expect(risesOf(adam.losses)).toEqual([]);
  });
});
