/**
 * The 2-D test functions (problems/functions.ts): exact gradients and Hessians against finite
 * differences, the residuals and curvature bounds they declare, the quadratic's known answers (GD's
 * closed form, the divergence threshold lr = 2/L), and the config contract of the 'function' kind.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadExperiment, parseExperiment } from '../src/core/config';
import { runExperiment } from '../src/core/experiment';
import { runFusedExperiment } from '../src/core/fused';
import { eig2, FUNCTION_NAMES, gaussNewton, testFunction, type TestFunction } from '../src/core/problems/functions';

const fns: TestFunction[] = FUNCTION_NAMES.map((name) => testFunction({ name, kappa: 7, angle: 25 }));
const inBox = (fn: TestFunction) => fc.tuple(fc.double({ min: fn.box.x[0], max: fn.box.x[1], noNaN: true }), fc.double({ min: fn.box.y[0], max: fn.box.y[1], noNaN: true }));
const close = (a: number, b: number, rel: number, abs = 1e-6) => Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + abs;

describe('test functions: derivatives', () => {
  for (const fn of fns) {
    it(`${fn.name}: ∇f and ∇²f match central differences`, () => {
      fc.assert(
        fc.property(inBox(fn), ([x, y]) => {
          const h = 1e-5 * (1 + Math.abs(x) + Math.abs(y));
          const [gx, gy] = fn.grad(x, y);
          const fdx = (fn.value(x + h, y) - fn.value(x - h, y)) / (2 * h);
          const fdy = (fn.value(x, y + h) - fn.value(x, y - h)) / (2 * h);
          const scale = 1e-6 * (1 + Math.abs(fn.value(x, y)));
          expect(close(gx, fdx, 1e-5, scale / h)).toBe(true);
          expect(close(gy, fdy, 1e-5, scale / h)).toBe(true);
          const [hxx, hxy, hyy] = fn.hessian(x, y);
          const gpx = fn.grad(x + h, y), gmx = fn.grad(x - h, y), gpy = fn.grad(x, y + h), gmy = fn.grad(x, y - h);
          const gscale = 1e-7 * (1 + Math.hypot(gx, gy)) / h;
          expect(close(hxx, (gpx[0] - gmx[0]) / (2 * h), 1e-5, gscale)).toBe(true);
          expect(close(hxy, (gpx[1] - gmx[1]) / (2 * h), 1e-5, gscale)).toBe(true);
          expect(close(hxy, (gpy[0] - gmy[0]) / (2 * h), 1e-5, gscale)).toBe(true);
          expect(close(hyy, (gpy[1] - gmy[1]) / (2 * h), 1e-5, gscale)).toBe(true);
        }),
        { numRuns: 200 },
      );
    });

    if (fn.residuals) {
      it(`${fn.name}: f = c·‖r‖², J matches r's differences, Gauss–Newton = 2c·JᵀJ ⪰ 0`, () => {
        const R = fn.residuals!;
        fc.assert(
          fc.property(inBox(fn), ([x, y]) => {
            const r = R.r(x, y);
            expect(close(fn.value(x, y), R.scale * r.reduce((s, v) => s + v * v, 0), 1e-12, 1e-12)).toBe(true);
            const h = 1e-6 * (1 + Math.abs(x) + Math.abs(y));
            const J = R.J(x, y);
            const rx = R.r(x + h, y), rxm = R.r(x - h, y), ry = R.r(x, y + h), rym = R.r(x, y - h);
            J.forEach(([a, b], i) => {
              expect(close(a, (rx[i] - rxm[i]) / (2 * h), 1e-5, 1e-4)).toBe(true);
              expect(close(b, (ry[i] - rym[i]) / (2 * h), 1e-5, 1e-4)).toBe(true);
            });
            expect(eig2(gaussNewton(fn, x, y)!)[0]).toBeGreaterThanOrEqual(-1e-9);
          }),
          { numRuns: 100 },
        );
      });
    }

    if (fn.bound) {
      it(`${fn.name}: the global bound B ⪰ ∇²f(θ) everywhere`, () => {
        fc.assert(
          fc.property(fc.tuple(fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: -50, max: 50, noNaN: true })), ([x, y]) => {
            const H = fn.hessian(x, y);
            const B = fn.bound!;
            expect(eig2([B[0] - H[0], B[1] - H[1], B[2] - H[2]])[0]).toBeGreaterThanOrEqual(-1e-9 * (1 + Math.abs(B[0]) + Math.abs(B[2])));
          }),
          { numRuns: 200 },
        );
      });
    }
  }

  it('the quadratic is ½(u₁² + κu₂²): eigenvalues 1 and κ, the κ-axis at angle + 90°', () => {
    const q = testFunction({ name: 'quadratic', kappa: 100, angle: 30 });
    const [lo, hi] = eig2(q.hessian(0, 0));
    expect(lo).toBeCloseTo(1, 12);
    expect(hi).toBeCloseTo(100, 10);
    const a = (120 * Math.PI) / 180;
    expect(q.value(Math.cos(a), Math.sin(a))).toBeCloseTo(50, 10);
    expect(q.value(Math.cos(Math.PI / 6), Math.sin(Math.PI / 6))).toBeCloseTo(0.5, 12);
  });

  it('the known minimisers are stationary', () => {
    for (const fn of fns.filter((f) => f.minimum)) {
      const [gx, gy] = fn.grad(...fn.minimum!);
      expect(Math.hypot(gx, gy), fn.name).toBeLessThan(1e-12);
    }
  });
});

const quadratic = (lr: number, steps: number, extra: object[] = []) =>
  loadExperiment({
    version: 1,
    problem: { kind: 'function', name: 'quadratic', kappa: 10, angle: 30, start: [-2.5, 2] },
    steps,
    runs: [{ algorithm: 'sgd', hyper: { lr } }, ...extra],
  });

describe('the quadratic: known answers', () => {
  it('GD iterates are θₖ = (I − lr·A)ᵏθ₀ (float32 steps)', () => {
    const lr = 0.05;
    const fn = testFunction({ name: 'quadratic', kappa: 10, angle: 30 });
    const [a, b, d] = fn.hessian(0, 0);
    let [x, y] = [-2.5, 2];
    const r = runFusedExperiment(quadratic(lr, 30), { recordTest: false });
    for (let k = 0; k <= 30; k++) {
      expect(r.runs[0].losses[k]).toBeCloseTo(fn.value(x, y), 4);
      [x, y] = [x - lr * (a * x + b * y), y - lr * (b * x + d * y)];
    }
  });

  it('GD with lr just above 2/L diverges, just below converges; MM converges without a step size', () => {
    const above = runFusedExperiment(quadratic(0.2 * 1.05, 200, [{ algorithm: 'mm-lipschitz' }, { algorithm: 'mm-curvature', hyper: { curvature: 'bound' } }]), { recordTest: false });
    const below = runFusedExperiment(quadratic(0.2 * 0.95, 200), { recordTest: false });
    const gd = above.runs[0].losses;
    expect(gd.at(-1)! > 1e6 * gd[0] || above.runs[0].status === 'diverged').toBe(true);
    // It oscillates: the steep coordinate flips sign every step, so f rises at every step once the flat axis has settled.
    expect(gd[150]).toBeGreaterThan(gd[149]);
    expect(below.runs[0].losses.at(-1)!).toBeLessThan(1e-3 * below.runs[0].losses[0]);
    for (const mm of above.runs.slice(1)) {
      mm.losses.slice(1).forEach((v, k) => expect(v).toBeLessThanOrEqual(mm.losses[k] * (1 + 1e-6) + 1e-30));
      expect(mm.losses.at(-1)!).toBeLessThan(1e-8);
    }
  });
});

describe("the 'function' config", () => {
  const base = { version: 1, problem: { kind: 'function', name: 'rosenbrock', start: [-1.5, 2] }, runs: [{ algorithm: 'adam' }] };
  const errs = (o: object) => {
    const r = parseExperiment({ ...base, ...o });
    return r.ok ? [] : r.errors;
  };

  it('accepts the CLI contract and fills nothing in the problem', () => {
    const r = parseExperiment({ ...base, problem: { kind: 'function', name: 'quadratic', kappa: 100, angle: -45, start: [1, 2] } });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.config.problem).toEqual({ kind: 'function', name: 'quadratic', kappa: 100, angle: -45, start: [1, 2] });
  });

  it('refuses bad input with messages that name the field', () => {
    expect(errs({ problem: { kind: 'function', name: 'himmelblau' } })[0]).toMatch(/^problem\.name: function name must be one of quadratic, rosenbrock/);
    expect(errs({ problem: { kind: 'function', name: 'beale', start: [1] } })[0]).toMatch(/^problem\.start/);
    expect(errs({ problem: { kind: 'function', name: 'beale', start: [1, 5000] } })[0]).toBe('problem.start[1]: start[1] must be in [-1000, 1000]');
    expect(errs({ problem: { kind: 'function', name: 'quadratic', kappa: 0.5 } })).toEqual(['problem.kappa: kappa must be in [1, 10000]']);
    expect(errs({ problem: { kind: 'function', name: 'rosenbrock', kappa: 10 } })).toEqual(['problem.kappa: applies to the quadratic only (not rosenbrock)']);
  });

  it('refuses algorithms that need a network or NMF, and curvature options a function cannot serve', () => {
    expect(errs({ runs: [{ algorithm: 'mm-bohning' }] })[0]).toMatch(/^runs\[0\]\.algorithm: .* does not apply to function problems \(it applies to mlp\)$/);
    expect(errs({ runs: [{ algorithm: 'mm-gauss-newton' }] })[0]).toMatch(/does not apply to function problems/);
    expect(errs({ runs: [{ algorithm: 'nmf-mm' }] })[0]).toMatch(/does not apply to function problems \(it applies to nmf\)/);
    expect(errs({ problem: { kind: 'function', name: 'logistic2' }, runs: [{ algorithm: 'mm-curvature', hyper: { curvature: 'gauss-newton' } }] })).toEqual([
      "runs[0].hyper: curvature 'gauss-newton' needs a sum of squares; logistic2 is not one (use 'hessian' or 'bound')",
    ]);
    expect(errs({ runs: [{ algorithm: 'mm-curvature', hyper: { curvature: 'bound' } }] })).toEqual([
      "runs[0].hyper: curvature 'bound' needs a global bound on the Hessian; rosenbrock has none (use 'hessian' or 'gauss-newton')",
    ]);
    expect(errs({ problem: { kind: 'mlp' }, runs: [{ algorithm: 'mm-curvature' }] })[0]).toMatch(/does not apply to mlp problems \(it applies to function\)/);
  });

  it('the tfjs engine refuses a function problem with a clear message', () => {
    expect(() => runExperiment(loadExperiment(base))).toThrow(/2-D function problems run on the cpu engine only/);
  });
});
