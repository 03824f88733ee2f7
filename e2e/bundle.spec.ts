/**
 * Issue 11's budget: the JavaScript the page loads before the app's first render — the boot script,
 * the app's chunk and everything they import on the way, as the browser fetched them — stays under
 * 700 kB. tfjs, KaTeX, the panels below the loss chart (a lazy chunk) and the training worker are not
 * part of it: they load later, or in the worker. The page reads algorithm specs (spec-registry.ts), never
 * their step code: strings only the implementations hold are in the worker's chunk, not in the page's.
 */
import { test, expect } from '@playwright/test';

/** Strings that only algorithm implementations hold (their step code's errors and model formulas). */
const STEP_CODE = [
  'need an NMF problem', // nmf-updates.ts nmfOpsOf
  'L backtracked until', // mm-lipschitz.ts model formula
  'momentum-free Adam step', // adam.ts model formula
  'momentum-free RMSprop step', // rmsprop.ts model formula
];
/** A string of an algorithm's spec (adam-spec.ts's summary): the page has the specs. */
const SPEC = 'bias-corrected running means of the gradient';

test('the page loads under 700 kB of JavaScript before the app first renders, no tfjs and no algorithm step code', async ({ page, request }) => {
  // The scripts the page fetched, taken when React first puts the header on screen.
  await page.addInitScript(() => {
    const w = window as unknown as { __scriptsAtRender?: { name: string; size: number }[] };
    const take = (): boolean => {
      if (w.__scriptsAtRender || !document.querySelector('header.topbar h1')) return false;
      w.__scriptsAtRender = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((e) => e.initiatorType === 'script' || e.initiatorType === 'link' || /\.js(\?|$)/.test(e.name))
        .filter((e) => /\.js(\?|$)/.test(e.name))
        .map((e) => ({ name: e.name, size: e.decodedBodySize }));
      return true;
    };
    const mo = new MutationObserver(() => take() && mo.disconnect());
    mo.observe(document, { childList: true, subtree: true });
  });
  await page.goto('/');
  await expect(page.locator('header.topbar h1')).toHaveText('MM Lab');
  const fetched = await page.evaluate(() => (window as unknown as { __scriptsAtRender: { name: string; size: number }[] }).__scriptsAtRender);
  // The training worker's chunk shows in the page's timeline (the browser fetches it for the page) but
  // runs in the worker's thread: it is started first, on purpose (src/worker/early.ts), and not counted.
  expect(fetched.some((s) => /\/assets\/worker-[^/]+\.js$/.test(new URL(s.name).pathname))).toBe(true);
  const scripts = fetched.filter((s) => !/\/assets\/worker-[^/]+\.js$/.test(new URL(s.name).pathname));
  const names = scripts.map((s) => new URL(s.name).pathname);
  // The boot script and the app's chunk at least; nothing lazy.
  expect(names.some((n) => /\/assets\/index-[^/]+\.js$/.test(n))).toBe(true);
  expect(names.some((n) => /\/assets\/main-[^/]+\.js$/.test(n))).toBe(true);
  expect(names.filter((n) => /tfjs|katex|SecondaryCharts/.test(n))).toEqual([]);
  let total = 0;
  let pageHasSpecs = false;
  for (const s of scripts) {
    const body = await (await request.get(s.name)).body();
    expect(s.size === 0 || s.size === body.length, `${s.name}: ${s.size} B decoded vs ${body.length} B served`).toBe(true);
    total += body.length;
    // tfjs-core's platform check (its "Hi, looks like you are running TensorFlow.js in Node.js" notice)
    // ships with every tfjs build: none of it in the page's own code.
    expect(body.includes('looks like you are running TensorFlow.js'), `${s.name} carries tfjs`).toBe(false);
    const text = body.toString('utf8');
    expect(STEP_CODE.filter((m) => text.includes(m)), `${s.name} carries algorithm step code`).toEqual([]);
    pageHasSpecs ||= text.includes(SPEC);
  }
  expect(pageHasSpecs).toBe(true);
  // The markers are real: the worker, which runs the algorithms, carries every one of them.
  const worker = fetched.find((s) => /\/assets\/worker-[^/]+\.js$/.test(new URL(s.name).pathname))!;
  const workerText = (await (await request.get(worker.name)).body()).toString('utf8');
  expect(STEP_CODE.filter((m) => !workerText.includes(m))).toEqual([]);
  console.log(`page JS before the first render: ${(total / 1000).toFixed(0)} kB in ${scripts.length} file(s): ${names.join(', ')}`);
  expect(total).toBeLessThan(700_000);
});
