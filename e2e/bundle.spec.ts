/**
 * Issue 11's budget: the JavaScript the page loads before its first paint (the entry module and every
 * module it imports statically, i.e. what index.html loads or preloads) stays under 700 kB. tfjs, KaTeX
 * and the training worker are not part of it: they load lazily.
 */
import { test, expect } from '@playwright/test';

test('the page loads under 700 kB of JavaScript before its first paint, and no tfjs', async ({ request }) => {
  const html = await (await request.get('/')).text();
  const urls = [...html.matchAll(/<script[^>]*\bsrc="([^"]+\.js)"|<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g)].map((m) => (m[1] ?? m[2]).replace(/^\.\//, '/'));
  expect(urls.length).toBeGreaterThanOrEqual(1);
  let total = 0;
  for (const url of urls) {
    const body = await (await request.get(url)).body();
    total += body.length;
    // tfjs-core's platform check (its "Hi, looks like you are running TensorFlow.js in Node.js" notice)
    // ships with every tfjs build: none of it in the page's own code.
    expect(body.includes('looks like you are running TensorFlow.js'), `${url} carries tfjs`).toBe(false);
  }
  console.log(`page entry JS: ${(total / 1000).toFixed(0)} kB in ${urls.length} file(s)`);
  expect(total).toBeLessThan(700_000);
});
