import { test, expect, ready } from './fixtures';

test('screenshots at desktop and phone widths', async ({ page, problems }) => {
  await page.goto('/');
  await ready(page);
  await page.getByLabel('Speed').selectOption('100');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect.poll(async () => Number(await page.getByTestId('position').getAttribute('data-step')), { timeout: 60_000 }).toBeGreaterThan(60);
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.waitForTimeout(800);
  await page.screenshot({ path: '/tmp/mmlab-desktop.png' });
  await page.screenshot({ path: '/tmp/mmlab-desktop-full.png', fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(600);
  await page.screenshot({ path: '/tmp/mmlab-phone.png' });
  await page.screenshot({ path: '/tmp/mmlab-phone-full.png', fullPage: true });
  // Nothing overflows the phone width.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  expect(problems.errors).toEqual([]);
});

test('phone: each section, one screen at a time', async ({ page, problems }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  await ready(page);
  await page.getByLabel('Speed').selectOption('100');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect.poll(async () => Number(await page.getByTestId('position').getAttribute('data-step')), { timeout: 60_000 }).toBeGreaterThan(40);
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.waitForTimeout(800);
  const shots: [string, string][] = [
    ['loss', 'Loss curves'],
    ['surrogate', 'Surrogate vs true risk'],
    ['model', 'Decision boundary'],
    ['runs', 'Runs'],
  ];
  for (const [name, label] of shots) {
    // On a phone the run cards are on the Runs tab, the charts on the Charts tab.
    await page.getByTestId('phone-tabs').getByRole('button', { name: name === 'runs' ? 'Runs' : 'Charts' }).click();
    const el = page.getByRole('region', { name: label, exact: true }).first();
    await el.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `/tmp/mmlab-phone-${name}.png` });
  }
  expect(problems.errors).toEqual([]);
});
