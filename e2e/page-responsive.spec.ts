/**
 * Issue 15 point 13: interactions stay responsive. PerformanceObserver records main-thread long tasks
 * (`longtask`) and event timings (`event`: input delay + handlers + next paint, i.e. INP's entries)
 * while the page is driven: Start / Pause / Step / Reset, algorithm switches during a run, dataset
 * changes, and opening a heavy in-limit link (20,000 explicit points), then Start on it (there every task until the
 * run's views are drawn counts, bound 200 ms, and the 20,000 points are not drawn again). Targets: no task over 100 ms
 * caused by an interaction, every interaction painted within 200 ms.
 *
 * The margin, and why: the CI machine has 2 cores shared by the browser, the training worker, the
 * preview server and the runner (and, on the team's machine, other test runs: load averages of 15–25
 * were measured while this was written). A busy core stretches every task by its contention, not by
 * anything the page does. So the page measures that contention itself, throughout the scenario: a
 * fixed piece of work (4–8 ms on a free core) timed every 250 ms; median / fastest is how much longer
 * work takes during the scenario than on a free core (1 on a quiet machine). Both limits are multiplied
 * by that factor (≥ 1): on a quiet machine they are exactly 100 ms and 200 ms. A task counts as caused
 * by an interaction when it is the task that ran the interaction's handlers (it contains the event's
 * processingStart); the training's own frames running while a click waits for its paint are in the
 * event's duration, not in the tasks.
 */
import type { Page } from '@playwright/test';
import { test, expect, ready, hashOf } from './fixtures';

interface Perf {
  long: { start: number; duration: number }[];
  /** `processing`: the handlers' own time (processingEnd − processingStart), React's re-render included. */
  events: { name: string; start: number; duration: number; processingStart: number; processing: number }[];
}

async function observe(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __perf: Perf };
    w.__perf = { long: [], events: [] };
    new PerformanceObserver((l) => l.getEntries().forEach((e) => w.__perf.long.push({ start: e.startTime, duration: e.duration }))).observe({ type: 'longtask', buffered: true });
    new PerformanceObserver((l) =>
      l.getEntries().forEach((e) => {
        const t = e as PerformanceEventTiming;
        w.__perf.events.push({ name: e.name, start: e.startTime, duration: e.duration, processingStart: t.processingStart, processing: t.processingEnd - t.processingStart });
      }),
    ).observe({ type: 'event', buffered: true, durationThreshold: 16 } as PerformanceObserverInit);
  });
}

// Playwright's trace snapshots the DOM on the page's own main thread at every action (hundreds of ms
// under load): it would be measured as the page's own long tasks.
test.use({ trace: 'off' });

const perf = (page: Page) => page.evaluate(() => (window as unknown as { __perf: Perf }).__perf);
const now = (page: Page) => page.evaluate(() => performance.now());

/**
 * How much longer work takes on the page's main thread than on a free core (≥ 1; see the header):
 * `startContention` sizes a fixed piece of work (4–8 ms on the fastest try) and times it every 250 ms
 * while the scenario runs; `stopContention` returns median / fastest of those timings.
 */
const startContention = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { __cont: { runs: number[]; id: number } };
    const work = (n: number) => {
      let x = 0;
      for (let i = 0; i < n; i++) x += Math.sqrt(x + i);
      return x;
    };
    let n = 1000;
    for (let tries = 0; tries < 3; ) {
      const t0 = performance.now();
      work(n);
      if (performance.now() - t0 < 4) n *= 2;
      else tries++;
    }
    const runs: number[] = [];
    const id = window.setInterval(() => {
      const t0 = performance.now();
      work(n);
      runs.push(performance.now() - t0);
    }, 250);
    w.__cont = { runs, id };
  });
const stopContention = (page: Page) =>
  page.evaluate(() => {
    const { runs, id } = (window as unknown as { __cont: { runs: number[]; id: number } }).__cont;
    clearInterval(id);
    const r = [...runs].sort((a, b) => a - b);
    return r.length < 5 ? 1 : Math.max(1, r[Math.floor(r.length / 2)] / Math.max(0.5, r[0]));
  });

/**
 * From `since` on: the long tasks that ran an interaction's handlers (a task containing an event's
 * processingStart), each interaction event's duration (to its next paint) and its handlers' time.
 */
async function report(page: Page, since: number) {
  const p = await perf(page);
  const inputs = p.events.filter((e) => e.start >= since && /^(click|pointerdown|pointerup|keydown|keyup|input|beforeinput|change)$/.test(e.name));
  const caused = p.long.filter((t) => t.start >= since && inputs.some((e) => e.processingStart >= t.start && e.processingStart <= t.start + t.duration));
  return {
    long: caused.map((e) => Math.round(e.duration)),
    events: inputs.map((e) => `${e.name}:${Math.round(e.duration)}`),
    processing: inputs.map((e) => `${e.name}:${Math.round(e.processing)}`),
  };
}

/** The targets, stretched by the measured contention `f`. */
function expectResponsive(r: Awaited<ReturnType<typeof report>>, f: number): void {
  const ms = (e: string) => Number(e.split(':').pop());
  expect(r.long.filter((d) => d > 100 * f), `long tasks caused by an interaction (limit ${Math.round(100 * f)} ms)`).toEqual([]);
  expect(r.processing.filter((e) => ms(e) > 100 * f), `handlers' time (limit ${Math.round(100 * f)} ms)`).toEqual([]);
  expect(r.events.filter((e) => ms(e) >= 200 * f), `interaction to next paint (limit ${Math.round(200 * f)} ms)`).toEqual([]);
}

test('clicks, switches and dataset changes: no long task over 100 ms, every interaction paints within 200 ms', async ({ page, problems }) => {
  test.setTimeout(120_000);
  await observe(page);
  await page.goto('/');
  await ready(page);
  await page.waitForTimeout(1500); // the start-up work (calibration, first views) is not an interaction
  await startContention(page);
  const since = await now(page);
  await page.getByLabel('Speed').selectOption('30');
  await page.getByLabel('Steps', { exact: true }).fill('3000');
  await page.getByRole('button', { name: 'Start' }).click();
  await page.waitForTimeout(600);
  await page.getByRole('button', { name: 'Pause' }).click();
  for (let i = 0; i < 3; i++) {
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await page.waitForTimeout(150);
  }
  await page.getByRole('button', { name: 'Resume' }).click();
  // Switches during the run: the mid-run editor of run 3, and the card's own algorithm field.
  await page.getByTestId('midrun-2').locator('summary').click();
  for (const alg of ['mm-lipschitz', 'sgd', 'adam', 'mm-gauss-newton', 'rmsprop']) {
    await page.getByLabel('Switch run 3 to').selectOption(alg);
    await page.getByRole('button', { name: /Switch run 3 now|Apply run 3 hyper-parameters now/ }).click();
    await page.waitForTimeout(120);
  }
  await page.getByLabel('Algorithm for run 3').selectOption('sgd');
  await page.getByLabel('Algorithm for run 3').selectOption('adam');
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('button', { name: 'Reset' }).click();
  for (const name of ['circles', 'spiral', 'moons']) {
    await page.getByLabel('Dataset', { exact: true }).selectOption(name);
    await page.waitForTimeout(500);
  }
  await page.waitForTimeout(800);
  const r = await report(page, since);
  const f = await stopContention(page);
  console.log('interactions', JSON.stringify(r), 'contention', f.toFixed(2));
  expectResponsive(r, f);
  expect(problems.errors).toEqual([]);
});

test('opening a heavy in-limit link (20,000 explicit points), editing it and pressing Start: no long task over 100 ms', async ({ page, problems }) => {
  test.setTimeout(120_000);
  const n = 20_000;
  // In-limit: a pattern that compresses (the link's length cap is on the compressed text).
  const X = Array.from({ length: n }, (_, i) => [(i % 2) * 2 - 1, ((i >> 1) % 2) * 2 - 1]);
  const y = X.map(([a, b]) => (a * b > 0 ? 1 : 0));
  const heavy = { version: 1, problem: { kind: 'mlp', hidden: [4], data: { kind: 'explicit', X, y } }, steps: 20, runs: [{ algorithm: 'adam', hyper: { lr: 0.05 } }] };
  const hash = hashOf(heavy);
  expect(hash.length).toBeLessThan(12_000);
  await observe(page);
  await page.goto('/');
  await ready(page);
  await page.waitForTimeout(1500);
  await startContention(page);
  const since = await now(page);
  // The link opens in the running page (hashchange), as when a link is pasted into the address bar.
  await page.evaluate((h) => (location.hash = h), hash);
  await expect(page.getByText('Explicit data from the link (20000 points).')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('run-row-0')).toHaveAttribute('data-step', '0', { timeout: 30_000 });
  await page.waitForTimeout(1000);
  // Form edits on the heavy experiment.
  await page.getByLabel('Run 1 lr', { exact: true }).fill('0.02');
  await page.getByLabel('Steps', { exact: true }).fill('30');
  await page.waitForTimeout(1000);
  // Start on the edited heavy link: a new session on the same 20,000 points. Every task from the click
  // until the run has finished and its views are drawn counts here, not only the click's own: the
  // session's start-up on the page (store updates, re-renders, the first views and charts, the share
  // link's check) follows the click in later tasks.
  // The decision boundary's points layer (20,000 points, 4,000 circles drawn) is marked: a new session
  // on the same points must keep it, not build it again.
  await page.getByTestId('decision-boundary').locator('g.static-layer').evaluate((g) => ((g as unknown as { __mark: number }).__mark = 1));
  const started = await now(page);
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('position')).toHaveAttribute('data-step', '30', { timeout: 60_000 });
  await expect(page.getByTestId('model-step')).toHaveAttribute('data-step', '30', { timeout: 30_000 });
  await page.waitForTimeout(800);
  const r = await report(page, since);
  const afterStart = (await perf(page)).long.filter((t) => t.start >= started).map((t) => Math.round(t.duration));
  const f = await stopContention(page);
  console.log('heavy link', JSON.stringify(r), 'tasks after Start', JSON.stringify(afterStart), 'contention', f.toFixed(2));
  expectResponsive(r, f);
  expect(await page.getByTestId('decision-boundary').locator('g.static-layer').evaluate((g) => (g as unknown as { __mark?: number }).__mark)).toBe(1);
  // Not one task of the start-up (the click's own and those after it) over the interaction budget.
  expect(afterStart.filter((d) => d > 200 * f), `tasks from Start to the finished run's views (limit ${Math.round(200 * f)} ms)`).toEqual([]);
  expect(problems.errors).toEqual([]);
});
