/**
 * Image sets in the live session: the worker fetches a set only when a config names it (dataLoad
 * progress, then the start), refuses the start with the reason when the fetch fails, and progress
 * blocks carry the runs' accuracy every few ticks and at the target (equal to the headless fold's).
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadExperiment, type ExperimentInput } from '../src/core/config';
import { isImageSetLoaded } from '../src/core/data/images';
import { runFusedExperiment } from '../src/core/fused';
import { DATA_DIR, loadImageSetNode } from '../src/cli/data-files';
import { harness } from './session-harness';

const config = (name: string, n: number, steps: number): ExperimentInput => ({
  version: 1,
  problem: { kind: 'mlp', data: { kind: 'dataset', name: name as 'digits', n, testRatio: 0.2 }, hidden: [16], activation: 'relu', loss: 'softmax_ce', batchSize: 32 },
  runs: [{ algorithm: 'adam', hyper: { lr: 0.01 } }, { algorithm: 'sgd', hyper: { lr: 0.2 } }],
  steps,
});

afterEach(() => vi.unstubAllGlobals());

describe('image sets in the worker session', () => {
  it('fetches the set on first use with progress, then trains', async () => {
    const urls: string[] = [];
    vi.stubGlobal('self', { location: { href: 'http://lab.test/' } });
    vi.stubGlobal('fetch', async (url: URL) => {
      urls.push(url.pathname);
      const bytes = readFileSync(`${DATA_DIR}${url.pathname.split('/').pop()}`);
      // Delivered in 64 KiB chunks, as a network would.
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          for (let o = 0; o < bytes.length; o += 65536) c.enqueue(new Uint8Array(bytes.subarray(o, o + 65536)));
          c.close();
        },
      });
      return new Response(body, { headers: { 'content-length': String(bytes.length) } });
    });
    expect(isImageSetLoaded('fashion-mnist')).toBe(false);
    const h = harness();
    await h.send({ type: 'start', config: loadExperiment(config('fashion-mnist', 300, 5)), backend: 'fused', play: true });
    expect(urls).toEqual(['/data/fashion-mnist.u8.gz']);
    const loads = h.of('dataLoad');
    expect(loads.length).toBeGreaterThan(10); // 2.6 MB in 64 KiB chunks, every 5%
    expect(loads.at(-1)).toMatchObject({ name: 'fashion-mnist', fraction: 1, done: true });
    expect(loads.map((e) => e.fraction)).toEqual([...loads.map((e) => e.fraction)].sort((a, b) => a - b));
    expect(h.of('started')).toHaveLength(1);
    expect(h.of('state').at(-1)).toMatchObject({ t: 5 });
    // A second start with the same set fetches nothing.
    await h.send({ type: 'start', config: loadExperiment(config('fashion-mnist', 200, 2)), backend: 'fused', play: true });
    expect(urls).toHaveLength(1);
  });

  it('a failed fetch refuses the start with the reason', async () => {
    vi.stubGlobal('self', { location: { href: 'http://lab.test/' } });
    vi.stubGlobal('fetch', async () => new Response('gone', { status: 404, statusText: 'Not Found' }));
    const h = harness();
    await h.send({ type: 'start', config: loadExperiment(config('mnist', 300, 5)), backend: 'fused', play: true });
    expect(h.of('error')[0]).toMatchObject({ command: 'start', message: "data set 'mnist': /data/mnist.u8.gz answered 404 Not Found" });
    expect(h.of('started')).toHaveLength(0);
  });

  it('progress blocks carry accuracy; at the target it is the headless fold’s final value', async () => {
    await loadImageSetNode('digits');
    const c = loadExperiment(config('digits', 600, 40));
    const ref = runFusedExperiment(c);
    const h = harness();
    await h.send({ type: 'start', config: c, backend: 'fused', play: true });
    expect(h.of('state').at(-1)).toMatchObject({ t: 40, playing: false });
    for (const run of [0, 1]) {
      const acc = h.of('progress').flatMap((m) => m.blocks.filter((b) => b.run === run && b.accuracy).map((b) => b.accuracy!));
      expect(acc.length).toBeGreaterThan(0);
      expect(acc.at(-1)).toEqual({ t: 40, train: ref.runs[run].trainAccuracy, test: ref.runs[run].testAccuracy });
    }
    expect(ref.runs[0].testAccuracy).toBeGreaterThan(0.5); // chance: 0.1
  });
});
