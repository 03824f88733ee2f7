/**
 * The headless runner as a user calls it (a child process): NMF runs on the fused engine by default
 * and agrees with the tfjs wasm backend; the wasm backend with two XNNPACK threads (src/cli/wasm-threads.ts)
 * gives the single-thread numbers and the process exits by itself; bad flags get a message.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LAB_BUNDLE } from './cli-command';

const root = fileURLToPath(new URL('..', import.meta.url));
const EXAMPLE = 'examples/nmf-is-spectrogram.json';

function lab(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [LAB_BUNDLE, 'run', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const losses = (stdout: string): { backend: string; losses: number[] } => {
  const r = JSON.parse(stdout) as { backend: string; runs: { losses: number[] }[] };
  return { backend: r.backend, losses: r.runs[0].losses };
};
const maxRelErr = (a: number[], b: number[]): number => Math.max(...a.map((v, i) => Math.abs(v - b[i]) / Math.abs(b[i])));

describe('npm run lab -- run (NMF)', () => {
  it('defaults to the fused engine, which agrees with tfjs-wasm over 300 IS-NMF iterations', () => {
    const fused = lab(EXAMPLE);
    expect(fused.status).toBe(0);
    const wasm = lab(EXAMPLE, '--backend', 'wasm');
    expect(wasm.status).toBe(0);
    const a = losses(fused.stdout);
    const b = losses(wasm.stdout);
    expect(a.backend).toBe('js-fused');
    expect(b.backend).toBe('wasm');
    expect(a.losses).toHaveLength(301);
    expect(maxRelErr(a.losses, b.losses)).toBeLessThan(1e-4);
  });

  it('--threads 2 on the wasm backend: the single-thread numbers, and the process exits', () => {
    const one = lab(EXAMPLE, '--backend', 'wasm');
    const two = lab(EXAMPLE, '--backend', 'wasm', '--threads', '2');
    expect(two.status).toBe(0); // a hang would hit spawnSync's timeout (status null)
    expect(maxRelErr(losses(two.stdout).losses, losses(one.stdout).losses)).toBeLessThan(1e-6);
  });

  it('rejects a bad --threads with a message', () => {
    const r = lab(EXAMPLE, '--threads', '0');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--threads must be a whole number from 1 to 64/);
  });
});
