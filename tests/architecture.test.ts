/**
 * The layering rules of docs/ARCHITECTURE.md, checked on the import graph (madge): no import cycles in
 * src/; the page (src/ui/boot.ts → main.tsx, not counting the worker it starts) loads no tfjs; algorithm files
 * and the engine interface import no engine and no tfjs.
 */
import { readFileSync } from 'node:fs';
import madge from 'madge';
import { describe, expect, it } from 'vitest';

const graph = () =>
  madge('src', { fileExtensions: ['ts', 'tsx'], tsConfig: 'tsconfig.json', includeNpm: true, detectiveOptions: { ts: { skipTypeImports: true }, tsx: { skipTypeImports: true } } });

/** Every module reachable from `start` in the dependency graph. */
function reach(deps: Record<string, string[]>, start: string): Set<string> {
  const seen = new Set<string>();
  const todo = [start];
  while (todo.length) {
    const m = todo.pop()!;
    if (seen.has(m)) continue;
    seen.add(m);
    for (const d of deps[m] ?? []) todo.push(d);
  }
  return seen;
}

const tfjs = (m: string) => m.includes('@tensorflow/');

describe('architecture (import graph)', () => {
  it('src/ has no import cycles (type-only imports included)', async () => {
    const all = await madge('src', { fileExtensions: ['ts', 'tsx'], tsConfig: 'tsconfig.json' });
    expect(all.circular()).toEqual([]);
  }, 60_000);

  it('the page loads no tfjs before it starts the worker; algorithms and the engine interface import no engine', async () => {
    const deps = (await graph()).obj();
    expect(Object.keys(deps)).toContain('ui/main.tsx');
    const page = [...reach(deps, 'ui/main.tsx')];
    expect(page.filter((m) => m.startsWith('worker/') && !/^worker\/(protocol|protocol-commands|protocol-data|packed-arrays|backend-names|client|early)\.ts$/.test(m))).toEqual([]);
    expect(page.filter(tfjs)).toEqual([]);
    // The page reads algorithm specs (spec-registry.ts, <id>-spec.ts), never their step code (registry.ts).
    expect(page).toContain('core/algorithms/spec-registry.ts');
    expect(page.filter((m) => m.startsWith('core/algorithms/') && !/(-spec|spec-registry|backtracking-hyper)\.ts$/.test(m))).toEqual([]);
    // The page's entry script is tiny: it starts the training worker (early.ts) and then imports the app.
    expect(deps['ui/boot.ts'].sort()).toEqual(['ui/main.tsx', 'worker/early.ts']);
    expect(deps['worker/early.ts']).toEqual([]);
    const algorithms = Object.keys(deps).filter((m) => m.startsWith('core/algorithms/') || m.startsWith('core/engine/'));
    expect(algorithms.length).toBeGreaterThan(15);
    for (const a of algorithms) {
      const bad = [...reach(deps, a)].filter((m) => tfjs(m) || m.startsWith('core/engines/') || m.startsWith('core/fused/'));
      expect({ module: a, reaches: bad }).toEqual({ module: a, reaches: [] });
    }
  }, 60_000);

  it('the worker reaches tfjs only through tfjs-engine.ts, which it imports lazily: a cpu-engine session never loads tfjs', async () => {
    const deps = (await graph()).obj();
    // Cut the two lazy edges (tfjs-loader → tfjs-engine, backends-browser → the webgpu/wasm backends).
    const lazy = new Set(['worker/tfjs-engine.ts', 'worker/backends-browser.ts']);
    const cut = Object.fromEntries(Object.entries(deps).map(([m, ds]) => [m, ds.filter((d) => !lazy.has(d))]));
    expect([...reach(cut, 'worker/worker.ts')].filter(tfjs)).toEqual([]);
    expect(readFileSync(new URL('../src/worker/tfjs-loader.ts', import.meta.url), 'utf8')).toMatch(/await import\('\.\/tfjs-engine'\)/);
    // The cpu engine itself (its problems, the fold, the views and surrogates) is tfjs-free.
    for (const m of ['core/fused/fused-experiment.ts', 'core/fold/collect.ts', 'core/views/surrogate.ts', 'worker/views.ts', 'worker/session.ts']) {
      expect({ module: m, reaches: [...reach(cut, m)].filter(tfjs) }).toEqual({ module: m, reaches: [] });
    }
  }, 60_000);
});
