/**
 * The MLP problem's vocabulary — activations and losses — without tfjs, for the config schema and the
 * page (the objective itself is ./mlp.ts on tfjs and engines/cpu on flat arrays).
 */
export const ACTIVATIONS = ['tanh', 'relu', 'sigmoid', 'linear'] as const;
export type Activation = (typeof ACTIVATIONS)[number];
/** bce: binary cross-entropy with logits · softmax_ce: softmax cross-entropy · mse: mean squared error */
export const LOSSES = ['bce', 'softmax_ce', 'mse'] as const;
export type LossName = (typeof LOSSES)[number];
