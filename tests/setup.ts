// Unit tests run the core on tfjs's CPU backend (float32), as the CLI does by default.
import * as tf from '@tensorflow/tfjs';
import { beforeAll } from 'vitest';

beforeAll(async () => {
  if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
  await tf.ready();
});
