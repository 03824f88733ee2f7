/** nmf-joint-mm.ts's spec: what the page, the config schema and the docs read (the page loads no step code). */
import { z } from 'zod';
import type { NMFSpec } from './nmf-spec';

export const jointHyper = z.strictObject({
  sweeps: z
    .number({ error: 'sweeps must be a number' })
    .int('sweeps must be an integer')
    .min(1, 'sweeps must be in [1, 10] (block sweeps over the one joint majorizer per iteration)')
    .max(10, 'sweeps must be in [1, 10] (block sweeps over the one joint majorizer per iteration)')
    .default(1),
});
export type JointHyper = z.infer<typeof jointHyper>;

export const nmfJointMMSpec: NMFSpec<JointHyper> = {
  id: 'nmf-joint-mm',
  label: 'Joint MM (Marmin–Goulart–Févotte)',
  family: 'mm',
  problems: ['nmf'],
  hyper: jointHyper,
  monotone: () => true,
  summary:
    'Joint majorization–minimization for β-NMF (Marmin, Goulart & Févotte 2023): one auxiliary function for W and H together, built once per iteration at (W̃, H̃); W then H minimise it with multiplicative updates that reuse its powers of W̃H̃. Monotone for every β; cheaper per iteration than alternating MM.',
  formula: String.raw`W \leftarrow \tilde W \odot \left[\frac{\tilde P\,\chi_1(H)^\top}{\tilde Q\,\chi_2(H)^\top}\right]^{\gamma(\beta)},\ H \leftarrow \tilde H \odot \left[\frac{\chi_1(W)^\top \tilde P}{\chi_2(W)^\top \tilde Q}\right]^{\gamma(\beta)},\ \tilde P = V \odot (\tilde W\tilde H)^{\beta-2},\ \tilde Q = (\tilde W\tilde H)^{\beta-1},\ \chi_1(X) = \tilde X \odot (X/\tilde X)^{\beta-1},\ \chi_2(X) = \tilde X \odot (X/\tilde X)^{\beta}`,
};
