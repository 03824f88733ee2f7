/** The backtracking hyper-parameters of the Lipschitz searches (mm-lipschitz, mm-layerwise). */
import { z } from 'zod';

export const backtrackingHyper = {
  /** L (per block) for the first step. */
  L0: z.number().gt(0, 'L0 must be > 0').lte(1e8, 'L0 must be ≤ 1e8').default(1),
  /** Each step starts its search from L_{k−1}/decrease (1: L never decreases). */
  decrease: z.number().min(1, 'decrease must be in [1, 100]').max(100, 'decrease must be in [1, 100]').default(2),
  maxBacktracks: z
    .number()
    .int('maxBacktracks must be an integer')
    .min(1, 'maxBacktracks must be in [1, 200]')
    .max(200, 'maxBacktracks must be in [1, 200]')
    .default(60),
};
