/**
 * The 2-D test objectives of the `function` problem kind (config.ts): each with its exact gradient and
 * Hessian in float64, and — for the sums of squares — its residuals r and their Jacobian J (so
 * f = c·‖r‖², the Gauss–Newton curvature is 2c·JᵀJ). Pure numbers: no engine, no tfjs; the cpu engine's
 * objective (engines/cpu/function-objective.ts) and the page's contour view evaluate these.
 *
 *  - quadratic:     ½(u₁² + κu₂²), u = Rᵀθ, R the rotation by `angle` degrees; ∇²f = R·diag(1, κ)·Rᵀ, L = max(1, κ)
 *  - rosenbrock:    (1 − x)² + 100(y − x²)²                      (minimum (1, 1))
 *  - beale:         Σᵢ₌₁³ (cᵢ − x + x·yⁱ)², c = (1.5, 2.25, 2.625)  (minimum (3, ½))
 *  - logistic2:     ½ Σᵢ log(1 + exp(−sᵢ aᵢᵀθ)) + (λ/2)‖θ‖², two examples aᵢ = (xᵢ, 1), θ = (w, b)
 *  - leastsquares2: ½ Σᵢ (θ₁·exp(−θ₂ tᵢ) − yᵢ)², an exponential decay fitted to five points
 */

export const FUNCTION_NAMES = ['quadratic', 'rosenbrock', 'beale', 'logistic2', 'leastsquares2'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

export type Pt = readonly [number, number];
/** A symmetric 2×2 matrix [a₁₁, a₁₂, a₂₂]. */
export type Sym2 = [number, number, number];

export interface FunctionParams {
  name: FunctionName;
  /** quadratic only: condition number κ ≥ 1 (default 10) and rotation in degrees (default 30). */
  kappa?: number;
  angle?: number;
}

export interface TestFunction {
  readonly name: FunctionName;
  readonly label: string;
  /** f in LaTeX-free text, for the page. */
  readonly formula: string;
  value(x: number, y: number): number;
  grad(x: number, y: number): [number, number];
  hessian(x: number, y: number): Sym2;
  /** Sums of squares: f = scale·‖r(θ)‖² with r's Jacobian (rows ∂rᵢ/∂θ). */
  readonly residuals?: { scale: number; r(x: number, y: number): number[]; J(x: number, y: number): [number, number][] };
  /** A curvature bound B ⪰ ∇²f(θ) for every θ, where one exists (the quadratic; logistic's Böhning bound). */
  readonly bound?: Sym2;
  /** The usual start, the minimiser (where known in closed form) and the contour view's box. */
  readonly start: Pt;
  readonly minimum?: Pt;
  readonly box: { x: Pt; y: Pt };
}

export const DEFAULT_KAPPA = 10;
export const DEFAULT_ANGLE = 30;

function quadratic(kappa: number, angleDeg: number): TestFunction {
  const a = (angleDeg * Math.PI) / 180;
  const c = Math.cos(a);
  const s = Math.sin(a);
  const rk = Math.sqrt(kappa);
  const H: Sym2 = [c * c + kappa * s * s, c * s * (1 - kappa), s * s + kappa * c * c];
  const u = (x: number, y: number): [number, number] => [c * x + s * y, -s * x + c * y];
  const box = 3;
  return {
    name: 'quadratic',
    label: `Quadratic (κ = ${kappa}, ${angleDeg}°)`,
    formula: `½(u₁² + ${kappa}·u₂²), u = θ rotated by −${angleDeg}°`,
    value: (x, y) => {
      const [u1, u2] = u(x, y);
      return 0.5 * (u1 * u1 + kappa * u2 * u2);
    },
    grad: (x, y) => [H[0] * x + H[1] * y, H[1] * x + H[2] * y],
    hessian: () => [...H],
    residuals: {
      scale: 0.5,
      r: (x, y) => {
        const [u1, u2] = u(x, y);
        return [u1, rk * u2];
      },
      J: () => [
        [c, s],
        [-rk * s, rk * c],
      ],
    },
    bound: [...H],
    start: [-2.5, 2],
    minimum: [0, 0],
    box: { x: [-box, box], y: [-box, box] },
  };
}

const rosenbrock: TestFunction = {
  name: 'rosenbrock',
  label: 'Rosenbrock',
  formula: '(1 − x)² + 100(y − x²)²',
  value: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
  grad: (x, y) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
  hessian: (x, y) => [2 - 400 * y + 1200 * x * x, -400 * x, 200],
  residuals: {
    scale: 1,
    r: (x, y) => [1 - x, 10 * (y - x * x)],
    J: (x) => [
      [-1, 0],
      [-20 * x, 10],
    ],
  },
  start: [-1.5, 2],
  minimum: [1, 1],
  box: { x: [-2, 2], y: [-1, 3] },
};

const BEALE_C = [1.5, 2.25, 2.625];

// rᵢ = cᵢ − x(1 − yⁱ); ∂rᵢ/∂x = −(1 − yⁱ), ∂rᵢ/∂y = i·x·yⁱ⁻¹; ∂²rᵢ/∂x∂y = i·yⁱ⁻¹, ∂²rᵢ/∂y² = i(i−1)·x·yⁱ⁻².
const beale: TestFunction = {
  name: 'beale',
  label: 'Beale',
  formula: '(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²',
  value: (x, y) => BEALE_C.reduce((s, c, k) => s + (c - x * (1 - y ** (k + 1))) ** 2, 0),
  grad: (x, y) => {
    let gx = 0;
    let gy = 0;
    BEALE_C.forEach((c, k) => {
      const i = k + 1;
      const r = c - x * (1 - y ** i);
      gx += 2 * r * -(1 - y ** i);
      gy += 2 * r * i * x * y ** (i - 1);
    });
    return [gx, gy];
  },
  hessian: (x, y) => {
    const h: Sym2 = [0, 0, 0];
    BEALE_C.forEach((c, k) => {
      const i = k + 1;
      const r = c - x * (1 - y ** i);
      const jx = -(1 - y ** i);
      const jy = i * x * y ** (i - 1);
      h[0] += 2 * jx * jx;
      h[1] += 2 * (jx * jy + r * i * y ** (i - 1));
      h[2] += 2 * (jy * jy + r * (i > 1 ? i * (i - 1) * x * y ** (i - 2) : 0));
    });
    return h;
  },
  residuals: {
    scale: 1,
    r: (x, y) => BEALE_C.map((c, k) => c - x * (1 - y ** (k + 1))),
    J: (x, y) => BEALE_C.map((_, k) => [-(1 - y ** (k + 1)), (k + 1) * x * y ** k] as [number, number]),
  },
  start: [1, 1.5],
  minimum: [3, 0.5],
  box: { x: [-4.5, 4.5], y: [-4.5, 4.5] },
};

/** Two examples aᵢ = (xᵢ, 1) with labels sᵢ = ±1, and the ridge weight λ. */
export const LOGISTIC2 = { a: [[1.5, 1], [0.5, 1]] as const, s: [1, -1] as const, lambda: 0.1 };

const softplus = (t: number): number => Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
const sigmoid = (t: number): number => (t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t)));

// d/dθ softplus(−zᵢ) = −σ(−zᵢ)·sᵢaᵢ with zᵢ = sᵢaᵢᵀθ; ∇² = σ(zᵢ)σ(−zᵢ)·aᵢaᵢᵀ ≤ ¼·aᵢaᵢᵀ (Böhning).
const logistic2: TestFunction = (() => {
  const { a, s, lambda } = LOGISTIC2;
  const z = (x: number, y: number, i: number) => s[i] * (a[i][0] * x + a[i][1] * y);
  // Böhning: ∇²f ⪯ λI + ½·¼·Σ aᵢaᵢᵀ for every θ (σ(1 − σ) ≤ ¼).
  const bound: Sym2 = [lambda, 0, lambda];
  for (const [p, q] of a) {
    bound[0] += p * p / 8;
    bound[1] += p * q / 8;
    bound[2] += q * q / 8;
  }
  return {
    name: 'logistic2' as const,
    label: 'Logistic regression (2 points)',
    formula: `½Σ log(1 + e^(−sᵢ(w·xᵢ + b))) + ${lambda}/2·‖θ‖², x = (${a[0][0]}, ${a[1][0]}), s = (+1, −1)`,
    value: (x: number, y: number) => 0.5 * (softplus(-z(x, y, 0)) + softplus(-z(x, y, 1))) + (lambda / 2) * (x * x + y * y),
    grad: (x: number, y: number): [number, number] => {
      let gx = lambda * x;
      let gy = lambda * y;
      for (let i = 0; i < 2; i++) {
        const m = -0.5 * sigmoid(-z(x, y, i)) * s[i];
        gx += m * a[i][0];
        gy += m * a[i][1];
      }
      return [gx, gy];
    },
    hessian: (x: number, y: number): Sym2 => {
      const h: Sym2 = [lambda, 0, lambda];
      for (let i = 0; i < 2; i++) {
        const sg = sigmoid(z(x, y, i));
        const c = 0.5 * sg * (1 - sg);
        h[0] += c * a[i][0] * a[i][0];
        h[1] += c * a[i][0] * a[i][1];
        h[2] += c * a[i][1] * a[i][1];
      }
      return h;
    },
    bound,
    start: [-3, 3] as const,
    box: { x: [-4, 4] as const, y: [-4, 4] as const },
  };
})();

/** The decay data of leastsquares2: y ≈ 2·exp(−0.8t) with a little fixed noise. */
export const LEASTSQUARES2 = { t: [0, 0.5, 1, 1.5, 2], y: [2.05, 1.31, 0.92, 0.58, 0.42] };

// rᵢ = θ₁eᵢ − yᵢ, eᵢ = exp(−θ₂tᵢ); ∂rᵢ = (eᵢ, −θ₁tᵢeᵢ); ∂²rᵢ/∂θ₁∂θ₂ = −tᵢeᵢ, ∂²rᵢ/∂θ₂² = θ₁tᵢ²eᵢ.
const leastsquares2: TestFunction = (() => {
  const { t, y: obs } = LEASTSQUARES2;
  const r = (p: number, q: number) => t.map((ti, i) => p * Math.exp(-q * ti) - obs[i]);
  const J = (p: number, q: number) => t.map((ti) => [Math.exp(-q * ti), -p * ti * Math.exp(-q * ti)] as [number, number]);
  return {
    name: 'leastsquares2' as const,
    label: 'Least squares: exponential decay fit',
    formula: '½Σ (θ₁·e^(−θ₂tᵢ) − yᵢ)², 5 points',
    value: (p: number, q: number) => 0.5 * r(p, q).reduce((s, v) => s + v * v, 0),
    grad: (p: number, q: number): [number, number] => {
      const rr = r(p, q);
      const jj = J(p, q);
      return [rr.reduce((s, v, i) => s + v * jj[i][0], 0), rr.reduce((s, v, i) => s + v * jj[i][1], 0)];
    },
    hessian: (p: number, q: number): Sym2 => {
      const rr = r(p, q);
      const h: Sym2 = [0, 0, 0];
      t.forEach((ti, i) => {
        const e = Math.exp(-q * ti);
        const [j1, j2] = [e, -p * ti * e];
        h[0] += j1 * j1;
        h[1] += j1 * j2 + rr[i] * -ti * e;
        h[2] += j2 * j2 + rr[i] * p * ti * ti * e;
      });
      return h;
    },
    residuals: { scale: 0.5, r, J },
    start: [0.5, 2.5] as const,
    box: { x: [-1, 4] as const, y: [-1, 3] as const },
  };
})();

/** The test function a config names (parameters checked by config.ts). */
export function testFunction(p: FunctionParams): TestFunction {
  switch (p.name) {
    case 'quadratic':
      return quadratic(p.kappa ?? DEFAULT_KAPPA, p.angle ?? DEFAULT_ANGLE);
    case 'rosenbrock':
      return rosenbrock;
    case 'beale':
      return beale;
    case 'logistic2':
      return logistic2;
    case 'leastsquares2':
      return leastsquares2;
  }
}

/** The Gauss–Newton curvature 2c·JᵀJ of a sum of squares f = c·‖r‖² (null when f is not one). */
export function gaussNewton(fn: TestFunction, x: number, y: number): Sym2 | null {
  if (!fn.residuals) return null;
  const h: Sym2 = [0, 0, 0];
  for (const [a, b] of fn.residuals.J(x, y)) {
    h[0] += a * a;
    h[1] += a * b;
    h[2] += b * b;
  }
  const k = 2 * fn.residuals.scale;
  return [k * h[0], k * h[1], k * h[2]];
}

/** The eigenvalues (λmin, λmax) of a symmetric 2×2 matrix. */
export function eig2([a, b, d]: Sym2): [number, number] {
  const m = (a + d) / 2;
  const r = Math.hypot((a - d) / 2, b);
  return [m - r, m + r];
}
