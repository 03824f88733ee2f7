/**
 * The browser bench's shared parts (bench/browser.ts, bench/browser-images.ts): the production build
 * served by `vite preview` on a free port, Debian's Chromium, and the page helpers — a page with the
 * bench's instrumentation, a share link, the backend the worker settled on, Start, the step counter.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from '@playwright/test';
import LZString from 'lz-string';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-webgpu',
];

export type Json = Record<string, unknown>;
export const hashOf = (c: unknown, v?: Json): string => `#v1.${LZString.compressToEncodedURIComponent(JSON.stringify(v ? { c, v } : { c }))}`;
export const fmt = (x: number): string => (!Number.isFinite(x) ? '—' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ───────────────────────────────────────────── server ──────────────────────────────────────────────

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
  });
}

export interface Server {
  url: string;
  stop(): void;
}

export async function startServer(build: boolean, outDir?: string): Promise<Server> {
  if (outDir) {
    if (!existsSync(path.join(outDir, 'index.html'))) throw new Error(`${outDir} holds no build`);
  } else if (build || !existsSync(path.join(ROOT, 'dist', 'index.html'))) {
    console.log('building dist/ (vite build)…');
    await run('npx', ['vite', 'build']);
  }
  const port = await freePort();
  // Its own process group, so stopping it also stops npx's child.
  const child: ChildProcess = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1', ...(outDir ? ['--outDir', outDir] : [])], {
    cwd: ROOT,
    stdio: 'ignore',
    detached: true,
  });
  const stop = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  };
  process.once('exit', stop);
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 150; i++) {
    try {
      const r = await fetch(url);
      if (r.ok) return { url, stop };
    } catch {
      /* not up yet */
    }
    await sleep(200);
  }
  stop();
  throw new Error(`vite preview did not answer on ${url}`);
}

// ───────────────────────────────────────────── page helpers ────────────────────────────────────────

/**
 * Installed before the app's scripts: long tasks and the first loss point, timed from navigation.
 * Source text, not a function: tsx (esbuild keepNames) would wrap inner functions in a `__name` helper
 * that does not exist in the page.
 */
export const INSTRUMENT = `(() => {
  const b = (window.__bench = { longtasks: [], firstPoint: null, firstStep: null, dropViews: false });
  // Throughput without the live views: while dropViews is set, the page's surrogate / model-view
  // requests are not delivered to the worker (the page re-asks after 3 s; nothing else changes).
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (m, t) {
    if (b.dropViews && m && (m.type === 'requestSurrogate' || m.type === 'requestView')) return;
    return post.call(this, m, t);
  };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) { /* no longtask support */ }
  // First plotted loss point: a train path in the loss chart whose d has a vertex (M...); first
  // trained step: one with a second vertex (L...).
  const mo = new MutationObserver(() => {
    for (const p of document.querySelectorAll('[data-testid="loss-chart"] g.lines path')) {
      const d = p.getAttribute('d') || '';
      if (b.firstPoint === null && /M\\s*[-\\d.]/.test(d)) b.firstPoint = performance.now();
      if (b.firstStep === null && /L\\s*[-\\d.]/.test(d)) b.firstStep = performance.now();
    }
    if (b.firstPoint !== null && b.firstStep !== null) mo.disconnect();
  });
  const arm = () => mo.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['d'] });
  arm();
})();`;

export async function newPage(browser: Browser, height = 900): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height } });
  const page = await ctx.newPage();
  await page.addInitScript({ content: INSTRUMENT });
  return page;
}

export async function waitReady(page: Page, timeout = 60_000): Promise<{ backend: string; reasonKind: string; reason: string }> {
  const badge = page.getByTestId('backend-badge');
  await page.locator('[data-testid="backend-badge"]:not([data-backend=""])').waitFor({ timeout });
  await page.getByTestId('run-row-0').waitFor({ timeout });
  const backend = (await badge.getAttribute('data-backend')) ?? '';
  const title = (await badge.getAttribute('title')) ?? '';
  const m = /^(\w+): (.*)$/s.exec(title);
  return { backend, reasonKind: m?.[1] ?? '', reason: m?.[2] ?? title };
}

export const setDropViews = (page: Page, on: boolean): Promise<void> =>
  page.evaluate((v) => {
    (window as unknown as { __bench: { dropViews: boolean } }).__bench.dropViews = v;
  }, on);

export const position = async (page: Page): Promise<number> => Number(await page.getByTestId('position').getAttribute('data-step'));

export async function play(page: Page, timeout = 10_000): Promise<void> {
  await page.getByTestId('play').click({ timeout });
  await page.locator('[data-testid="position"][data-playing="true"]').waitFor({ timeout });
}

/** The backends the page's selector offers (all but 'auto'), e.g. cpu, wasm, webgl, webgpu; `probe`: any config the page opens. */
export async function offeredBackends(browser: Browser, base: string, probe: Json): Promise<string[]> {
  const page = await newPage(browser);
  try {
    await page.goto(`${base}${hashOf(probe, { backend: 'cpu' })}`);
    await waitReady(page);
    const values = await page.locator('select[aria-label="Backend"] option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    const order = ['cpu', 'wasm', 'webgl', 'webgpu'];
    return values.filter((v) => v !== 'auto').sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
  } finally {
    await page.context().close();
  }
}

/**
 * Steps/s from the page's step counter (data-step, refreshed ≤ 20 Hz), timed between the first and the
 * last change seen so slow backends are not quantised to the window; the window is stretched (up to
 * 4×) until at least 10 steps were seen.
 */
export async function rate(page: Page, windowMs: number): Promise<{ rate: number; steps: number; ms: number }> {
  const changes: { t: number; s: number }[] = [];
  let last = await position(page);
  const t0 = performance.now();
  for (;;) {
    await sleep(50);
    const s = await position(page);
    if (s !== last) {
      changes.push({ t: performance.now(), s });
      last = s;
    }
    const elapsed = performance.now() - t0;
    const seen = changes.length >= 2 ? changes.at(-1)!.s - changes[0].s : 0;
    if (elapsed >= windowMs * 4 || (elapsed >= windowMs && seen >= 10)) break;
  }
  if (changes.length < 2) return { rate: changes.length ? 1000 / (performance.now() - t0) : 0, steps: changes.length, ms: performance.now() - t0 };
  const a = changes[0];
  const z = changes.at(-1)!;
  return { rate: ((z.s - a.s) * 1000) / (z.t - a.t), steps: z.s - a.s, ms: z.t - a.t };
}

