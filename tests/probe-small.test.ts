/**
 * Issue 16, point 5: the small ones — a `__proto__` key in `hyper`, JSON files with a UTF-8 BOM,
 * `ytest` without `Xtest`, links with extra keys / trailing garbage / a `v01.` prefix, and Step after
 * a finished run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compressToEncodedURIComponent } from 'lz-string';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { parseExperiment } from '../src/core/config';
import { DEFAULT_VIEW, decodeShare, encodeShare } from '../src/ui/share';
import { LAB_BUNDLE } from './cli-command';

const sent: { type: string; [k: string]: unknown }[] = [];
vi.mock('../src/ui/engine', () => ({
  send: (cmd: { type: string }) => void sent.push(cmd),
  startSession: () => {},
  applySpeed: () => {},
}));

const root = fileURLToPath(new URL('..', import.meta.url));

describe('config validation', () => {
  it('refuses a __proto__ key inside hyper (runs and switches) like any other unknown key', () => {
    const run = parseExperiment(JSON.parse('{"version":1,"problem":{"kind":"mlp"},"runs":[{"algorithm":"sgd","hyper":{"__proto__":{"lr":100}}}]}'));
    expect(run.ok).toBe(false);
    if (!run.ok) expect(run.errors).toEqual(['runs[0].hyper: Unrecognized key: "__proto__"']);
    const sw = parseExperiment(
      JSON.parse('{"version":1,"problem":{"kind":"mlp"},"runs":[{"algorithm":"sgd","switches":[{"at":1,"algorithm":"adam","hyper":{"__proto__":{}}}]}]}'),
    );
    expect(sw.ok).toBe(false);
    if (!sw.ok) expect(sw.errors.join('\n')).toMatch(/runs\[0\]\.switches\[0\]\.hyper: Unrecognized key: "__proto__"/);
  });

  it('refuses ytest without Xtest', () => {
    const r = parseExperiment({
      version: 1,
      problem: { kind: 'mlp', data: { kind: 'explicit', X: [[1], [2]], y: [0, 1], ytest: [1] } },
      runs: [{ algorithm: 'sgd' }],
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toMatch(/problem\.data\.ytest: .*without Xtest/);
  });
});

describe('the CLI reads JSON files with a UTF-8 BOM', () => {
  it('runs them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmlab-bom-'));
    const file = join(dir, 'bom.json');
    writeFileSync(file, `\uFEFF${JSON.stringify({ version: 1, problem: { kind: 'mlp' }, runs: [{ algorithm: 'sgd' }], steps: 2 })}`);
    const r = spawnSync(process.execPath, [LAB_BUNDLE, 'run', file], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).not.toMatch(/not valid JSON/);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).runs[0].losses).toHaveLength(3);
  });
});

describe('share links: what was ignored is said', () => {
  const config = () => {
    const r = parseExperiment({ version: 1, problem: { kind: 'mlp' }, runs: [{ algorithm: 'sgd' }], steps: 20 });
    if (!r.ok) throw new Error('config');
    return r.config;
  };
  const expectWarning = (hash: string, re: RegExp) => {
    const d = decodeShare(hash);
    expect(d.kind).toBe('ok');
    if (d.kind === 'ok') {
      expect(d.config).toEqual(config());
      expect(d.warnings.join('\n')).toMatch(re);
    }
  };

  it('a clean link has no warnings', () => {
    const d = decodeShare(encodeShare(config(), DEFAULT_VIEW));
    expect(d.kind === 'ok' && d.warnings).toEqual([]);
  });
  it('extra top-level keys', () => {
    expectWarning(`#v1.${compressToEncodedURIComponent(JSON.stringify({ c: config(), extra: 1, evil: '<b>' }))}`, /unknown keys .*'extra', 'evil'/);
  });
  it('trailing garbage after a valid payload', () => {
    expectWarning(`${encodeShare(config(), DEFAULT_VIEW)}GARBAGE`, /7 character\(s\) after the end .* ignored/);
  });
  it("a 'v01.' prefix", () => {
    expectWarning(encodeShare(config(), DEFAULT_VIEW).replace('#v1.', '#v01.'), /prefix 'v01\.' was read as 'v1\.'/);
  });
});

describe('Step after a finished run', () => {
  beforeEach(() => void (sent.length = 0));

  it('raises the step budget by one instead of showing step 301 / 300', async () => {
    const { getLab, setLab } = await import('../src/ui/store');
    const { stepOnce } = await import('../src/ui/actions');
    const config = parseExperiment({ version: 1, problem: { kind: 'mlp' }, runs: [{ algorithm: 'sgd' }], steps: 300 });
    if (!config.ok) throw new Error('config');
    const { configToDraft } = await import('../src/ui/draft');
    setLab({
      draft: configToDraft(config.config),
      dirty: false,
      session: { epoch: 1, config: config.config, kind: 'mlp', hasTest: true, paramNames: [] },
      t: 300,
      target: 300,
    });
    stepOnce();
    const setSteps = sent.find((c) => c.type === 'setSteps');
    expect(setSteps?.steps).toBe(301);
    expect(sent.findIndex((c) => c.type === 'setSteps')).toBeLessThan(sent.findIndex((c) => c.type === 'step'));
    expect(getLab().draft.steps).toBe(301);
  });
});
