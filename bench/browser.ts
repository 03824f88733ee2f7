/**
 * npm run bench:browser — the lab itself in a real browser (issue "Performance"): Playwright drives
 * Debian's /usr/bin/chromium (headless, `--enable-unsafe-webgpu`) against the production build served
 * by `vite preview` on a free port (dist/ is built first when missing, or with --build). Measures
 *
 *  (i)   training steps/s per backend that initialises in the worker (every one the page's selector
 *        offers: cpu, wasm, webgl, webgpu, and the fused engine where the build has it), forced
 *        through the share link's view.backend, on moons 2-8-8-1 and 2-64-64-1, 4096 points, Adam, full
 *        batch: the lab's own rate (step + f(θ) read back every step, progress streamed to the page),
 *        with the live surrogate / model views withheld, then as the lab runs with them;
 *  (ii)  main-thread long tasks (> 50 ms, PerformanceObserver 'longtask') during 10 s of training with
 *        every chart on screen (1280×2000 viewport): the MM-vs-Adam moons preset (loss curves, surrogate
 *        slice or 2-D contour, decision boundary) and the IS-NMF preset (loss curves, surrogate path,
 *        V / WH / W / H images);
 *  (iii) time from opening a share link to the first plotted loss point (navigation start → the loss
 *        chart's first path with data), cold, for the default 'auto' backend and a forced cpu;
 *  (iv)  the MNIST MLP and CNN per backend (bench/browser-images.ts): steps/s, s/epoch, test accuracy.
 *
 * A benchmark, not a test: it never fails on a missed target, it prints Markdown tables (bench/table.ts).
 *
 *   npm run bench:browser [-- --quick] [-- --build] [-- --only steps|longtasks|first|images] [-- --profile]
 *                         [-- --outDir DIR]   (serve another build directory than dist/)
 *                         [-- --evalEvery 1,auto] [-- --backends fused,wasm]   (images: each case once
 *                         per listed evalEvery; only those backends)
 *
 * --profile: record a Chrome trace of each long-task window and print, per main-thread task over
 * 50 ms, its wall time, the thread's CPU time in it and what ran inside.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from '@playwright/test';
import { benchImagesInBrowser } from './browser-images';
import {
  CHROMIUM_ARGS,
  fmt,
  hashOf,
  median,
  newPage,
  offeredBackends,
  play,
  position,
  rate,
  setDropViews,
  sleep,
  startServer,
  waitReady,
  type Json,
} from './browser-page';
import { printTable } from './table';

export interface BrowserBenchOptions {
  quick?: boolean;
  build?: boolean;
  only?: string | null;
  profile?: boolean;
  /** Serve this build directory instead of dist/ (it must exist). */
  outDir?: string;
  /** The images section: each case once per listed `evalEvery` value (none: the page's default). */
  evalEvery?: string[] | null;
  /** The images section: only these backends (none: every one the page offers). */
  backends?: string[] | null;
}

// ───────────────────────────────────────────── (i) steps/s per backend ─────────────────────────────

const moons = (hidden: number[], algorithm = 'adam'): Json => ({
  version: 1,
  problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 4096, noise: 0.1, testRatio: 0 }, hidden, activation: 'tanh', loss: 'bce' },
  runs: [{ id: algorithm, algorithm, hyper: algorithm === 'adam' ? { lr: 0.01 } : {} }],
  steps: 1_000_000,
});

/** The MM algorithm timed besides Adam, on the backends that matter for it (the fused engine vs tfjs WASM). */
const MM_TIMED = { algorithm: 'mm-lipschitz', backends: ['fused', 'wasm'] };

async function benchSteps(browser: Browser, base: string, quick: boolean): Promise<void> {
  const warmMs = quick ? 1000 : 2000;
  const windowMs = quick ? 2000 : 5000;
  const rows: string[][] = [];
  const backends = await offeredBackends(browser, base, moons([8, 8]));
  const jobs = [[8, 8], [64, 64]].flatMap((hidden) => [
    ...backends.map((b) => ({ hidden, algorithm: 'adam', b })),
    ...MM_TIMED.backends.filter((b) => backends.includes(b)).map((b) => ({ hidden, algorithm: MM_TIMED.algorithm, b })),
  ]);
  for (const { hidden, algorithm, b } of jobs) {
    const name = `moons 2-${hidden.join('-')}-1, 4096 pts, ${algorithm === 'adam' ? 'Adam' : algorithm}`;
    {
      const page = await newPage(browser);
      try {
        await page.addInitScript({ content: 'window.__bench.dropViews = true' });
        await page.goto(`${base}${hashOf(moons(hidden, algorithm), { backend: b })}`);
        const sel = await waitReady(page);
        if (sel.backend !== b) {
          rows.push([name, b, 'unavailable', '—', '—', sel.reason.slice(0, 90)]);
          continue;
        }
        await play(page);
        await sleep(warmMs); // shader compilation, K adaptation
        const bare = await rate(page, windowMs);
        await setDropViews(page, false);
        await sleep(warmMs);
        const views = await rate(page, windowMs);
        rows.push([name, b, fmt(bare.rate), fmt(views.rate), `${bare.steps} / ${views.steps}`, `${sel.reasonKind}; ${fmt(bare.ms / 1000)} s / ${fmt(views.ms / 1000)} s`]);
      } catch (e) {
        rows.push([name, b, 'error', '—', (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 90)]);
      } finally {
        await page.context().close();
      }
    }
  }
  printTable(
    `Training throughput in the browser worker (steps/s over ≥ ${windowMs / 1000} s after ${warmMs / 1000} s of warm-up; a step = an Adam (or mm-lipschitz) step + f(θ) on all 4096 points, read back and streamed to the page; "training only": the page's surrogate / model-view requests withheld; "with live views": as the lab runs, the surrogate slice (41 evaluations of f) every ~0.4 s and the decision boundary every ~0.6 s computed by the same worker)`,
    ['problem', 'backend', 'steps/s training only', 'steps/s with live views', 'steps timed', 'selection; time windows'],
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

const IS_NMF: Json = {
  version: 1,
  problem: { kind: 'nmf', beta: 0, rank: 6, data: { kind: 'spectrogram', bins: 96, frames: 128 } },
  runs: [{ algorithm: 'nmf-mm' }, { algorithm: 'nmf-mu' }],
  steps: 1_000_000,
};


async function benchLongTasks(browser: Browser, base: string, quick: boolean, profile: boolean): Promise<void> {
  const seconds = quick ? 5 : 10;
  const rows: string[][] = [];
  const culprits: string[] = [];
  const cases: { name: string; config: Json; view: Json }[] = [
    { name: 'MM vs Adam moons (3 runs), surrogate 1-D', config: MM_MOONS, view: {} },
    { name: 'MM vs Adam moons (3 runs), surrogate 2-D contour', config: MM_MOONS, view: { backend: 'cpu', surr: 'contour' } },
    { name: 'IS-NMF spectrogram 96×128, K=6 (2 runs), NMF images', config: IS_NMF, view: { backend: 'cpu' } },
  ];
  for (const c of cases) {
    const backend = (c.view.backend as string | undefined) ?? 'auto';
    // A tall viewport: the loss chart, the surrogate view and the model view are all on screen.
    const page = await newPage(browser, 2000);
    try {
      await page.goto(`${base}${hashOf(c.config, c.view)}`);
      const sel = await waitReady(page);
      await sleep(500);
      if (profile) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
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
        svgs: document.querySelectorAll('main svg').length,
        canvases: document.querySelectorAll('main canvas').length,
      }));
      let cpuCols: string[] = [];
      if (profile) {
        const x = explain(JSON.parse((await browser.stopTracing()).toString('utf8')), c.name);
        culprits.push(...x.lines);
        cpuCols = [String(x.cpuLong), `${fmt(x.maxCpuMs)} ms`];
      }
      rows.push([
        `${c.name}, backend ${backend} → ${sel.backend}`,
        `${seconds} s`,
        String(s1 - s0),
        String(tasks.length),
        tasks.length ? `${fmt(Math.max(...tasks.map((t) => t.duration)))} ms` : '—',
        `${charts.svgs} svg, ${charts.canvases} canvas`,
        ...cpuCols,
      ]);
    } finally {
      await page.context().close();
    }
  }
  printTable(
    'Main-thread long tasks (> 50 ms) while training with every chart visible (target: 0)',
    ['experiment', 'window', 'steps', 'long tasks', 'longest', 'charts on screen', ...(profile ? ['tasks > 50 ms CPU', 'max task CPU'] : [])],
    rows,
  );
  if (culprits.length) console.log(`${culprits.join('\n')}\n`);
}

const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'blink.user_timing'];

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { functionName?: string; url?: string; lineNumber?: number; columnNumber?: number; type?: string } };
}

/**
 * The page's main-thread tasks over 50 ms in a Chrome trace: wall time vs the thread's own CPU time
 * (tdur; much less than the wall time = the thread was descheduled, i.e. the machine was busy, not the
 * page), and what ran inside (self time per event kind; JS by function and bundle position).
 */
function explain(trace: { traceEvents: TraceEvent[] } | TraceEvent[], label: string): { lines: string[]; maxCpuMs: number; cpuLong: number; tasks: number } {
  const events = Array.isArray(trace) ? trace : trace.traceEvents;
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return { lines: [`(${label}: no renderer main thread in the trace)`], maxCpuMs: NaN, cpuLong: NaN, tasks: 0 };
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  // Top-level tasks (the outermost RunTask of each nest).
  const all: TraceEvent[] = [];
  for (const e of onMain) {
    if (e.name !== 'RunTask' && e.name !== 'ThreadControllerImpl::RunTask') continue;
    const prev = all[all.length - 1];
    if (prev && e.ts < prev.ts + prev.dur!) continue;
    all.push(e);
  }
  const cpu = all.map((t) => (t.tdur ?? t.dur!) / 1000);
  const maxCpuMs = cpu.length ? Math.max(...cpu) : NaN;
  const cpuLong = cpu.filter((c) => c > 50).length;
  const tasks = all.filter((e) => e.dur! > 50_000);
  const out = [
    `Main-thread tasks in the trace (${label}): ${all.length}; over 50 ms wall: ${tasks.length}; over 50 ms of the thread's own CPU time: ${cpuLong} (max ${maxCpuMs.toFixed(1)} ms CPU)`,
  ];
  const total = new Map<string, number>();
  const breakdown = (t: TraceEvent): [string, number][] => {
    const inside = onMain.filter((e) => e !== t && e.ts >= t.ts && e.ts + e.dur! <= t.ts + t.dur!);
    // Self time: an event's duration minus its direct children's (events nest; sorted by start, longest first).
    const self = new Map<string, number>();
    const childSum = new Map<TraceEvent, number>();
    const stack: TraceEvent[] = [];
    for (const e of inside) {
      while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur! <= e.ts) stack.pop();
      const parent = stack[stack.length - 1];
      if (parent) childSum.set(parent, (childSum.get(parent) ?? 0) + e.dur!);
      stack.push(e);
    }
    for (const e of inside) {
      const d = e.args?.data;
      const key =
        e.name === 'FunctionCall' || e.name === 'EvaluateScript'
          ? `${e.name} ${d?.functionName || ''} ${(d?.url ?? '').split('/').pop()}:${(d?.lineNumber ?? -1) + 1}:${(d?.columnNumber ?? -1) + 1}`
          : d?.type
            ? `${e.name} (${d.type})`
            : e.name;
      self.set(key, (self.get(key) ?? 0) + Math.max(0, e.dur! - (childSum.get(e) ?? 0)) / 1000);
    }
    const covered = [...self.values()].reduce((x, y) => x + y, 0);
    self.set('(task itself, not in a sub-event)', Math.max(0, t.dur! / 1000 - covered));
    return [...self.entries()].sort((x, y) => y[1] - x[1]).slice(0, 5);
  };
  const line = (t: TraceEvent, top: [string, number][]) =>
    `  task ${(t.dur! / 1000).toFixed(0)} ms wall, ${t.tdur !== undefined ? `${(t.tdur / 1000).toFixed(1)} ms CPU` : 'CPU n/a'}: ${top.map(([k, v]) => `${k} ${v.toFixed(1)} ms`).join(' · ')}`;
  for (const t of tasks) {
    const top = breakdown(t);
    top.forEach(([k, v]) => total.set(k, (total.get(k) ?? 0) + v));
    out.push(line(t, top));
  }
  const heaviest = all[cpu.indexOf(maxCpuMs)];
  if (heaviest) out.push(`  heaviest task by CPU:${line(heaviest, breakdown(heaviest)).slice(1)}`);
  if (tasks.length > 1)
    out.push(`  all together: ${[...total.entries()].sort((x, y) => y[1] - x[1]).slice(0, 6).map(([k, v]) => `${k} ${v.toFixed(0)} ms`).join(' · ')}`);
  return { lines: out, maxCpuMs, cpuLong, tasks: all.length };
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
    if (!only || only === 'images') await benchImagesInBrowser(browser, server.url, !!opts.quick, opts.evalEvery ?? null, opts.backends ?? null);
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
    evalEvery: args.includes('--evalEvery') ? args[args.indexOf('--evalEvery') + 1].split(',') : null,
    backends: args.includes('--backends') ? args[args.indexOf('--backends') + 1].split(',') : null,
  }).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
