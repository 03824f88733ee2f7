/**
 * Issue 15 point 9: exported pictures carry a title, the run and step, and a legend; the CSV's `run` is
 * 1-based like its label, the label follows a switch, and the step info (L) and the monotone flag are
 * columns; an exported JSON opens again in the page (file open and drop).
 */
import { readFileSync } from 'node:fs';
import { test, expect, ready, hashOf } from './fixtures';

const config = {
  version: 1,
  problem: { kind: 'mlp', hidden: [4] },
  steps: 8,
  runs: [
    { algorithm: 'adam', hyper: { lr: 0.01 }, switches: [{ at: 4, algorithm: 'mm-lipschitz' }] },
    { algorithm: 'sgd', hyper: { lr: 0.1 } },
  ],
};

test('CSV rows: 1-based run, labels that follow the switch, L and monotone columns', async ({ page, problems }) => {
  await page.goto(`/${hashOf(config, { backend: 'fused' })}`);
  await ready(page);
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('position')).toHaveAttribute('data-step', '8', { timeout: 60_000 });
  await expect(page.getByTestId('run-row-1')).toHaveAttribute('data-step', '8');

  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const lines = readFileSync((await csv.path())!, 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  expect(head.slice(0, 7)).toEqual(['run', 'label', 'algorithm', 'step', 'wall_ms', 'train_loss', 'test_loss']);
  expect(head).toContain('L');
  expect(head[head.length - 1]).toBe('monotone');
  const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [head[i], v])));
  const run1 = rows.filter((r) => r.run === '1');
  expect(run1).toHaveLength(9);
  expect(rows.filter((r) => r.run === '2')).toHaveLength(9);
  expect(rows.some((r) => r.run === '0')).toBe(false);
  for (const r of run1) {
    const step = Number(r.step);
    expect(r.label).toBe(step <= 4 ? '1: Adam' : '1: MM (Lipschitz quadratic)');
    expect(r.algorithm).toBe(step <= 4 ? 'adam' : 'mm-lipschitz');
    if (step > 4) {
      expect(Number(r.L)).toBeGreaterThan(0);
      expect(r.monotone).toBe('held');
    } else expect(r.monotone).toBe('');
  }
  expect(rows.filter((r) => r.run === '2').every((r) => r.label.startsWith('2: SGD'))).toBe(true);
  expect(problems.errors).toEqual([]);
});

test('exported pictures have a title, the run and step, and a legend', async ({ page, problems }) => {
  await page.goto(`/${hashOf(config, { backend: 'fused' })}`);
  await ready(page);
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('position')).toHaveAttribute('data-step', '8', { timeout: 60_000 });
  await expect(page.getByTestId('position')).toHaveAttribute('data-playing', 'false');
  await expect(page.getByTestId('certified-badge')).toHaveAttribute('data-step', '8', { timeout: 20_000 });
  await expect(page.locator('[data-testid="decision-boundary"] svg image')).toBeAttached();
  await page.waitForTimeout(1500); // the model view's answer for step 8

  const [model] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export Decision boundary as SVG' }).click()]);
  const svg = readFileSync((await model.path())!, 'utf8');
  expect(svg).toMatch(/data-export="title"[^>]*>Decision boundary</);
  expect(svg).toMatch(/data-export="caption"[^>]*>run 1: MM \(Lipschitz quadratic\) · step 8</);
  for (const item of ['class 0', 'class 1', 'train (filled)', 'test (ringed)']) expect(svg).toContain(`>${item}<`);

  const [surr] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export Surrogate vs true risk as SVG' }).click()]);
  const s = readFileSync((await surr.path())!, 'utf8');
  expect(s).toMatch(/data-export="title"[^>]*>Surrogate vs true risk</);
  expect(s).toMatch(/run 1: MM \(Lipschitz quadratic\) · step 8/);
  expect(s).toContain('f(θ) true risk');

  // The PNG is the framed picture: taller than the chart by its header.
  const chartH = (await page.locator('[data-testid="decision-boundary"] svg').boundingBox())!.height;
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export Decision boundary as PNG' }).click()]);
  const bytes = readFileSync((await png.path())!);
  expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  expect(bytes.readUInt32BE(20) / 2).toBeGreaterThan(chartH + 40);
  expect(problems.errors).toEqual([]);
});

test('an exported JSON opens again in the page, from the file picker and by drop', async ({ page, problems }) => {
  await page.goto(`/${hashOf(config, { backend: 'fused' })}`);
  await ready(page);
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('position')).toHaveAttribute('data-step', '8', { timeout: 60_000 });
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
  const path = (await json.path())!;
  const text = readFileSync(path, 'utf8');

  // Another experiment in the form, then the file picker brings the exported one back.
  await page.getByLabel('Dataset', { exact: true }).selectOption('circles');
  await page.getByTestId('open-json').setInputFiles({ name: 'runs.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect(page.getByTestId('link-notice')).toContainText('Loaded runs.json');
  await expect(page.getByTestId('link-notice')).toContainText('final loss');
  await expect(page.getByLabel('Dataset', { exact: true })).toHaveValue('moons');
  await expect(page.getByLabel('Scheduled switches of run 1')).toContainText('after step 4');

  // Drop: the same file dropped on the page.
  await page.getByLabel('Dataset', { exact: true }).selectOption('xor');
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.items.add(new File([t], 'dropped.json', { type: 'application/json' }));
    document.body.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, text);
  await expect(page.getByTestId('link-notice')).toContainText('Loaded dropped.json');
  await expect(page.getByLabel('Dataset', { exact: true })).toHaveValue('moons');

  // A broken file is refused with the reason; the experiment is kept.
  await page.getByTestId('open-json').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"config": {"version": 1, "runs": []}}') });
  await expect(page.getByTestId('link-notice')).toContainText('bad.json could not be opened');
  await expect(page.getByLabel('Dataset', { exact: true })).toHaveValue('moons');
  expect(problems.errors).toEqual([]);
});
