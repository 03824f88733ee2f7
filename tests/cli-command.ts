/**
 * The command line as the tests run it: Node on the CLI's bundle (build/cli/lab.mjs, what `mm-lab` runs),
 * built here from src/cli when a source is newer (scripts/build-cli.mjs; a no-op otherwise).
 */
import { buildCli } from '../scripts/build-cli.mjs';

/** The bundle's path: `node LAB_BUNDLE run ex.json` is `mm-lab run ex.json`. */
export const LAB_BUNDLE = await buildCli({ quiet: true });
