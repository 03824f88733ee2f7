import { test, expect, ready, runLoss } from './fixtures';

const position = (page: import('@playwright/test').Page) => page.getByTestId('position');
const step = async (page: import('@playwright/test').Page) => Number(await position(page).getAttribute('data-step'));

test('training grows and lowers the loss curve; pause/step advance exactly one step; a mid-run switch is marked', async ({ page, problems }) => {
  await page.goto('/');
  await ready(page);
  const loss0 = await runLoss(page, 0);
  expect(Number.isFinite(loss0)).toBe(true);

  // 100 steps/s: the cpu engine finishes the preset's 300 steps in well under a second at full speed.
  await page.getByLabel('Speed').selectOption('100');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect.poll(() => step(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(25);
  const chart = page.getByTestId('loss-chart');
  await expect.poll(async () => Number(await chart.getAttribute('data-points'))).toBeGreaterThan(20);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(position(page)).toHaveAttribute('data-playing', 'false');
  // Every run lowered its loss (the MM runs monotonically).
  for (const i of [0, 1, 2]) {
    const row = page.getByTestId(`run-row-${i}`);
    await expect(row).toBeVisible();
    expect(await runLoss(page, i)).toBeLessThan(loss0);
  }
  await expect(page.getByTestId('run-row-0')).toHaveAttribute('data-monotone', 'held');

  // Pause + Step = exactly one step.
  await page.waitForTimeout(300);
  const t0 = await step(page);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(position(page)).toHaveAttribute('data-step', String(t0 + 1));
  await page.waitForTimeout(500);
  expect(await step(page)).toBe(t0 + 1);
  await expect(page.getByTestId('run-row-0')).toHaveAttribute('data-step', String(t0 + 1));
  // The surrogate view follows the step (step-through mode).
  await expect(page.getByTestId('certified-badge')).toBeVisible();
  await expect(page.getByTestId('certified-badge')).toHaveAttribute('data-step', String(t0 + 1));

  // Switch run 3 mid-run and see the marker on the loss chart.
  await page.getByTestId('midrun-2').locator('summary').click();
  const target = page.getByLabel('Switch run 3 to');
  await target.selectOption('sgd');
  await page.getByRole('button', { name: 'Switch run 3 now' }).click();
  await expect(chart.locator('.switch-marker')).toHaveCount(1);
  await expect(chart.locator('.switch-marker')).toHaveAttribute('data-step', String(t0 + 1));
  await page.getByRole('button', { name: /Resume|Start/ }).click();
  await expect.poll(() => step(page)).toBeGreaterThan(t0 + 5);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('run-row-2')).toHaveAttribute('data-algorithm', 'sgd');
  await expect(page.getByLabel('Scheduled switches of run 3')).toContainText(`after step ${t0 + 1}`);
  expect(problems.errors).toEqual([]);
});
