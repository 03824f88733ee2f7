import { test, expect, ready } from './fixtures';

test('the lab loads without console errors or CSP violations and shows its backend', async ({ page, problems }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'MM Lab' })).toBeVisible();
  await ready(page);
  const badge = page.getByTestId('backend-badge');
  // The default preset (Lipschitz MM, Gauss–Newton, Adam) runs on every engine; the calibration picks one.
  await expect(badge).toHaveAttribute('data-backend', /^(fused|webgpu|webgl|wasm|cpu)$/);
  const backend = await badge.getAttribute('data-backend');
  await expect(badge).toContainText(/Backend: (Fused \(WASM\)|WebGPU|WebGL|WASM|CPU)/);
  // Why it runs there: the details list every backend the worker considered.
  await badge.click();
  const details = page.getByRole('region', { name: 'Backend details' });
  await expect(details).toBeVisible();
  await expect(details).toContainText(new RegExp(backend!, 'i'));
  // Controls are labelled.
  await expect(page.getByLabel('Model', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Dataset', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Algorithm for run 1')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled();
  await page.waitForTimeout(500);
  expect(problems.errors).toEqual([]);
});

test('forcing a backend from the selector moves the session there', async ({ page, problems }) => {
  await page.goto('/');
  await ready(page);
  await page.getByLabel('Backend', { exact: true }).selectOption('cpu');
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'cpu');
  await expect(page.getByTestId('backend-badge')).toContainText('forced');
  expect(problems.errors).toEqual([]);
});

test('an invalid hyper-parameter shows its message inline and disables Start', async ({ page, problems }) => {
  await page.goto('/');
  await ready(page);
  const alg = page.getByLabel('Algorithm for run 1');
  await alg.selectOption('sgd');
  const lr = page.getByLabel('Run 1 lr');
  await lr.fill('-2');
  await expect(page.getByText('lr must be > 0')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start' })).toBeDisabled();
  await lr.fill('0.1');
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled();
  expect(problems.errors).toEqual([]);
});
