#!/usr/bin/env bash
# Runs every test: the type check, vitest (unit + property tests) and Playwright (e2e against the
# production build), then prints one plain line "N passed, N failed" summed over both suites.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p reports
rm -f reports/vitest.json reports/playwright.json

status=0
echo "== WebAssembly kernels (AssemblyScript → src/core/fused/kernels/generated)"
node scripts/build-kernels.mjs || status=1

echo "== command line bundle (esbuild → build/cli)"
node scripts/build-cli.mjs || status=1

echo "== type check"
npx tsc --noEmit -p . || status=1

echo "== unit and property tests (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json=reports/vitest.json || status=1

if [ "${SKIP_E2E:-0}" != "1" ]; then
  echo "== end-to-end tests (Playwright, headless Chromium, production build)"
  PLAYWRIGHT_JSON_OUTPUT_FILE=reports/playwright.json npx playwright test --reporter=list,json || status=1
fi

node scripts/count-results.mjs reports/vitest.json reports/playwright.json || status=1
exit $status
