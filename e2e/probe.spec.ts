/**
 * Issue 16 in the page: the 101st mid-run change is refused with a message (the link keeps opening),
 * Step after the last step raises the budget (never "step 301 / 300"), large NMF images are painted from
 * block means, and a slow preparation shows its time, the work ahead and a Cancel button.
 */
import { test, expect, hashOf, ready } from './fixtures';

const shots = 'test-results/probe';

test('the 101st mid-run change is refused with a message', async ({ page, problems }) => {
  const switches = Array.from({ length: 100 }, (_, j) => ({ at: j + 2, algorithm: 'sgd', hyper: { lr: 0.01 + j * 1e-4 } }));
  const c = { version: 1, problem: { kind: 'mlp' }, runs: [{ algorithm: 'sgd', switches }], steps: 300 };
  await page.goto(`/${hashOf(c, { backend: 'cpu' })}`);
  await ready(page);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('position')).toHaveAttribute('data-step', '1');
  const editor = page.getByTestId('midrun-0');
  await editor.locator('summary').click();
  await page.getByLabel('Switch run 1 to').selectOption('adam');
  await expect(editor).toContainText('already has 100 mid-run changes');
  await expect(page.getByRole('button', { name: 'Switch run 1 now' })).toBeDisabled();
  await expect(page.getByTestId('share-link')).toHaveValue(/#v1\./);
  await editor.screenshot({ path: `${shots}/switch-limit.png` });
  expect(problems.errors).toEqual([]);
});

test('Step after the last step raises the budget', async ({ page, problems }) => {
  const c = { version: 1, problem: { kind: 'mlp' }, runs: [{ algorithm: 'sgd' }], steps: 3 };
  await page.goto(`/${hashOf(c, { backend: 'cpu' })}`);
  await ready(page);
  await page.getByRole('button', { name: /^Start$/ }).click();
  const pos = page.getByTestId('position');
  await expect(pos).toHaveAttribute('data-step', '3', { timeout: 30_000 });
  await expect(pos).toHaveAttribute('data-playing', 'false');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(pos).toHaveAttribute('data-step', '4');
  await expect(pos).toHaveAttribute('data-target', '4');
  await expect(pos).toContainText('step 4 / 4');
  expect(problems.errors).toEqual([]);
});

test('large NMF images are painted from block means', async ({ page, problems }) => {
  const c = { version: 1, problem: { kind: 'nmf', beta: 1, rank: 4, data: { kind: 'synthetic', rows: 600, cols: 520 } }, runs: [{ algorithm: 'nmf-mu' }], steps: 2 };
  await page.goto(`/${hashOf(c)}`);
  await ready(page);
  const images = page.getByTestId('nmf-images');
  await expect(images).toContainText('images show 200×174 block means', { timeout: 45_000 });
  await expect(images).toContainText('V — the data (600×520)');
  await images.screenshot({ path: `${shots}/nmf-images.png` });
  expect(problems.errors).toEqual([]);
});

test('a slow preparation shows its time and the work ahead, and can be cancelled', async ({ page, problems }) => {
  const c = {
    version: 1,
    problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 20_000 }, hidden: [256, 256, 256, 256, 256, 256] },
    runs: Array.from({ length: 8 }, () => ({ algorithm: 'adam' })),
    steps: 1_000_000,
  };
  await page.goto(`/${hashOf(c)}`);
  const preparing = page.getByTestId('preparing');
  await expect(preparing).toContainText('G multiply-adds per step (8 runs)');
  await expect(preparing).toContainText(/Preparing the session… \d+ s/);
  await page.getByTestId('position').screenshot({ path: `${shots}/preparing.png` });
  await page.getByTestId('cancel-prepare').click();
  await expect(page.getByTestId('worker-notice')).toContainText('Preparation cancelled');
  await expect(preparing).toHaveCount(0);
  await page.screenshot({ path: `${shots}/cancelled.png` });
  expect(problems.errors).toEqual([]);
});
