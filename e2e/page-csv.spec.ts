/**
 * Own data (issue 12): a CSV uploaded in the Problem panel becomes the points of the preview and trains;
 * a bad CSV is refused with its line and column, the data kept; the share link leaves own data out (the
 * page says so); Export JSON keeps it; points clicked on the plot are added (and undone).
 */
import LZString from 'lz-string';
import { readFileSync } from 'node:fs';
import { test, expect, ready, labStep, runLoss } from './fixtures';

/** 40 points: two clusters, labelled as text (mapped to classes 0, 1). */
const GOOD = ['x1,x2,label', ...Array.from({ length: 40 }, (_, i) => `${(i % 2 ? 1 : -1) + 0.05 * Math.sin(i)},${0.1 * Math.cos(3 * i)},${i % 2 ? 'right' : 'left'}`)].join('\r\n');
const BAD = 'x1,x2,label\n0,0,0\n1,1,1\n2,two,0\n';

const trainPoints = (page: import('@playwright/test').Page) => page.locator('[data-testid="decision-boundary"] .train-points circle');

test('a CSV upload becomes the data; a bad one is refused by line and column; links leave it out', async ({ page, problems }) => {
  await page.goto('/');
  await ready(page);
  const upload = page.getByTestId('upload-csv');
  await upload.setInputFiles({ name: 'clusters.csv', mimeType: 'text/csv', buffer: Buffer.from(GOOD) });
  await expect(page.getByTestId('own-data-state')).toContainText('Your data (40 points)');
  await expect(page.getByTestId('own-data-summary')).toContainText('40 points · 2 features (x1, x2) · 2 classes');
  await expect(page.getByTestId('own-data-summary')).toContainText('left → 0, right → 1');
  // The preview draws exactly the file's points.
  await expect(trainPoints(page)).toHaveCount(40);

  // A bad file, dropped on the panel: its line and column named, the uploaded data kept.
  const dropped = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'typo.csv', { type: 'text/csv' }));
    return dt;
  }, BAD);
  await page.getByTestId('own-data').dispatchEvent('drop', { dataTransfer: dropped });
  await expect(page.getByTestId('csv-errors')).toContainText("line 4, column 2 (x2): 'two' is not a number");
  await expect(page.getByTestId('csv-errors')).toContainText('typo.csv was not used (the current data is kept)');
  await expect(page.getByTestId('own-data-state')).toContainText('Your data (40 points)');
  await expect(trainPoints(page)).toHaveCount(40);

  // The share link carries the built-in set and a note, never the points; the page says so.
  await expect(page.getByTestId('own-data-share-note')).toContainText('not in share links');
  const url = await page.getByTestId('share-link').inputValue();
  const payload = JSON.parse(LZString.decompressFromEncodedURIComponent(url.split('#v1.')[1])!);
  expect(payload.c.problem.data).toMatchObject({ kind: 'dataset', name: 'moons' });
  expect(payload.o).toEqual({ n: 40, d: 2, k: 2 });
  expect(JSON.stringify(payload)).not.toContain('explicit');
  // (What opening such a link says: tests/csv-own-data.test.ts, through the decoder the page uses.)

  // Training works on the uploaded points.
  await page.getByRole('button', { name: 'Start' }).click();
  await expect.poll(() => labStep(page), { timeout: 20_000 }).toBeGreaterThan(20);
  expect(Number.isFinite(await runLoss(page))).toBe(true);
  await page.screenshot({ path: '/tmp/pw-results-d/own-data-upload.png', fullPage: false });

  // Export JSON holds the points and marks them; opened back, they are own data again (not in links).
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
  const file = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  expect(file.config.problem.data.X).toHaveLength(40);
  expect(file.ownData).toEqual({ origin: 'upload', name: 'clusters.csv' });
  await page.getByRole('button', { name: 'Back to built-in data' }).click();
  await expect(page.getByTestId('own-data-state')).toHaveCount(0);
  await page.getByTestId('open-json').setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await expect(page.getByTestId('own-data-state')).toContainText('Your data (40 points)');
  await expect(page.getByTestId('own-data-share-note')).toBeVisible();
  expect(problems.errors).toEqual([]);
});

test('points clicked on the plot are added to the data (class picker, shift-click), and undone', async ({ page, problems }) => {
  await page.goto('/');
  await ready(page);
  const fills = () => trainPoints(page).evaluateAll((cs) => cs.map((c) => c.getAttribute('fill')));
  await expect(trainPoints(page).first()).toBeAttached();
  const before = await fills();
  expect(before.length).toBeGreaterThan(0);
  const count = (fs: (string | null)[], color: string) => fs.filter((f) => f === color).length;
  await page.getByRole('button', { name: 'Add points' }).click();
  await page.getByRole('radio', { name: 'class 1' }).click();
  const svg = page.locator('[data-testid="decision-boundary"] svg');
  const box = (await svg.boundingBox())!;
  await svg.click({ position: { x: box.width * 0.5, y: box.height * 0.4 } });
  await svg.click({ position: { x: box.width * 0.3, y: box.height * 0.3 }, modifiers: ['Shift'] });
  await expect(page.getByTestId('own-data-state')).toContainText(`Your data (${before.length + 2} points`);
  await expect(page.getByTestId('own-data-share-note')).toBeVisible();
  // The preview redraws the data with the two points: one of class 1 (orange), one of class 0 (shift-click).
  await expect(trainPoints(page)).toHaveCount(before.length + 2);
  const after = await fills();
  expect(count(after, '#e07b39')).toBe(count(before, '#e07b39') + 1);
  expect(count(after, '#3b78c2')).toBe(count(before, '#3b78c2') + 1);
  await page.screenshot({ path: '/tmp/pw-results-d/own-data-points.png', fullPage: false });
  await page.getByRole('button', { name: 'Undo point' }).click();
  await expect(page.getByTestId('own-data-state')).toContainText(`Your data (${before.length + 1} points`);
  await page.getByRole('button', { name: 'Clear added' }).click();
  await expect(page.getByTestId('own-data-state')).toHaveCount(0);
  await expect(page.getByTestId('own-data-share-note')).toHaveCount(0);
  await expect(page.getByLabel('Dataset', { exact: true })).toHaveValue('moons');
  expect(problems.errors).toEqual([]);
});
