/**
 * The image views' request pump (src/ui/imageViews.ts), on a fake clock: paused it asks at once for a
 * new step; playing it asks at most every 0.5 s and only after 10× the last answer's compute time of
 * training (progress events' tickMs), so the views take at most ~1/10 of the training time; one request
 * in flight; answers, refusals and the data set's loading progress land in its store.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseExperiment } from '../src/core/config';
import type { ImageViewsEvt, LabEvent, ProgressEvt, ToWorker } from '../src/worker/protocol';
import { noteImageViewsEvent, startImageViewsPump, useImageViews } from '../src/ui/imageViews';
import { setLab } from '../src/ui/store';

const r = parseExperiment({
  version: 1,
  problem: { kind: 'mlp', data: { kind: 'dataset', name: 'digits', n: 200, testRatio: 0.2 }, hidden: [8], activation: 'relu', loss: 'softmax_ce', batchSize: 32 },
  runs: [{ algorithm: 'adam' }],
});
if (!r.ok) throw new Error(r.errors.join('\n'));
const config = r.config;

const sent: ToWorker[] = [];
const answer = (computeMs: number): boolean =>
  noteImageViewsEvent({
    type: 'imageViews', epoch: 1, run: 0, t: 0, computeMs, rows: 8, cols: 8, classes: 10, evaluated: 40, split: 'test',
    confusion: new Int32Array(100), strip: { pixels: new Float32Array(0), truth: new Int32Array(0), predicted: new Int32Array(0) }, weights: null,
  } satisfies ImageViewsEvt);
const progress = (tickMs: number): void => void noteImageViewsEvent({ type: 'progress', epoch: 1, t: 0, blocks: [], stepsPerTick: 1, tickMs, stepsPerSec: 0 } satisfies ProgressEvt);
const flush = () => new Promise<void>((res) => queueMicrotask(res));

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }));
afterEach(() => vi.useRealTimers());

describe('the image views pump', () => {
  it('paces requests by time and by training time; stores answers, refusals and loading progress', async () => {
    setLab({ session: { epoch: 1, config, kind: 'mlp', hasTest: true, paramNames: [] }, starting: false, playing: false, t: 0 });
    startImageViewsPump((cmd) => sent.push(cmd));
    expect(sent).toEqual([{ type: 'requestImageViews', run: 0, requestId: 1 }]);
    // One in flight: a new step waits for the answer.
    setLab({ t: 1 });
    expect(sent).toHaveLength(1);
    expect(answer(50)).toBe(true);
    await flush();
    // Paused: the new step is asked at once.
    expect(sent).toHaveLength(2);
    answer(50);
    await flush();

    // Playing: not before 0.5 s, and not before 10 × 50 ms of training ticks.
    vi.advanceTimersByTime(10);
    setLab({ playing: true, t: 2 });
    expect(sent).toHaveLength(2);
    vi.advanceTimersByTime(600);
    expect(sent).toHaveLength(2);
    progress(300);
    await flush();
    expect(sent).toHaveLength(2);
    progress(250);
    await flush();
    expect(sent).toHaveLength(3);
    expect(answer(10)).toBe(true);
    await flush();
    // A cheap answer: the 0.5 s floor rules (a timer asks once it has passed).
    progress(200);
    setLab({ t: 3 });
    expect(sent).toHaveLength(3);
    vi.advanceTimersByTime(500);
    expect(sent).toHaveLength(4);

    // A refusal is the views' own event and is shown; other events pass through.
    const refused: LabEvent = { type: 'error', epoch: 1, message: 'nope', command: 'requestImageViews' };
    expect(noteImageViewsEvent(refused)).toBe(true);
    expect(useImageViews.getState().error).toBe('nope');
    expect(noteImageViewsEvent({ type: 'error', epoch: 1, message: 'other', command: 'start' })).toBe(false);
    expect(useImageViews.getState()).toMatchObject({ answered: 3, computeMs: 110 });

    // The data set's fetch progress, cleared when done.
    noteImageViewsEvent({ type: 'dataLoad', epoch: 2, name: 'mnist', fraction: 0.4, done: false });
    expect(useImageViews.getState().loading).toEqual({ name: 'mnist', fraction: 0.4 });
    noteImageViewsEvent({ type: 'dataLoad', epoch: 2, name: 'mnist', fraction: 1, done: true });
    expect(useImageViews.getState().loading).toBeNull();
  });
});
