/**
 * Issue 15 point 4: an edit of a run card during a session is offered, next to the fields, as a mid-run
 * change (applied at the current step, kept in the share link), and the "Change mid-run" links stay on
 * every card while the form is edited.
 */
import LZString from 'lz-string';
import { test, expect, ready, playPast } from './fixtures';

test('editing a run card mid-run offers the change next to the field and applies it as a switch', async ({ page, problems }) => {
  await page.goto('/');
  await ready(page);
  await page.getByLabel('Speed').selectOption('30');
  const t = await playPast(page, 5);
  const cards = page.locator('[data-testid^="run-card-"]');
  const n = await cards.count();
  expect(n).toBeGreaterThanOrEqual(3);
  for (let i = 0; i < n; i++) await expect(page.getByTestId(`midrun-${i}`)).toBeVisible();

  // Run 3's start values: lr 0.1, then MM (Lipschitz).
  await page.getByLabel('Run 3 lr', { exact: true }).fill('0.1');
  const offer = page.getByTestId('edit-offer-2');
  await expect(offer).toBeVisible();
  await expect(offer).toContainText(`at step ${t}`);
  await expect(offer).toContainText('lr 0.01→0.1');
  await page.getByLabel('Algorithm for run 3').selectOption('mm-lipschitz');
  await expect(offer).toContainText('Adam → MM (Lipschitz quadratic)');
  // The offer sits next to the fields: inside the card, right under the edited field.
  const card = page.getByTestId('run-card-2');
  await expect(card.getByTestId('edit-offer-2')).toBeVisible();
  const select = (await page.getByLabel('Algorithm for run 3').boundingBox())!;
  const box = (await offer.boundingBox())!;
  expect(box.y).toBeGreaterThan(select.y);
  expect(box.y - (select.y + select.height)).toBeLessThan(260);
  // The mid-run links never disappear while the form is edited.
  for (let i = 0; i < n; i++) await expect(page.getByTestId(`midrun-${i}`)).toBeVisible();

  await offer.getByRole('button', { name: `Apply run 3 edit at step ${t}` }).click();
  await expect(offer).toBeHidden();
  await expect(page.getByTestId('run-row-2')).toHaveAttribute('data-algorithm', 'mm-lipschitz');
  // The card shows the start values again; the switch is listed under it and recorded in the link.
  await expect(page.getByLabel('Algorithm for run 3')).toHaveValue('adam');
  await expect(page.getByLabel('Scheduled switches of run 3')).toContainText(`after step ${t}`);
  await expect(page.getByTestId('position')).not.toContainText('form changed');
  await expect
    .poll(async () => {
      const url = await page.getByTestId('share-link').inputValue();
      const c = JSON.parse(LZString.decompressFromEncodedURIComponent(url.split('#v1.')[1] ?? '') ?? 'null')?.c;
      return c?.runs?.[2]?.switches?.map((s: { at: number; algorithm: string }) => `${s.at}:${s.algorithm}`);
    })
    .toEqual([`${t}:mm-lipschitz`]);

  // The next step of run 3 is an MM step.
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('run-row-2')).toHaveAttribute('data-step', String(t + 1));
  await expect(page.getByTestId('run-row-2')).toHaveAttribute('data-algorithm', 'mm-lipschitz');
  expect(problems.errors).toEqual([]);
});

test('Undo takes a card edit back; other cards keep their mid-run links', async ({ page, problems }) => {
  await page.goto('/');
  await ready(page);
  await page.getByLabel('Speed').selectOption('30');
  await playPast(page, 3);
  await page.getByLabel('Run 1 L0', { exact: true }).fill('5');
  await expect(page.getByTestId('edit-offer-0')).toBeVisible();
  await page.getByTestId('edit-offer-0').getByRole('button', { name: 'Undo edit' }).click();
  await expect(page.getByTestId('edit-offer-0')).toBeHidden();
  await expect(page.getByLabel('Run 1 L0', { exact: true })).toHaveValue('1');
  await expect(page.getByTestId('midrun-1')).toBeVisible();
  expect(problems.errors).toEqual([]);
});
