/**
 * The Févotte & Idier re-enactments (src/ui/presets-paper.ts): in the gallery, labelled as
 * re-enactments with the paper's figure and what differs, on log-log axes, and every claim holds on a
 * headless run on the cpu engine (the page's engine for NMF); the synthetic IS one on tfjs too.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../src/core/experiment';
import type { ExperimentResult } from '../src/core/fold/result';
import { runFusedExperiment } from '../src/core/fused';
import { decodeShare } from '../src/ui/share';
import { checkClaim, claimText, type ClaimRun } from '../src/ui/presetClaims';
import { PAPER_PRESETS } from '../src/ui/presets-paper';
import { presets } from '../src/ui/presets';

const claimRuns = (r: ExperimentResult): ClaimRun[] => r.runs.map((x) => ({ losses: x.losses, diverged: x.status === 'diverged' }));
const paper = () => presets().filter((p) => PAPER_PRESETS.some((q) => q.slug === p.slug));

describe('paper presets', () => {
  it('are in the gallery, labelled as re-enactments with a figure number and what differs, and open on log-log axes', () => {
    expect(paper().map((p) => p.slug)).toEqual(PAPER_PRESETS.map((p) => p.slug));
    for (const p of paper()) {
      if (!p.ok) throw new Error(`${p.slug}: ${p.reason}`);
      expect(p.title).toMatch(/^Re-enactment of Févotte & Idier \(2011\), Fig\. \d/);
      expect(p.intro).toMatch(/Differs|departure/);
      const d = decodeShare(p.href);
      if (d.kind !== 'ok') throw new Error(`${p.slug}: the link does not open`);
      expect(d.view).toMatchObject({ log: true, logx: true });
      expect(d.config.runs.map((r) => r.algorithm)).toEqual(['nmf-mm', 'nmf-mu', 'nmf-me']);
    }
  });

  for (const p of paper())
    it(`${p.slug}: every claim holds on the cpu engine`, () => {
      if (!p.ok) throw new Error(p.reason);
      const runs = claimRuns(runFusedExperiment(p.config, { recordTest: false }));
      for (const c of p.claims) expect(checkClaim(c, runs), `${p.slug}: ${claimText(c, p.names)}`).toBeNull();
    }, 120_000);

  it('paper-fi-synthetic-is: the claims hold on tfjs (cpu backend) too', async () => {
    const p = paper().find((x) => x.slug === 'paper-fi-synthetic-is');
    if (!p?.ok) throw new Error('missing');
    if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
    const runs = claimRuns(runExperiment(p.config, { recordTest: false }));
    for (const c of p.claims) expect(checkClaim(c, runs), `${p.slug} (tfjs): ${claimText(c, p.names)}`).toBeNull();
  }, 120_000);
});
