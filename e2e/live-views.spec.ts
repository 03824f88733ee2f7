/**
 * Issue 15, point 1: the live views (surrogate panel, decision boundary) follow training at every
 * speed — refreshed at least twice a second, each labelled with the step it shows.
 */
import { test, expect, ready } from './fixtures';
import type { Page } from '@playwright/test';

const position = async (page: Page): Promise<number> => Number(await page.getByTestId('position').getAttribute('data-step'));
const surrogateStep = async (page: Page): Promise<number> => Number((await page.getByTestId('certified-badge').getAttribute('data-step')) ?? NaN);
const modelStep = async (page: Page): Promise<number> => Number((await page.getByTestId('model-step').getAttribute('data-step')) ?? NaN);

/** The three step counters read in one go, every 250 ms for `ms`. */
async function sample(page: Page, ms: number): Promise<{ pos: number; surr: number; model: number }[]> {
  const out: { pos: number; surr: number; model: number }[] = [];
  for (let t = 0; t < ms; t += 250) {
    out.push(
      await page.evaluate(() => {
        const at = (id: string): number => Number(document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-step') ?? NaN);
        return { pos: at('position'), surr: at('certified-badge'), model: at('model-step') };
      }),
    );
    await page.waitForTimeout(250);
  }
  return out;
}

const distinct = (xs: number[]): number => new Set(xs.filter(Number.isFinite)).size;

const CASES = [
  { name: 'Max speed', speed: '0', backend: null },
  { name: '10 steps/s', speed: '10', backend: null },
  // tfjs on CPU: Gauss–Newton makes every tick slow (the "~30 steps/s" session).
  { name: 'Max speed on tfjs CPU (slow ticks)', speed: '0', backend: 'cpu' },
];

for (const c of CASES) {
  test(`the surrogate and model views follow training: ${c.name}`, async ({ page, problems }) => {
    // The default setup (Gauss–Newton, Lipschitz MM, Adam) with a step budget it cannot finish here.
    await page.goto('/');
    await ready(page);
    if (c.backend) {
      await page.getByLabel('Backend', { exact: true }).selectOption(c.backend);
      await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', c.backend);
    }
    await page.getByLabel('Speed').selectOption(c.speed);
    await page.getByLabel('Steps', { exact: true }).fill('100000');
    await page.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => position(page), { timeout: 30_000 }).toBeGreaterThan(2);
    const s = await sample(page, 4000);
    // Refreshed at least twice a second: ≥ 6 distinct labelled steps in 4 s.
    expect(distinct(s.map((x) => x.surr))).toBeGreaterThanOrEqual(6);
    expect(distinct(s.map((x) => x.model))).toBeGreaterThanOrEqual(6);
    // Never more than ~1 s behind: each view shows at least the step the session had reached 1 s (4 samples) earlier.
    for (let k = 4; k < s.length; k++) {
      expect(s[k].surr).toBeGreaterThanOrEqual(s[k - 4].pos);
      expect(s[k].model).toBeGreaterThanOrEqual(s[k - 4].pos);
    }
    // Paused, both show the current step.
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByTestId('position')).toHaveAttribute('data-playing', 'false');
    const t = await position(page);
    await expect.poll(() => surrogateStep(page)).toBe(t);
    await expect.poll(() => modelStep(page)).toBe(t);
    expect(problems.errors).toEqual([]);
  });
}
