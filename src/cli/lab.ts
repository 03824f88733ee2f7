/**
 * The headless runner: the lab's experiments in Node, on the same core as the browser.
 *
 *   mm-lab run <config.json | ->    [--backend js|cpu|wasm] [--threads N] [--every K] [--stream] …
 *   mm-lab sweep <config.json | ->  --run ID --hyper NAME --values V1,V2,… [--jobs N] …
 *   mm-lab --help | <command> --help | --version
 *
 * (bin/mm-lab.js runs this file; so do `npm run lab --` and `node --import tsx src/cli/lab.ts`.)
 * stdout carries the JSON alone; messages and the progress line go to stderr. Exit codes: 0 done (also
 * when stdout is closed early, as by `| head`), 1 a failure while running, 2 bad arguments or config.
 */
import { readFileSync } from 'node:fs';
import { parseExperiment, type ExperimentConfig } from '../core/config';
import { parseSweepValues, planSweep } from '../core/sweep';
import { choiceOption, commandHelp, intOption, parseArgs, stringOption, UsageError, type CommandSpec, type ParsedArgs } from './args';
import { ENGINES } from './backend';
import { BIN, COMMANDS, MAIN_HELP, RUN, SWEEP } from './commands';
import { executeFull, executeStreamed, executeThinned, type ExecOptions } from './execute';
import { progress } from './progress';
import { defaultJobs, runSweep } from './sweep';
import { setWasmThreads } from './wasm-threads';

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** A reader that closed stdout (`| head`) has all it wants: end quietly, with success. */
const closedPipe = (e: unknown): boolean => (e as NodeJS.ErrnoException | null)?.code === 'EPIPE';
process.stdout.on('error', (e) => (closedPipe(e) ? process.exit(0) : fail(`error: cannot write the output: ${e.message}`, 1)));
process.stderr.on('error', (e) => closedPipe(e) && process.exit(0));

/** Writes to stdout; a pipe found closed ends the command at once (a long --stream stops computing). */
function out(chunk: string): void {
  process.stdout.write(chunk);
  if (closedPipe(process.stdout.errored)) process.exit(0);
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

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
  return `${pkg.name} ${pkg.version}`;
}

/** The options every command shares, and the config file (exactly one). */
function common(spec: CommandSpec, args: ParsedArgs): { config: ExperimentConfig; exec: Omit<ExecOptions, 'onStep'>; progress: boolean | null } {
  const backend = choiceOption(args, '--backend', ENGINES);
  const threads = intOption(args, '--threads', 1, 64);
  if (args.options.has('--progress') && args.options.has('--no-progress')) throw new UsageError('--progress and --no-progress contradict each other');
  if (args.positional.length !== 1)
    throw new UsageError(`${spec.name} needs one config file (or '-' for stdin), got ${args.positional.length ? args.positional.join(' ') : 'none'}; see ${BIN} ${spec.name} --help`);
  setWasmThreads(threads ?? 1);
  const parsed = parseExperiment(experimentOf(readConfig(args.positional[0])));
  if (!parsed.ok) fail(`invalid experiment config:\n  ${parsed.errors.join('\n  ')}`);
  const prog = args.options.has('--progress') ? true : args.options.has('--no-progress') ? false : null;
  return { config: parsed.config, exec: { backend, threads, recordTest: !args.options.has('--no-test') }, progress: prog };
}

const json = (v: unknown, args: ParsedArgs): string => `${JSON.stringify(v, null, args.options.has('--pretty') ? 2 : undefined)}\n`;

async function run(args: ParsedArgs): Promise<void> {
  const { config, exec, progress: force } = common(RUN, args);
  const every = intOption(args, '--every', 1, 1_000_000);
  const stream = args.options.has('--stream');
  // Streamed lines and the progress line would share a terminal: there the lines are the progress.
  const bar = progress({ unit: 'steps', total: config.steps, force: force ?? (stream && process.stdout.isTTY ? false : null) });
  const o: ExecOptions = { ...exec, onStep: (t) => bar.update(t) };
  if (stream) {
    await executeStreamed(config, o, every ?? 1, (chunk) => {
      bar.clear();
      out(chunk);
    });
    bar.end();
  } else {
    const result = every !== null ? await executeThinned(config, o, every) : await executeFull(config, o);
    bar.end();
    out(json(result, args));
  }
}

async function sweep(args: ParsedArgs): Promise<void> {
  const { config, exec, progress: force } = common(SWEEP, args);
  const jobs = intOption(args, '--jobs', 1, 64);
  const block = config.sweep;
  const hyper = stringOption(args, '--hyper') ?? block?.hyper;
  const valuesText = stringOption(args, '--values');
  let values = block?.values;
  if (valuesText !== null) {
    const v = parseSweepValues(valuesText);
    if (!v.ok) fail(v.errors.join('\n'));
    values = v.value;
  }
  if (hyper === undefined || values === undefined)
    throw new UsageError(`sweep needs ${hyper === undefined ? '--hyper <name>' : '--values v1,v2,…'} (or a "sweep" block in the config); see ${BIN} sweep --help`);
  const plan = planSweep(config, { run: stringOption(args, '--run') ?? block?.run, hyper, values });
  if (!plan.ok) fail(plan.errors.join('\n'));
  // Points run side by side: one kernel thread each unless asked (the numbers do not depend on it).
  const result = await runSweep(plan.value, { exec: { ...exec, threads: exec.threads ?? 1 }, jobs: jobs ?? defaultJobs(), progress: force });
  out(json(result, args));
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') return void out(`${MAIN_HELP}\n`);
  if (command === '--version' || command === '-V') return void out(`${version()}\n`);
  if (command === 'help') {
    const spec = COMMANDS.find((c) => c.name === rest[0]);
    return void out(`${spec ? commandHelp(BIN, spec) : MAIN_HELP}\n`);
  }
  const spec = COMMANDS.find((c) => c.name === command);
  if (!spec) throw new UsageError(`unknown command '${command}' (commands: ${COMMANDS.map((c) => c.name).join(', ')}; see ${BIN} --help)`);
  const args = parseArgs(spec, rest);
  if (args.options.has('--help')) return void out(`${commandHelp(BIN, spec)}\n`);
  await (spec === RUN ? run(args) : sweep(args));
  // emscripten keeps its pthread workers (tfjs-wasm with --threads > 1) referenced: leave explicitly
  const threads = intOption(args, '--threads', 1, 64);
  if ((threads ?? 1) > 1) process.stdout.write('', () => process.exit(0));
}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof UsageError) fail(e.message, 2);
  if (closedPipe(e)) process.exit(0);
  fail(`error: ${e instanceof Error ? e.message : String(e)}`, 1);
});
