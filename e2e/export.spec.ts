import { readFileSync } from 'node:fs';
import { test, expect, ready } from './fixtures';

test('export downloads a valid CSV and a re-runnable JSON', async ({ page, problems }) => {
  await page.goto('/');
  await ready(page);
  await page.getByLabel('Steps', { exact: true }).fill('8');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('position')).toHaveAttribute('data-step', '8', { timeout: 60_000 });
  await expect(page.getByTestId('run-row-0')).toHaveAttribute('data-step', '8');

  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  expect(csv.suggestedFilename()).toMatch(/\.csv$/);
  const text = readFileSync((await csv.path())!, 'utf8');
  const lines = text.trim().split('\n');
  expect(lines[0]).toMatch(/^run,label,algorithm,step,wall_ms,train_loss,test_loss,(.*,)?monotone$/);
  const runs = await page.locator('[data-testid^="run-row-"]').count();
  expect(lines.length - 1).toBe(runs * 9); // steps 0..8 per run
  for (const line of lines.slice(1)) {
    const cells = line.replace(/"[^"]*"/g, 'label').split(',');
    const loss = Number(cells[5]);
    expect(Number.isFinite(loss) && loss > 0).toBe(true);
  }

  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
  const data = JSON.parse(readFileSync((await json.path())!, 'utf8'));
  expect(data.config.version).toBe(1);
  expect(data.config.runs.length).toBe(runs);
  expect(data.results.runs[0].losses.length).toBe(9);

  const [svg] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export Loss curves as SVG' }).click()]);
  expect(readFileSync((await svg.path())!, 'utf8')).toContain('<svg');
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export Loss curves as PNG' }).click()]);
  expect(readFileSync((await png.path())!).subarray(1, 4).toString()).toBe('PNG');
  expect(problems.errors).toEqual([]);
});
