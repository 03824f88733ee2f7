/**
 * The bridge between the store and the training worker (src/worker/client.ts): sends commands, turns
 * events into live-buffer appends (progress) and small store updates (everything else). Store
 * summaries are refreshed from the live buffers at most once per animation frame.
 */
import { ALGORITHM_SPECS } from '../core/algorithms/spec-registry';
import type { ExperimentConfig } from '../core/config';
import { createLabWorker } from '../worker/client';
import type { LabEvent, StartedEvt, ToWorker } from '../worker/protocol';
import { onAudio, onAudioError } from './audio-state';
import { onContour, onContourError } from './contour-state';
import { distinctLabels } from './hyperDiff';
import { live, LiveRun, markDirty, marksFromConfig, onFrame, requestFrame, resetLive } from './live';
import { answeredFor } from './requests';
import { noteAccuracyEvent } from './panels/RunAccuracy';
import { noteImageViewsEvent } from './imageViews';
import { getLab, setLab, type RunSummary } from './store';

interface Client {
  send(cmd: ToWorker): void;
  dispose?(): void;
}

let client: Client | null = null;
let epoch = -1;
/** Commands to send once the session answers 'started' (e.g. a step asked for before it existed). */
let afterStart: ToWorker[] = [];

export function send(cmd: ToWorker): void {
  client ??= createLabWorker(handle) as Client;
  client.send(cmd);
}

/** Starts a new session from a validated config. */
export function startSession(config: ExperimentConfig, play: boolean, then: ToWorker[] = []): void {
  const { view, draft } = getLab();
  afterStart = then;
  // The session is started from the form (prepare, Start, a preview, a link): its runs are the cards'.
  setLab({ starting: true, dirty: false, sessionKeys: draft.runs.map((r) => r.key), surrogate: null, plane: null, modelView: null });
  send({ type: 'start', config, backend: view.backend, play });
  applySpeed(view.speed);
}

/**
 * Stops a slow preparation: the worker is ended (a fresh one starts with the next command) and the
 * page goes back to the form, saying so.
 */
export function cancelStart(): void {
  client?.dispose?.();
  client = null;
  afterStart = [];
  setLab({
    starting: false,
    playing: false,
    session: null,
    dirty: true,
    workerNotice: {
      kind: 'info',
      title: 'Preparation cancelled',
      messages: ['The session was not started. Make the experiment smaller (fewer runs, points or wider layers), or run it headless: npm run lab -- run <config.json> --stream.'],
    },
  });
}

/** A WebAssembly abort (out of memory in the page) said plainly. */
export function explainWorkerError(message: string): string {
  if (/Aborted\(|RuntimeError|out of memory|Array buffer allocation failed|Invalid typed array length/i.test(message))
    return `The computation ran out of memory in the page (${message.slice(0, 120)}): this experiment is too big for the browser. Make it smaller, or run it headless with npm run lab.`;
  return message;
}

export function applySpeed(speed: number): void {
  if (!client) return;
  send({ type: 'setSpeed', stepsPerTick: 'auto', stepsPerSecond: speed > 0 ? speed : null });
}

/** Set by a worker restart: the next 'started' restores the session, keeping the history. */
let restoring = false;

function onStarted(e: StartedEvt): void {
  epoch = e.epoch;
  liveT = e.t;
  if (restoring && live.runs.length === e.runs.length) {
    restoring = false;
    live.runs.forEach((r, i) => {
      r.truncate(e.t);
      r.status = e.runs[i].status;
      r.append(e.t, r.buffer.last('wall'), e.loss[i], e.testLoss[i]);
    });
    markDirty();
    setLab((s) => ({ starting: false, t: e.t, session: s.session ? { ...s.session, epoch: e.epoch, config: e.config } : s.session }));
    return;
  }
  restoring = false;
  const miniBatch = e.config.problem.kind === 'mlp' && e.config.problem.batchSize !== null;
  const labels = distinctLabels(e.config, e.runs.map((m) => m.label));
  const runs = e.runs.map((m) => {
    const r = new LiveRun(labels[m.run] ?? m.label, e.config.runs[m.run]?.algorithm ?? m.algorithm, miniBatch);
    r.status = m.status;
    const rc = e.config.runs[m.run];
    if (rc) r.setSwitches(marksFromConfig(rc));
    else for (const s of m.switches) r.addSwitch({ at: s.at, from: s.from, to: s.to, keepState: s.keepState, hyper: s.hyper });
    r.append(e.t, 0, e.loss[m.run], e.testLoss[m.run]);
    return r;
  });
  resetLive(runs);
  const s = getLab();
  setLab({
    starting: false,
    session: { epoch: e.epoch, config: e.config, kind: e.problem.kind, hasTest: e.problem.hasTest, paramNames: e.problem.paramNames },
    t: e.t,
    target: e.config.steps,
    surrogate: null,
    plane: null,
    modelView: null,
    scrubAt: null,
    view: s.view.sel < runs.length ? s.view : { ...s.view, sel: 0 },
  });
  const queued = afterStart;
  afterStart = [];
  queued.forEach(send);
}

function handle(e: LabEvent): void {
  if (e.type === 'workerRestarted') {
    restoring = true;
    live.runs.forEach((r) => r.truncate(e.t));
    markDirty();
    setLab({
      workerNotice: {
        kind: 'warning',
        title: `The training worker stopped and was restarted (restart ${e.restarts})`,
        messages: [`${e.reason}`, `The session resumed at step ${e.t}; the curves so far are kept and can still be exported.`],
      },
    });
    return;
  }
  if ('epoch' in e && e.type !== 'started' && e.type !== 'ready' && e.type !== 'error' && e.epoch < epoch) return;
  noteAccuracyEvent(e);
  if (noteImageViewsEvent(e)) return;
  switch (e.type) {
    case 'ready':
      setLab({ backend: { name: e.backend, reasonKind: e.reasonKind, reason: e.reason, backends: e.backends } });
      break;
    case 'started':
      onStarted(e);
      break;
    case 'progress':
      for (const b of e.blocks) {
        const run = live.runs[b.run];
        if (!run) continue;
        for (let i = 0; i < b.steps.length; i++) run.append(b.steps[i], b.wallMs[i], b.loss[i], b.testLoss[i]);
        if (b.extras) run.noteExtras(b.steps, b.extras);
      }
      liveRate = e.stepsPerSec;
      liveT = e.t;
      markDirty();
      break;
    case 'runStatus': {
      const run = live.runs[e.run];
      if (run) {
        run.status = e.status;
        run.message = e.message;
        if (e.divergedAt !== null) run.divergedAt = e.divergedAt;
        markDirty();
      }
      break;
    }
    case 'switched': {
      const run = live.runs[e.run];
      if (run) run.addSwitch({ at: e.record.at, from: e.record.from, to: e.record.to, keepState: e.record.keepState, hyper: e.hyper });
      markDirty();
      break;
    }
    case 'config':
      onConfig(e.config);
      break;
    case 'state':
      setLab({ playing: e.playing, t: e.t, target: e.target });
      liveT = e.t;
      markDirty();
      break;
    case 'surrogate':
      if (e.data.kind === 'slice') setLab({ surrogate: e });
      else setLab({ plane: e });
      answeredFor(e.data.kind, undefined, e.computeMs);
      break;
    case 'view': {
      // Data points are sent once per session: carry them over to later answers.
      const prev = getLab().modelView;
      let v = e;
      if ((e.view.kind === 'mlp2d' || e.view.kind === 'mlp1d') && !e.view.train && prev?.epoch === e.epoch && prev.view.kind === e.view.kind)
        v = { ...e, view: { ...e.view, train: prev.view.train, test: prev.view.test } } as typeof e;
      setLab({ modelView: v });
      answeredFor('view', undefined, e.computeMs);
      break;
    }
    case 'audio':
      onAudio(e);
      break;
    case 'contour':
      onContour(e);
      break;
    case 'backendChanged':
      setLab({
        backendNotice: e.cause === 'requested' ? null : { kind: 'warning', title: `Backend changed: ${e.from ?? '—'} → ${e.to}`, messages: [e.reason] },
      });
      break;
    case 'error': {
      if (e.command === 'requestSurrogate' && !e.fatal) {
        answeredFor('slice', e.message);
        answeredFor('plane', e.message);
        break;
      }
      if (e.command === 'requestContour' && !e.fatal) {
        onContourError(e.message);
        break;
      }
      if (e.command === 'requestAudio' && !e.fatal) {
        onAudioError(e.message);
        break;
      }
      if (e.command === 'requestView' && !e.fatal) {
        answeredFor('view', e.message);
        break;
      }
      const msgs = e.errors?.length ? e.errors : [explainWorkerError(e.message)];
      setLab({
        starting: false,
        workerNotice: { kind: 'error', title: e.fatal ? 'The training worker failed' : `The worker refused '${e.command ?? 'a command'}'`, messages: msgs },
      });
      break;
    }
  }
}

/**
 * The session's config changed (a mid-run switch, new target): keep the form's schedule in sync — each
 * card of a session run (found by its key) takes the run's switches, even while other fields are edited.
 */
function onConfig(config: ExperimentConfig): void {
  const s = getLab();
  if (!s.session) return;
  const runs = s.draft.runs.map((r) => {
    const rc = config.runs[s.sessionKeys.indexOf(r.key)];
    return rc ? { ...r, switches: structuredClone(rc.switches) } : r;
  });
  const draft = { ...s.draft, ...(s.dirty ? {} : { steps: config.steps }), runs };
  live.runs.forEach((r, i) => config.runs[i] && r.setSwitches(marksFromConfig(config.runs[i])));
  markDirty();
  setLab({ session: { ...s.session, config }, draft, target: config.steps });
}

let liveT = 0;
let liveRate = 0;

function summaries(): RunSummary[] {
  return live.runs.map((r) => {
    const alg = r.currentAlgorithm;
    return {
      label: r.label,
      algorithm: alg,
      baseAlgorithm: r.baseAlgorithm,
      family: ALGORITHM_SPECS[alg]?.family,
      t: r.buffer.last('step'),
      loss: r.buffer.last('loss'),
      test: r.buffer.last('test'),
      status: r.status,
      message: r.message,
      divergedAt: r.divergedAt,
      monotone: { ...r.monotone },
      observed: { ...r.observed },
      switches: r.switches.length,
    };
  });
}

let lastSummary = 0;
onFrame(() => {
  const now = performance.now();
  // React tables refresh at ≤ 20 Hz; the charts redraw on every frame through their own listeners.
  if (now - lastSummary < 50 && getLab().playing) {
    requestFrame();
    return;
  }
  lastSummary = now;
  setLab((s) => ({ summaries: summaries(), t: liveT, stepsPerSec: liveRate, frame: s.frame + 1 }));
});
