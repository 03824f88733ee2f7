/**
 * Issue 14 §2 in the CLI: `mm-lab sweep <config> --run <id> --hyper <name> --values v1,v2,…` (or the
 * config's `sweep` block) prints {"points": [{value, finalLoss, losses, status}, …]}, the points run on
 * worker threads, and each point's numbers are exactly those of that point's experiment run alone
 * (`mm-lab run` on the one-run config), on the fused engine and on tfjs. Bad values are refused with
 * the value named and the algorithm's own reason.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LAB_BUNDLE } from './cli-command';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mmlab-sweep-'));

type Out = { status: number | null; stdout: string; stderr: string };
function lab(args: string[]): Out {
  const r = spawnSync(process.execPath, [LAB_BUNDLE, ...args], { cwd: root, encoding: 'utf8', timeout: 110_000, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
function file(name: string, config: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(config));
  return p;
}

type Point = { value: number | boolean; finalLoss: number | null; losses: number[]; testLosses?: number[]; status: string; divergedAt?: number };
type SweepOut = { sweep: { run: string; algorithm: string; hyper: string }; backend: string; steps: number; points: Point[] };
type RunOut = { backend: string; runs: { id: string; losses: number[]; testLosses?: number[]; status: string; divergedAt?: number }[] };

const problem = { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 64 }, hidden: [4] };
const adam = { id: 'adam', algorithm: 'adam', hyper: { lr: 0.01, betas: [0.9, 0.99] }, switches: [{ at: 30, algorithm: 'mm-lipschitz' }] };
const mlp = { version: 1, problem, seeds: { data: 5, init: 6, batch: 7 }, runs: [{ id: 'sgd', algorithm: 'sgd', hyper: { lr: 0.1 } }, adam], steps: 40 };
const mlpPath = file('mlp.json', mlp);
const sine = {
  version: 1,
  problem: { kind: 'mlp', data: { kind: 'dataset', name: 'sine', n: 64 }, hidden: [4], loss: 'mse' },
  runs: [{ algorithm: 'sgd', hyper: { lr: 0.1 } }],
  steps: 40,
};
const nmf = {
  version: 1,
  problem: { kind: 'nmf', beta: 1, rank: 2, data: { kind: 'synthetic', rows: 8, cols: 6, trueRank: 2 } },
  runs: [{ algorithm: 'nmf-mm' }],
  steps: 25,
};

/** The point with `value` run alone: the swept run, that value, nothing else changed. */
function alone(name: string, config: { runs: object[] }, run: number, hyper: string, value: number | boolean, extra: string[] = []): RunOut {
  const r = config.runs[run] as { hyper?: Record<string, unknown> };
  const single = { ...config, runs: [{ ...config.runs[run], hyper: { ...r.hyper, [hyper]: value } }] };
  const out = lab(['run', file(name, single), ...extra]);
  expect(out.status, out.stderr).toBe(0);
  return JSON.parse(out.stdout) as RunOut;
}

function expectSame(p: Point, single: RunOut): void {
  const r = single.runs[0];
  expect(p.losses).toEqual(r.losses); // bit for bit: toEqual on numbers is Object.is per entry
  expect(p.testLosses).toEqual(r.testLosses);
  expect(p.status).toBe(r.status);
  expect(p.divergedAt).toBe(r.divergedAt);
  expect(p.finalLoss).toBe(r.losses.at(-1));
}

describe('mm-lab sweep', () => {
  it('fused MLP on two threads: each point equals the one-run experiment run alone (a switch included)', () => {
    const r = lab(['sweep', mlpPath, '--run', 'adam', '--hyper', 'lr', '--values', '0.001,0.1,100', '--jobs', '2']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe(''); // no progress line: stderr is not a terminal
    const out = JSON.parse(r.stdout) as SweepOut;
    expect(out.sweep).toEqual({ run: 'adam', algorithm: 'adam', hyper: 'lr', values: [0.001, 0.1, 100] });
    expect(out.backend).toBe('js-fused');
    expect(out.points.map((p) => p.value)).toEqual([0.001, 0.1, 100]);
    out.points.forEach((p, i) => expectSame(p, alone(`mlp-${i}.json`, mlp, 1, 'lr', p.value)));
    expect(out.points[0].losses).toHaveLength(41);
    expect(out.points[0].finalLoss).not.toBe(out.points[1].finalLoss);
  });

  it('a diverging point: status, divergedAt and its series as when run alone (f not finite → null)', () => {
    const r = lab(['sweep', file('sine.json', sine), '--hyper', 'lr', '--values', '0.01,1']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as SweepOut;
    expect(out.points.map((p) => p.status)).toEqual(['done', 'diverged']);
    expect(out.points[1].finalLoss).toBeNull();
    out.points.forEach((p, i) => expectSame(p, alone(`sine-${i}.json`, sine, 0, 'lr', p.value)));
  });

  it('tfjs (--backend cpu) in worker threads: the same numbers as alone', () => {
    const r = lab(['sweep', mlpPath, '--run', '1', '--hyper', 'lr', '--values', '0.01,0.1', '--backend', 'cpu', '--jobs', '2']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as SweepOut;
    expect(out.backend).toBe('cpu');
    out.points.forEach((p, i) => expectSame(p, alone(`cpu-${i}.json`, mlp, 1, 'lr', p.value, ['--backend', 'cpu'])));
  });

  it('names the hyper-parameters an algorithm has when the swept name is not one of them', () => {
    const r = lab(['sweep', mlpPath, '--run', 'adam', '--hyper', 'learning_rate', '--values', '0.1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Adam has no hyper-parameter 'learning_rate' \(its hyper-parameters: lr, betas, eps, weight_decay, amsgrad/);
    const nmfPath = file('nmf.json', nmf);
    expect(lab(['sweep', nmfPath, '--hyper', 'lr', '--values', '0.1']).stderr).toMatch(/MM-MU.* has no hyper-parameters/);
  });

  it('a "sweep" block in the config gives the same points as the flags', () => {
    const withBlock = file('block.json', { ...mlp, sweep: { run: 1, hyper: 'lr', values: [0.001, 0.1] } });
    const a = lab(['sweep', withBlock]);
    expect(a.status, a.stderr).toBe(0);
    const b = lab(['sweep', mlpPath, '--run', 'adam', '--hyper', 'lr', '--values', '0.001,0.1']);
    const pa = (JSON.parse(a.stdout) as SweepOut).points;
    const pb = (JSON.parse(b.stdout) as SweepOut).points;
    expect(pa.map((p) => p.losses)).toEqual(pb.map((p) => p.losses));
    // `run` ignores the block: the experiment as written
    const run = JSON.parse(lab(['run', withBlock]).stdout) as RunOut;
    expect(run.runs).toHaveLength(2);
  });

  it('out-of-range and malformed values are refused, each named, before anything runs', () => {
    const r = lab(['sweep', mlpPath, '--run', 'adam', '--hyper', 'lr', '--values', '0.01,-1,0,500']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/lr = -1 is out of range for Adam: lr must be > 0/);
    expect(r.stderr).toMatch(/lr = 0 is out of range for Adam: lr must be > 0/);
    expect(r.stderr).toMatch(/lr = 500 is out of range for Adam: lr must be ≤ /);
    expect(r.stderr).not.toMatch(/0\.01/);
    expect(lab(['sweep', mlpPath, '--run', 'adam', '--hyper', 'lr', '--values', '0.1,fast']).stderr).toMatch(/--values: 'fast' is not a number/);
    expect(lab(['sweep', mlpPath, '--run', 'adam', '--hyper', 'amsgrad', '--values', '0.5']).stderr).toMatch(/amsgrad = 0\.5 is out of range for Adam/);
  });

  it('says which run to sweep when the experiment has several, and refuses an unknown one', () => {
    const r = lab(['sweep', mlpPath, '--hyper', 'lr', '--values', '0.1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/the experiment has 2 runs: say which one to sweep with --run <id or index> \(0: sgd, 1: adam\)/);
    expect(lab(['sweep', mlpPath, '--run', 'rmsprop', '--hyper', 'lr', '--values', '0.1']).stderr).toMatch(/--run 'rmsprop': no run has this id or index/);
    expect(lab(['sweep', mlpPath, '--run', 'adam']).stderr).toMatch(/sweep needs --hyper <name>/);
  });

  it('--progress shows the sweep line on stderr (points done, steps, steps/s, ETA)', () => {
    const big = file('big.json', { ...mlp, steps: 20_000 });
    const r = lab(['sweep', big, '--run', '0', '--hyper', 'momentum', '--values', '0,0.5,0.9', '--progress']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^sweep momentum: 3\/3 points · step 60000\/60000 · [\d.]+ steps\/s · ETA/);
    expect((JSON.parse(r.stdout) as SweepOut).points.map((p) => p.status)).toEqual(['done', 'done', 'done']);
  });
});
