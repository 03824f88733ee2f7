/**
 * The page's words for students, in one place: every hyper-parameter's human label, its symbol and what
 * it means (keyed by the schema's name; an algorithm may override a name that means something else
 * there), a short glossary, and plain text for the registry's prose (no raw LaTeX on the page).
 * tests/ui-words.test.ts checks that every hyper-parameter of every registered algorithm has words.
 */

export interface HyperWords {
  /** Human label shown next to the field. */
  label: string;
  /** The symbol in formulas (Unicode, no LaTeX). */
  symbol: string;
  /** One or two sentences: what it does, and what a larger value means. */
  meaning: string;
}

const W = (label: string, symbol: string, meaning: string): HyperWords => ({ label, symbol, meaning });

export const HYPER_WORDS: Record<string, HyperWords> = {
  lr: W('Learning rate', 'η', 'Step size: θ moves by η times the update direction. Too large and f can rise or blow up (for plain gradient descent: above 2/L).'),
  momentum: W('Momentum', 'μ', 'Fraction of the previous update kept in the next one (0: none). Smooths and speeds up progress along consistent directions.'),
  dampening: W('Dampening', 'τ', 'Scales down the new gradient added to the momentum buffer: b ← μ·b + (1 − τ)·g.'),
  nesterov: W('Nesterov momentum', '—', 'Looks ahead: applies the gradient plus the momentum step (Nesterov’s accelerated form).'),
  weight_decay: W('Weight decay', 'λ_wd', 'Adds λ_wd·θ to the gradient (an L2 penalty): pulls weights towards 0.'),
  betas: W('Averaging rates', 'β₁, β₂', 'Decay rates of the running averages of the gradient (β₁) and of its square (β₂). Closer to 1: longer memory.'),
  eps: W('Epsilon', 'ε', 'Small number added to a denominator so the step never divides by zero.'),
  amsgrad: W('AMSGrad', '—', 'Uses the largest second-moment estimate seen so far, so the effective step never grows.'),
  alpha: W('Smoothing constant', 'α', 'Decay rate of the running average of squared gradients. Closer to 1: longer memory.'),
  centered: W('Centered', '—', 'Normalises by the estimated variance of the gradient instead of its second moment.'),
  lr_decay: W('Learning-rate decay', 'δ', 'Step size at step t is η/(1 + (t − 1)·δ).'),
  initial_accumulator_value: W('Initial accumulator', 's₀', 'Starting value of the running sum of squared gradients: larger values make the first steps smaller.'),
  L0: W('Initial curvature', 'L₀', 'Starting guess of the curvature L (Lipschitz constant of ∇f). The MM step is θ − ∇f/L; backtracking corrects a wrong guess.'),
  decrease: W('Decrease factor', 'ρ', 'After a step, the next search starts from L/ρ, so the step can grow again (1: L never decreases).'),
  maxBacktracks: W('Max. backtracks', 'm', 'How many times L may be doubled in one step while looking for a curvature that bounds f.'),
  powerIterations: W('Power iterations', 'p', 'If > 0, estimate the starting L from the Hessian’s largest eigenvalue with p power iterations (0: use L₀).'),
  order: W('Layer order', '—', 'Which layer block is updated first in each sweep: the output layer or the input layer.'),
  damping: W('Damping', 'κ', 'Adds κ·I to the curvature bound: shorter, safer steps (κ ≥ 0 keeps it a majorizer).'),
  lambda0: W('Initial damping', 'λ₀', 'Starting value of the Levenberg–Marquardt damping λ added to the Gauss–Newton curvature. Larger: shorter, more gradient-like steps.'),
  increase: W('Increase factor', 'ν', 'After a refused step, λ ← ν·λ and the step is solved again.'),
  maxTries: W('Max. tries', 'm', 'Solves per step (raising λ each time) before giving up and keeping θ.'),
  maxDirect: W('Direct-solve limit', 'P_max', 'With at most this many parameters the damped system is solved exactly (Cholesky); above it, by conjugate gradients.'),
  cgIterations: W('CG iterations', 'n_cg', 'Most conjugate-gradient iterations per solve when the system is too large for a direct solve.'),
  cgTolerance: W('CG tolerance', 'tol', 'Conjugate gradients stop when the residual falls below this fraction of its start.'),
  tau: W('Proximal step', 'τ', 'Step of the implicit (proximal) update of each linear layer. Small τ: close to gradient descent with step η·τ.'),
  decay: W('Step-size decay', 'q', 'Step size at step k is η/(k + 1)^q (0: constant).'),
  speed_ini: W('Initial speed', 's', 'Initial velocity −s·∇f(θ₀) of the inertial dynamics (0: start at rest).'),
  blend: W('Blend', 'b', 'Where the update lands between the MM point (towards 0) and the majorization–equalization point (1).'),
  sweeps: W('Sweeps', 'n', 'Block minimisations of the joint auxiliary function per iteration (W, then H, then W, …).'),
  init_step_size: W('Initial step size', 'η₀', 'Step size the line search starts from at the first step (the search then shrinks or grows it by itself).'),
  c: W('Armijo constant', 'c', 'Sufficient decrease asked of a step: f must drop by at least c·η‖∇f‖². c = ½ makes the test the Lipschitz-MM bound with L = 1/η; smaller c accepts longer steps.'),
  beta_b: W('Backtracking factor', 'β_b', 'After a failed Armijo test the step size is multiplied by β_b (closer to 1: finer, slower search).'),
  gamma: W('Growth factor', 'γ', 'Before each search the previous step size grows by γ^(1/n_b), so it can recover after a short step (1: never grows).'),
  n_batches_per_epoch: W('Batches per epoch', 'n_b', 'Number of mini-batches in one pass over the data (n/b; 1 with the full batch): the step size may grow by a factor γ per epoch.'),
  reset_option: W('Reset rule', 'opt', 'How each search starts: 0 from the last step size, 1 from it grown by γ^(1/n_b) (capped at η_max), 2 from the initial step size.'),
  eta_max: W('Largest step size', 'η_max', 'Cap on the grown step size before the line search.'),
  gain: W('Gain', 'g', 'Multiplies AGD’s automatic step (1: the paper’s algorithm, no tuning). It is the only setting AGD has.'),
  curvature: W('Curvature', 'B', 'The matrix of the quadratic majorizer: the Hessian (damped Newton), the Gauss–Newton JᵀJ of a sum of squares, or a global Hessian bound (no damping needed).'),
};

/** Names whose meaning depends on the algorithm. */
const BY_ALGORITHM: Record<string, Record<string, HyperWords>> = {
  inna: {
    lr: W('Step size', 'γ', 'Step size of the discretised inertial Newton dynamics (γ₀ when it decays).'),
    alpha: W('Friction', 'α', 'Viscous damping of the inertial dynamics: larger α, less oscillation.'),
    beta: W('Newtonian damping', 'β', 'Hessian-driven damping of the inertial dynamics.'),
  },
  proxprop: { lr: W('Output step', 'η', 'Explicit gradient step on the layer outputs z before the proximal update of the weights.') },
  'sgd-armijo': { maxBacktracks: W('Max. backtracks', 'm', 'How many times the step size may be shrunk by β_b in one step; if every try fails θ moves by 10⁻⁶·∇f (as the sls package does).') },
  'mm-gauss-newton': { decrease: W('Decrease factor', 'ρ', 'After an accepted step, λ ← λ/ρ: the next step is more Newton-like.') },
};

/** The words for a hyper-parameter of an algorithm (a plain fallback for a name not listed). */
export function hyperWords(algorithm: string, name: string): HyperWords {
  return BY_ALGORITHM[algorithm]?.[name] ?? HYPER_WORDS[name] ?? W(name, name, `The “${name}” setting of this algorithm.`);
}

export const hasHyperWords = (algorithm: string, name: string): boolean => !!(BY_ALGORITHM[algorithm]?.[name] ?? HYPER_WORDS[name]);

/** A field's tooltip: the symbol, the schema name and the meaning. */
export function hyperTooltip(algorithm: string, name: string): string {
  const w = hyperWords(algorithm, name);
  return `${w.label} (${w.symbol === '—' ? name : `${w.symbol}, “${name}”`}): ${w.meaning}`;
}

export interface GlossaryEntry {
  term: string;
  text: string;
}

/** A short glossary for students. */
export const GLOSSARY: GlossaryEntry[] = [
  { term: 'Loss f(θ)', text: 'The number training minimises: how badly the model with parameters θ fits the data (the train loss), or held-out data (the test loss, dashed).' },
  { term: 'Parameters θ', text: 'The weights and biases of the network (or the factors W and H in NMF). θₖ is their value after k steps.' },
  { term: 'Gradient ∇f', text: 'The direction in which f grows fastest. Gradient methods step against it.' },
  { term: 'Learning rate η', text: 'How far a gradient method moves per step. MM algorithms choose their own step from a bound.' },
  { term: 'Surrogate g(·|θₖ)', text: 'A simpler function built at θₖ that touches f there. Minimising it gives the next θ.' },
  { term: 'Majorizer', text: 'A surrogate that lies above f everywhere (g ≥ f) and equals it at θₖ. Minimising a majorizer can never increase f.' },
  { term: 'Majorization–minimization (MM)', text: 'Repeat: build a majorizer at θₖ, jump to its minimum. The loss decreases at every step (monotone decrease).' },
  { term: 'Curvature L', text: 'How fast the gradient can change (its Lipschitz constant). The quadratic f(θₖ) + ∇f·Δ + (L/2)‖Δ‖² majorizes f when L is large enough.' },
  { term: 'Implied model', text: 'The quadratic a gradient step minimises: f(θₖ) + ∇f·Δ + ‖Δ‖²/(2η). It majorizes f only when η ≤ 1/L.' },
  { term: 'Monotone', text: 'The loss never goes up from one step to the next (up to float32 rounding).' },
  { term: 'Diverged', text: 'The loss became infinite or not a number; the run is stopped.' },
  { term: 'Mini-batch', text: 'A random subset of the data used for one step. The MM guarantee then holds for that batch only, not for the full loss.' },
  { term: 'NMF', text: 'Non-negative matrix factorization: V ≈ WH with W, H ≥ 0. For a spectrogram, W’s columns are spectra and H’s rows say when each is active.' },
  { term: 'β-divergence', text: 'The NMF loss: β = 2 squared error, β = 1 Kullback–Leibler, β = 0 Itakura–Saito.' },
];

const SUBSCRIPT: Record<string, string> = { '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉', '+': '₊', '-': '₋', '−': '₋', k: 'ₖ', t: 'ₜ', i: 'ᵢ', j: 'ⱼ', l: 'ₗ', n: 'ₙ', m: 'ₘ', '(': '₍', ')': '₎' };
const SUPERSCRIPT: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '+': '⁺', '-': '⁻', '−': '⁻', T: 'ᵀ', k: 'ᵏ', t: 'ᵗ', n: 'ⁿ', '(': '⁽', ')': '⁾' };
const TEX_WORDS: Record<string, string> = { lambda: 'λ', gamma: 'γ', beta: 'β', alpha: 'α', theta: 'θ', eta: 'η', mu: 'μ', nabla: '∇', le: '≤', ge: '≥', cdot: '·', odot: '⊙', top: 'ᵀ' };

const mapAll = (s: string, table: Record<string, string>): string | null => {
  const out = [...s].map((c) => table[c]);
  return out.every((c) => c !== undefined) ? out.join('') : null;
};

/**
 * Registry prose with any LaTeX-isms turned into plain Unicode: L_{k−1} → Lₖ₋₁, x^{2} → x², \lambda → λ.
 * A script it cannot express in Unicode is written as _(…) / ^(…), never with braces.
 */
export function plainText(s: string): string {
  return s
    .replace(/\\([a-zA-Z]+)/g, (_m, w: string) => TEX_WORDS[w] ?? w)
    .replace(/_\{([^{}]*)\}/g, (_, a: string) => {
      const t = a.replace(/\s+/g, '');
      return mapAll(t, SUBSCRIPT) ?? `_(${t})`;
    })
    .replace(/\^\{([^{}]*)\}/g, (_, a: string) => mapAll(a.replace(/\s+/g, ''), SUPERSCRIPT) ?? `^(${a})`)
    .replace(/\$/g, '');
}
