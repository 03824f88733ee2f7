/**
 * Reference measurements taken in the same bench run: PyTorch CPU and scikit-learn through Debian's
 * python3 (tools/bench_*.py). When Python or the package is missing, the reference is "skipped".
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PYTHON_CANDIDATES = ['/usr/bin/python3', 'python3'];

function pythonWith(module: string): string | null {
  for (const py of PYTHON_CANDIDATES) {
    if (py.startsWith('/') && !existsSync(py)) continue;
    const r = spawnSync(py, ['-c', `import ${module}`], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return null;
}

const cache = new Map<string, string | null>();
function python(module: string): string | null {
  if (!cache.has(module)) cache.set(module, pythonWith(module));
  return cache.get(module)!;
}

export type Reference = { ok: true; value: number; detail: Record<string, unknown> } | { ok: false; reason: string };

function runTool(module: string, script: string, job: unknown, key: string): Reference {
  const py = python(module);
  if (!py) return { ok: false, reason: `skipped (no python3 with ${module})` };
  const r = spawnSync(py, [script], { input: JSON.stringify(job), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) return { ok: false, reason: `skipped (${script} failed: ${r.stderr.trim().split('\n').at(-1)})` };
  const out = JSON.parse(r.stdout) as Record<string, unknown>;
  return { ok: true, value: out[key] as number, detail: out };
}

export interface TorchJob {
  X: number[][];
  y: number[];
  init: { W: number[][]; b: number[] }[];
  activation: string;
  optimizer: 'adam' | 'sgd';
  hyper: Record<string, unknown>;
  seconds: number;
  /** Intra-op threads for torch (default: every core). */
  threads?: number;
}

/** PyTorch CPU full-batch steps/s on the same net, data and initial weights. */
export function torchStepsPerSec(job: TorchJob): Reference {
  return runTool('torch', 'tools/bench_torch.py', job, 'stepsPerSec');
}

/** scikit-learn `mu` iterations/s on the same V, W0, H0 (`withLoss`: + `_beta_divergence` every iteration). */
export function sklearnNmfItersPerSec(job: { V: number[][]; W0: number[][]; H0: number[][]; beta: number; seconds: number; withLoss?: boolean; windows?: number; threads?: number }): Reference {
  return runTool('sklearn', 'tools/bench_sklearn_nmf.py', job, 'itersPerSec');
}
