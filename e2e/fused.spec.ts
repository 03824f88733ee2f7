/**
 * The cpu ("fused") engine in the browser (src/core/engines/cpu in the worker, WebAssembly SIMD kernels):
 * an MLP experiment calibrates onto it, trains, and a mid-run switch to Gauss–Newton MM stays on it —
 * every algorithm is written once against the engine interface — with the curve continuing and the
 * switch marked; the Lipschitz MM algorithms there are monotone; an NMF link runs there too.
 */
import { test, expect, ready, runLoss, runStep, hashOf, labStep, playPast } from './fixtures';

const config = {
  version: 1,
  problem: { kind: 'mlp', data: { kind: 'dataset', name: 'spiral', n: 256, noise: 0.1, classes: 2 }, hidden: [8, 8], activation: 'tanh', loss: 'bce' },
  runs: [
    { id: 'adam', algorithm: 'adam', hyper: { lr: 0.01 } },
    { id: 'sgd', algorithm: 'sgd', hyper: { lr: 0.1, momentum: 0.9 } },
  ],
  steps: 1_000_000,
};

test('gradient runs calibrate onto the fused engine, train, and a switch to Gauss–Newton stays there', async ({ page, problems }) => {
  await page.goto(`/${hashOf(config)}`);
  await ready(page);
  const badge = page.getByTestId('backend-badge');
  // 'auto': the calibration times the fused engine against the tfjs backends; it wins by ~10× here.
  await expect(badge).toHaveAttribute('data-backend', 'fused');
  await expect(badge).toHaveAttribute('title', /calibration.*Fused|calibration.*fused/i);
  const loss0 = await runLoss(page, 0);

  const t0 = await playPast(page, 300, 30_000);
  expect(await runLoss(page, 0)).toBeLessThan(loss0);
  expect(await runLoss(page, 1)).toBeLessThan(loss0);

  // Switch run 1 (Adam) to Gauss–Newton MM: it runs on the fused engine too, so the session stays there.
  await page.getByTestId('midrun-0').locator('summary').click();
  await page.getByLabel('Switch run 1 to').selectOption('mm-gauss-newton');
  await page.getByRole('button', { name: 'Switch run 1 now' }).click();
  const chart = page.getByTestId('loss-chart');
  await expect(chart.locator('.switch-marker')).toHaveAttribute('data-step', String(t0));
  await expect(badge).toHaveAttribute('data-backend', 'fused');
  // Nothing was lost at the switch: both runs continue from step t0.
  expect(await runStep(page, 0)).toBe(t0);
  expect(await runStep(page, 1)).toBe(t0);
  const lossAtSwitch = await runLoss(page, 0);

  await playPast(page, t0 + 20, 30_000);
  await expect(page.getByTestId('run-row-0')).toHaveAttribute('data-algorithm', 'mm-gauss-newton');
  await expect(badge).toHaveAttribute('data-backend', 'fused');
  // The MM steps decrease f from where Adam left it.
  expect(await runLoss(page, 0)).toBeLessThanOrEqual(lossAtSwitch * (1 + 1e-6));
  expect(problems.errors).toEqual([]);
});

test('the Lipschitz MM algorithms run on the fused engine too: monotone, with a certified surrogate computed on the cpu engine itself', async ({ page, problems }) => {
  const mm = {
    ...config,
    problem: { ...config.problem, data: { kind: 'dataset', name: 'moons', n: 256, noise: 0.1 } },
    runs: [{ algorithm: 'mm-lipschitz' }, { algorithm: 'mm-layerwise' }, { algorithm: 'adam', hyper: { lr: 0.01 } }],
  };
  await page.goto(`/${hashOf(mm)}`);
  await ready(page);
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'fused');
  const loss0 = await runLoss(page, 0);
  await playPast(page, 200, 30_000);
  for (const i of [0, 1]) {
    await expect(page.getByTestId(`run-row-${i}`)).toHaveAttribute('data-monotone', 'held');
    expect(await runLoss(page, i)).toBeLessThan(loss0 / 5);
  }
  // The surrogate of run 1 at the paused step: certified at the step (backtracked L), computed on the cpu engine itself.
  const badge = page.getByTestId('certified-badge');
  await expect(badge).toHaveAttribute('data-step', String(await labStep(page)));
  await expect(badge).toHaveAttribute('data-certificate', 'step');
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'fused');
  expect(problems.errors).toEqual([]);
});

test('NMF runs on the cpu engine in the page: the calibration picks it, MM-MU decreases f at every step, V/WH/W/H are drawn', async ({ page, problems }) => {
  const nmf = {
    version: 1,
    problem: { kind: 'nmf', beta: 0, rank: 6, data: { kind: 'spectrogram', bins: 96, frames: 128 } },
    runs: [{ algorithm: 'nmf-mm' }, { algorithm: 'nmf-mu' }],
    steps: 1_000_000,
  };
  await page.goto(`/${hashOf(nmf)}`);
  await ready(page);
  const badge = page.getByTestId('backend-badge');
  await expect(badge).toHaveAttribute('data-backend', 'fused');
  const loss0 = await runLoss(page, 0);
  await playPast(page, 100, 30_000);
  await expect(page.getByTestId('run-row-0')).toHaveAttribute('data-monotone', 'held');
  expect(await runLoss(page, 0)).toBeLessThan(loss0);
  expect(await runLoss(page, 1)).toBeLessThan(loss0);
  await expect(page.getByTestId('nmf-images').locator('canvas, image, svg').first()).toBeVisible();
  await expect(badge).toHaveAttribute('data-backend', 'fused');
  expect(problems.errors).toEqual([]);
});
