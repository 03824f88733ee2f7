/**
 * The CLI on an image problem, as a user calls it (a child process): each run carries testAccuracy
 * (final), its thinned train/test accuracy series and the epoch count; --every and --stream carry them
 * too. The example file is the README's.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LAB_BUNDLE } from './cli-command';

const root = fileURLToPath(new URL('..', import.meta.url));

function lab(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [LAB_BUNDLE, 'run', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Out {
  steps: number;
  stepsPerEpoch: number;
  epochs: number;
  runs: { id: string; losses: number[]; testAccuracy: number; trainAccuracy: number; accuracySteps: number[]; testAccuracies: number[]; trainAccuracies: number[] }[];
}

describe('mm-lab run on digits', () => {
  it('examples/digits-mlp.json: testAccuracy per run, series, epochs; Adam > 90%', () => {
    const r = lab('examples/digits-mlp.json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Out;
    expect([out.steps, out.stepsPerEpoch, out.epochs]).toEqual([230, 23, 10]);
    for (const run of out.runs) {
      expect(typeof run.testAccuracy).toBe('number');
      expect(run.testAccuracies.at(-1)).toBe(run.testAccuracy);
      expect(run.trainAccuracies.length).toBe(run.accuracySteps.length);
      expect(run.accuracySteps.at(-1)).toBe(230);
      expect(run.accuracySteps.length).toBeLessThanOrEqual(101);
    }
    expect(out.runs[0].testAccuracy).toBeGreaterThan(0.9);
  });

  const dir = mkdtempSync(join(tmpdir(), 'mm-images-'));
  const config = (n: number) => ({
    version: 1,
    problem: { kind: 'mlp', data: { kind: 'dataset', name: 'digits', n, testRatio: 0.25 }, hidden: [16], activation: 'tanh', loss: 'softmax_ce', batchSize: 50 },
    runs: [{ algorithm: 'adam', hyper: { lr: 0.01 } }],
    steps: 12,
  });
  writeFileSync(join(dir, 'ok.json'), JSON.stringify(config(400)));
  writeFileSync(join(dir, 'bad.json'), JSON.stringify(config(5000)));

  it('--every and --stream carry accuracy', () => {
    const thin = lab(join(dir, 'ok.json'), '--every', '5');
    expect(thin.status, thin.stderr).toBe(0);
    const t = JSON.parse(thin.stdout) as Out;
    expect(t.runs[0].accuracySteps).toEqual([0, 5, 10, 12]);
    expect(t.stepsPerEpoch).toBe(6);
    expect(t.runs[0].testAccuracy).toBe(t.runs[0].testAccuracies.at(-1));
    const stream = lab(join(dir, 'ok.json'), '--stream', '--every', '6');
    expect(stream.status, stream.stderr).toBe(0);
    const lines = stream.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => 'testAccuracy' in l && 't' in l).map((l) => l.t)).toEqual([0, 6, 12]);
    expect(lines.at(-1).summary.runs[0].testAccuracy).toBe(lines.at(-2).testAccuracy);
  });

  it('a bad n is refused with the allowed range (exit 2)', () => {
    const bad = lab(join(dir, 'bad.json'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("problem.data.n: 'digits' has 1,797 images; n must be in [20, 1797]");
  });
});
