/** The CLI's commands and their options (args.ts parses against these; `--help` prints them). */
import type { CommandSpec } from './args';
import { ENGINES } from './backend';

export const BIN = 'mm-lab';

const COMMON: CommandSpec['options'] = {
  '--backend': {
    value: ENGINES.join('|'),
    help: `js: the fused cpu engine (reported as "js-fused"); cpu, wasm: tfjs backends.
Default: js when the experiment allows it, else wasm for NMF, else cpu`,
  },
  '--threads': {
    value: 'N',
    help: `threads of the fused NMF kernels (default: one per core; one per point in a sweep) and of
tfjs-wasm's XNNPACK pool (default 1). Results do not depend on it`,
  },
  '--no-test': { help: 'do not record the test objective' },
  '--pretty': { help: 'indent the JSON output' },
  '--progress': { help: 'show the progress line on stderr even when stderr is not a terminal' },
  '--no-progress': { help: 'never show the progress line (default: shown on a terminal after 1 s)' },
};
const HELP: CommandSpec['options'] = { '--help': { help: 'show this help' } };

export const RUN: CommandSpec = {
  name: 'run',
  short: 'run an experiment, print its trajectories as JSON',
  args: '<config.json | ->',
  summary: `Runs an experiment and prints its trajectories as JSON on stdout: per run, f before the first step
and after every step (losses), the test f, status, timing. '-' reads the config from stdin; a lab
export {config, results} re-runs its config. Mini-batch image problems evaluate f once per epoch
(the config's "evalEvery": "auto", or a number k): then losses hold f at steps 0, k, 2k, … and the
last, their steps in lossSteps, and the output carries evalEvery.`,
  options: {
    '--every': {
      value: 'K',
      help: `keep f at steps 0, K, 2K, … and the last step only (step numbers in lossSteps):
memory and output O(steps / K). K is rounded up to a multiple of the config's
evalEvery (f exists only there); the output's "every" is the K used`,
    },
    '--stream': {
      help: `print JSON lines as the runs go: {"run", "id", "t", "loss", "testLoss"} per run every K
steps (--every, default 1) and at its last step, then {"summary": …}`,
    },
    ...COMMON,
    ...HELP,
  },
  notes: `example: ${BIN} run examples/moons-mm.json > out.json`,
};

export const SWEEP: CommandSpec = {
  name: 'sweep',
  short: 'run one run once per value of a hyper-parameter, in parallel',
  args: '<config.json | ->',
  summary: `Runs one run of the experiment once per value of one hyper-parameter, the points spread over
worker threads, and prints {"sweep", "backend", "steps", "points": [{"value", "finalLoss", "losses",
"status", …}, …]}. Each point's numbers are those of the one-run experiment with that value run alone.
Without --hyper/--values the config's "sweep" block ({"run", "hyper", "values"}) is used.`,
  options: {
    '--run': { value: 'ID', help: "the run to sweep: its id or 0-based index (needed when there are several runs)" },
    '--hyper': { value: 'NAME', help: "the hyper-parameter to vary, by the algorithm's name for it (lr, momentum, …)" },
    '--values': {
      value: 'V1,V2,…',
      help: `the values, separated by commas (numbers, or true/false); an entry a..b:n is n log-spaced
values from a to b (1e-4..1:5 = 0.0001,0.001,0.01,0.1,1)`,
    },
    '--jobs': { value: 'N', help: 'worker threads (default: one per core, at most one per point)' },
    ...COMMON,
    ...HELP,
  },
  notes: `example: ${BIN} sweep examples/moons-mm.json --run adam --hyper lr --values 0.001,0.01,0.1,1`,
};

export const COMMANDS = [RUN, SWEEP];

export const MAIN_HELP = `usage: ${BIN} <command> [options]     (from a checkout: npx ${BIN} …, or npm run lab -- …)

MM Lab headless: the lab's experiments in Node, on the same core as the page.

commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(7)}${c.short}`).join('\n')}

  ${BIN} <command> --help    the command's options
  ${BIN} --version           the version`;
