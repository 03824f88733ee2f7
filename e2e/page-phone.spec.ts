/**
 * Issue 15 point 10: on a phone (390 px) Problem, Runs and Share are reached from a tab bar without
 * scrolling past the charts; the header keeps its height when the backend becomes known; nothing is
 * wider than the screen (the formula included); numbers such as "8.608e-4" stay on one line.
 */
import { test, expect, ready, playPast } from './fixtures';

test.use({ viewport: { width: 390, height: 844 } });

test('phone: tabs reach the controls, the header is stable, nothing overflows or wraps a number', async ({ page, problems }) => {
  // Every height the header ever has, from the first paint on.
  await page.addInitScript(() => {
    const w = window as unknown as { __headerHeights: number[] };
    w.__headerHeights = [];
    const watch = () => {
      const bar = document.querySelector('.topbar');
      if (!bar) return requestAnimationFrame(watch);
      new ResizeObserver(() => w.__headerHeights.push(Math.round(bar.getBoundingClientRect().height))).observe(bar);
    };
    requestAnimationFrame(watch);
  });
  await page.goto('/');
  await ready(page);
  await page.waitForTimeout(500);
  const heights = await page.evaluate(() => (window as unknown as { __headerHeights: number[] }).__headerHeights);
  expect(heights.length).toBeGreaterThan(0);
  expect(new Set(heights).size).toBe(1);

  const tabs = page.getByTestId('phone-tabs');
  await expect(tabs).toBeVisible();
  for (const [tab, target] of [
    ['Problem', page.getByLabel('Dataset', { exact: true })],
    ['Runs', page.getByTestId('run-card-0')],
    ['Share', page.getByTestId('share-link')],
  ] as const) {
    await tabs.getByRole('button', { name: tab }).click();
    await expect(target).toBeVisible();
    // Reached without scrolling: on the first screen, above any chart.
    const box = (await target.boundingBox())!;
    expect(box.y + Math.min(box.height, 40)).toBeLessThan(844);
    await expect(page.getByTestId('loss-chart')).toBeHidden();
  }
  await tabs.getByRole('button', { name: 'Runs' }).click();
  await page.screenshot({ path: '/tmp/g/phone-runs.png' });
  await tabs.getByRole('button', { name: 'Charts' }).click();
  await expect(page.getByTestId('loss-chart')).toBeVisible();

  await page.getByLabel('Speed').selectOption('30');
  await playPast(page, 20);
  await page.screenshot({ path: '/tmp/g/phone-charts.png', fullPage: true });
  // Nothing wider than the screen, the formula included.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const formula = page.locator('.formula').first();
  await expect(formula).toBeVisible();
  await expect(formula.locator('.katex')).toBeVisible();
  const fb = (await formula.boundingBox())!;
  expect(fb.x + fb.width).toBeLessThanOrEqual(390);
  // The whole formula shows: it breaks into lines rather than scrolling out of its card.
  expect(await formula.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);
  // Every number in the run table on one line.
  const lines = await page.locator('table.runs td.num').evaluateAll((tds) =>
    tds
      .filter((td) => td.getClientRects().length > 0)
      .flatMap((td) => {
        // Each number (its own text node, e.g. the loss "8.608e-4") must sit on one line.
        const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
        const out: string[] = [];
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          if (!/^\s*-?[\d.]+(e[-+]?\d+)?\s*$/.test(n.textContent ?? '')) continue;
          const r = document.createRange();
          r.selectNodeContents(n);
          out.push(`${n.textContent}:${new Set(Array.from(r.getClientRects()).map((x) => Math.round(x.top))).size}`);
        }
        return out;
      }),
  );
  expect(lines.length).toBeGreaterThan(0);
  for (const l of lines) expect(l).toMatch(/:1$/);
  expect(problems.errors).toEqual([]);
});
