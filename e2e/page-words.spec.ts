/** Issue 15 point 8: words — no raw LaTeX, human labels with tooltips, a clear 2-D axis, test loss in the legend, a glossary. */
import { test, expect, ready } from './fixtures';

test('settings are labelled and explained, prose has no raw LaTeX, legend and glossary are there', async ({ page, problems }) => {
  await page.goto('/');
  await ready(page);
  // Run 1 is the Lipschitz MM: its summary said "L_{k−1}/2".
  await expect(page.getByTestId('alg-summary')).toContainText('Lₖ₋₁/2');
  const text = await page.locator('body').innerText();
  expect(text).not.toMatch(/[_^]\{|\\[a-zA-Z]+\{/);

  // Every hyper-parameter field: a human label and a tooltip with its symbol and meaning.
  const l0 = page.getByLabel('Run 1 L0', { exact: true });
  await expect(l0).toHaveAttribute('title', /Initial curvature \(L₀, “L0”\): .*curvature/);
  await expect(page.locator('[data-hyper="maxBacktracks"] label').first()).toContainText('Max. backtracks');
  await expect(page.getByLabel('Run 2 lambda0', { exact: true })).toHaveAttribute('title', /Initial damping \(λ₀/);
  await expect(page.getByLabel('Run 2 cgTolerance', { exact: true })).toHaveAttribute('title', /CG tolerance/);
  const fields = await page.locator('[data-hyper]').count();
  const untitled = await page.locator('[data-hyper]').evaluateAll((els) =>
    els.filter((e) => !(e.getAttribute('title') || e.querySelector('label[title]'))).map((e) => e.getAttribute('data-hyper')),
  );
  expect(fields).toBeGreaterThan(10);
  expect(untitled).toEqual([]);

  // Dashed test-loss lines have a legend entry once curves are drawn.
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('run-row-0')).toHaveAttribute('data-step', /[1-9]/);
  await expect(page.getByTestId('loss-chart').locator('g.legend g[data-key="test"] line')).toHaveAttribute('stroke-dasharray', '5 4');
  await expect(page.getByTestId('loss-chart').locator('g.legend')).toContainText('test loss (dashed');

  // The 2-D surrogate view names its axes.
  await page.getByRole('radio', { name: '2-D' }).click();
  await expect(page.getByTestId('surrogate-contour').locator('text.ylabel')).toHaveText('b: across the step (random direction ⟂ step)', { timeout: 30_000 });

  // A glossary for students.
  await page.getByTestId('glossary').locator('summary').click();
  await expect(page.getByTestId('glossary')).toContainText('Majorizer');
  await expect(page.getByTestId('glossary').locator('dt')).not.toHaveCount(0);
  expect(problems.errors).toEqual([]);
});
