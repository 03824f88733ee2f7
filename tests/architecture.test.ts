/**
 * The layering rules of docs/ARCHITECTURE.md, checked on the import graph (madge): no import cycles in
 * src/; the page (src/ui/main.tsx, not counting the worker it starts) loads no tfjs; algorithm files
 * and the engine interface import no engine and no tfjs.
 */
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
    expect(page.filter((m) => m.startsWith('worker/') && !/^worker\/(protocol|protocol-commands|protocol-data|backend-names|client)\.ts$/.test(m))).toEqual([]);
    expect(page.filter(tfjs)).toEqual([]);
    const algorithms = Object.keys(deps).filter((m) => m.startsWith('core/algorithms/') || m.startsWith('core/engine/'));
    expect(algorithms.length).toBeGreaterThan(15);
    for (const a of algorithms) {
      const bad = [...reach(deps, a)].filter((m) => tfjs(m) || m.startsWith('core/engines/') || m.startsWith('core/fused/'));
      expect({ module: a, reaches: bad }).toEqual({ module: a, reaches: [] });
    }
  }, 60_000);
});
