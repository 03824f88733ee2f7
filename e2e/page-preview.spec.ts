/**
 * Issue 15 point 6: choosing another dataset shows its points and the initial model before Start, with
 * a noise at which the set's shape shows.
 */
import { test, expect, ready } from './fixtures';
import type { Page } from '@playwright/test';

const pointsOf = (page: Page) =>
  page.locator('[data-testid="decision-boundary"] .train-points circle').evaluateAll((cs) => cs.slice(0, 40).map((c) => `${c.getAttribute('cx')},${c.getAttribute('cy')}`).join(' '));

test('a dataset change previews the new data and initial model before Start', async ({ page, problems }) => {
  await page.goto('/');
  await ready(page);
  await expect(page.locator('[data-testid="decision-boundary"] .train-points circle').first()).toBeAttached();
  const moons = await pointsOf(page);
  expect(moons).not.toBe('');
  const changedFrom = async (before: string) => {
    await expect.poll(async () => { const now = await pointsOf(page); return now !== '' && now !== before; }, { timeout: 20_000 }).toBe(true);
    return pointsOf(page);
  };
  await page.getByLabel('Dataset', { exact: true }).selectOption('spiral');
  await expect(page.getByLabel('Noise', { exact: true })).toHaveValue('0.03');
  // No Start: the paused preview session draws the spiral's points at step 0.
  const spiral = await changedFrom(moons);
  await expect(page.getByTestId('position')).toHaveAttribute('data-step', '0');
  await expect(page.getByTestId('position')).not.toContainText('form changed');
  await expect(page.getByTestId('run-row-0')).toHaveAttribute('data-step', '0');
  // Editing the noise previews again.
  await page.getByLabel('Noise', { exact: true }).fill('0.05');
  await changedFrom(spiral);
  expect(problems.errors).toEqual([]);
});
