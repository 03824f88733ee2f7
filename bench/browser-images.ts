/**
 * `npm run bench:browser -- --only images` (issue 12): the MNIST MLP 784-256-10 and the MNIST CNN of
 * examples/mnist-cnn.json trained in the page's worker, Adam (lr 0.001), batch 128, on the shipped set
 * (data/mnist.u8.gz: n = 10,000, testRatio 0.2 → 8,000 training images, 63 steps an epoch), forced per
 * backend through the share link's view.backend (every one the page's selector offers; one that does
 * not initialise prints the worker's reason, WebGPU "no adapter" when the browser has none).
 *
 * The page as a person uses it: the link opened, Start, the lab's own loop (each step's f as the fold
 * records it, progress streamed to the page, the image views computed by the same worker). Per backend:
 * training steps/s from the page's step counter (the first step, which includes start-up, excluded),
 * the time for one epoch (the budget: Start → step 63 shown; extrapolated from the rate, 63 / rate, and
 * marked so, where the run does not get there within the cap), and the test accuracy the run table shows once
 * the run has taken its fixed number of steps (the config's `steps`, the same seeded θ₀ and batch order
 * on every backend, so the accuracies should agree). A backend that does not reach them within the cap
 * gets its rate from the steps it took and no accuracy.
 *
 * `--evalEvery 1,auto`: each case once per listed value of the config's `evalEvery` (how often the fold
 * evaluates f on the whole training set); without it the link leaves the field out (the page's default).
 * `--backends fused,wasm`: only those backends.
 */
import type { Browser, Page } from '@playwright/test';
import { fmt, hashOf, newPage, offeredBackends, position, sleep, waitReady, type Json } from './browser-page';
import { printTable } from './table';

const STEPS_PER_EPOCH = 63; // ⌈8000 / 128⌉

interface ImageCase {
  name: string;
  /** The problem's layers: a CNN's conv blocks (examples/mnist-cnn.json) and the hidden stack. */
  conv?: { filters: number; kernel: number; pool: number }[];
  hidden: number[];
  /** Steps the run takes (the config's budget): its test accuracy is read after them. */
  steps: number;
  /** Give up on a backend after this long (page load included). */
  capMs: number;
  /** Backends not tried, with the reason printed in their row. */
  skip: Record<string, string>;
}

const CASES = (quick: boolean): ImageCase[] => [
  { name: 'MNIST MLP 784-256-10', hidden: [256], steps: quick ? 20 : STEPS_PER_EPOCH, capMs: quick ? 60_000 : 90_000, skip: {} },
  {
    name: 'MNIST CNN c8k3p2-c16k3p2-64-10',
    conv: [
      { filters: 8, kernel: 3, pool: 2 },
      { filters: 16, kernel: 3, pool: 2 },
    ],
    hidden: [64],
    steps: quick ? 6 : STEPS_PER_EPOCH,
    capMs: quick ? 90_000 : 120_000,
    // tfjs's cpu backend runs convolutions in plain JS: 0.01 training steps/s in Node (bench/images.ts).
    skip: { cpu: 'skipped: tfjs cpu convolutions ≈ 0.01 steps/s (npm run bench -- --only images)' },
  },
];

const config = (c: ImageCase, evalEvery: string | null): Json => ({
  version: 1,
  problem: {
    kind: 'mlp',
    data: { kind: 'dataset', name: 'mnist', n: 10_000, testRatio: 0.2 },
    ...(c.conv ? { conv: c.conv } : {}),
    hidden: c.hidden,
    activation: 'relu',
    loss: 'softmax_ce',
    batchSize: 128,
  },
  runs: [{ algorithm: 'adam', hyper: { lr: 0.001 } }],
  steps: c.steps,
  ...(evalEvery === null ? {} : { evalEvery: evalEvery === 'auto' ? 'auto' : Number(evalEvery) }),
});

/** The browser's WebGPU adapter, as the page would get it: "no adapter" or its vendor / architecture. */
async function webgpuAdapter(browser: Browser, base: string): Promise<string> {
  const page = await newPage(browser);
  try {
    await page.goto(base);
    return await page.evaluate(async () => {
      const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: Record<string, string>; isFallbackAdapter?: boolean } | null> } }).gpu;
      if (!gpu) return 'no adapter (navigator.gpu missing)';
      const a = await gpu.requestAdapter();
      if (!a) return 'no adapter (requestAdapter() gave null)';
      const i = a.info ?? {};
      return `adapter: ${[i.vendor, i.architecture, i.device, i.description].filter(Boolean).join(' / ') || 'unnamed'}${a.isFallbackAdapter ? ' (fallback)' : ''}`;
    });
  } finally {
    await page.context().close();
  }
}

interface Trained {
  /** Steps/s between the first and the last step seen (the first step's start-up excluded). */
  rate: number;
  /** Steps taken, and the ms between the first and the last counted change. */
  steps: number;
  ms: number;
  /** Play → first step shown (data loaded before: the link prepares the session). */
  firstStepMs: number;
  /** Play → the budget's last step shown (NaN when not reached). */
  totalMs: number;
  /** Test accuracy at the budget's last step (NaN when it was not reached). */
  testAccuracy: number;
  /** Why the run stopped before its budget ('' when it did not). */
  stopped: string;
}

/** Start, follow the step counter until the budget's last step (or the deadline), then read the accuracy. */
async function trainToBudget(page: Page, steps: number, deadline: number): Promise<Trained> {
  const t0 = performance.now();
  // Start, without waiting for the playing state: a run that stops at its first step never shows it.
  await page.getByTestId('play').click({ timeout: Math.max(1000, deadline - t0) });
  const changes: { t: number; s: number }[] = [];
  let last = 0;
  const row = page.getByTestId('run-row-0');
  let stopped = '';
  while (last < steps && performance.now() < deadline) {
    await sleep(50);
    const s = await position(page);
    if (s !== last) {
      changes.push({ t: performance.now(), s });
      last = s;
    }
    // A run that stopped (error, diverged) takes no more steps: its status pill says why.
    const status = (await row.getAttribute('data-status')) ?? '';
    if (status === 'error' || status === 'diverged') {
      const why = (await row.locator('.pill').first().getAttribute('title')) ?? '';
      stopped = `run ${status} at step ${last}: ${why}`;
      break;
    }
  }
  const firstStepMs = changes.length ? changes[0].t - t0 : NaN;
  const totalMs = last >= steps ? changes.at(-1)!.t - t0 : NaN;
  const [a, z] = [changes[0], changes.at(-1)];
  const counted = a && z && z !== a ? { steps: z.s - a.s, ms: z.t - a.t } : null;
  // One change only: the rate over that single interval, start-up included (a lower bound).
  const rate = counted ? (counted.steps * 1000) / counted.ms : a ? (a.s * 1000) / (a.t - t0) : 0;
  let testAccuracy = NaN;
  if (last >= steps) {
    // The run table's accuracy is measured at the last step too; its title names the step.
    const acc = page.getByTestId('run-accuracy-0');
    for (let i = 0; i < 100 && Number.isNaN(testAccuracy); i++) {
      const title = (await acc.getAttribute('title', { timeout: 5000 }).catch(() => null)) ?? '';
      if (new RegExp(`at step ${steps}\\b`).test(title)) testAccuracy = Number(await acc.getAttribute('data-test'));
      else await sleep(100);
    }
  }
  return { rate, steps: counted?.steps ?? last, ms: counted?.ms ?? NaN, firstStepMs, totalMs, testAccuracy, stopped };
}

/**
 * `evalEvery`: the config's evalEvery values to run each case with (null: the field left out);
 * `only`: the backends to try (null: every one offered). BENCH_BROWSER_IMAGES=CNN (any part of a case
 * name) runs only the matching cases.
 */
export async function benchImagesInBrowser(browser: Browser, base: string, quick: boolean, evalEvery: string[] | null, only: string[] | null): Promise<void> {
  const adapter = await webgpuAdapter(browser, base);
  console.log(`WebGPU in this browser: ${adapter}\n`);
  const c0 = CASES(quick)[0];
  // The software-GPU backends last: SwiftShader may still be busy with a closed page's queue for a while.
  const order = ['fused', 'wasm', 'cpu', 'webgl', 'webgpu'];
  const backends = (await offeredBackends(browser, base, config({ ...c0, steps: 1 }, null)))
    .filter((b) => !only || only.includes(b))
    .sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
  const variants = evalEvery ?? [null];
  const rows: string[][] = [];
  const pick = process.env.BENCH_BROWSER_IMAGES;
  for (const c of CASES(quick).filter((k) => !pick || k.name.includes(pick))) {
    for (const ev of variants) {
      const name = `${c.name}, Adam, ${c.steps} steps${ev === null ? '' : `, evalEvery ${ev}`}`;
      for (const b of backends) {
        if (c.skip[b]) {
          rows.push([name, b, '—', '—', '—', '—', c.skip[b]]);
          continue;
        }
        const page = await newPage(browser);
        const deadline = performance.now() + c.capMs;
        try {
          const t0 = performance.now();
          await page.goto(`${base}${hashOf(config(c, ev), { backend: b })}`);
          const sel = await waitReady(page, Math.max(1000, deadline - performance.now()));
          const readyMs = performance.now() - t0;
          if (sel.backend !== b) {
            const why = b === 'webgpu' && adapter.startsWith('no adapter') ? `no adapter; ${sel.reason}` : sel.reason;
            rows.push([name, b, 'unavailable', '—', '—', '—', `→ ${sel.backend}: ${why.slice(0, 100)}`]);
            continue;
          }
          const r = await trainToBudget(page, c.steps, deadline);
          if (r.stopped) {
            rows.push([name, b, 'stopped', '—', '—', `${fmt(readyMs / 1000)} s / —`, r.stopped.slice(0, 110)]);
            continue;
          }
          const reached = Number.isFinite(r.testAccuracy);
          // One epoch taken: its time as measured (Start → step 63 shown); else extrapolated from the rate.
          const epochS = c.steps === STEPS_PER_EPOCH && Number.isFinite(r.totalMs) ? fmt(r.totalMs / 1000) : r.rate > 0 ? `~${fmt(STEPS_PER_EPOCH / r.rate)} (extrapolated)` : '—';
          rows.push([
            name,
            b,
            fmt(r.rate),
            epochS,
            reached ? `${(100 * r.testAccuracy).toFixed(1)}%` : `— (${r.steps} steps in the ${c.capMs / 1000} s cap)`,
            `${fmt(readyMs / 1000)} s / ${fmt(r.firstStepMs / 1000)} s`,
            `${sel.reasonKind}; ${r.steps} steps in ${fmt(r.ms / 1000)} s`,
          ]);
        } catch (e) {
          rows.push([name, b, 'error', '—', '—', '—', (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 100)]);
        } finally {
          await page.context().close();
        }
      }
    }
  }
  printTable(
    `MNIST in the browser worker (shipped set: 10,000 images, 8,000 training, 63 steps an epoch; Adam lr 0.001, batch 128; the page's default loop: f as the fold records it, progress and image views streamed to the page). steps/s between the first and the last step seen; s/epoch: Start → step 63 shown where the run took its epoch, else ~63 / steps/s, extrapolated; test accuracy as the run table shows it after the fixed steps (same θ₀ and batches on every backend); ready = link → session prepared (data fetched, step-0 f), first step = Start → step 1 shown`,
    ['problem', 'backend', 'steps/s', 's/epoch', 'test acc', 'ready / first step', 'selection; steps timed'],
    rows,
  );
}
