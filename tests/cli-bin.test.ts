/**
 * Issue 15, points 14–17 (the command line), as a user runs it (child processes):
 *  14. a real bin — `npx mm-lab run ex.json > out.json` writes the JSON alone, from any directory;
 *  15. `… | head -40` ends quietly: exit 0, no stack trace;
 *  16. unknown flags refused with the valid ones; --help per command, --version; the progress line on
 *      stderr (on a terminal, or with --progress), quiet when stderr is not a terminal;
 *  17. every dependency install script is covered by package.json's allowScripts (npm 11 installs clean).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LAB_BUNDLE } from './cli-command';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mmlab-bin-'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  bin?: Record<string, string>;
  allowScripts?: Record<string, boolean | string>;
};

type Out = { status: number | null; stdout: string; stderr: string };
function lab(args: string[], opts: { cwd?: string } = {}): Out {
  const r = spawnSync(process.execPath, [LAB_BUNDLE, ...args], { cwd: opts.cwd ?? root, encoding: 'utf8', timeout: 90_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
function sh(script: string): Out {
  const r = spawnSync('bash', ['-c', script], { cwd: root, encoding: 'utf8', timeout: 90_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A tiny NMF that runs ~2 s of steps (600k steps at ~300k/s), printing 7 numbers. */
const slow = join(dir, 'slow.json');
writeFileSync(
  slow,
  JSON.stringify({
    version: 1,
    problem: { kind: 'nmf', beta: 2, rank: 1, data: { kind: 'explicit', V: [[1, 2], [3, 4]] } },
    runs: [{ algorithm: 'nmf-mu' }],
    steps: 600_000,
  }),
);
const PROGRESS = /step \d+\/600000 · [\d.]+ steps\/s · ETA/;

describe('point 14: the mm-lab bin', () => {
  it('package.json names bin/mm-lab.js, which prints the JSON alone, run from another directory', () => {
    expect(pkg.bin).toEqual({ 'mm-lab': 'bin/mm-lab.js' });
    const out = join(dir, 'out.json');
    const r = spawnSync(process.execPath, [join(root, 'bin/mm-lab.js'), 'run', join(root, 'examples/moons-sgd.json')], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(r.status, r.stderr).toBe(0);
    writeFileSync(out, r.stdout);
    const viaBin = JSON.parse(readFileSync(out, 'utf8')) as { runs: { losses: number[] }[] };
    const direct = JSON.parse(lab(['run', 'examples/moons-sgd.json']).stdout) as { runs: { losses: number[] }[] };
    expect(viaBin.runs.map((x) => x.losses)).toEqual(direct.runs.map((x) => x.losses));
  });

  it('`npx mm-lab run ex.json > out.json` gives a file that is JSON (npm adds no banner)', () => {
    const r = sh(`npx --no mm-lab run examples/moons-sgd.json > ${join(dir, 'npx.json')}`);
    expect(r.status, r.stderr).toBe(0);
    const text = readFileSync(join(dir, 'npx.json'), 'utf8');
    expect(text.startsWith('{"backend":')).toBe(true);
    expect(() => JSON.parse(text)).not.toThrow();
  });
});

describe('point 15: a closed pipe', () => {
  it.each([[['--pretty']], [['--stream']]])('`run examples/moons-mm.json %s | head` ends with exit 0 and nothing on stderr', (flags) => {
    const r = sh(`node ${LAB_BUNDLE} run examples/moons-mm.json ${flags.join(' ')} 2>${join(dir, 'err.txt')} | head -40 > /dev/null; echo "exit \${PIPESTATUS[0]}"`);
    expect(r.stdout.trim()).toBe('exit 0');
    expect(readFileSync(join(dir, 'err.txt'), 'utf8')).toBe('');
  });
});

describe('point 16: flags, help, version, progress', () => {
  it('refuses an unknown flag, naming it and every valid flag of the command', () => {
    const r = lab(['run', 'examples/moons-sgd.json', '--bogus']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/unknown option --bogus for 'run'; valid options: --every, --stream, --backend, --threads, --no-test, --pretty, --progress, --no-progress, --help/);
    const s = lab(['sweep', 'examples/moons-sgd.json', '--backnd=js']);
    expect(s.status).toBe(2);
    expect(s.stderr).toMatch(/unknown option --backnd for 'sweep'; valid options: --run, --hyper, --values, --jobs, --backend/);
  });

  it('refuses a flag without its value, and accepts --name=value', () => {
    expect(lab(['run', 'examples/moons-sgd.json', '--every']).stderr).toMatch(/--every needs a value \(--every K\)/);
    const r = lab(['run', 'examples/moons-sgd.json', '--every=100', '--backend=js']);
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { runs: { lossSteps: number[] }[] }).runs[0].lossSteps).toEqual([0, 100, 200, 300]);
  });

  it.each(['run', 'sweep'])('%s --help and help <command> print the usage and options on stdout', (cmd) => {
    const r = lab([cmd, '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^usage: mm-lab ${cmd} <config\\.json \\| ->`));
    expect(r.stdout).toMatch(/--backend js\|cpu\|wasm/);
    expect(lab(['help', cmd]).stdout).toBe(r.stdout);
  });

  it('--help lists the commands; --version prints the package version', () => {
    const h = lab(['--help']);
    expect(h.status).toBe(0);
    expect(h.stdout).toMatch(/commands:\n {2}run .*\n {2}sweep /);
    const v = lab(['--version']);
    expect(v.status).toBe(0);
    expect(v.stdout).toBe(`mm-lab ${pkg.version}\n`);
  });

  it('a run longer than a second: no progress when stderr is not a terminal, a line per second with --progress', () => {
    const quiet = lab(['run', slow, '--every', '100000']);
    expect(quiet.status).toBe(0);
    expect(quiet.stderr).toBe('');
    const loud = lab(['run', slow, '--every', '100000', '--progress']);
    expect(loud.status).toBe(0);
    expect(loud.stderr).toMatch(PROGRESS);
    expect(loud.stderr.trim().split('\n').at(-1)).toMatch(/^step 600000\/600000 · /);
    expect(JSON.parse(loud.stdout)).toEqual(expect.objectContaining({ steps: 600_000 })); // stdout stays JSON
  });

  it('on a terminal the line is rewritten in place and erased before the JSON', () => {
    const r = sh(`script -qec "node ${LAB_BUNDLE} run ${slow} --every 100000" /dev/null`);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`\\r\\x1b\\[K${PROGRESS.source}`));
    expect(r.stdout).toMatch(/\r\x1b\[K\{"backend":"js-fused"/);
  });
});

describe('point 17: install scripts', () => {
  it('every dependency with an install script in package-lock.json has an allowScripts entry', () => {
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string; hasInstallScript?: boolean }> };
    const withScripts = Object.entries(lock.packages)
      .filter(([, p]) => p.hasInstallScript)
      .map(([path, p]) => [path.replace(/^.*node_modules\//, ''), p.version] as const);
    expect(withScripts.length).toBeGreaterThan(0);
    const allow = pkg.allowScripts ?? {};
    const uncovered = withScripts.filter(([name, v]) => !(name in allow) && !(`${name}@${v}` in allow));
    expect(uncovered).toEqual([]);
  });

  it('npm (≥ 11.16, where allowScripts exists) finds no unreviewed install script', () => {
    const v = sh('npm --version').stdout.trim().split('.').map(Number);
    if (v[0] < 11 || (v[0] === 11 && v[1] < 16)) return; // npm 10 has no allowScripts (and no advisory to silence)
    const r = sh('npm approve-scripts --allow-scripts-pending');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/No packages with unreviewed install scripts/);
  });
});
