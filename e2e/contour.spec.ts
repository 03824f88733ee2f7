/**
 * The contour view of 2-D function problems: the "lr above 2/L" preset link draws f's contours, every
 * run's path and the inspected run's surrogate contours (with the g < f region for GD's implied model);
 * clicking the map sets θ₀ (the form and the share link change); step-through animates one iteration.
 */
import type { Page } from '@playwright/test';
import { expect, hashOf, test } from './fixtures';

/** The worker chose its backend and the contour view has its first answer (step 0). */
async function ready(page: Page): Promise<void> {
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', /\w+/, { timeout: 45_000 });
  await expect(page.getByTestId('contour-chart')).toHaveAttribute('data-step', '0', { timeout: 45_000 });
}

const config = {
  version: 1,
  problem: { kind: 'function', name: 'quadratic', kappa: 10, angle: 30, start: [-2.5, 2] },
  steps: 40,
  runs: [{ algorithm: 'sgd', hyper: { lr: 0.21 } }, { algorithm: 'mm-lipschitz' }, { algorithm: 'mm-curvature', hyper: { curvature: 'bound' } }],
};

test('paths, surrogate contours and the g < f region; clicking sets θ₀ in the link; step-through', async ({ page, problems }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/${hashOf(config, { backend: 'fused' })}`);
  await ready(page);
  const chart = page.getByTestId('contour-chart');
  await expect(chart.locator('path.fc').first()).toBeAttached();
  await page.getByRole('button', { name: /^(Start|Resume)$/ }).click();
  await expect(page.getByTestId('position')).toHaveAttribute('data-step', '40', { timeout: 30_000 });
  await expect(chart).toHaveAttribute('data-step', '40');
  // Three paths of 41 points; GD's path (run 0) is the inspected one: its implied model dips below f.
  for (const i of [0, 1, 2]) await expect(chart.locator(`g.path[data-run="${i}"] circle.step`)).toHaveCount(41);
  expect(await chart.locator('path.gc').count()).toBeGreaterThan(3);
  expect(await chart.locator('path.below').evaluateAll((els) => els.filter((e) => (e.getAttribute('d') ?? '').length > 0).length)).toBeGreaterThan(0);
  await expect(page.getByTestId('contour-certificate')).toHaveAttribute('data-certificate', 'none');
  await page.screenshot({ path: 'test-results/contour-1440.png', fullPage: false });

  // Inspect the bound MM: a certified global majorizer, no g < f region.
  await page.getByLabel('Inspect run').first().selectOption('2');
  await expect(page.getByTestId('contour-certificate')).toHaveAttribute('data-certificate', 'global');

  // Click the map: θ₀ moves, the form and the link follow.
  const before = await page.evaluate(() => location.hash);
  // As a person would: scroll the map into view first (other panels may sit above it).
  await chart.locator('svg').scrollIntoViewIfNeeded();
  const box = (await chart.locator('svg').boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.75, box.y + box.height * 0.3);
  await expect.poll(() => page.evaluate(() => location.hash)).not.toBe(before);
  const sx = Number(await page.getByLabel('Start x').inputValue());
  const sy = Number(await page.getByLabel('Start y').inputValue());
  expect(sx).toBeGreaterThan(0);
  expect(sy).toBeGreaterThan(0);
  // The preview restarts at the new θ₀: every path starts there.
  await expect(chart).toHaveAttribute('data-step', '0', { timeout: 20_000 });
  await expect(chart.locator('rect.start')).toHaveCount(1);

  // Step-through: draw g, jump to its minimiser, step; the next answer is at step 1.
  await page.getByTestId('contour-step-through').click();
  await expect(chart).toHaveAttribute('data-phase', 'bowl');
  await expect(chart).toHaveAttribute('data-phase', 'jump');
  await expect(chart).toHaveAttribute('data-step', '1', { timeout: 20_000 });
  expect(problems.errors).toEqual([]);
});

test('phone layout: the contour view fits a 390 px screen', async ({ page, problems }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/${hashOf({ ...config, problem: { kind: 'function', name: 'rosenbrock', start: [-1.5, 2] }, runs: [{ algorithm: 'adam', hyper: { lr: 0.05 } }, { algorithm: 'mm-curvature', hyper: { curvature: 'gauss-newton' } }] }, { backend: 'fused' })}`);
  await ready(page);
  const chart = page.getByTestId('contour-chart');
  await page.getByRole('button', { name: /^(Start|Resume)$/ }).click();
  await expect(chart).toHaveAttribute('data-step', '40', { timeout: 30_000 });
  const w = (await chart.locator('svg').boundingBox())!.width;
  expect(w).toBeLessThanOrEqual(390);
  await chart.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/contour-390.png', fullPage: false });
  expect(problems.errors).toEqual([]);
});

test('zoom: "Fit paths" shows every path point, a drag pans, a click still sets θ₀, reset goes back', async ({ page, problems }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/${hashOf({ ...config, problem: { kind: 'function', name: 'rosenbrock', start: [-1.5, 2] }, runs: [{ algorithm: 'adam', hyper: { lr: 0.05 } }, { algorithm: 'mm-curvature', hyper: { curvature: 'gauss-newton' } }] }, { backend: 'fused' })}`);
  await ready(page);
  const chart = page.getByTestId('contour-chart');
  const svg = chart.locator('svg');
  await page.getByRole('button', { name: /^(Start|Resume)$/ }).click();
  await expect(chart).toHaveAttribute('data-step', '40', { timeout: 30_000 });
  const home = await svg.getAttribute('data-x-domain');
  await page.getByTestId('contour-fit').click();
  await expect(svg).not.toHaveAttribute('data-x-domain', home!);
  // Every marker (θ₀ and each step of both paths) lies inside the plot area: the axes hold every point.
  const outside = () =>
    svg.evaluate((el) => {
      const clip = el.querySelector('clipPath rect')!;
      const [l, t] = [Number(clip.getAttribute('x')), Number(clip.getAttribute('y'))];
      const [r, b] = [l + Number(clip.getAttribute('width')), t + Number(clip.getAttribute('height'))];
      const pts = [...el.querySelectorAll('circle.step')].map((c) => [Number(c.getAttribute('cx')), Number(c.getAttribute('cy'))]);
      return { n: pts.length, out: pts.filter(([x, y]) => !(x >= l && x <= r && y >= t && y <= b)).length };
    });
  const seen = await outside();
  expect(seen.n).toBeGreaterThanOrEqual(41);
  expect(seen.out).toBe(0);
  // The contours are the worker's for the fitted window (drawn after its answer, under the same axes).
  await expect(chart.locator('path.fc').first()).toBeAttached();
  await svg.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/contour-fit.png' });

  // A drag pans: the domain moves, θ₀ does not.
  const fitted = (await svg.getAttribute('data-x-domain'))!;
  const box = (await svg.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5 + 60, box.y + box.height * 0.5 + 20, { steps: 6 });
  await page.mouse.up();
  await expect(svg).not.toHaveAttribute('data-x-domain', fitted);
  expect(await page.getByLabel('Start x').inputValue()).toBe('-1.5');

  // The wheel zooms in about the pointer: a narrower window, its contours recomputed by the worker.
  const span = (d: string | null) => d!.split(',').map(Number).reduce((a, b) => b - a);
  const panned = await svg.getAttribute('data-x-domain');
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
  await page.mouse.wheel(0, -600);
  await expect.poll(async () => span(await svg.getAttribute('data-x-domain'))).toBeLessThan(span(panned) * 0.8);
  await expect(chart.locator('path.fc').first()).toBeAttached();
  await page.waitForTimeout(500);
  await page.screenshot({ path: 'test-results/contour-wheel.png' });

  // A click without a drag sets θ₀ inside the zoomed window.
  const [a, b] = (await svg.getAttribute('data-x-domain'))!.split(',').map(Number);
  await page.mouse.click(box.x + box.width * 0.6, box.y + box.height * 0.4);
  await expect.poll(async () => Number(await page.getByLabel('Start x').inputValue())).not.toBe(-1.5);
  const sx = Number(await page.getByLabel('Start x').inputValue());
  expect(sx).toBeGreaterThan(a);
  expect(sx).toBeLessThan(b);

  await page.getByTestId('contour-reset-zoom').click();
  await expect(svg).toHaveAttribute('data-x-domain', home!);
  expect(problems.errors).toEqual([]);
});
