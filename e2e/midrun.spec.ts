import { test, expect, ready, runLoss, watch, playPast } from './fixtures';
import type { Page } from '@playwright/test';

const STEPS = 40;
const position = (page: Page) => page.getByTestId('position');

async function finalLosses(page: Page): Promise<number[]> {
  await expect(position(page)).toHaveAttribute('data-step', String(STEPS), { timeout: 60_000 });
  await expect(position(page)).toHaveAttribute('data-playing', 'false');
  const n = await page.locator('[data-testid^="run-row-"]').count();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    await expect(page.getByTestId(`run-row-${i}`)).toHaveAttribute('data-step', String(STEPS));
    out.push(await runLoss(page, i));
  }
  return out;
}

test('hyper-parameters change mid-run, are marked on the chart, and a share link replays them', async ({ page, context, problems }) => {
  await page.goto('/');
  await ready(page);
  await page.getByLabel('Backend', { exact: true }).selectOption('cpu');
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'cpu');
  await page.getByLabel('Steps', { exact: true }).fill(String(STEPS));
  const t0 = await playPast(page, 7);
  expect(t0).toBeLessThan(STEPS);

  // Run 3 (Adam, lr 0.01): a new lr, validated inline with the schema's message.
  const editor = page.getByTestId('midrun-2');
  await editor.locator('summary').click();
  const lr = page.getByLabel('Run 3 new lr');
  await expect(lr).toHaveValue('0.01');
  const apply = page.getByRole('button', { name: 'Apply run 3 hyper-parameters now' });
  await expect(apply).toBeDisabled(); // nothing changed yet
  await lr.fill('-1');
  await expect(editor.getByText('lr must be > 0')).toBeVisible();
  await expect(apply).toBeDisabled();
  await lr.fill('0.003');
  await expect(editor).toContainText('lr 0.01→0.003');
  await apply.click();

  const chart = page.getByTestId('loss-chart');
  const hyperMark = chart.locator('.hyper-marker');
  await expect(hyperMark).toHaveCount(1);
  await expect(hyperMark).toHaveAttribute('data-step', String(t0));
  await expect(hyperMark).toHaveAttribute('data-label', 'lr 0.01→0.003');
  await expect(hyperMark.locator('text')).toHaveText('lr 0.01→0.003');
  await expect(chart.locator('.switch-marker')).toHaveCount(0); // a hyper change is not an algorithm switch
  await expect(page.getByLabel('Scheduled switches of run 3')).toContainText(`after step ${t0}: lr 0.01→0.003`);
  await expect(page.getByTestId('run-row-2')).toHaveAttribute('data-algorithm', 'adam');

  // Run 1: switch to SGD with a chosen lr (switchAlgorithm with hyper-parameters).
  await page.getByTestId('midrun-0').locator('summary').click();
  await page.getByLabel('Switch run 1 to').selectOption('sgd');
  await page.getByLabel('Run 1 new lr').fill('0.2');
  await page.getByRole('button', { name: 'Switch run 1 now' }).click();
  await expect(chart.locator('.switch-marker')).toHaveCount(1);
  await expect(chart.locator('.switch-marker')).toHaveAttribute('data-step', String(t0));
  await expect(page.getByLabel('Scheduled switches of run 1')).toContainText(`after step ${t0} → SGD · lr 0.2`);

  await page.getByRole('button', { name: 'Resume' }).click();
  const first = await finalLosses(page);
  expect(first.every(Number.isFinite)).toBe(true);
  await expect(page.getByTestId('run-row-0')).toHaveAttribute('data-algorithm', 'sgd');

  await page.getByRole('button', { name: 'Copy link' }).click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toMatch(/#v1\./);

  const other = await context.newPage();
  const otherProblems = await watch(other);
  await other.goto(link);
  await ready(other);
  await expect(other.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'cpu');
  await expect(other.getByLabel('Scheduled switches of run 3')).toContainText(`after step ${t0}: lr 0.01→0.003`);
  await other.getByRole('button', { name: 'Start' }).click();
  const second = await finalLosses(other);
  expect(second.length).toBe(first.length);
  second.forEach((v, i) => expect(Math.abs(v - first[i])).toBeLessThanOrEqual(1e-6 * Math.abs(first[i])));
  // The replay draws the same markers.
  await expect(other.getByTestId('loss-chart').locator('.hyper-marker')).toHaveAttribute('data-label', 'lr 0.01→0.003');
  await expect(other.getByTestId('loss-chart').locator('.switch-marker')).toHaveCount(1);
  expect(problems.errors).toEqual([]);
  expect(otherProblems.errors).toEqual([]);
});
