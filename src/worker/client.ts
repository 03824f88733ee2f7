/**
 * Main-thread wrapper around the training worker. The UI sends typed commands (protocol.ts) and gets
 * every worker event back through `onEvent`, plus `{type: 'workerRestarted'}` when the worker died
 * (uncaught error, the `crash` test hook, a message it could not deserialize) and was restarted.
 *
 * Restore after a crash: a fresh worker gets `start` with the last config the session reported (so
 * mid-run switches are kept), `resumeAt` = the last step count seen, the previous play state, speed
 * and backend. Epochs are offset so they keep increasing across restarts. If the worker crashes again
 * soon after a restart, the backend it was on is added to `failBackends` (a backend that kills the
 * worker is treated as failing); after 4 crashes within a minute the client gives up and reports a
 * fatal `error`.
 */
import { createTrainingWorker, takeEarlyWorker } from './early';
import type { BackendChoice, BackendName, ExperimentConfig, FromWorker, LabEvent, SetSpeedCmd, StartCmd, ToWorker } from './protocol';
import { packArrays, unpackArrays } from './packed-arrays';

export interface LabWorker {
  send(cmd: ToWorker): void;
  /** Terminates the worker for good. */
  dispose(): void;
  /** Kills and restarts the worker now, restoring the session (as after a crash). */
  restart(reason?: string): void;
  /** Step count, backend and config the client would restore. */
  readonly snapshot: { t: number; playing: boolean; backend: BackendName | null; config: ExperimentConfig | null };
}

export interface LabWorkerOptions {
  /** Makes the worker (tests may inject a fake). */
  create?: () => Worker;
  /** Crashes within `windowMs` before giving up (default 4 in 60 s). */
  maxCrashes?: number;
  windowMs?: number;
}

/**
 * Test hooks (set by src/ui/testHooks.ts, only on pages opened with `?testhooks=1`): backends the next
 * `start` sent through any client treats as failing to initialise (proves the fallback chain in e2e).
 * Consumed by that start; a restart after a crash keeps it, as it keeps the start's own failBackends.
 */
export const clientTestHooks: { failNextStart: BackendName[] | null } = { failNextStart: null };

// The first worker is the one the page's boot script started (early.ts), later ones (restarts) are new.
const defaultCreate = (): Worker => takeEarlyWorker() ?? createTrainingWorker();

export function createLabWorker(onEvent: (e: LabEvent) => void, opts: LabWorkerOptions = {}): LabWorker {
  const create = opts.create ?? defaultCreate;
  const maxCrashes = opts.maxCrashes ?? 4;
  const windowMs = opts.windowMs ?? 60_000;

  let worker: Worker | null = null;
  let disposed = false;
  let gaveUp = false;
  // What a restart restores.
  let lastStart: StartCmd | null = null;
  let config: ExperimentConfig | null = null;
  let t = 0;
  let playing = false;
  let backend: BackendName | null = null;
  let speed: SetSpeedCmd | null = null;
  let restarts = 0;
  let crashes: number[] = [];
  // Epochs keep increasing across workers.
  let epochOffset = 0;
  let maxEpoch = 0;

  const track = (e: FromWorker): void => {
    switch (e.type) {
      case 'started':
        config = e.config;
        t = e.t;
        backend = e.backend;
        break;
      case 'config':
        config = e.config;
        break;
      case 'progress':
        t = e.t;
        break;
      case 'state':
        t = e.t;
        playing = e.playing;
        break;
      case 'ready':
        backend = e.backend;
        break;
      case 'backendChanged':
        backend = e.to;
        break;
      default:
        break;
    }
  };

  const spawn = (): void => {
    const w = create();
    worker = w;
    const offset = epochOffset;
    w.onmessage = (ev: MessageEvent<FromWorker>) => {
      if (w !== worker) return;
      // A config echoed back arrives packed (packed-arrays.ts); data equal to what the page sent is its own arrays.
      const e = ev.data.type === 'started' || ev.data.type === 'config' ? unpackArrays(ev.data, { config }) : ev.data;
      const shifted = { ...e, epoch: e.epoch + offset } as FromWorker;
      maxEpoch = Math.max(maxEpoch, shifted.epoch);
      track(shifted);
      onEvent(shifted);
    };
    w.onerror = (ev: ErrorEvent) => {
      ev.preventDefault?.();
      if (w !== worker) return;
      crashed(`the training worker crashed: ${ev.message || 'uncaught error'}`);
    };
    w.onmessageerror = () => {
      if (w !== worker) return;
      crashed('the training worker sent a message that could not be read');
    };
  };

  const crashed = (reason: string): void => {
    if (disposed || gaveUp) return;
    const now = Date.now();
    crashes = crashes.filter((c) => now - c < windowMs);
    crashes.push(now);
    if (crashes.length > maxCrashes) {
      gaveUp = true;
      worker?.terminate();
      worker = null;
      onEvent({ type: 'error', epoch: maxEpoch, message: `${reason} — it crashed ${crashes.length} times within ${Math.round(windowMs / 1000)} s; giving up (reload the page)`, fatal: true });
      return;
    }
    doRestart(reason, crashes.length > 1);
  };

  const doRestart = (reason: string, suspectBackend: boolean): void => {
    worker?.terminate();
    worker = null;
    restarts += 1;
    epochOffset = maxEpoch;
    spawn();
    const resumeAt = t;
    if (lastStart && config) {
      const fail = new Set<BackendName>(lastStart.failBackends ?? []);
      if (suspectBackend && backend && backend !== 'cpu') fail.add(backend);
      const prev: BackendChoice = backend ?? lastStart.backend ?? 'auto';
      const choice: BackendChoice = prev !== 'auto' && fail.has(prev) ? 'auto' : prev;
      const cmd: StartCmd = { type: 'start', config, backend: choice, play: playing, resumeAt, ...(fail.size ? { failBackends: [...fail] } : {}) };
      worker!.postMessage(packArrays(cmd));
      if (speed) worker!.postMessage(speed);
    }
    onEvent({ type: 'workerRestarted', reason, t: resumeAt, restarts });
  };

  spawn();

  return {
    send(cmd) {
      if (disposed) return;
      if (gaveUp) {
        onEvent({ type: 'error', epoch: maxEpoch, message: 'the training worker is not running (it crashed too often); reload the page', fatal: true, command: cmd.type });
        return;
      }
      switch (cmd.type) {
        case 'start':
          if (clientTestHooks.failNextStart) {
            cmd = { ...cmd, failBackends: [...new Set([...(cmd.failBackends ?? []), ...clientTestHooks.failNextStart])] };
            clientTestHooks.failNextStart = null;
          }
          lastStart = cmd;
          config = cmd.config;
          t = cmd.resumeAt ?? 0;
          playing = cmd.play ?? true;
          crashes = [];
          break;
        case 'setSpeed':
          speed = { type: 'setSpeed', stepsPerTick: cmd.stepsPerTick ?? speed?.stepsPerTick, stepsPerSecond: cmd.stepsPerSecond !== undefined ? cmd.stepsPerSecond : speed?.stepsPerSecond };
          break;
        case 'pause':
          playing = false;
          break;
        case 'resume':
          playing = true;
          break;
        case 'dispose':
          worker?.postMessage(cmd);
          disposed = true;
          worker?.terminate();
          worker = null;
          return;
        default:
          break;
      }
      // A start's explicit data travels packed: one Float64Array instead of 20,000 row arrays to clone.
      worker?.postMessage(cmd.type === 'start' ? packArrays(cmd) : cmd);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      worker?.postMessage({ type: 'dispose' } satisfies ToWorker);
      worker?.terminate();
      worker = null;
    },
    restart(reason = 'restarted on request') {
      if (disposed) return;
      gaveUp = false;
      doRestart(reason, false);
    },
    get snapshot() {
      return { t, playing, backend, config };
    },
  };
}
