/** Issue 15 point 2: the gallery shows each preset's checked claims, and a preset's page run bears them out. */
import { test, expect, ready, runLoss } from './fixtures';

test('presets list their claims; the Böhning preset run in the page shows what it says', async ({ page, problems }) => {
  await page.goto('/');
  await ready(page);
  const card = page.getByTestId('preset-card-bohning-logistic');
  await expect(card).toContainText('What you will see');
  await expect(page.getByTestId('preset-claims-bohning-logistic').locator('li')).toHaveCount(4);
  await expect(card).toContainText('At step 5, “1: MM (Böhning–Lindsay)” has a lower loss than “2: SGD, lr 1”.');
  // The old, false claims are gone.
  await expect(page.locator('.presets')).not.toContainText('crawls');
  await expect(page.locator('.presets')).not.toContainText('faster early but non-monotone');

  await page.getByTestId('preset-bohning-logistic').click();
  await expect(page.getByTestId('run-row-2')).toBeVisible({ timeout: 45_000 });
  await page.getByRole('button', { name: /^(Start|Resume)$/ }).click();
  await expect(page.getByTestId('position')).toHaveAttribute('data-step', '100', { timeout: 60_000 });
  for (let i = 0; i < 3; i++) await expect(page.getByTestId(`run-row-${i}`)).toHaveAttribute('data-step', '100');
  const [mm, gd1, gd01] = [await runLoss(page, 0), await runLoss(page, 1), await runLoss(page, 2)];
  expect(Math.abs(mm - gd1) / gd1).toBeLessThan(0.01); // "By step 100, … agree to within 1%."
  expect(mm).toBeLessThan(gd01); // "At step 100, “1: MM (Böhning–Lindsay)” has a lower loss than “3: SGD, lr 0.1”."
  await expect(page.getByTestId('run-row-0')).toHaveAttribute('data-monotone', 'held');
  expect(problems.errors).toEqual([]);
});
