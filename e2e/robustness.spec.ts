/**
 * Robustness (issue "Robustness"): every test here fails when the protection it covers is removed.
 *
 *  1. CSP        — the page runs and trains under its Content-Security-Policy with no violation and no
 *                  console error, and the policy is really in force (eval and inline script are refused).
 *  2. Hostile links — garbage / truncated / wrong-version / hostile-but-well-formed share links give a
 *                  visible message naming the field, the default experiment loads, nothing is injected.
 *  3. Divergence — a run with a huge SGD step is marked diverged (table + chart marker), the other run
 *                  keeps training.
 *  4. Worker crash — the worker is killed (protocol `crash`): it is restarted, the user is told, the
 *                  curves continue without a gap, export still works.
 *  5. Backend faults — forced WebGPU and WebGL init failures and a lost device: the lab says it fell
 *                  back, the badge names the new backend, training continues.
 *  6. Long run   — 10⁴ steps: bounded page-memory growth (JS heap + typed arrays + DOM) and bounded
 *                  chart buffers.
 *
 * Test hooks (window.__mmlab, src/ui/testHooks.ts) exist only on pages opened with `?testhooks=1`.
 */
import { test, expect, type Page } from '@playwright/test';
import LZString from 'lz-string';
import { hashOf } from './fixtures';

// ───────────────────────────────────────────── helpers ─────────────────────────────────────────────

type Json = Record<string, unknown>;

const hashOfText = (json: string): string => `#v1.${LZString.compressToEncodedURIComponent(json)}`;

interface Watched {
  errors: string[];
}

/** Records console errors and uncaught page errors (the favicon 404, if any, is ignored). */
function watch(page: Page): Watched {
  const w: Watched = { errors: [] };
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    if (/favicon/i.test(text)) return;
    w.errors.push(`console: ${text}`);
  });
  page.on('pageerror', (e) => w.errors.push(`pageerror: ${e.message}`));
  return w;
}

async function ready(page: Page): Promise<void> {
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', /\w+/, { timeout: 45_000 });
  await expect(page.getByTestId('run-row-0')).toBeVisible({ timeout: 45_000 });
}

async function stepOf(page: Page, run = 0): Promise<number> {
  return Number((await page.getByTestId(`run-row-${run}`).getAttribute('data-step')) ?? NaN);
}

/** Waits until run `run` has taken more than `n` steps. */
async function stepAbove(page: Page, n: number, run = 0, timeout = 30_000): Promise<number> {
  await expect.poll(() => stepOf(page, run), { timeout }).toBeGreaterThan(n);
  return stepOf(page, run);
}

async function start(page: Page): Promise<void> {
  await expect(page.getByTestId('play')).toBeEnabled();
  await page.getByTestId('play').click();
  await expect(page.getByTestId('position')).toHaveAttribute('data-playing', 'true');
}

/** Types of the hooks in src/ui/testHooks.ts, for page.evaluate. */
interface Hooks {
  crashWorker(): void;
  loseBackend(): void;
  failBackendsOnNextStart(list: string[]): void;
  bufferSizes(): {
    runs: { label: string; length: number; capacity: number; appended: number; compactions: number }[];
    drawn: number;
    chartWidth: number;
  };
  state(): { t: number; playing: boolean; backend: string | null; runs: { t: number; status: string; divergedAt: number | null }[] };
}
declare global {
  interface Window {
    __mmlab?: Hooks;
    __pwned?: unknown;
    __csp?: { directive: string; blocked: string; sample: string; source: string }[];
  }
}

/** A fast 2-run experiment on the cpu backend (no calibration: the tests start at once). */
const moons = (steps = 100_000): Json => ({
  version: 1,
  problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 128, noise: 0.1 }, hidden: [8, 8], activation: 'tanh', loss: 'bce' },
  runs: [
    { id: 'adam', algorithm: 'adam', hyper: { lr: 0.01 } },
    { id: 'sgd', algorithm: 'sgd', hyper: { lr: 0.1 } },
  ],
  steps,
});

// ───────────────────────────────────────────── 1. CSP ──────────────────────────────────────────────

test('CSP: the lab trains with no policy violation and no console error, and the policy is enforced', async ({ page }) => {
  const w = watch(page);
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp!.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample, source: `${e.sourceFile}:${e.lineNumber}:${e.columnNumber}` });
    });
  });
  await page.goto(`/${hashOf(moons(), { backend: 'cpu' })}`);
  await ready(page);
  await start(page);
  await stepAbove(page, 50);
  await page.waitForTimeout(1000); // surrogate and model views are requested and drawn meanwhile
  expect(await page.evaluate(() => window.__csp)).toEqual([]);
  expect(w.errors).toEqual([]);

  // The policy is really in force. Code that page.evaluate runs is exempt from CSP eval checks (it comes
  // from DevTools), so the eval probe is a same-origin script (allowed by script-src 'self') served by
  // a route; the inline probes are a <script> element and an inline event handler.
  await page.route('**/__csp-probe.js', (r) =>
    r.fulfill({
      contentType: 'text/javascript',
      body: `window.__probe = {};
        try { eval('1 + 1'); window.__probe.eval = 'ran'; } catch (e) { window.__probe.eval = e.name; }
        try { new Function('return 1')(); window.__probe.fn = 'ran'; } catch (e) { window.__probe.fn = e.name; }
        try { setTimeout('window.__probe.timer = "ran"', 0); } catch (e) { window.__probe.timer = e.name; }`,
    }),
  );
  const probe = await page.evaluate(async () => {
    const w = window as unknown as { __probe?: Record<string, string>; __inlineRan?: unknown; __attrRan?: unknown };
    const ext = document.createElement('script');
    ext.src = './__csp-probe.js';
    const loaded = new Promise((r) => ext.addEventListener('load', r));
    document.body.appendChild(ext);
    await loaded;
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = 1';
    document.body.appendChild(s);
    const b = document.createElement('button');
    b.setAttribute('onclick', 'window.__attrRan = 1');
    document.body.appendChild(b);
    b.click();
    await new Promise((r) => setTimeout(r, 300));
    [ext, s, b].forEach((e) => e.remove());
    return { ...w.__probe, inline: w.__inlineRan === undefined ? 'blocked' : 'ran', attr: w.__attrRan === undefined ? 'blocked' : 'ran', directives: window.__csp!.map((v) => v.directive) };
  });
  expect(probe, 'eval, new Function, string timers, inline scripts and handlers are all refused').toMatchObject({
    eval: 'EvalError',
    fn: 'EvalError',
    inline: 'blocked',
    attr: 'blocked',
  });
  expect(probe).not.toHaveProperty('timer', 'ran');
  // …and each refusal was reported through the listener the first half relies on.
  expect(probe.directives.filter((d) => d === 'script-src').length).toBeGreaterThanOrEqual(2);
  expect(probe.directives).toContain('script-src-elem');
  expect(probe.directives).toContain('script-src-attr');
});

// ───────────────────────────────────────────── 2. hostile links ─────────────────────────────────────

const XSS_IMG = '<img src=x onerror="window.__pwned=1">';
const XSS_SCRIPT = '<script>window.__pwned=1</script>';

const HOSTILE: { name: string; hash: string; expect: RegExp }[] = [
  { name: 'garbage', hash: '#v1.%%%~~not-lz-string~~', expect: /damaged|could not be decompressed/i },
  { name: 'not a share link', hash: '#<img src=x onerror=window.__pwned=1>', expect: /not an MM Lab experiment/i },
  { name: 'truncated', hash: hashOf(moons()).slice(0, 40), expect: /damaged|cut off/i },
  { name: 'wrong version', hash: `#v9.${hashOf(moons()).slice(4)}`, expect: /format v9.*reads v1/i },
  { name: 'too long', hash: `#v1.${'A'.repeat(20_000)}`, expect: /too long/i },
  { name: 'not JSON', hash: hashOfText('{"c": {oops'), expect: /not valid JSON/i },
  {
    name: 'HTML in a run id',
    hash: hashOf({ ...moons(), runs: [{ id: XSS_IMG, algorithm: 'adam' }] }),
    expect: /runs\[0\]\.id/,
  },
  {
    name: 'script in a run id',
    hash: hashOf({ ...moons(), runs: [{ id: 'ok', algorithm: 'adam' }, { id: XSS_SCRIPT, algorithm: 'sgd' }] }),
    expect: /runs\[1\]\.id/,
  },
  {
    name: 'script in the dataset name',
    hash: hashOf({ ...moons(), problem: { kind: 'mlp', data: { kind: 'dataset', name: XSS_SCRIPT } } }),
    expect: /problem\.data\.name/,
  },
  {
    name: 'HTML as the algorithm',
    hash: hashOf({ ...moons(), runs: [{ algorithm: XSS_IMG }] }),
    expect: /runs\[0\]\.algorithm/,
  },
  {
    name: '__proto__ key',
    hash: hashOfText(`{"c":{"version":1,"problem":{"kind":"mlp"},"runs":[{"algorithm":"adam"}],"__proto__":{"polluted":"${XSS_IMG.replace(/"/g, '\\"')}"}}}`),
    expect: /__proto__/,
  },
  {
    name: 'giant numbers',
    hash: hashOfText('{"c":{"version":1,"problem":{"kind":"mlp","data":{"kind":"dataset","name":"moons","n":1e308},"hidden":[1e300]},"runs":[{"algorithm":"adam"}],"steps":1e999}}'),
    expect: /problem\.data\.n:.*steps:|steps:.*problem\.data\.n:/s,
  },
];

test('hostile links: a clear message naming the field, defaults load, nothing is injected', async ({ page }) => {
  test.setTimeout(180_000);
  const w = watch(page);
  // The default experiment, as a plain visit shows it.
  const runsShown = () => page.locator('[data-testid^="run-row-"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-algorithm')));
  await page.goto('/?case=defaults');
  await ready(page);
  const defaults = await runsShown();
  expect(defaults.length).toBeGreaterThan(0);
  let i = 0;
  for (const h of HOSTILE) {
    await test.step(h.name, async () => {
      // A distinct query per case forces a full load (a hash-only change is a same-document navigation).
      await page.goto(`/?case=${i++}${h.hash}`);
      const notice = page.getByTestId('link-notice');
      await expect(notice, `${h.name}: a visible message`).toBeVisible();
      await expect(notice).toContainText(/could not be opened/i);
      await expect(notice).toContainText(h.expect);
      // The defaults loaded: the page is not blank, a session is prepared with the default runs.
      await ready(page);
      expect(await runsShown()).toEqual(defaults);
      await expect(page.locator('h1')).toHaveText('MM Lab');
      const rootText = (await page.locator('#root').innerText()).length;
      expect(rootText, 'the page is not blank').toBeGreaterThan(200);
      // Nothing injected: no element from the payload, the onerror flag unset, no prototype pollution.
      const dom = await page.evaluate(() => ({
        imgs: document.querySelectorAll('img').length,
        scripts: [...document.querySelectorAll('script')].filter((s) => !s.src).length,
        pwned: window.__pwned,
        polluted: (({}) as Record<string, unknown>).polluted,
        onerrorAttrs: document.querySelectorAll('[onerror]').length,
      }));
      expect(dom).toEqual({ imgs: 0, scripts: 0, pwned: undefined, polluted: undefined, onerrorAttrs: 0 });
    });
  }
  // The hostile strings, where echoed, are shown as text.
  await page.goto(`/?case=echo${hashOf({ ...moons(), runs: [{ algorithm: XSS_IMG }] })}`);
  await expect(page.getByTestId('link-notice')).toContainText(XSS_IMG.slice(0, 30));
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => [window.__pwned, document.querySelectorAll('img').length])).toEqual([undefined, 0]);
  expect(w.errors).toEqual([]);
});

// ───────────────────────────────────────────── 3. divergence ───────────────────────────────────────

test('divergence: the diverged run is marked at its step, the other run keeps training', async ({ page }) => {
  const w = watch(page);
  const config = {
    version: 1,
    problem: { kind: 'mlp', data: { kind: 'dataset', name: 'sine', n: 64 }, hidden: [8], activation: 'tanh', loss: 'mse' },
    runs: [
      { id: 'huge lr', algorithm: 'sgd', hyper: { lr: 100 } },
      { id: 'sane', algorithm: 'adam', hyper: { lr: 0.01 } },
    ],
    steps: 100_000,
  };
  await page.goto(`/${hashOf(config, { backend: 'cpu', speed: 100 })}`);
  await ready(page);
  await start(page);
  const row0 = page.getByTestId('run-row-0');
  await expect(row0).toHaveAttribute('data-status', 'diverged');
  await expect(row0).toContainText(/diverged at \d+/);
  const k = Number((/diverged at (\d+)/.exec(await row0.innerText()) ?? [])[1]);
  expect(k).toBeGreaterThan(0);
  expect(k).toBeLessThan(50);
  // The chart marks it at the same step.
  await expect(page.locator('[data-testid="loss-chart"] .divergence-marker')).toHaveAttribute('data-step', String(k));
  // The diverged run stopped at k; the sane one keeps stepping.
  const s1 = await stepAbove(page, k + 20, 1);
  await expect.poll(() => stepOf(page, 1), { timeout: 20_000 }).toBeGreaterThan(s1 + 50);
  await expect(page.getByTestId('run-row-1')).toHaveAttribute('data-status', 'running');
  expect(await stepOf(page, 0)).toBeLessThanOrEqual(k);
  expect(Number(await page.getByTestId('run-row-1').getAttribute('data-loss'))).toBeLessThan(1);
  expect(w.errors).toEqual([]);
});

// ───────────────────────────────────────────── 4. worker crash ─────────────────────────────────────

test('worker crash: restarted, the user is told, curves continue, export works', async ({ page }) => {
  const w = watch(page);
  await page.goto(`/?testhooks=1${hashOf(moons(), { backend: 'cpu', speed: 100 })}`);
  await ready(page);
  await start(page);
  await stepAbove(page, 60);
  await page.evaluate(() => window.__mmlab!.crashWorker());
  const notice = page.getByTestId('worker-notice');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText(/restarted/i);
  await expect(notice).toContainText(/resumed at step \d+/);
  const resumedAt = Number((/resumed at step (\d+)/.exec(await notice.innerText()) ?? [])[1]);
  expect(resumedAt).toBeGreaterThan(60);
  // The curves continue past the crash on both runs, still playing.
  await stepAbove(page, resumedAt + 60, 0);
  await stepAbove(page, resumedAt + 60, 1);
  await expect(page.getByTestId('position')).toHaveAttribute('data-playing', 'true');

  // Export: the CSV holds every step from 0, once, across the crash.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const csv = await (await import('node:fs/promises')).readFile((await dl.path())!, 'utf8');
  const rows = csv.trim().split('\n').slice(1).map((l) => l.split(','));
  // The CSV's run column is 1-based, like the run labels.
  for (const run of ['1', '2']) {
    const steps = rows.filter((r) => r[0] === run).map((r) => Number(r[3]));
    expect(steps[0]).toBe(0);
    expect(steps.at(-1)!).toBeGreaterThan(resumedAt + 60);
    steps.forEach((s, j) => expect(s, `run ${run}: step ${j} of the export`).toBe(j));
  }
  const [dj] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
  const json = JSON.parse(await (await import('node:fs/promises')).readFile((await dj.path())!, 'utf8'));
  expect(JSON.stringify(json)).toContain('"adam"');
  expect(w.errors).toEqual([]);
});

// ───────────────────────────────────────────── 5. backend faults ───────────────────────────────────

test('backend faults: WebGPU and WebGL init failures and a lost device fall back, visibly, and training continues', async ({ page }) => {
  const w = watch(page);
  const config = moons();
  await page.goto(`/?testhooks=1${hashOf(config, { backend: 'cpu' })}`);
  await ready(page);
  const badge = page.getByTestId('backend-badge');
  await expect(badge).toHaveAttribute('data-backend', 'cpu');

  // WebGPU and WebGL fail to initialise: the next start (opening a link that forces WebGPU) falls back to WASM.
  await page.evaluate(() => window.__mmlab!.failBackendsOnNextStart(['webgpu', 'webgl']));
  await page.evaluate((h) => (location.hash = h), hashOf(config, { backend: 'webgpu', speed: 100 }));
  await expect(badge).toHaveAttribute('data-backend', 'wasm');
  await expect(badge).toContainText(/WASM/);
  await expect(badge).toContainText(/fallback/);
  const notice = page.getByTestId('backend-notice');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText(/WebGPU failed to initialise/);
  await expect(notice).toContainText(/WebGL failed to initialise/);
  await expect(notice).toContainText(/falling back to WASM/);
  await start(page);
  const s0 = await stepAbove(page, 40);

  // The device is lost mid-run: WASM → CPU at the same step, and training goes on.
  await page.evaluate(() => window.__mmlab!.loseBackend());
  await expect(badge).toHaveAttribute('data-backend', 'cpu');
  await expect(badge).toContainText(/CPU/);
  await expect(notice).toContainText(/wasm → cpu/i);
  await expect(notice).toContainText(/lost/);
  const s1 = await stepAbove(page, s0 + 10);
  await stepAbove(page, s1 + 60);
  await expect(page.getByTestId('position')).toHaveAttribute('data-playing', 'true');
  expect(w.errors).toEqual([]);
});

// ───────────────────────────────────────────── 6. long run ─────────────────────────────────────────

test('long run: 10⁴ steps with bounded JS heap and bounded chart buffers', async ({ page }) => {
  test.setTimeout(180_000);
  const w = watch(page);
  const STEPS = 10_000;
  // Logistic regression on 64 points: ~10⁴ steps in seconds on the cpu backend.
  const config = {
    version: 1,
    problem: { kind: 'mlp', data: { kind: 'dataset', name: 'gaussians', classes: 2, n: 64, noise: 0.4 }, hidden: [], loss: 'bce' },
    runs: [
      { id: 'sgd', algorithm: 'sgd', hyper: { lr: 0.5 } },
      { id: 'adam', algorithm: 'adam', hyper: { lr: 0.01 } },
    ],
    steps: STEPS,
  };
  await page.goto(`/?testhooks=1${hashOf(config, { backend: 'cpu' })}`);
  await ready(page);
  const cdp = await page.context().newCDPSession(page);
  // The page's memory after forced GCs: V8 heap + ArrayBuffer backing stores (typed arrays live there,
  // which CDP's JSHeapUsedSize metric leaves out) + Blink's heap (DOM nodes).
  const heap = async (): Promise<number> => {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const u = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; embedderHeapUsedSize?: number; backingStorageSize?: number };
    return u.usedSize + (u.embedderHeapUsedSize ?? 0) + (u.backingStorageSize ?? 0);
  };
  // Warm up (first chart draws, first steps) so one-off allocations do not count as growth.
  await start(page);
  await stepAbove(page, 200);
  const before = await heap();
  const sizesEarly = await page.evaluate(() => window.__mmlab!.bufferSizes());
  await expect.poll(() => stepOf(page, 0), { timeout: 150_000, intervals: [500] }).toBe(STEPS);
  await expect.poll(() => stepOf(page, 1), { timeout: 10_000 }).toBe(STEPS);
  await page.waitForTimeout(300); // the last frame is drawn
  const after = await heap();
  const sizes = await page.evaluate(() => window.__mmlab!.bufferSizes());
  const growth = after - before;
  test.info().annotations.push({ type: 'heap', description: `page memory ${(before / 1e6).toFixed(1)} MB → ${(after / 1e6).toFixed(1)} MB (+${(growth / 1e6).toFixed(2)} MB) over ${STEPS} steps × 2 runs; buffers ${JSON.stringify(sizes)}` });
  console.log(test.info().annotations.at(-1)!.description, 'early', JSON.stringify(sizesEarly));

  // Buffers: every run holds ≤ its LTTB capacity (all 10⁴ points here: the cap is 40 000), and the
  // chart draws at most ~1.5 points per pixel per series, whatever the history length.
  for (const r of sizes.runs) {
    expect(r.appended).toBeGreaterThanOrEqual(STEPS + 1);
    expect(r.length).toBeLessThanOrEqual(r.capacity);
  }
  const perSeries = Math.ceil(sizes.chartWidth * 1.5); // ≥ the chart's cap of 1.5 points per plot pixel
  const series = sizes.runs.length; // data-points counts the train series
  expect(sizes.drawn).toBeGreaterThan(0);
  expect(sizes.drawn, `drawn points ≤ ${series} series × ${perSeries}`).toBeLessThanOrEqual(series * perSeries);
  expect(sizes.drawn).toBeLessThan(STEPS);

  // Memory, after forced GCs: what must stay is the series data, 4 Float64 columns per run in buffers
  // grown by doubling to 16 384 slots for 10⁴ points: 4 × (16 384 − 1 024) × 8 B × 2 runs ≈ 1 MB more
  // than at the first measurement. Allow 3 MB (that + 2 MB for React/D3/JIT state; measured: < 1 MB).
  // Anything kept per frame or per message grows with the steps and exceeds it (checked: keeping each
  // frame's LTTB views, ~200 frames, adds ≈ 13 MB).
  expect(growth, `page memory growth ${(growth / 1e6).toFixed(2)} MB`).toBeLessThan(3e6);
  expect(w.errors).toEqual([]);
});
