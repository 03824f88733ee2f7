/**
 * Issue 13: each Févotte & Idier re-enactment states its settings in words ("Settings: β = …, V m×n,
 * K = …, N iterations.") and says what matches the paper, what differs and what could not be confirmed;
 * the stated settings are those of the preset's config (β, V's size as built, rank, steps), the title's
 * β is the config's β, and the view opens on log-log axes.
 */
import { describe, expect, it } from 'vitest';
import { nmfShape, type NMFProblemConfig } from '../src/core/config-nmf';
import { PAPER_PRESETS } from '../src/ui/presets-paper';
import { presets } from '../src/ui/presets';

const SETTINGS = /Settings: β = (-?[\d.]+), V (\d+)×(\d+), K = (\d+), (\d+) iterations\./;
const TITLE_BETA: Record<string, number> = { '0': 0, '½': 0.5, '3/2': 1.5, '3': 3 };

describe('paper presets: stated settings', () => {
  for (const spec of PAPER_PRESETS)
    it(`${spec.slug}: the intro's settings and the title's β are the config's`, () => {
      const p = presets().find((x) => x.slug === spec.slug);
      if (!p?.ok) throw new Error(p ? p.reason : 'missing');
      const m = SETTINGS.exec(p.intro);
      expect(m, `${spec.slug} states no "Settings:" sentence`).not.toBeNull();
      const problem = p.config.problem as NMFProblemConfig;
      const [beta, rows, cols, rank, steps] = m!.slice(1).map(Number);
      expect(beta).toBe(problem.beta);
      expect([rows, cols]).toEqual(nmfShape(problem));
      expect(rank).toBe(problem.rank);
      expect(steps).toBe(p.config.steps);
      const t = /β = (½|3\/2|\d+)/.exec(p.title);
      if (t) expect(TITLE_BETA[t[1]]).toBe(problem.beta);
      else expect(problem.beta).toBe(0); // the spectrogram one names IS-NMF (β = 0) in its intro
      expect(p.title).toMatch(/Fig\. \d \(number unconfirmed\)/);
      expect(p.intro).toMatch(/Matches the paper: .+\./);
      expect(p.intro).toMatch(/Differs .+\./);
      expect(p.intro).toContain('Not confirmed against the paper’s text');
    });

  it('a wrong stated setting would be caught: the regex reads every field', () => {
    const m = SETTINGS.exec('Settings: β = 1.5, V 30×50, K = 5, 1000 iterations.');
    expect(m!.slice(1).map(Number)).toEqual([1.5, 30, 50, 5, 1000]);
  });
});
