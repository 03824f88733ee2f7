// Sums passed/failed tests over vitest's and Playwright's JSON reports and prints "N passed, N failed".
// A suite whose report is missing counts as one failure (it crashed before reporting).
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
const [vitestPath, playwrightPath] = process.argv.slice(2);

if (existsSync(vitestPath)) {
  const r = JSON.parse(readFileSync(vitestPath, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // A test file that fails to load has no tests but is a failure.
  failed += (r.testResults ?? []).filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
} else {
  failed += 1;
  console.error(`missing ${vitestPath}`);
}

if (process.env.SKIP_E2E !== '1') {
  if (existsSync(playwrightPath)) {
    const r = JSON.parse(readFileSync(playwrightPath, 'utf8'));
    passed += r.stats.expected + r.stats.flaky;
    failed += r.stats.unexpected;
    skipped += r.stats.skipped;
    if ((r.errors ?? []).length) failed += 1;
  } else {
    failed += 1;
    console.error(`missing ${playwrightPath}`);
  }
}

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
