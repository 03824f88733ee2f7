/**
 * Own data in the page (issue 12): an uploaded CSV or clicked points become the form's explicit data;
 * share links leave them out (the built-in set and a note instead) while explicit data from a file or
 * link is carried as before; Export JSON keeps them and loading it back marks them again.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import LZString from 'lz-string';
import { readFileSync } from 'node:fs';
import { loadExperiment } from '../src/core/config';
import { parseCsv } from '../src/core/data/csv';
import { mlpPoints } from '../src/core/problems/mlp-data';
import { addPoint, applyUpload, backToBuiltIn, clearPoints, undoPoint } from '../src/ui/ownData';
import { fingerprint, isOwnData, setOwnDataMark } from '../src/ui/ownData-link';
import { checkedShare } from '../src/ui/limits';
import { DEFAULT_VIEW, decodeShare, encodeShare } from '../src/ui/share';
import { runsJson } from '../src/ui/export';
import { readExport } from '../src/ui/loadExport';
import { configToDraft } from '../src/ui/draft';
import { getLab, setLab, validDraft } from '../src/ui/store';
import { defaultExperiment } from '../src/ui/presets';

const CSV = 'x1,x2,label\n0,0,a\n1,1,b\n2,0,a\n0,2,b\n';
const payloadOf = (hash: string) => JSON.parse(LZString.decompressFromEncodedURIComponent(hash.slice('#v1.'.length))!);
const mlp = () => {
  const p = getLab().draft.problem;
  if (p.kind !== 'mlp') throw new Error('not an MLP');
  return p;
};

beforeEach(() => {
  setOwnDataMark(null);
  setLab({ draft: configToDraft(defaultExperiment()) });
});

describe('uploaded data and share links', () => {
  it('an upload becomes the explicit data; its link carries the built-in set and says what it left out', () => {
    const csv = parseCsv(CSV);
    if (!csv.ok) throw new Error(csv.errors.join());
    applyUpload(csv.data, 'pts.csv', '', csv.notes);
    expect(mlp().data).toEqual({ kind: 'explicit', X: [[0, 0], [1, 1], [2, 0], [0, 2]], y: [0, 1, 0, 1] });
    const config = validDraft()!;
    // The session's copy (parsed, cloned by the worker) is recognised by its numbers.
    expect(isOwnData(structuredClone(config).problem)).toBe(true);
    const hash = encodeShare(config, DEFAULT_VIEW);
    const payload = payloadOf(hash);
    expect(payload.o).toEqual({ n: 4, d: 2, k: 2 });
    expect(payload.c.problem.data).toMatchObject({ kind: 'dataset', name: 'moons' });
    expect(JSON.stringify(payload)).not.toContain('explicit');
    const opened = decodeShare(hash);
    if (opened.kind !== 'ok') throw new Error('link did not open');
    expect(opened.config.problem).toMatchObject({ kind: 'mlp', loss: 'bce', data: { kind: 'dataset', name: 'moons' } });
    expect(opened.warnings).toEqual([
      "This experiment was made on its author's own data (4 points, 2 columns, 2 classes), which share links never carry: it opens on the built-in 'moons' data instead. Ask for its Export JSON file to run it on that data.",
    ]);
    expect(checkedShare(config, DEFAULT_VIEW).ok).toBe(true);
  });

  it('explicit data from a file or link (not marked as own) is carried in links as before', () => {
    const replay = loadExperiment(JSON.parse(readFileSync('examples/replay-explicit.json', 'utf8')));
    const payload = payloadOf(encodeShare(replay, DEFAULT_VIEW));
    expect(payload.c.problem.data.X).toEqual(replay.problem.kind === 'mlp' && replay.problem.data.kind === 'explicit' ? replay.problem.data.X : null);
    expect(payload.o).toBeUndefined();
  });

  it('a damaged note on left-out data is said, the link still opens', () => {
    const c = defaultExperiment();
    const hash = `#v1.${LZString.compressToEncodedURIComponent(JSON.stringify({ c, o: { n: 'x' } }))}`;
    const d = decodeShare(hash);
    expect(d.kind === 'ok' && d.warnings).toEqual(["the link's note on left-out data was not understood"]);
  });

  it('Export JSON holds the data and marks it; loading it back marks it again', () => {
    const csv = parseCsv(CSV);
    if (!csv.ok) throw new Error(csv.errors.join());
    applyUpload(csv.data, 'pts.csv', '', csv.notes);
    const text = runsJson(validDraft()!, null);
    const file = JSON.parse(text);
    expect(file.ownData).toEqual({ origin: 'upload', name: 'pts.csv' });
    expect(file.config.problem.data.X).toHaveLength(4);
    setOwnDataMark(null);
    const r = readExport(text);
    expect(r.ok && r.ownData).toEqual({ origin: 'upload', name: 'pts.csv' });
    expect(r.ok && r.config.problem.kind === 'mlp' && r.config.problem.data.kind).toBe('explicit');
  });
});

describe('points added on the plot', () => {
  it('turn the generated set into explicit data with one more point; undo and clear take them back', async () => {
    const start = mlp();
    expect(start.data.kind).toBe('dataset');
    const pts = mlpPoints(start, getLab().draft.seeds.data);
    await addPoint(0.25, -0.5, 1);
    const one = mlp();
    if (one.data.kind !== 'explicit') throw new Error('not explicit');
    expect(one.data.X).toEqual([...pts.X, [0.25, -0.5]]);
    expect(one.data.y).toEqual([...pts.y, 1]);
    expect(one.data.Xtest).toEqual(pts.Xtest);
    expect(isOwnData(one)).toBe(true);
    // A third class: binary cross-entropy becomes softmax cross-entropy, and the config stays valid.
    await addPoint(1, 1, 2);
    expect(mlp().loss).toBe('softmax_ce');
    expect(validDraft()).not.toBeNull();
    undoPoint();
    expect(mlp().loss).toBe('bce');
    expect(mlp().data.kind === 'explicit' && mlp().data).toMatchObject({ X: one.data.X });
    expect(isOwnData(mlp())).toBe(true);
    clearPoints();
    expect(mlp().data).toBe(start.data);
    expect(isOwnData(mlp())).toBe(false);
  });

  it('clicks in quick succession each add their point, in order', async () => {
    const n = mlpPoints(mlp(), getLab().draft.seeds.data).X.length;
    void addPoint(0.1, 0.1, 0);
    void addPoint(0.2, 0.2, 1);
    await addPoint(0.3, 0.3, 0);
    const d = mlp().data;
    expect(d.kind === 'explicit' && d.X.slice(n)).toEqual([[0.1, 0.1], [0.2, 0.2], [0.3, 0.3]]);
    undoPoint();
    undoPoint();
    expect(mlp().data.kind === 'explicit' && (mlp().data as { X: number[][] }).X.length).toBe(n + 1);
  });

  it('back to built-in data restores the set the own data replaced', async () => {
    const start = mlp();
    await addPoint(0, 0, 0);
    const csv = parseCsv(CSV);
    if (!csv.ok) throw new Error(csv.errors.join());
    applyUpload(csv.data, 'pts.csv', '', csv.notes);
    backToBuiltIn();
    expect(mlp().data).toEqual(start.data);
    expect(mlp().loss).toBe(start.loss);
    expect(isOwnData(mlp())).toBe(false);
  });

  it('the fingerprint tells data apart by every number', () => {
    const a = { X: [[0, 1], [2, 3]], y: [0, 1] };
    expect(fingerprint(a)).toBe(fingerprint(structuredClone(a)));
    expect(fingerprint(a)).not.toBe(fingerprint({ X: [[0, 1], [2, 3.0000001]], y: [0, 1] }));
    expect(fingerprint(a)).not.toBe(fingerprint({ X: [[0, 1], [2, 3]], y: [1, 0] }));
  });
});
