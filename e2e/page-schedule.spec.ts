/** Issue 15 point 11: a shared link with a scheduled switch shows it before Start — in the run table and on the loss chart's x axis. */
import { test, expect, hashOf, labStep, ready } from './fixtures';

const config = {
  version: 1,
  problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 128, noise: 0.15 }, hidden: [4], activation: 'tanh', loss: 'bce' },
  runs: [{ algorithm: 'adam', hyper: { lr: 0.01 } }, { algorithm: 'adam', hyper: { lr: 0.01 }, switches: [{ at: 30, algorithm: 'mm-lipschitz' }] }],
  steps: 60,
};

test('a link with a scheduled switch shows it before Start, and the marker turns into a switch once reached', async ({ page, problems }) => {
  await page.goto(`/${hashOf(config)}`);
  await ready(page);
  expect(await labStep(page)).toBe(0);
  const sched = page.getByTestId('schedule-1');
  await expect(sched).toContainText('after step 30: Adam → MM (Lipschitz quadratic)');
  await expect(sched.locator('li')).toHaveAttribute('class', 'pending');
  await expect(page.getByTestId('schedule-0')).toHaveCount(0);
  const marker = page.getByTestId('loss-chart').locator('g.scheduled-marker[data-run="1"][data-step="30"]');
  await expect(marker).toHaveCount(1);
  await expect(marker.locator('text')).toHaveText('after 30: → MM (Lipschitz quadratic)');
  await expect(marker.locator('title')).toContainText('Scheduled');
  // The step axis spans the planned run: the marker sits about half-way along it.
  const axis = (await page.getByTestId('loss-chart').locator('g.axis-x').boundingBox())!;
  const tri = (await marker.locator('path').boundingBox())!;
  const frac = (tri.x + tri.width / 2 - axis.x) / axis.width;
  expect(frac).toBeGreaterThan(0.35);
  expect(frac).toBeLessThan(0.65);

  await page.getByRole('button', { name: /^(Start|Resume)$/ }).click();
  await expect(page.getByTestId('position')).toHaveAttribute('data-step', '60', { timeout: 60_000 });
  await expect(page.getByTestId('loss-chart').locator('g.scheduled-marker')).toHaveCount(0);
  await expect(page.getByTestId('loss-chart').locator('g.switch-marker[data-step="30"]')).toHaveCount(1);
  await expect(sched.locator('li')).toHaveAttribute('class', 'done');
  expect(problems.errors).toEqual([]);
});
