import { test, expect, ready, runLoss, watch } from './fixtures';
import type { Page } from '@playwright/test';
import LZString from 'lz-string';

async function trainToEnd(page: Page, steps: number): Promise<number[]> {
  const field = page.getByLabel('Steps', { exact: true });
  await field.fill(String(steps));
  await page.getByRole('button', { name: /^(Start|Resume|Run again)$/ }).click();
  const pos = page.getByTestId('position');
  await expect(pos).toHaveAttribute('data-step', String(steps), { timeout: 60_000 });
  await expect(pos).toHaveAttribute('data-playing', 'false');
  const n = await page.locator('[data-testid^="run-row-"]').count();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    await expect(page.getByTestId(`run-row-${i}`)).toHaveAttribute('data-step', String(steps));
    out.push(await runLoss(page, i));
  }
  return out;
}

test('a copied share link reproduces the same final losses in a new page', async ({ page, context, problems }) => {
  await page.goto('/');
  await ready(page);
  // Same backend on both pages: force cpu (the link carries the choice).
  await page.getByLabel('Backend', { exact: true }).selectOption('cpu');
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'cpu');
  // Add a run so the link carries a non-default experiment.
  await page.getByRole('button', { name: '+ Add run' }).click();
  await expect(page.getByLabel('Algorithm for run 4')).toBeVisible();
  await page.getByLabel('Algorithm for run 4').selectOption('rmsprop');
  await page.getByLabel('Run 4 lr').fill('0.005');
  const first = await trainToEnd(page, 12);
  expect(first.every(Number.isFinite)).toBe(true);

  await page.getByRole('button', { name: 'Copy link' }).click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toMatch(/#v1\./);

  const other = await context.newPage();
  const otherProblems = await watch(other);
  await other.goto(link);
  await ready(other);
  await expect(other.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'cpu');
  await expect(other.getByLabel('Algorithm for run 4')).toHaveValue('rmsprop');
  await expect(other.getByLabel('Run 4 lr')).toHaveValue('0.005');
  await expect(other.getByLabel('Steps', { exact: true })).toHaveValue('12');
  const second = await trainToEnd(other, 12);
  expect(second.length).toBe(first.length);
  second.forEach((v, i) => expect(Math.abs(v - first[i])).toBeLessThanOrEqual(1e-6 * Math.abs(first[i])));
  expect(problems.errors).toEqual([]);
  expect(otherProblems.errors).toEqual([]);
});

test('a malformed link shows a clear message and the defaults load', async ({ page, problems }) => {
  await page.goto('/#v1.this-is-not-a-valid-payload');
  const notice = page.getByTestId('link-notice');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('could not be opened');
  await expect(notice).toContainText(/damaged|not valid/);
  await ready(page);
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled();
  expect(problems.errors).toEqual([]);
});

test('a hostile link is reported field by field and never rendered as HTML', async ({ page, problems }) => {
  const hostile = {
    c: {
      version: 1,
      problem: { kind: 'mlp', hidden: [9999] },
      runs: [{ id: '<img src=x onerror=alert(1)>', algorithm: '<script>alert(1)</script>' }],
      steps: -5,
    },
  };
  const payload = LZString.compressToEncodedURIComponent(JSON.stringify(hostile));
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await page.goto(`/#v1.${payload}`);
  const notice = page.getByTestId('link-notice');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('problem.hidden');
  await expect(notice).toContainText('steps');
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await ready(page);
  expect(dialogs).toBe(0);
  expect(problems.errors).toEqual([]);
});
