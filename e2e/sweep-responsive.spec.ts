/**
 * Issue 14: "the main thread stays responsive while a sweep runs". A page sweep (13 points + the MM
 * reference, spread over the sweep workers) runs while a PerformanceObserver ('longtask', buffered)
 * records the main thread's long tasks; nothing else runs on the page (the session is not started), so
 * every long task between the click on "Run sweep" and the sweep's end is the sweep's: its messages,
 * the store updates they cause and the chart redraws.
 *
 * The bound, and why it is not "0 long tasks": the CI machine has 2 cores shared by the browser's main
 * thread, the sweep workers (hardwareConcurrency − 1 = 1 there), the preview server and the runner; on
 * the team's machine load averages of 13–18 were measured while this was written. A busy core stretches
 * any task by its contention, and the browser's own work (style, layout, paint of the progress bar)
 * becomes a "long task" on a starved core however little the page does. So the page measures that
 * contention itself: a fixed chunk of work (4–8 ms on a free core; its fastest time before the sweep is
 * the free-core time) is timed every ~100 ms during the sweep, and the bound is 50 ms × (90th percentile
 * of those times / the free-core time) — exactly 50 ms on a quiet machine. A long task is the sweep's
 * unless it holds one of these chunks (the probe's own). The page's own share is measured too, without
 * noise: the chart's redraws (DOM mutation batches under its svg) are at most one per finished point —
 * progress messages re-render only the bar, at most every 250 ms (SweepPanel.tsx).
 */
import type { Page } from '@playwright/test';
import { expect, hashOf, test } from './fixtures';

// Playwright's trace snapshots the DOM on the page's main thread: it would be measured as the page's.
test.use({ trace: 'off' });

const config = {
  version: 1,
  problem: { kind: 'mlp', data: { kind: 'dataset', name: 'gaussians', n: 128, noise: 0.3, classes: 2 }, hidden: [], loss: 'bce' },
  steps: 1500,
  runs: [{ algorithm: 'sgd', hyper: { lr: 0.1 } }, { algorithm: 'mm-bohning' }],
};

/** Times a fixed chunk of work (4–8 ms on a free core) `count` times, `gap` ms apart; the chunks' intervals are kept in window.__probe. */
const probe = (page: Page, count: number, gap: number, until?: string) =>
  page.evaluate(
    async ([count, gap, until]) => {
      const w = window as unknown as { __probe: [number, number][]; __n?: number };
      w.__probe ??= [];
      const work = (n: number) => {
        let x = 0;
        for (let i = 0; i < n; i++) x += Math.sqrt(x + i);
        return x;
      };
      if (!w.__n) {
        let n = 1000;
        for (let t = 0; t < 24; ) {
          const t0 = performance.now();
          work(n);
          if (performance.now() - t0 < 4) n *= 2;
          else t += 8;
        }
        w.__n = n;
      }
      const runs: number[] = [];
      for (let k = 0; k < count; k++) {
        await new Promise((r) => setTimeout(r, gap));
        if (until && document.querySelector(until)) break;
        const t0 = performance.now();
        work(w.__n);
        const t1 = performance.now();
        runs.push(t1 - t0);
        w.__probe.push([t0, t1]);
      }
      return runs.sort((a, b) => a - b);
    },
    [count, gap, until] as const,
  );

test('a page sweep leaves the main thread free: no long task over 50 ms (× measured contention)', async ({ page, problems }) => {
  test.setTimeout(60_000);
  await page.addInitScript(() => {
    const w = window as unknown as { __long: { start: number; duration: number }[] };
    w.__long = [];
    new PerformanceObserver((l) => l.getEntries().forEach((e) => w.__long.push({ start: e.startTime, duration: e.duration }))).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(`/${hashOf(config, { backend: 'fused' })}`);
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', /\w+/, { timeout: 45_000 });
  const card = page.getByRole('region', { name: 'Sweep a hyper-parameter' });
  // The form, as a person fills it (13 log-spaced lr values from 1e-3 to 1).
  await card.getByLabel('From').fill('0.001');
  await card.getByLabel('To', { exact: true }).fill('1');
  await card.getByLabel('Points (log-spaced)').fill('13');
  await card.scrollIntoViewIfNeeded();
  await page.waitForTimeout(1500); // the page's start-up work (calibration, first views) is not the sweep's
  const free = (await probe(page, 15, 20))[0];
  // Chart redraws: mutation batches under the card's svg.
  await card.evaluate((el) => {
    const w = window as unknown as { __draws: number };
    w.__draws = 0;
    new MutationObserver((records) => {
      if (records.some((r) => (r.target as Element).closest?.('svg'))) w.__draws += 1;
    }).observe(el, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  const since = await page.evaluate(() => performance.now());
  await card.getByTestId('sweep-run').click();
  const progress = card.getByTestId('sweep-progress');
  await expect(progress).toHaveAttribute('data-running', 'true');
  const during = probe(page, 400, 100, '[data-testid="sweep-progress"][data-running="false"]');
  // Wait for the end without polling: Playwright's locator polling runs on the page's main thread and
  // would be measured as the page's own long tasks.
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const el = document.querySelector('[data-testid="sweep-progress"]')!;
        const check = () => el.getAttribute('data-running') === 'false' && (resolve(), true);
        if (check()) return;
        const mo = new MutationObserver(() => check() && mo.disconnect());
        mo.observe(el, { attributes: true, attributeFilter: ['data-running'] });
        setTimeout(() => reject(new Error('the sweep did not end within 40 s')), 40_000);
      }),
  );
  const until = await page.evaluate(() => performance.now());
  const draws = await page.evaluate(() => (window as unknown as { __draws: number }).__draws);
  const chunks = await during;
  await expect(progress).toHaveAttribute('data-done', '14');
  await expect(card.getByTestId('sweep-point')).toHaveCount(13);
  const { long, probes } = await page.evaluate(([a, b]) => {
    const w = window as unknown as { __long: { start: number; duration: number }[]; __probe: [number, number][] };
    return { long: w.__long.filter((t) => t.start >= a && t.start <= b), probes: w.__probe };
  }, [since, until]);
  const own = long.filter((t) => !probes.some(([p0, p1]) => p0 >= t.start && p1 <= t.start + t.duration));
  const p90 = chunks[Math.floor(0.9 * (chunks.length - 1))] ?? free;
  const f = Math.max(1, p90 / free);
  const durations = own.map((t) => Math.round(t.duration));
  console.log(`sweep ${Math.round(until - since)} ms, long tasks ${JSON.stringify(durations)} (all ${long.length}), chart redraws ${draws}, contention ${f.toFixed(2)} (free ${free.toFixed(1)} ms, p90 ${p90.toFixed(1)} ms of ${chunks.length})`);
  expect(draws, 'the chart redraws when a point finishes (14 points), not per progress message').toBeLessThanOrEqual(14 + 2);
  expect(durations.filter((d) => d > 50 * f), `long tasks during the sweep (limit ${Math.round(50 * f)} ms)`).toEqual([]);
  expect(problems.errors).toEqual([]);
});
