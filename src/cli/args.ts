/**
 * The command line's grammar: each command's options, parsed strictly. `--name value` and
 * `--name=value` both work; an option the command does not know is refused with the list of the
 * options it does know (a typo such as `--backnd js` must not be ignored silently).
 */

export interface OptionSpec {
  /** Takes a value (`--backend js`); otherwise a switch (`--pretty`). */
  value?: string;
  help: string;
}

export interface CommandSpec {
  name: string;
  /** A few words for the command list. */
  short: string;
  /** What the command does (the help's paragraph). */
  summary: string;
  /** The positional arguments, as shown in the usage line. */
  args: string;
  options: Record<string, OptionSpec>;
  /** More lines after the options (examples, notes). */
  notes?: string;
}

export interface ParsedArgs {
  positional: string[];
  options: Map<string, string | true>;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parses `argv` (after the command's name) against `spec`; throws UsageError with a clear message. */
export function parseArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-' || !a.startsWith('-')) {
      positional.push(a);
      continue;
    }
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    const opt = Object.hasOwn(spec.options, name) ? spec.options[name] : undefined;
    if (!opt) throw new UsageError(`unknown option ${name} for '${spec.name}'; valid options: ${Object.keys(spec.options).join(', ')}`);
    if (options.has(name)) throw new UsageError(`${name} given twice`);
    if (!opt.value) {
      if (eq > 0) throw new UsageError(`${name} takes no value`);
      options.set(name, true);
      continue;
    }
    const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`${name} needs a value (${name} ${opt.value})`);
    options.set(name, value);
  }
  return { positional, options };
}

/** A whole number option in [lo, hi], or null when absent. */
export function intOption(args: ParsedArgs, name: string, lo: number, hi: number): number | null {
  const v = args.options.get(name);
  if (v === undefined) return null;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v) || !Number.isInteger(n) || n < lo || n > hi)
    throw new UsageError(`${name} must be a whole number from ${lo} to ${hi} (got '${String(v)}')`);
  return n;
}

/** A string option, or null when absent. */
export function stringOption(args: ParsedArgs, name: string): string | null {
  const v = args.options.get(name);
  return typeof v === 'string' ? v : null;
}

/** One choice of `choices`, or null when absent. */
export function choiceOption<T extends string>(args: ParsedArgs, name: string, choices: readonly T[]): T | null {
  const v = stringOption(args, name);
  if (v === null) return null;
  if (!(choices as readonly string[]).includes(v)) throw new UsageError(`${name} must be one of ${choices.join(', ')} (got '${v}')`);
  return v as T;
}

/** The command's help text: usage line, summary, options, notes. */
export function commandHelp(bin: string, spec: CommandSpec): string {
  const opts = Object.entries(spec.options).map(([name, o]) => [o.value ? `${name} ${o.value}` : name, o.help] as const);
  const width = Math.max(...opts.map(([n]) => n.length)) + 2;
  const lines = opts.map(([n, h]) => `  ${n.padEnd(width)}${h.replace(/\n/g, `\n  ${' '.repeat(width)}`)}`);
  return [`usage: ${bin} ${spec.name} ${spec.args} [options]`, '', spec.summary, '', 'options:', ...lines, ...(spec.notes ? ['', spec.notes] : [])].join('\n');
}
