/** sgd-armijo.ts's spec: what the page, the config schema and the docs read (the page loads no step code). */
import { z } from 'zod';
import type { AlgorithmSpec } from '../engine/algorithm';

const range = (name: string, lo: number, hi: number) => `${name} must be in [${lo}, ${hi}]`;

export const sgdArmijoHyper = z
  .object({
    /** η of the first step (the package's init_step_size). */
    init_step_size: z.number().gt(0, 'init_step_size must be > 0').lte(100, 'init_step_size must be ≤ 100').default(1),
    /** Armijo constant c of the sufficient decrease f(θ − η∇f) ≤ f(θ) − c·η‖∇f‖². */
    c: z.number().gt(0, 'c must be in (0, 1)').lt(1, 'c must be in (0, 1)').default(0.1),
    /** β_b: η ← β_b·η after a failed test. */
    beta_b: z.number().gt(0, 'beta_b must be in (0, 1)').lt(1, 'beta_b must be in (0, 1)').default(0.9),
    /** γ of the growth rule η ← η·γ^{1/n_batches_per_epoch}. */
    gamma: z.number().min(1, range('gamma', 1, 10)).max(10, range('gamma', 1, 10)).default(2),
    /** n/b: mini-batches per epoch (1 with the full batch: η·γ every step). */
    n_batches_per_epoch: z.number().int('n_batches_per_epoch must be an integer').min(1, range('n_batches_per_epoch', 1, 1e6)).max(1e6, range('n_batches_per_epoch', 1, 1e6)).default(1),
    /** 0: keep η, 1: grow it by γ^{1/n_batches_per_epoch}, 2: restart from init_step_size (the sls package's numbering). */
    reset_option: z.number().int('reset_option must be 0, 1 or 2').min(0, 'reset_option must be 0, 1 or 2').max(2, 'reset_option must be 0, 1 or 2').default(1),
    /** Cap on the grown step size. */
    eta_max: z.number().gt(0, 'eta_max must be > 0').lte(1000, 'eta_max must be ≤ 1000').default(10),
    maxBacktracks: z.number().int('maxBacktracks must be an integer').min(1, range('maxBacktracks', 1, 200)).max(200, range('maxBacktracks', 1, 200)).default(100),
  })
  .strict();
export type SGDArmijoHyper = z.infer<typeof sgdArmijoHyper>;

export const sgdArmijoSpec: AlgorithmSpec<SGDArmijoHyper> = {
  id: 'sgd-armijo',
  label: 'SGD + Armijo line search (SLS)',
  family: 'mm',
  problems: ['mlp', 'function'],
  hyper: sgdArmijoHyper,
  summary:
    'Stochastic line search (Vaswani et al., NeurIPS 2019): each step first grows the previous step size η ' +
    '(η·γ^{1/n_batches_per_epoch}, at most η_max), then shrinks it (η ← β_b·η) until the Armijo condition ' +
    'f(θ − η∇f) ≤ f(θ) − c·η‖∇f‖² holds on the same mini-batch, and steps θ − η∇f. The accepted η is a ' +
    'curvature 1/η checked along the step: with c = ½ the test is exactly the Lipschitz-MM bound with L = 1/η; ' +
    'with the default c = 0.1 the quadratic with curvature 1/η is certified only where the decrease reached ' +
    'η‖∇f‖²/2. On a mini-batch the guarantee holds for that batch only.',
  formula: String.raw`\theta_{k+1} = \theta_k - \eta_k\nabla f_B(\theta_k),\quad f_B(\theta_{k+1}) \le f_B(\theta_k) - c\,\eta_k\|\nabla f_B(\theta_k)\|^2,\quad \eta_k = \beta_b^{j}\min(\eta_{k-1}\gamma^{1/n_b}, \eta_{\max})`,
};
