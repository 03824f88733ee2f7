/**
 * The sweep panel: a config with a sweep block fills the form; the sweep runs in worker(s) with a
 * progress bar, plots one point per value and the MM run as a dashed reference line; clicking a point
 * opens it as an ordinary run (the link changes, the swept run has that lr).
 */
import LZString from 'lz-string';
import { expect, hashOf, test } from './fixtures';

const linkConfig = (hash: string) => JSON.parse(LZString.decompressFromEncodedURIComponent(hash.replace(/^#v1\./, ''))!).c;

const values = [0.001, 0.01, 0.1, 1, 10, 100];
const config = {
  version: 1,
  problem: { kind: 'mlp', data: { kind: 'dataset', name: 'gaussians', n: 128, noise: 0.3, classes: 2 }, hidden: [], loss: 'bce' },
  steps: 60,
  runs: [{ algorithm: 'sgd', hyper: { lr: 0.1 } }, { algorithm: 'mm-bohning' }],
  sweep: { run: 0, hyper: 'lr', values },
};

test('a sweep runs in workers, plots its points and the MM line; a point opens as a run', async ({ page, problems }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/${hashOf(config, { backend: 'fused' })}`);
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', /\w+/, { timeout: 45_000 });
  const card = page.getByRole('region', { name: 'Sweep a hyper-parameter' });
  await expect(card.getByLabel('Points (log-spaced)')).toHaveValue('6');
  await card.getByTestId('sweep-run').click();
  const progress = card.getByTestId('sweep-progress');
  await expect(progress).toHaveAttribute('data-total', '7');
  await expect(progress).toHaveAttribute('data-running', 'false', { timeout: 60_000 });
  await expect(progress).toHaveAttribute('data-done', '7');
  await expect(card.getByTestId('sweep-point')).toHaveCount(6);
  await expect(card.getByTestId('sweep-reference')).toHaveCount(1);
  await card.getByTestId('sweep-chart').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/sweep-1440.png' });

  const before = await page.evaluate(() => location.hash);
  await card.locator('[data-testid="sweep-point"][data-index="2"]').click();
  await expect.poll(() => page.evaluate(() => location.hash)).not.toBe(before);
  await expect.poll(async () => linkConfig(await page.evaluate(() => location.hash)).runs[0].hyper.lr).toBe(0.1);
  expect(linkConfig(await page.evaluate(() => location.hash)).runs[1].algorithm).toBe('mm-bohning');
  expect(problems.errors).toEqual([]);
});

test('phone: the sweep panel fits 390 px and cancel stops a sweep', async ({ page, problems }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/${hashOf({ ...config, steps: 3000 }, { backend: 'fused' })}`);
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', /\w+/, { timeout: 45_000 });
  const card = page.getByRole('region', { name: 'Sweep a hyper-parameter' });
  await card.getByTestId('sweep-run').click();
  await expect(card.getByTestId('sweep-cancel')).toBeVisible();
  await card.getByTestId('sweep-cancel').click();
  await expect(card.getByTestId('sweep-progress')).toHaveAttribute('data-running', 'false');
  const box = (await card.boundingBox())!;
  expect(box.width).toBeLessThanOrEqual(390);
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/sweep-390.png' });
  expect(problems.errors).toEqual([]);
});
