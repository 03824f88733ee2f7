/**
 * Issue 15, point 3: near convergence the surrogate view is readable — f and g evaluated in float64
 * on the cpu engine, plotted as f − f(θₖ) with an honest axis label, every tick label whole.
 */
import { test, expect, hashOf, ready } from './fixtures';

const bohning = {
  version: 1,
  problem: { kind: 'mlp', data: { kind: 'dataset', name: 'gaussians', classes: 2, n: 400, noise: 0.4 }, hidden: [], loss: 'bce', l2: 0.001 },
  runs: [{ algorithm: 'mm-bohning' }, { algorithm: 'sgd', hyper: { lr: 1 } }],
  steps: 100,
};

test('Böhning at step 100: a smooth f − f(θₖ) slice, labelled, no cut tick labels', async ({ page, problems }) => {
  await page.goto(`/${hashOf(bohning, { speed: 0 })}`);
  await ready(page);
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('position')).toHaveAttribute('data-step', '100', { timeout: 60_000 });
  await expect(page.getByTestId('certified-badge')).toHaveAttribute('data-step', '100');
  const chart = page.getByTestId('surrogate-chart').locator('svg');
  await expect(chart).toHaveAttribute('data-relative', 'true');
  await expect(chart.locator('text.ylabel')).toContainText('f(θₖ) = 0.');
  await expect(chart).toHaveAttribute('data-violations', '0');
  // Every y tick label lies inside the chart (none cut at the left edge) and shows a whole number.
  const box = (await chart.boundingBox())!;
  const ticks = chart.locator('g.axis-y g.tick text');
  expect(await ticks.count()).toBeGreaterThanOrEqual(3);
  for (const t of await ticks.all()) {
    const b = (await t.boundingBox())!;
    expect(b.x).toBeGreaterThanOrEqual(box.x);
    expect(await t.textContent()).toMatch(/^[−-]?\d(\.\d+)?(e[−+-]?\d+)?$|^0$/);
  }
  expect(problems.errors).toEqual([]);
});
