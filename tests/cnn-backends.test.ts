/**
 * Backends a CNN cannot train on (problems/cnn-config.ts CNN_BACKEND_REFUSED): tfjs's WASM backend has
 * no convolution gradient kernels, so the CLI refuses `--backend wasm` on a CNN with the reason, and the
 * page's backend choice leaves WASM out (a forced WASM falls back to the next backend, saying why; 'auto'
 * calibrates the same list without it).
 */
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../src/core/config';
import { cnnBackendRefusal } from '../src/core/problems/cnn-config';
import { chooseEngine } from '../src/cli/execute';
import { createBackendHost } from '../src/worker/backend';

const cnn = loadExperiment({
  version: 1,
  problem: {
    kind: 'mlp',
    data: { kind: 'dataset', name: 'digits', n: 200, testRatio: 0.25 },
    conv: [{ filters: 4, kernel: 3, pool: 2 }],
    hidden: [8],
    activation: 'relu',
    loss: 'softmax_ce',
    batchSize: 32,
  },
  runs: [{ algorithm: 'adam' }],
  steps: 5,
});
const dense = loadExperiment({ ...structuredClone(cnn), problem: { ...structuredClone(cnn.problem), conv: undefined } });

describe('a CNN on tfjs WASM', () => {
  it('is refused with the missing kernel named; dense nets and other backends are not', () => {
    expect(cnnBackendRefusal(cnn.problem, 'wasm')).toMatch(/no convolution gradient kernel \(Conv2DBackpropFilter\)/);
    expect(cnnBackendRefusal(cnn.problem, 'cpu')).toBeNull();
    expect(cnnBackendRefusal(dense.problem, 'wasm')).toBeNull();
  });

  it('the CLI refuses --backend wasm on a CNN and names the backends that train it', () => {
    expect(() => chooseEngine(cnn, 'wasm')).toThrow(/--backend wasm: .*cannot train on it; use --backend js .* or cpu/);
    expect(chooseEngine(cnn, 'cpu').backend).toBe('cpu');
    expect(chooseEngine(dense, 'wasm').backend).toBe('wasm');
  });

  it("the worker's backend choice falls back from a forced WASM with the reason, and lists WASM as unavailable", async () => {
    const host = createBackendHost();
    const forced = await host.select('wasm', cnn);
    expect(forced.backend).not.toBe('wasm');
    expect(forced.reasonKind).toBe('fallback');
    expect(forced.reason).toMatch(/WASM: tfjs's WASM backend has no convolution gradient kernel/);
    expect(forced.backends.find((b) => b.name === 'wasm')?.status).toBe('unavailable');
  });
});
