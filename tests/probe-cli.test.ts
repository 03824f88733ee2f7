/**
 * Issue 16, point 3: long headless runs. `--stream` prints one JSON line per run every k steps as the
 * runs go, then a summary, keeping no series; `--every k` thins the stored series. Both give exactly
 * the numbers of the plain run at the steps they keep, on every engine; memory is bounded by the output
 * asked for (a 10⁶-step run streams in a heap too small for its full series).
 * Also point 1 as the CLI sees it: the β = 0 config is refused with the threshold stated.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LAB_BUNDLE } from './cli-command';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mmlab-cli-'));

function file(name: string, config: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(config));
  return p;
}

function lab(args: string[], nodeArgs: string[] = []): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...nodeArgs, LAB_BUNDLE, 'run', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 110_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const nmf = file('nmf.json', {
  version: 1,
  problem: { kind: 'nmf', beta: 1, rank: 2, data: { kind: 'synthetic', rows: 6, cols: 5, trueRank: 2 } },
  runs: [{ algorithm: 'nmf-mm' }, { algorithm: 'nmf-mu', switches: [{ at: 20, algorithm: 'nmf-mm' }] }],
  steps: 53,
});
const mlp = file('mlp.json', {
  version: 1,
  problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 32 }, hidden: [4] },
  runs: [{ algorithm: 'sgd', hyper: { lr: 0.1 } }, { algorithm: 'adam', hyper: { lr: 0.01 } }],
  steps: 23,
});

type Full = { backend: string; runs: { id: string; losses: number[]; testLosses?: number[]; status: string; steps: number }[] };
type Line = { run: number; id: string; t: number; loss: number; testLoss?: number };

describe('--every k', () => {
  it.each([
    ['fused NMF', nmf, [] as string[]],
    ['tfjs NMF', nmf, ['--backend', 'cpu']],
    ['fused MLP', mlp, []],
    ['tfjs MLP', mlp, ['--backend', 'cpu']],
  ])('%s: steps 0, k, 2k, … and the last, the plain run’s numbers', (_name, cfg, backend) => {
    const full = lab([cfg, ...backend]);
    expect(full.status, full.stderr).toBe(0);
    const thin = lab([cfg, ...backend, '--every', '10']);
    expect(thin.status, thin.stderr).toBe(0);
    const a = JSON.parse(full.stdout) as Full;
    const b = JSON.parse(thin.stdout) as { backend: string; every: number; runs: (Full['runs'][number] & { lossSteps: number[] })[] };
    expect(b.every).toBe(10);
    expect(b.backend).toBe(a.backend);
    b.runs.forEach((run, i) => {
      const T = a.runs[i].losses.length - 1;
      const steps = [...Array.from({ length: Math.floor(T / 10) + 1 }, (_, j) => 10 * j), ...(T % 10 ? [T] : [])];
      expect(run.lossSteps).toEqual(steps);
      expect(run.losses).toEqual(steps.map((t) => a.runs[i].losses[t]));
      if (a.runs[i].testLosses) expect(run.testLosses).toEqual(steps.map((t) => a.runs[i].testLosses![t]));
      expect(run.status).toBe(a.runs[i].status);
      expect(run.steps).toBe(a.runs[i].steps);
    });
  });
});

describe('--stream', () => {
  it.each([
    ['fused NMF', nmf, [] as string[]],
    ['tfjs MLP', mlp, ['--backend', 'cpu']],
  ])('%s: one JSON line per run every k steps and at the last, then the summary', (_name, cfg, backend) => {
    const a = JSON.parse(lab([cfg, ...backend]).stdout) as Full;
    const r = lab([cfg, ...backend, '--stream', '--every', '5']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Line & { summary?: { every: number; runs: { finalLoss: number; status: string }[] } });
    const summary = lines.pop()!.summary!;
    expect(summary.every).toBe(5);
    a.runs.forEach((run, i) => {
      const mine = lines.filter((l) => l.run === i);
      const T = run.losses.length - 1;
      const steps = [...Array.from({ length: Math.floor(T / 5) + 1 }, (_, j) => 5 * j), ...(T % 5 ? [T] : [])];
      expect(mine.map((l) => l.t)).toEqual(steps);
      expect(mine.map((l) => l.loss)).toEqual(steps.map((t) => run.losses[t]));
      expect(mine.every((l) => l.id === run.id)).toBe(true);
      if (run.testLosses) expect(mine.map((l) => l.testLoss)).toEqual(steps.map((t) => run.testLosses![t]));
      expect(summary.runs[i].finalLoss).toBe(run.losses[T]);
      expect(summary.runs[i].status).toBe(run.status);
      expect(summary.runs[i]).not.toHaveProperty('losses');
    });
  });

  it('10⁶ steps stream in a 64 MB heap (the CLI streams in 48 MB here), where the full series does not fit', () => {
    const long = file('long.json', {
      version: 1,
      problem: { kind: 'nmf', beta: 2, rank: 1, data: { kind: 'explicit', V: [[1, 2], [3, 4]] } },
      runs: [{ algorithm: 'nmf-mu' }],
      steps: 1_000_000,
    });
    const r = lab([long, '--stream', '--every', '100000'], ['--max-old-space-size=64']);
    expect(r.status, r.stderr.slice(0, 500)).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(11 + 1);
    expect(JSON.parse(lines[10]).t).toBe(1_000_000);
    expect(lab([long], ['--max-old-space-size=64']).status).not.toBe(0); // the plain run runs out of memory
  });

  it('refuses bad --every values and unknown options', () => {
    expect(lab([nmf, '--every', '0']).stderr).toMatch(/--every must be a whole number/);
    const r = lab([nmf, '--strem']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown option --strem/);
  });
});

describe('point 1 in the CLI', () => {
  it("refuses the issue's β = 0 config with the threshold stated", () => {
    const cfg = file('is.json', {
      version: 1,
      problem: { kind: 'nmf', beta: 0, rank: 2, data: { kind: 'explicit', V: [[1e-8, 1], [1, 1]] } },
      runs: [{ algorithm: 'nmf-mm' }, { algorithm: 'nmf-mu' }],
      steps: 50,
    });
    const r = lab([cfg]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/problem\.data\.V: β ≤ 0 needs every entry of V above 1\.19e-7/);
  });
});
