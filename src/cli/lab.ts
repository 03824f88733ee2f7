/**
 * The headless runner: the lab's experiments in Node, on the same core as the browser.
 *
 *   npm run lab -- run <config.json | ->  [--backend js|cpu|wasm] [--threads N] [--no-test] [--pretty] [--every K] [--stream]
 *
 * Prints JSON: for each run the objective before the first step and after every step (`losses`),
 * the test objective when the problem has test data, status, timing and steps/s.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { parseExperiment } from '../core/config';
import { runExperiment } from '../core/experiment';
import { canFuse, canFuseNMF, FUSED_SCOPE, runFusedExperiment, runFusedNMFExperiment } from '../core/fused';
import { setNodeBackend, ENGINES, type Engine } from './backend';
import { setWasmThreads } from './wasm-threads';
import { defaultKernelThreads, spawnNodeThread } from './kernel-threads';
import { runStreamed, runThinned, type FoldEngine } from './stream';

const KNOWN_FLAGS = ['--backend', '--threads', '--every', '--no-test', '--pretty', '--stream'];

const USAGE = `usage: npm run lab -- run <config.json | ->  [--backend ${ENGINES.join('|')}] [--threads N] [--no-test] [--pretty]
                                         [--every K] [--stream]

  run      run an experiment and print its trajectories as JSON ('-' reads stdin; a lab export
           {config, results} re-runs its config)
  --backend  js: the fused engine, reported as "js-fused": MLP + gradient optimizers, mm-lipschitz,
             mm-layerwise; NMF + nmf-mm, nmf-mu (blocked WebAssembly SIMD passes).
             cpu, wasm: tfjs backends. Default: js when the experiment allows it, else wasm for NMF,
             else cpu
  --threads  threads: for the fused NMF engine's kernels (default: one per core) and for the tfjs
             wasm backend (XNNPACK's pool; default 1). Results do not depend on it (fused: bit for bit)
  --no-test  do not record the test objective
  --pretty   indent the JSON output
  --every K  keep the objective at steps 0, K, 2K, … and the last step only (with their step numbers
             in \`lossSteps\`): memory and output O(steps / K) instead of O(steps)
  --stream   print JSON lines as the runs go, {"run", "id", "t", "loss", "testLoss"} per run every K
             steps (--every, default 1) and at its last step, then {"summary": …} (no series kept)`;

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function readConfig(path: string): unknown {
  let text: string;
  try {
    text = path === '-' ? readFileSync(0, 'utf8') : readFileSync(path, 'utf8');
  } catch (e) {
    fail(`cannot read config '${path}': ${(e as Error).message}`);
  }
  // A UTF-8 byte-order mark (Windows editors write one) is not part of the JSON: drop it.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (e) {
    fail(`config '${path}' is not valid JSON: ${(e as Error).message}`);
  }
}

/** A lab export ({config, results}) re-runs its config; anything else is taken as the config itself. */
function experimentOf(raw: unknown): unknown {
  if (raw && typeof raw === 'object' && !('version' in raw) && 'config' in raw) return (raw as { config: unknown }).config;
  return raw;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (command !== 'run') fail(`unknown command '${command}'\n\n${USAGE}`);
  const files = rest.filter((a) => !a.startsWith('--') || a === '-');
  const flags = new Set(rest.filter((a) => a.startsWith('--') && a !== '-'));
  const backendIdx = rest.indexOf('--backend');
  const requested = backendIdx >= 0 ? (rest[backendIdx + 1] as Engine) : null;
  if (requested !== null && !ENGINES.includes(requested)) fail(`--backend must be one of ${ENGINES.join(', ')}`);
  if (requested !== null) files.splice(files.indexOf(requested), 1);
  const threadsIdx = rest.indexOf('--threads');
  const threads = threadsIdx >= 0 ? Number(rest[threadsIdx + 1]) : null;
  if (threads !== null && (!Number.isInteger(threads) || threads < 1 || threads > 64)) fail('--threads must be a whole number from 1 to 64');
  if (threadsIdx >= 0) files.splice(files.indexOf(rest[threadsIdx + 1]), 1);
  const everyIdx = rest.indexOf('--every');
  const every = everyIdx >= 0 ? Number(rest[everyIdx + 1]) : null;
  if (every !== null && (!Number.isInteger(every) || every < 1 || every > 1_000_000)) fail('--every must be a whole number from 1 to 1000000');
  if (everyIdx >= 0) files.splice(files.indexOf(rest[everyIdx + 1]), 1);
  const unknown = [...flags].filter((f) => !KNOWN_FLAGS.includes(f));
  if (unknown.length) fail(`unknown option ${unknown.join(', ')}\n\n${USAGE}`);
  setWasmThreads(threads ?? 1);
  if (files.length !== 1) fail(USAGE);

  const parsed = parseExperiment(experimentOf(readConfig(files[0])));
  if (!parsed.ok) fail(`invalid experiment config:\n  ${parsed.errors.join('\n  ')}`);
  const fusedNMF = canFuseNMF(parsed.config);
  const fusable = canFuse(parsed.config) || fusedNMF;
  const backend: Engine = requested ?? (fusable ? 'js' : parsed.config.problem.kind === 'nmf' ? 'wasm' : 'cpu');
  if (backend === 'js' && !fusable)
    fail(`--backend js runs ${FUSED_SCOPE}; use --backend cpu or wasm`);
  const opts = { recordTest: !flags.has('--no-test') };
  if (flags.has('--stream') || every !== null) {
    // Bounded memory: a fold that stores (or prints) only what was asked for (stream.ts).
    const engine: FoldEngine =
      backend === 'js'
        ? fusedNMF
          ? { kind: 'fused-nmf', opts: { threads: threads ?? defaultKernelThreads(), spawn: spawnNodeThread } }
          : { kind: 'fused' }
        : { kind: 'tfjs' };
    if (backend !== 'js') await setNodeBackend(backend);
    if (flags.has('--stream')) runStreamed(parsed.config, engine, opts.recordTest, every ?? 1, (chunk) => process.stdout.write(chunk));
    else process.stdout.write(`${JSON.stringify(runThinned(parsed.config, engine, opts.recordTest, every!), null, flags.has('--pretty') ? 2 : undefined)}\n`);
    tf.disposeVariables();
    if ((threads ?? 1) > 1) process.stdout.write('', () => process.exit(0));
    return;
  }
  let result;
  if (backend === 'js')
    result = fusedNMF
      ? runFusedNMFExperiment(parsed.config, { ...opts, threads: threads ?? defaultKernelThreads(), spawn: spawnNodeThread })
      : runFusedExperiment(parsed.config, opts);
  else {
    await setNodeBackend(backend);
    result = runExperiment(parsed.config, opts);
  }
  process.stdout.write(`${JSON.stringify(result, null, flags.has('--pretty') ? 2 : undefined)}\n`);
  tf.disposeVariables();
  // emscripten keeps its pthread workers referenced while they have run work: leave explicitly
  if ((threads ?? 1) > 1) process.stdout.write('', () => process.exit(0));
}

main(process.argv.slice(2)).catch((e) => fail(`error: ${e instanceof Error ? e.message : String(e)}`, 1));
