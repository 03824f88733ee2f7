/**
 * Share links off the main thread for big experiments (share-worker.ts); small ones are checked in
 * place (a few ms). "Big": explicit data or initial weights with many numbers.
 */
import type { ExperimentConfig } from '../core/config';
import { checkedShare, type CheckedShare } from './limits';
import { isOwnData } from './ownData-link';
import { packArrays, unpackArrays } from '../worker/packed-arrays';
import type { DecodeResult, ViewState } from './share';
import type { ShareRequest } from './share-worker';

/** Numbers in a config's explicit arrays above which its link is made in the worker. */
const BIG_NUMBERS = 20_000;

export function isBigConfig(c: ExperimentConfig): boolean {
  const p = c.problem;
  let n = 0;
  if (p.kind === 'mlp') {
    if (p.data.kind === 'explicit') n += p.data.X.length * (p.data.X[0]?.length ?? 0) + (p.data.Xtest?.length ?? 0) * (p.data.Xtest?.[0]?.length ?? 0);
    if (p.init) n += p.init.reduce((s, l) => s + l.W.length * (l.W[0]?.length ?? 0), 0);
  } else if (p.kind === 'nmf') {
    if (p.data.kind === 'explicit') n += p.data.V.length * (p.data.V[0]?.length ?? 0);
    if (p.init) n += p.init.W0.length * (p.init.W0[0]?.length ?? 0) + p.init.H0.length * (p.init.H0[0]?.length ?? 0);
  }
  return n >= BIG_NUMBERS;
}

let worker: Worker | null = null;
let seq = 0;
const pending = new Map<number, (r: unknown) => void>();

type Request = ShareRequest extends infer R ? (R extends ShareRequest ? Omit<R, 'id'> : never) : never;

function ask<T>(req: Request): Promise<T> {
  worker ??= new Worker(new URL('./share-worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<{ id: number; result: unknown }>) => {
    pending.get(e.data.id)?.(unpackArrays(e.data.result));
    pending.delete(e.data.id);
  };
  const id = ++seq;
  return new Promise<T>((resolve) => {
    pending.set(id, resolve as (r: unknown) => void);
    // Explicit data packed into typed arrays: one memory copy instead of 20,000 row arrays (worker/packed-arrays.ts).
    worker!.postMessage(packArrays({ ...req, id }));
  });
}

/** checkedShare, in the worker for a big config. */
export function checkedShareAsync(config: ExperimentConfig, view: ViewState): Promise<CheckedShare> {
  // Own data's link carries the built-in set instead (ownData-link.ts): small, and only marked here.
  if (!isBigConfig(config) || isOwnData(config.problem)) return Promise.resolve(checkedShare(config, view));
  return ask<CheckedShare>({ kind: 'check', config, view });
}

/** decodeShare in the worker (for long hashes). */
export function decodeShareAsync(hash: string): Promise<DecodeResult> {
  return ask<DecodeResult>({ kind: 'decode', hash });
}
