/** Issue 15 point 5: the backend popover closes on Escape, outside click and focus loss, and never covers the loss chart's hover readout. */
import { test, expect, ready } from './fixtures';
import type { Page } from '@playwright/test';

async function openPopover(page: Page) {
  await page.getByTestId('backend-badge').click();
  await expect(page.getByTestId('backend-popover')).toBeVisible();
}

test('the backend popover closes on Escape, outside click and focus loss', async ({ page, problems }) => {
  await page.goto('/');
  await ready(page);
  const pop = page.getByTestId('backend-popover');

  await openPopover(page);
  await page.keyboard.press('Escape');
  await expect(pop).toBeHidden();
  await expect(page.getByTestId('backend-badge')).toBeFocused();

  await openPopover(page);
  await pop.click(); // a click inside keeps it open
  await expect(pop).toBeVisible();
  await page.locator('.brand h1').click();
  await expect(pop).toBeHidden();

  await openPopover(page);
  await page.getByLabel('Steps', { exact: true }).focus();
  await expect(pop).toBeHidden();

  await openPopover(page);
  await page.keyboard.press('Tab'); // to the backend selector: still inside
  await expect(pop).toBeVisible();
  expect(problems.errors).toEqual([]);
});

test('the loss chart hover readout is never covered by the popover', async ({ page, problems }) => {
  await page.goto('/');
  await ready(page);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('run-row-0')).toHaveAttribute('data-step', /[1-9]/);
  await openPopover(page);
  const chart = page.getByTestId('loss-chart');
  const box = (await chart.boundingBox())!;
  // The pointer reaches the chart (left of the popover): the popover closes at once, then the readout
  // is readable everywhere, under where the popover hung too.
  const pb = (await page.getByTestId('backend-popover').boundingBox())!;
  await page.mouse.move(Math.min(pb.x - 20, box.x + box.width / 3), box.y + box.height / 2);
  await expect(page.getByTestId('backend-popover')).toBeHidden();
  await page.mouse.move(box.x + box.width - 60, box.y + 80);
  await page.mouse.move(box.x + box.width - 40, box.y + 90);
  const tip = chart.locator('.tooltip');
  await expect(tip).toBeVisible();
  await expect(page.getByTestId('backend-popover')).toBeHidden();
  const t = (await tip.boundingBox())!;
  // The readout is click-through (pointer-events: none); make it hit-testable to ask what is on top.
  const top = await page.evaluate(([x, y]) => {
    const el = document.querySelector<HTMLElement>('[data-testid="loss-chart"] .tooltip')!;
    el.style.pointerEvents = 'auto';
    const hit = document.elementFromPoint(x, y)?.closest('.tooltip') === el;
    el.style.pointerEvents = '';
    return hit;
  }, [t.x + t.width / 2, t.y + t.height / 2]);
  expect(top).toBe(true);
  expect(problems.errors).toEqual([]);
});
