/**
 * Input features of a 2-D MLP problem, as in TensorFlow Playground: the network's inputs are chosen
 * functions of the point (x₁, x₂). A config without `features` feeds (x₁, x₂) as they are. Both engines
 * build their data from the mapped points (problems/mlp-data.ts), and the views map their grids the same
 * way, so pictures stay on the (x₁, x₂) plane.
 */
export const FEATURES = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'] as const;
export type FeatureName = (typeof FEATURES)[number];

/** How people read each feature. */
export const FEATURE_LABELS: Record<FeatureName, string> = {
  x1: 'x₁',
  x2: 'x₂',
  x1sq: 'x₁²',
  x2sq: 'x₂²',
  x1x2: 'x₁x₂',
  sinx1: 'sin x₁',
  sinx2: 'sin x₂',
};

export const DEFAULT_FEATURES: readonly FeatureName[] = ['x1', 'x2'];

export function featureValue(f: FeatureName, x1: number, x2: number): number {
  switch (f) {
    case 'x1':
      return x1;
    case 'x2':
      return x2;
    case 'x1sq':
      return x1 * x1;
    case 'x2sq':
      return x2 * x2;
    case 'x1x2':
      return x1 * x2;
    case 'sinx1':
      return Math.sin(x1);
    case 'sinx2':
      return Math.sin(x2);
  }
}

/** Rows (x₁, x₂) mapped to the features, in the given order. */
export function mapFeatures(features: readonly FeatureName[], X: readonly (readonly number[])[]): number[][] {
  return X.map((x) => features.map((f) => featureValue(f, x[0], x[1])));
}

/** Flat n×2 inputs mapped to flat n×features.length inputs (float32, for the engines' predict). */
export function mapFeaturesFlat(features: readonly FeatureName[], X: Float32Array, n: number): Float32Array {
  const k = features.length;
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) out[i * k + j] = featureValue(features[j], X[2 * i], X[2 * i + 1]);
  return out;
}
