/**
 * Issue 12: a CNN built in the page. On an image set the Problem panel offers convolution blocks; the
 * shapes line states the network the config builds (tests/cnn-config.test.ts checks those numbers), the
 * default Gauss–Newton run is accepted, a dense-only algorithm (ProxProp) is refused on its run card with
 * the reason and Start waits, and with a gradient algorithm in its place the CNN trains and its loss falls.
 */
import { test, expect, ready, playPast, runLoss } from './fixtures';

test('digits CNN in the page: the blocks and their shapes, refused algorithms said, training lowers the loss', async ({ page, problems }) => {
  await page.goto('/');
  await ready(page);
  // The 2-D sets have no convolution blocks.
  await expect(page.getByRole('group', { name: 'Convolution blocks' })).toHaveCount(0);
  await page.getByLabel('Dataset', { exact: true }).selectOption('digits');
  await page.getByLabel('Convolution blocks (CNN)').check();
  const blocks = page.getByRole('group', { name: 'Convolution blocks' });
  await expect(blocks).toContainText('8×8 → conv 3×3: 6×6×8 → pool 2: 3×3×8 → 72 → 32 → 10 (2,746 parameters)');
  // The default setup's Gauss–Newton run runs on a CNN (its Jacobian products go through the convolutions);
  // ProxProp, which needs dense layers only, cannot: said, and Start waits.
  await expect(page.getByTestId('play')).toBeEnabled();
  await expect(page.getByText('does not run on a CNN')).toHaveCount(0);
  await page.getByLabel('Algorithm for run 2').selectOption('proxprop');
  await expect(page.getByText("'proxprop' does not run on a CNN")).toBeVisible();
  await expect(page.getByTestId('play')).toBeDisabled();
  await page.getByLabel('Algorithm for run 2').selectOption('sgd');
  await expect(page.getByTestId('play')).toBeEnabled();
  await page.getByLabel('Steps', { exact: true }).fill('300');
  await playPast(page, 20);
  // Softmax CE of an untrained 10-class net is about ln 10 ≈ 2.3 (2.47 here at step 0); Adam's CNN is far below after 20 steps.
  expect(await runLoss(page, 2)).toBeLessThan(2);
  await expect(page.getByTestId('run-row-2')).toContainText('acc');
  expect(problems.errors).toEqual([]);
});
