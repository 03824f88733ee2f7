/** Issue 13, images: the "Parts of digits" preset loads the digits, runs KL-NMF and draws W's columns as 8×8 parts. */
import { test, expect, playPast, ready } from './fixtures';

test('the digits-parts preset runs and draws W as a grid of 8×8 parts, with β beside it', async ({ page, problems }) => {
  await page.goto('/');
  await ready(page);
  await expect(page.getByTestId('preset-claims-nmf-digits-parts').locator('li')).toHaveCount(3);
  await page.getByTestId('preset-nmf-digits-parts').click();
  await expect(page.getByTestId('run-row-1')).toHaveAttribute('data-algorithm', 'nmf-mu', { timeout: 45_000 });
  // the problem form shows the images as V, with its n
  await expect(page.getByLabel('NMF data', { exact: true })).toHaveValue('images');
  await expect(page.getByLabel('Images (columns of V)', { exact: true })).toHaveValue('500');
  await playPast(page, 20);
  await expect(page.getByTestId('run-row-0')).toHaveAttribute('data-monotone', 'held');

  const img = page.getByTestId('nmf-images');
  const parts = img.locator('[data-chart="nmf-parts"]');
  await expect(parts).toHaveAttribute('data-image', '8x8', { timeout: 45_000 });
  await expect(parts.locator('g.part image')).toHaveCount(16);
  await expect(img.locator('[data-chart="nmf-spectra"]')).toHaveCount(0);
  await expect(parts).toContainText('W — 16 parts');
  await expect(parts).toContainText('β = 1');
  await expect(img.locator('text.axis-name', { hasText: 'pixel' })).toHaveCount(2);
  // the parts are square cells, side by side
  const a = await parts.locator('g.part image').nth(0).boundingBox();
  const b = await parts.locator('g.part image').nth(1).boundingBox();
  expect(Math.abs(a!.width - a!.height)).toBeLessThan(1);
  expect(b!.x).toBeGreaterThan(a!.x + a!.width);
  await img.screenshot({ path: '/tmp/pw-results-a/nmf-parts.png' });
  expect(problems.errors).toEqual([]);
});
