/**
 * npm run bench:browser — the lab itself in a real browser (issue "Performance"): Playwright drives
 * Debian's /usr/bin/chromium (headless, `--enable-unsafe-webgpu`) against the production build served
 * by `vite preview` on a free port (dist/ is built first when missing, or with --build). Measures
 *
 *  (i)   training steps/s per backend that initialises in the worker (cpu, wasm, webgl, webgpu), forced
 *        through the share link's view.backend, on moons 2-8-8-1 and 2-64-64-1, 4096 points, Adam, full
 *        batch: the lab's own rate (step + f(θ) read back every step, progress streamed to the page);
 *  (ii)  main-thread long tasks (> 50 ms, PerformanceObserver 'longtask') during 10 s of training with
 *        every chart on screen (MM-vs-Adam moons preset: loss curves, surrogate slice, decision boundary);
 *  (iii) time from opening a share link to the first plotted loss point (navigation start → the loss
 *        chart's first path with data), cold, for the default 'auto' backend and a forced cpu.
 *
 * A benchmark, not a test: it never fails on a missed target, it prints Markdown tables (bench/table.ts).
 *
 *   npm run bench:browser [-- --quick] [-- --build] [-- --only steps|longtasks|first] [-- --profile]
 *                         [-- --outDir DIR]   (serve another build directory than dist/)
 *
 * --profile: when long tasks happen, record a CPU profile (CDP) of the training window and print the
 * functions with the most self time inside the long tasks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import LZString from 'lz-string';
import { printTable } from './table';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-webgpu',
];

export interface BrowserBenchOptions {
  quick?: boolean;
  build?: boolean;
  only?: string | null;
  profile?: boolean;
  /** Serve this build directory instead of dist/ (it must exist). */
  outDir?: string;
}

type Json = Record<string, unknown>;
const hashOf = (c: unknown, v?: Json): string => `#v1.${LZString.compressToEncodedURIComponent(JSON.stringify(v ? { c, v } : { c }))}`;
const fmt = (x: number): string => (!Number.isFinite(x) ? '—' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

interface Server {
  url: string;
  stop(): void;
}

async function startServer(build: boolean, outDir?: string): Promise<Server> {
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
const INSTRUMENT = `(() => {
  const b = (window.__bench = { longtasks: [], firstPoint: null, firstStep: null });
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

async function newPage(browser: Browser, height = 900): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height } });
  const page = await ctx.newPage();
  await page.addInitScript({ content: INSTRUMENT });
  return page;
}

async function waitReady(page: Page): Promise<{ backend: string; reasonKind: string; reason: string }> {
  const badge = page.getByTestId('backend-badge');
  await page.locator('[data-testid="backend-badge"]:not([data-backend=""])').waitFor({ timeout: 60_000 });
  await page.getByTestId('run-row-0').waitFor({ timeout: 60_000 });
  const backend = (await badge.getAttribute('data-backend')) ?? '';
  const title = (await badge.getAttribute('title')) ?? '';
  const m = /^(\w+): (.*)$/s.exec(title);
  return { backend, reasonKind: m?.[1] ?? '', reason: m?.[2] ?? title };
}

const position = async (page: Page): Promise<number> => Number(await page.getByTestId('position').getAttribute('data-step'));

async function play(page: Page): Promise<void> {
  await page.getByTestId('play').click();
  await page.locator('[data-testid="position"][data-playing="true"]').waitFor({ timeout: 10_000 });
}

// ───────────────────────────────────────────── (i) steps/s per backend ─────────────────────────────

const BACKENDS = ['cpu', 'wasm', 'webgl', 'webgpu'] as const;

const moons = (hidden: number[]): Json => ({
  version: 1,
  problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 4096, noise: 0.1, testRatio: 0 }, hidden, activation: 'tanh', loss: 'bce' },
  runs: [{ id: 'adam', algorithm: 'adam', hyper: { lr: 0.01 } }],
  steps: 1_000_000,
});

async function benchSteps(browser: Browser, base: string, quick: boolean): Promise<void> {
  const warmMs = quick ? 1000 : 2000;
  const windowMs = quick ? 2000 : 5000;
  const rows: string[][] = [];
  for (const hidden of [[8, 8], [64, 64]]) {
    const name = `moons 2-${hidden.join('-')}-1, 4096 pts, Adam`;
    for (const b of BACKENDS) {
      const page = await newPage(browser);
      try {
        await page.goto(`${base}${hashOf(moons(hidden), { backend: b })}`);
        const sel = await waitReady(page);
        if (sel.backend !== b) {
          rows.push([name, b, 'unavailable', '—', sel.reason.slice(0, 90)]);
          continue;
        }
        await play(page);
        await sleep(warmMs); // shader compilation, K adaptation
        const s0 = await position(page);
        const t0 = performance.now();
        await sleep(windowMs);
        const s1 = await position(page);
        const t1 = performance.now();
        const rate = ((s1 - s0) * 1000) / (t1 - t0);
        rows.push([name, b, fmt(rate), String(s1 - s0), sel.reasonKind]);
      } catch (e) {
        rows.push([name, b, 'error', '—', (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 90)]);
      } finally {
        await page.context().close();
      }
    }
  }
  printTable(
    `Training throughput in the browser worker (steps/s over ${windowMs / 1000} s after ${warmMs / 1000} s of warm-up; each step = Adam step + f(θ) on all 4096 points, read back and streamed to the page)`,
    ['problem', 'backend', 'steps/s', 'steps', 'selection / note'],
    rows,
  );
}

// ───────────────────────────────────────────── (ii) long tasks ─────────────────────────────────────

/** MM vs Adam on moons (the presets' first): every chart has something to draw (surrogate, boundary). */
const MM_MOONS: Json = {
  version: 1,
  problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 256, noise: 0.15 }, hidden: [8, 8], activation: 'tanh', loss: 'bce' },
  runs: [{ algorithm: 'mm-lipschitz' }, { algorithm: 'mm-gauss-newton' }, { algorithm: 'adam', hyper: { lr: 0.01 } }],
  steps: 1_000_000,
};

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

async function benchLongTasks(browser: Browser, base: string, quick: boolean, profile: boolean): Promise<void> {
  const seconds = quick ? 5 : 10;
  const rows: string[][] = [];
  const culprits: string[] = [];
  for (const backend of ['auto', 'cpu'] as const) {
    // A tall viewport: the loss chart, the surrogate view and the model view are all on screen.
    const page = await newPage(browser, 2000);
    try {
      await page.goto(`${base}${hashOf(MM_MOONS, { backend })}`);
      const sel = await waitReady(page);
      await sleep(500);
      const cdp = profile ? await page.context().newCDPSession(page) : null;
      if (cdp) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
        await cdp.send('Profiler.start');
      }
      const from = await page.evaluate(() => performance.now());
      await play(page);
      const s0 = await position(page);
      await sleep(seconds * 1000);
      const to = await page.evaluate(() => performance.now());
      const s1 = await position(page);
      const tasks = await page.evaluate(
        ([a, b]) => (window as unknown as { __bench: { longtasks: { start: number; duration: number }[] } }).__bench.longtasks.filter((t) => t.start >= a && t.start <= b),
        [from, to],
      );
      const charts = await page.evaluate(() => ({
        loss: document.querySelectorAll('[data-testid="loss-chart"] g.lines path').length,
        svgs: document.querySelectorAll('main svg').length,
        canvases: document.querySelectorAll('main canvas').length,
      }));
      rows.push([
        `MM vs Adam moons (3 runs), backend ${backend} → ${sel.backend}`,
        `${seconds} s`,
        String(s1 - s0),
        String(tasks.length),
        tasks.length ? `${fmt(Math.max(...tasks.map((t) => t.duration)))} ms` : '—',
        `${charts.svgs} svg, ${charts.canvases} canvas`,
      ]);
      if (cdp) {
        const { profile: prof } = (await cdp.send('Profiler.stop')) as unknown as {
          profile: { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] };
        };
        culprits.push(...attribute(prof, tasks, from, backend));
      }
    } finally {
      await page.context().close();
    }
  }
  printTable(
    'Main-thread long tasks (> 50 ms) while training with every chart visible (target: 0)',
    ['experiment', 'window', 'steps', 'long tasks', 'longest', 'charts on screen'],
    rows,
  );
  if (culprits.length) console.log(`${culprits.join('\n')}\n`);
}

/**
 * Self time per function inside the long tasks (the profile's clock is in µs since its own origin;
 * the page's performance.now() origin is aligned by the profile start ≈ `from`).
 */
function attribute(
  prof: { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] },
  tasks: { start: number; duration: number }[],
  from: number,
  label: string,
): string[] {
  if (!tasks.length) return [];
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const stacks = new Map<string, number>();
  let t = 0;
  prof.samples.forEach((id, i) => {
    t += prof.timeDeltas[i];
    const ms = from + t / 1000;
    if (!tasks.some((k) => ms >= k.start && ms <= k.start + k.duration)) return;
    const n = byId.get(id)!;
    const name = (f: ProfileNode['callFrame']) => `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
    const key = name(n.callFrame);
    self.set(key, (self.get(key) ?? 0) + prof.timeDeltas[i] / 1000);
    // The app-level caller chain (first 6 named frames), to map bundle names back to source.
    const chain: string[] = [];
    for (let p: number | undefined = id; p !== undefined && chain.length < 6; p = parent.get(p)) {
      const f = byId.get(p)!.callFrame;
      if (f.functionName && f.url) chain.push(f.functionName);
    }
    const ck = chain.join(' ← ');
    stacks.set(ck, (stacks.get(ck) ?? 0) + prof.timeDeltas[i] / 1000);
  });
  const top = (m: Map<string, number>, k: number) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, k);
  return [
    `Long-task profile (${label}): self time inside long tasks, top functions:`,
    ...top(self, 12).map(([k, v]) => `  ${v.toFixed(1).padStart(7)} ms  ${k}`),
    'top stacks:',
    ...top(stacks, 8).map(([k, v]) => `  ${v.toFixed(1).padStart(7)} ms  ${k}`),
  ];
}

// ───────────────────────────────────────────── (iii) first point ───────────────────────────────────

async function benchFirstPoint(browser: Browser, base: string, quick: boolean): Promise<void> {
  const reps = quick ? 2 : 4;
  const rows: string[][] = [];
  const cases: { name: string; config: Json; view: Json }[] = [
    { name: 'MM vs Adam moons, backend auto (calibration)', config: { ...MM_MOONS, steps: 300 }, view: {} },
    { name: 'MM vs Adam moons, backend cpu (forced)', config: { ...MM_MOONS, steps: 300 }, view: { backend: 'cpu' } },
  ];
  for (const c of cases) {
    const first: number[] = [];
    const ready: number[] = [];
    const step: number[] = [];
    let chosen = '';
    for (let i = 0; i < reps; i++) {
      const page = await newPage(browser);
      try {
        await page.goto(`${base}?r=${i}${hashOf(c.config, c.view)}`);
        await page.waitForFunction(() => (window as unknown as { __bench: { firstPoint: number | null } }).__bench.firstPoint !== null, null, { timeout: 60_000 });
        first.push(await page.evaluate(() => (window as unknown as { __bench: { firstPoint: number } }).__bench.firstPoint));
        const sel = await waitReady(page);
        chosen = sel.backend;
        ready.push(await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd));
        // Then Start: the first trained point (a path with a second vertex), from the click.
        const clickAt = await page.evaluate(() => performance.now());
        await page.getByTestId('play').click();
        await page.waitForFunction(() => (window as unknown as { __bench: { firstStep: number | null } }).__bench.firstStep !== null, null, { timeout: 60_000 });
        step.push((await page.evaluate(() => (window as unknown as { __bench: { firstStep: number } }).__bench.firstStep)) - clickAt);
      } finally {
        await page.context().close();
      }
    }
    rows.push([c.name, chosen, `${fmt(median(ready))} ms`, `${fmt(median(first))} ms`, `${fmt(Math.max(...first))} ms`, `${fmt(median(step))} ms`]);
  }
  printTable(
    `Share link → first plotted loss point (navigation start → the loss chart's first path with data, the step-0 loss of the prepared session; median of ${reps} cold loads; target < 1500 ms)`,
    ['link', 'backend', 'DOMContentLoaded', 'first point (median)', 'first point (max)', 'Start → first step drawn'],
    rows,
  );
}

// ───────────────────────────────────────────── main ────────────────────────────────────────────────

export async function benchBrowser(opts: BrowserBenchOptions = {}): Promise<void> {
  const server = await startServer(!!opts.build, opts.outDir);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  try {
    console.log(`MM Lab browser bench — ${new Date().toISOString().slice(0, 10)} — Chromium ${browser.version()}, ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, load ${os.loadavg()[0].toFixed(2)}${opts.quick ? ' (quick)' : ''}\n`);
    const only = opts.only ?? null;
    if (!only || only === 'first') await benchFirstPoint(browser, server.url, !!opts.quick);
    if (!only || only === 'steps') await benchSteps(browser, server.url, !!opts.quick);
    if (!only || only === 'longtasks') await benchLongTasks(browser, server.url, !!opts.quick, !!opts.profile);
  } finally {
    await browser.close();
    server.stop();
  }
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  benchBrowser({
    quick: args.includes('--quick'),
    build: args.includes('--build'),
    only: args.includes('--only') ? args[args.indexOf('--only') + 1] : null,
    profile: args.includes('--profile'),
    outDir: args.includes('--outDir') ? path.resolve(args[args.indexOf('--outDir') + 1]) : undefined,
  }).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
