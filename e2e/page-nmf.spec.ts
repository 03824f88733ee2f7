/** Issue 15 point 7: NMF is readable — MM vs heuristic MU by default, named axes, colour bar, W as spectra, H as activations. */
import { test, expect, ready } from './fixtures';

test('choosing NMF sets up MM vs heuristic MU and draws readable factor views', async ({ page, problems }) => {
  await page.goto('/');
  await ready(page);
  await page.getByLabel('Model', { exact: true }).selectOption('nmf');
  await expect(page.getByLabel('Algorithm for run 1')).toHaveValue('nmf-mm');
  await expect(page.getByLabel('Algorithm for run 2')).toHaveValue('nmf-mu');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('run-row-1')).toHaveAttribute('data-algorithm', 'nmf-mu', { timeout: 45_000 });
  await expect(page.getByTestId('run-row-0')).toHaveAttribute('data-step', /[1-9]/, { timeout: 45_000 });

  const img = page.getByTestId('nmf-images');
  await expect(img.locator('[data-chart="nmf-heatmap"]')).toHaveCount(2, { timeout: 45_000 });
  await expect(img.locator('text.axis-name', { hasText: 'frequency bin' })).toHaveCount(2);
  await expect(img.locator('text.axis-name', { hasText: 'time frame' })).toHaveCount(2);
  await expect(img.locator('[data-chart="nmf-colour-bar"]')).not.toHaveCount(0);
  // W's 6 columns as spectra, H's 6 rows as activation lanes.
  await expect(img.locator('[data-chart="nmf-spectra"] path[data-component]')).toHaveCount(6);
  await expect(img.locator('[data-chart="nmf-activations"] path[data-component]')).toHaveCount(6);
  const lanes = await img.locator('[data-chart="nmf-activations"]').boundingBox();
  expect(lanes!.height).toBeGreaterThan(120); // not a thin strip
  await expect(img).toContainText('V — the data');
  await expect(img).toContainText('WH — the reconstruction');
  expect(problems.errors).toEqual([]);
});
