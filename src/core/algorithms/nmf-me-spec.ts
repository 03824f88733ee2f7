/** nmf-me.ts's spec: what the page, the config schema and the docs read (the page loads no step code). */
import { z } from 'zod';
import type { NMFSpec } from './nmf-spec';

/** The β with closed-form ME updates (Févotte & Idier 2011, §5). */
export const ME_BETAS: readonly number[] = [-1, 0, 0.5, 1.5, 2, 3];

/** Why ME cannot run at β, or null. */
export function meBetaError(beta: number): string | null {
  if (ME_BETAS.includes(beta)) return null;
  return `ME (majorization–equalization) has closed-form updates only for β ∈ {−1, 0, 1/2, 3/2, 2, 3} (Févotte & Idier 2011, §5: there G(h|h̃) = G(h̃|h̃) is a polynomial equation of degree ≤ 3 with the known root h = h̃); the problem has β = ${beta}. Use nmf-mm (any β) or set β to one of those values`;
}

export const meHyper = z.strictObject({
  blend: z
    .number({ error: 'blend must be a number' })
    .gt(0, 'blend must be in (0, 1] (1: the ME point; towards 0: the MM point)')
    .max(1, 'blend must be in (0, 1] (1: the ME point; towards 0: the MM point)')
    .default(1),
});
export type MEHyper = z.infer<typeof meHyper>;

export const nmfMESpec: NMFSpec<MEHyper> = {
  id: 'nmf-me',
  label: 'ME (Févotte–Idier)',
  family: 'mm',
  problems: ['nmf'],
  hyper: meHyper,
  monotone: (beta) => ME_BETAS.includes(beta),
  betaError: meBetaError,
  summary:
    'Majorization–equalization for β-NMF (Févotte & Idier §5): each entry jumps to the far side of the auxiliary function’s level set, G(h|h̃) = G(h̃|h̃), about twice the MM step and still monotone. Closed forms for β ∈ {−1, 0, ½, 3/2, 2, 3} only.',
  formula: String.raw`h = \tilde h\,\varphi_\beta(r),\ r = \frac{[W^\top((WH)^{\beta-2}\odot V)]}{[W^\top (WH)^{\beta-1}]}:\ \varphi_{-1} = \tfrac{r+\sqrt{r^2+8r}}{4},\ \varphi_0 = r,\ \varphi_{1/2} = \tfrac{(\sqrt{1+8r}-1)^2}{4},\ \varphi_{3/2} = \tfrac{(\sqrt{12r-3}-1)_+^2}{4},\ \varphi_2 = (2r-1)_+,\ \varphi_3 = \tfrac{(\sqrt{12r-3}-1)_+}{2}`,
};
