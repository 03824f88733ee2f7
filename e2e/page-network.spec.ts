/**
 * Issue 15 point 12: TF Playground's teaching views — a choice of input features for 2-D problems (in
 * the config and the link) and the network view, one heatmap per input feature and hidden neuron.
 */
import LZString from 'lz-string';
import { test, expect, ready, hashOf } from './fixtures';

test('input features change the network inputs; the network view shows every feature and neuron', async ({ page, problems }) => {
  await page.goto('/');
  await ready(page);
  const net = page.getByTestId('network-view');
  // The default moons net (2-8-8-1): two inputs and 16 hidden neurons.
  await expect(net.locator('.input-units .unit')).toHaveCount(2);
  await expect(net.locator('.hidden-units .unit')).toHaveCount(16);

  await page.getByLabel('Dataset', { exact: true }).selectOption('circles');
  await page.getByLabel('Feature x₁²').check();
  await page.getByLabel('Feature x₂²').check();
  await page.getByLabel('Feature x₁', { exact: true }).uncheck();
  await page.getByLabel('Feature x₂', { exact: true }).uncheck();
  // The link carries the features; the preview session is the new net (x₁², x₂² in).
  await expect
    .poll(async () => {
      const url = await page.getByTestId('share-link').inputValue();
      return JSON.parse(LZString.decompressFromEncodedURIComponent(url.split('#v1.')[1] ?? '') ?? 'null')?.c?.problem?.features;
    })
    .toEqual(['x1sq', 'x2sq']);
  await expect(net.locator('.input-units .unit')).toHaveCount(2, { timeout: 20_000 });
  await expect(net.locator('.input-units .unit text')).toHaveText(['x₁²', 'x₂²']);

  // Circles with squared inputs: a linear model suffices; training gets far below the start.
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('position')).toHaveAttribute('data-step', '300', { timeout: 60_000 });
  const loss = Number(await page.getByTestId('run-row-0').getAttribute('data-loss'));
  expect(loss).toBeLessThan(0.2);
  await expect(net.locator('.hidden-units .unit image').first()).toHaveAttribute('href', /^data:image\/png/);
  expect(problems.errors).toEqual([]);
});

test('a link with features opens with them; every feature of the list can be picked', async ({ page, problems }) => {
  const c = { version: 1, problem: { kind: 'mlp', hidden: [3], features: ['x1', 'x2', 'x1x2', 'sinx1', 'sinx2'], data: { kind: 'dataset', name: 'xor' } }, runs: [{ algorithm: 'adam', hyper: { lr: 0.05 } }] };
  await page.goto(`/${hashOf(c)}`);
  await ready(page);
  const net = page.getByTestId('network-view');
  await expect(net.locator('.input-units .unit text')).toHaveText(['x₁', 'x₂', 'x₁x₂', 'sin x₁', 'sin x₂']);
  await expect(net.locator('.hidden-units .unit')).toHaveCount(3);
  for (const f of ['x₁x₂', 'sin x₁', 'sin x₂']) await expect(page.getByLabel(`Feature ${f}`)).toBeChecked();
  await expect(page.getByLabel('Feature x₁²')).not.toBeChecked();
  await page.screenshot({ path: '/tmp/g/network.png', fullPage: false });
  expect(problems.errors).toEqual([]);
});
