/**
 * Issue 15, point 1: the step scrubber. Train, pause, move the scrubber to an early kept step: the
 * surrogate and decision-boundary labels say that step, the boundary picture differs from the live
 * one, the loss chart marks the step; it stays there while training resumes (the list of kept steps
 * still growing), and "back to live" follows training again.
 */
import { test, expect, ready, labStep, playPast } from './fixtures';
import type { Page } from '@playwright/test';

const stepOf = async (page: Page, id: string): Promise<number> => Number((await page.getByTestId(id).getAttribute('data-step')) ?? NaN);
const boundary = (page: Page) => page.getByTestId('decision-boundary').locator('image').getAttribute('href');

test('scrubbing to an early step shows that step in the surrogate and the decision boundary', async ({ page, problems }) => {
  await page.goto('/');
  await ready(page);
  await page.getByLabel('Speed').selectOption('100');
  await page.getByLabel('Steps', { exact: true }).fill('100000');
  const t = await playPast(page, 80);
  // Paused: both views at the live step; the scrubber lists the kept steps, live at the right end.
  await expect.poll(() => stepOf(page, 'model-step')).toBe(t);
  await expect.poll(() => stepOf(page, 'certified-badge')).toBe(t);
  const scrubber = page.getByTestId('scrubber');
  await expect(scrubber).toHaveAttribute('data-at', 'live');
  const kept = ((await scrubber.getAttribute('data-kept')) ?? '').split(',').map(Number);
  expect(kept[0]).toBe(0);
  expect(kept.length).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('scrubber-kept')).toContainText('Kept steps: 0, ');
  const live = await boundary(page);

  // Home, then one stop right: the first kept step after 0.
  const slider = page.getByLabel('Step shown');
  await slider.focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  const k = kept[1];
  expect(k).toBeGreaterThan(0);
  expect(k).toBeLessThan(t);
  await expect(scrubber).toHaveAttribute('data-at', String(k));
  await expect(scrubber).toContainText(`step ${k}`);
  await expect.poll(() => stepOf(page, 'model-step')).toBe(k);
  await expect.poll(() => stepOf(page, 'certified-badge')).toBe(k);
  await expect(page.getByTestId('model-step')).toContainText(`at step ${k}`);
  expect(await boundary(page)).not.toBe(live);
  await expect(page.getByTestId('loss-chart').locator('g.scrub-marker')).toHaveAttribute('data-step', String(k));

  // Running: the views stay at the scrubbed step while training goes on, and the list of kept steps
  // grows with the run (steps kept after the pause appear; the shown step stays in it).
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect.poll(() => labStep(page)).toBeGreaterThan(t + 10);
  const keptNow = async () => ((await scrubber.getAttribute('data-kept')) ?? '').split(',').map(Number);
  await expect.poll(async () => Math.max(...(await keptNow()))).toBeGreaterThan(t);
  expect(await keptNow()).toContain(k);
  await expect(scrubber).toHaveAttribute('data-at', String(k));
  expect(await stepOf(page, 'model-step')).toBe(k);
  // Back to live: the views follow training again, the marker goes.
  await page.getByRole('button', { name: 'back to live' }).click();
  await expect(scrubber).toHaveAttribute('data-at', 'live');
  await expect.poll(() => stepOf(page, 'model-step')).toBeGreaterThan(t);
  await expect(page.getByTestId('loss-chart').locator('g.scrub-marker')).toHaveCount(0);
  await page.getByRole('button', { name: 'Pause' }).click();
  expect(problems.errors).toEqual([]);
});
