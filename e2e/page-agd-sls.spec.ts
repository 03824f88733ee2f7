/**
 * Issue 12: the two MM algorithms from current research are on the page — AGD and SGD + Armijo (SLS)
 * can be picked in a run card, train and explain themselves, and scheduled switches to and from them run.
 */
import { test, expect, hashOf, ready, runLoss } from './fixtures';

const STEPS = 30;

test('AGD and SLS: picked in the run card, trained, explained; switches to and from them', async ({ page, problems }) => {
  await page.goto('/');
  await ready(page);
  await page.getByLabel('Steps', { exact: true }).fill(String(STEPS));
  await page.getByLabel('Algorithm for run 1').selectOption('agd');
  await expect(page.getByLabel('Algorithm for run 1')).toContainText('AGD (automatic gradient descent) · MM');
  await page.getByLabel('Algorithm for run 2').selectOption('sgd-armijo');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('position')).toHaveAttribute('data-step', String(STEPS), { timeout: 60_000 });
  await expect(page.getByTestId('run-row-0')).toHaveAttribute('data-algorithm', 'agd');
  await expect(page.getByTestId('run-row-1')).toHaveAttribute('data-algorithm', 'sgd-armijo');
  await expect(page.getByTestId('alg-summary')).toContainText('Automatic gradient descent');
  for (const i of [0, 1]) expect(Number.isFinite(await runLoss(page, i))).toBe(true);

  const config = {
    version: 1,
    problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 128 }, hidden: [8], activation: 'tanh', loss: 'bce' },
    runs: [
      { algorithm: 'agd', switches: [{ at: 10, algorithm: 'sgd-armijo', hyper: {} }] },
      { algorithm: 'sgd-armijo', switches: [{ at: 10, algorithm: 'agd', hyper: {} }] },
    ],
    steps: STEPS,
  };
  await page.goto(`/${hashOf(config)}`);
  await ready(page);
  await expect(page.getByLabel('Scheduled switches of run 1')).toContainText('after step 10 → SGD + Armijo line search (SLS)');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('position')).toHaveAttribute('data-step', String(STEPS), { timeout: 60_000 });
  await expect(page.getByTestId('loss-chart').locator('.switch-marker')).toHaveCount(2);
  await expect(page.getByTestId('run-row-0')).toHaveAttribute('data-algorithm', 'sgd-armijo');
  await expect(page.getByTestId('run-row-1')).toHaveAttribute('data-algorithm', 'agd');
  for (const i of [0, 1]) expect(Number.isFinite(await runLoss(page, i))).toBe(true);
  expect(problems.errors).toEqual([]);
});
