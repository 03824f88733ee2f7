// A Session driven in Node, as the worker drives it: commands in, events collected (tests only).
import { afterEach } from 'vitest';
import type { BackendHost } from '../src/worker/backend';
import type { FromWorker, ToWorker } from '../src/worker/protocol';
import { Session } from '../src/worker/session';

const sessions: Session[] = [];
afterEach(() => {
  sessions.splice(0).forEach((s) => s.dispose());
});

/** A Session with a short calibration (and optionally a fake backend host); disposed after each test. */
export function harness(opts: { backends?: BackendHost; calibrationMs?: number; checkpointMs?: number } = {}) {
  const msgs: FromWorker[] = [];
  const s = new Session({ post: (m) => msgs.push(m), calibrationMs: opts.calibrationMs ?? 300, backends: opts.backends, checkpointMs: opts.checkpointMs });
  sessions.push(s);
  return {
    s,
    msgs,
    async send(cmd: ToWorker) {
      s.handle(cmd);
      await s.idle();
    },
    of<T extends FromWorker['type']>(type: T): Extract<FromWorker, { type: T }>[] {
      return msgs.filter((m) => m.type === type) as never;
    },
    /** Run i's streamed steps, train and test losses and wall times (from message `from` on). */
    curve(i: number, from = 0) {
      const out = { steps: [] as number[], loss: [] as number[], test: [] as number[], wall: [] as number[] };
      for (const m of msgs.slice(from))
        if (m.type === 'progress')
          for (const b of m.blocks)
            if (b.run === i) {
              out.steps.push(...b.steps);
              out.loss.push(...b.loss);
              out.test.push(...b.testLoss);
              out.wall.push(...b.wallMs);
            }
      return out;
    },
  };
}

export type Harness = ReturnType<typeof harness>;
