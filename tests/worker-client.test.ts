// client.ts's crash recovery, with a fake Worker (no browser needed).
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../src/core/config';
import { createLabWorker } from '../src/worker/client';
import type { FromWorker, LabEvent, ToWorker } from '../src/worker/protocol';

class FakeWorker {
  sent: ToWorker[] = [];
  terminated = false;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  postMessage(m: ToWorker): void {
    this.sent.push(m);
  }
  terminate(): void {
    this.terminated = true;
  }
  emit(e: FromWorker): void {
    this.onmessage?.({ data: e } as MessageEvent);
  }
  crash(message = 'boom'): void {
    this.onerror?.({ message, preventDefault() {} } as ErrorEvent);
  }
}

const config = loadExperiment({ version: 1, problem: { kind: 'mlp' }, runs: [{ algorithm: 'sgd' }], steps: 500 });

function setup(maxCrashes = 4) {
  const workers: FakeWorker[] = [];
  const events: LabEvent[] = [];
  const lab = createLabWorker((e) => events.push(e), {
    create: () => {
      const w = new FakeWorker();
      workers.push(w);
      return w as unknown as Worker;
    },
    maxCrashes,
  });
  return { lab, workers, events };
}

describe('createLabWorker', () => {
  it('restarts a crashed worker and restores the recorded config at the last step', () => {
    const { lab, workers, events } = setup();
    lab.send({ type: 'start', config, backend: 'auto', play: true });
    lab.send({ type: 'setSpeed', stepsPerSecond: 30 });
    const w0 = workers[0];
    expect(w0.sent.map((m) => m.type)).toEqual(['start', 'setSpeed']);
    w0.emit({ type: 'ready', epoch: 3, backend: 'webgl', reasonKind: 'calibration', reason: 'x', backends: [] });
    const recorded = structuredClone(config);
    recorded.runs[0].switches.push({ at: 40, algorithm: 'sgd', hyper: { lr: 0.5 }, keepState: true });
    w0.emit({ type: 'config', epoch: 3, config: recorded });
    w0.emit({ type: 'state', epoch: 3, playing: true, t: 120, target: 500, stepsPerTick: 'auto', stepsPerSecond: 30, pendingSteps: 0 });

    w0.crash('worker crash requested (test hook)');
    expect(w0.terminated).toBe(true);
    expect(workers).toHaveLength(2);
    const restarted = events.at(-1)!;
    expect(restarted).toMatchObject({ type: 'workerRestarted', t: 120, restarts: 1 });
    if (restarted.type === 'workerRestarted') expect(restarted.reason).toMatch(/crash requested/);
    const w1 = workers[1];
    expect(w1.sent[0]).toMatchObject({ type: 'start', backend: 'webgl', play: true, resumeAt: 120 });
    expect((w1.sent[0] as { config: typeof config }).config.runs[0].switches).toHaveLength(1);
    expect(w1.sent[1]).toMatchObject({ type: 'setSpeed', stepsPerSecond: 30 });

    // Epochs keep increasing across workers; events from the dead worker are ignored.
    w1.emit({ type: 'state', epoch: 1, playing: true, t: 121, target: 500, stepsPerTick: 'auto', stepsPerSecond: 30, pendingSteps: 0 });
    expect((events.at(-1) as { epoch: number }).epoch).toBe(4);
    const n = events.length;
    w0.emit({ type: 'state', epoch: 9, playing: false, t: 0, target: 500, stepsPerTick: 'auto', stepsPerSecond: null, pendingSteps: 0 });
    expect(events).toHaveLength(n);

    // A second crash soon after: the backend it ran on is treated as failing.
    w1.crash();
    expect(workers[2].sent[0]).toMatchObject({ type: 'start', backend: 'auto', failBackends: ['webgl'], resumeAt: 121 });
  });

  it('gives up after too many crashes with a fatal error', () => {
    const { lab, workers, events } = setup(2);
    lab.send({ type: 'start', config, backend: 'cpu' });
    workers[0].crash();
    workers[1].crash();
    workers[2].crash();
    expect(workers).toHaveLength(3);
    expect(events.at(-1)).toMatchObject({ type: 'error', fatal: true });
    lab.send({ type: 'pause' });
    expect(events.at(-1)).toMatchObject({ type: 'error', fatal: true, command: 'pause' });
    lab.restart('manual');
    expect(workers).toHaveLength(4);
    expect(workers[3].sent[0]).toMatchObject({ type: 'start', backend: 'cpu' });
  });

  it('a crash before any start just restarts an empty worker', () => {
    const { workers, events } = setup();
    workers[0].crash();
    expect(workers[1].sent).toEqual([]);
    expect(events[0]).toMatchObject({ type: 'workerRestarted', t: 0 });
  });
});
