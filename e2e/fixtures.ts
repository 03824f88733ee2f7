/**
 * Shared fixture: every page records console errors, page errors and CSP violations; tests assert
 * none happened (the favicon 404 is ignored).
 */
import { test as base, expect, type Page } from '@playwright/test';
import LZString from 'lz-string';

export interface Problems {
  errors: string[];
}

export async function watch(page: Page): Promise<Problems> {
  const p: Problems = { errors: [] };
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    if (/favicon/i.test(text)) return;
    p.errors.push(`console: ${text}`);
  });
  page.on('pageerror', (e) => p.errors.push(`pageerror: ${e.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return p;
}

export const test = base.extend<{ problems: Problems }>({
  problems: async ({ page }, use) => {
    await use(await watch(page));
  },
});
export { expect };

/** Waits until the worker reported its backend and the session is prepared (step 0). */
export async function ready(page: Page): Promise<void> {
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', /\w+/, { timeout: 45_000 });
  await expect(page.getByTestId('run-row-0')).toBeVisible({ timeout: 45_000 });
}

export async function runStep(page: Page, run = 0): Promise<number> {
  return Number(await page.getByTestId(`run-row-${run}`).getAttribute('data-step'));
}

export async function runLoss(page: Page, run = 0): Promise<number> {
  return Number(await page.getByTestId(`run-row-${run}`).getAttribute('data-loss'));
}

/** A share-link hash (`#v1.…`) for a config and, optionally, the view (backend, speed, …). */
export function hashOf(c: unknown, v?: Record<string, unknown>): string {
  return `#v1.${LZString.compressToEncodedURIComponent(JSON.stringify(v ? { c, v } : { c }))}`;
}

/** The lab's global step counter (data-step of the position readout). */
export async function labStep(page: Page): Promise<number> {
  return Number(await page.getByTestId('position').getAttribute('data-step'));
}

/**
 * Presses Start/Resume, waits until the lab has taken more than `n` steps, pauses (unless the run
 * finished first), lets the last progress batch land, and returns the step it stopped at.
 */
export async function playPast(page: Page, n: number, timeout = 60_000): Promise<number> {
  await page.getByRole('button', { name: /^(Start|Resume)$/ }).click();
  await expect.poll(() => labStep(page), { timeout }).toBeGreaterThan(n);
  // A short run may reach its last step between the poll and the click: then there is nothing to pause
  // (the Pause button has become Run again), which is not a failure.
  const playing = async (): Promise<boolean> => (await page.getByTestId('position').getAttribute('data-playing')) === 'true';
  if (await playing()) {
    try {
      await page.getByRole('button', { name: 'Pause' }).click({ timeout: 10_000 });
    } catch (e) {
      if (await playing()) throw e;
    }
  }
  await expect(page.getByTestId('position')).toHaveAttribute('data-playing', 'false');
  await page.waitForTimeout(300);
  return labStep(page);
}
