/**
 * The page's entry script, deliberately tiny: it starts the training worker (src/worker/early.ts) and
 * only then loads the app. While the app's bundle downloads and evaluates, the worker's thread starts,
 * its chunk compiles and evaluates, so a share link's first point waits for neither one after the other.
 */
import { startEarlyWorker } from '../worker/early';

startEarlyWorker();
void import('./main');
