/**
 * CSV upload (issue 12, "Own data"): good files in every accepted shape, bad rows with exact line and
 * column messages, the limits, and the parsed data accepted by the config schema as explicit data.
 */
import { describe, expect, it } from 'vitest';
import { CSV_LIMITS, csvSummary, parseCsv, type CsvResult } from '../src/core/data/csv';
import { readCsv } from '../src/core/data/csv-read';
import { LIMITS, parseExperiment } from '../src/core/config';

const ok = (r: CsvResult) => {
  if (!r.ok) throw new Error(`expected ok, got: ${r.errors.join(' | ')}`);
  return r;
};
const errors = (r: CsvResult) => {
  if (r.ok) throw new Error('expected errors, got ok');
  return r.errors;
};

describe('CSV reading', () => {
  it('reads a header, commas and integer classes 0..K-1 as they are', () => {
    const r = ok(parseCsv('x1,x2,label\n0.5,1,0\n-1,2.5e-1,1\n3,.5,0\n'));
    expect(r.data.X).toEqual([[0.5, 1], [-1, 0.25], [3, 0.5]]);
    expect(r.data.y).toEqual([0, 1, 0]);
    expect(r.data).toMatchObject({ header: true, delimiter: ',', task: 'classification', loss: 'bce', mapped: false, featureNames: ['x1', 'x2'], labelName: 'label' });
    expect(r.notes[0]).toBe('comma-separated, with a header row');
    expect(csvSummary(r.data)).toBe('3 points · 2 features (x1, x2) · 2 classes');
  });

  it('reads files without a header, with semicolons (decimal commas) or tabs, CRLF and CR line ends', () => {
    const a = ok(parseCsv('1;2;0\r\n3;4;1\r\n5,5;6;2\r\n'));
    expect(a.data).toMatchObject({ header: false, delimiter: ';', X: [[1, 2], [3, 4], [5.5, 6]], y: [0, 1, 2], loss: 'softmax_ce', featureNames: ['x1', 'x2'], labelName: 'label' });
    const b = ok(parseCsv('a\tb\tclass\r1\t2\t1\r3\t4\t0'));
    expect(b.data).toMatchObject({ header: true, delimiter: '\t', X: [[1, 2], [3, 4]], y: [1, 0] });
  });

  it('skips blank lines, # comments and a byte-order mark, and counts every line in messages', () => {
    const r = ok(parseCsv('\uFEFF# my points\n\nx,Label,y\n\n1,0,2\n# a note\n3,1,4\n\n\n'));
    expect(r.data.X).toEqual([[1, 2], [3, 4]]);
    // A column named label (class, target) is the label wherever it is.
    expect(r.data.labelName).toBe('Label');
    expect(r.data.featureNames).toEqual(['x', 'y']);
    const bad = errors(parseCsv('# comment\n\nx1,x2,label\n1,2,0\n\n1,oops,1\n'));
    expect(bad).toEqual(["line 6, column 2 (x2): 'oops' is not a number"]);
  });

  it('reads quoted fields (delimiters, doubled quotes, line breaks inside quotes)', () => {
    const rows = readCsv('"a,b","say ""hi""", "x"\n"two\nlines",2,3\n');
    expect(rows).toEqual({ ok: true, delimiter: ',', rows: [{ line: 1, fields: ['a,b', 'say "hi"', 'x'] }, { line: 2, fields: ['two\nlines', '2', '3'] }] });
    const r = ok(parseCsv('"x1","x2","label"\n"1.5","2","cat, small"\n3,4,"dog"\n5,6,dog\n'));
    expect(r.data.y).toEqual([0, 1, 1]);
    expect(r.data.classes).toEqual(['cat, small', 'dog']);
  });

  it('maps text labels and other integers to classes in sorted order and says so', () => {
    const t = ok(parseCsv('x,y,kind\n0,0,versicolor\n1,1,setosa\n2,2,virginica\n3,3,setosa\n'));
    expect(t.data.y).toEqual([1, 0, 2, 0]);
    expect(t.data).toMatchObject({ mapped: true, loss: 'softmax_ce', classes: ['setosa', 'versicolor', 'virginica'] });
    expect(t.notes).toContain('labels mapped to classes: setosa → 0, versicolor → 1, virginica → 2');
    const pm = ok(parseCsv('1,2,-1\n3,4,1\n5,6,1\n'));
    expect(pm.data.y).toEqual([0, 1, 1]);
    expect(pm.notes).toContain('labels mapped to classes: -1 → 0, 1 → 1');
    // 1..3 (class 0 absent) is mapped too, so no class is empty.
    expect(ok(parseCsv('0,0,1\n0,1,2\n1,0,3\n')).data.y).toEqual([0, 1, 2]);
  });

  it('reads non-integer labels as a regression target, and any number of feature columns', () => {
    const r = ok(parseCsv('a,b,c,d,target\n1,2,3,4,0.5\n5,6,7,8,-1.25\n'));
    expect(r.data).toMatchObject({ task: 'regression', loss: 'mse', classes: null, X: [[1, 2, 3, 4], [5, 6, 7, 8]], y: [0.5, -1.25] });
    expect(r.notes[1]).toMatch(/regression target/);
    const one = ok(parseCsv('x,t\n0,0.1\n1,0.9\n'));
    expect(one.data.featureNames).toEqual(['x']);
  });

  it("leaves out pandas' unnamed row-index column, and says so", () => {
    const r = ok(parseCsv(',x1,x2,label\n0,0.5,1,0\n1,2,3,1\n2,4,5,0\n'));
    expect(r.data.X).toEqual([[0.5, 1], [2, 3], [4, 5]]);
    expect(r.data.featureNames).toEqual(['x1', 'x2']);
    expect(r.notes).toContain('the unnamed first column (a row index: 0, 1, 2, …) was left out');
    // An unnamed first column that is not a count is data.
    expect(ok(parseCsv(',x2,label\n7,1,0\n3,3,1\n')).data.X).toEqual([[7, 1], [3, 3]]);
  });

  it('gives data the config schema accepts as explicit data, with the loss it chose', () => {
    for (const text of ['x1,x2,label\n0,1,0\n1,0,1\n2,2,0\n', '1,2,a\n3,4,b\n5,6,c\n', '1,2,3,0.5\n4,5,6,1.5\n']) {
      const { data } = ok(parseCsv(text));
      const c = parseExperiment({ version: 1, problem: { kind: 'mlp', loss: data.loss, data: { kind: 'explicit', X: data.X, y: data.y } }, runs: [{ algorithm: 'adam' }] });
      expect(c.ok, text).toBe(true);
    }
  });
});

describe('CSV problems: every message names the line and column', () => {
  it('names the line, column and its header for a value that is not a number', () => {
    const text = ['x1,x2,label', ...Array.from({ length: 15 }, (_, i) => `${i},${i},${i % 2}`), '1,2,abc'].join('\n');
    expect(errors(parseCsv(text))).toEqual(["line 17, column 3 (label): 'abc' is not a number"]);
  });

  it('reports wrong field counts, empty fields and infinities, without a header too', () => {
    expect(errors(parseCsv('1,2,0\n3,4\n5,,1\n6,1e999,0\n7,8,1,9\n'))).toEqual([
      'line 2: 2 fields, expected 3 (x1, x2, label)',
      'line 3, column 2 (x2): is empty',
      "line 4, column 2 (x2): '1e999' is too large (not a finite number)",
      'line 5: 4 fields, expected 3 (x1, x2, label)',
    ]);
  });

  it('lists at most 10 problems and counts the rest', () => {
    const text = ['x,y,label', ...Array.from({ length: 25 }, (_, i) => `${i},bad${i},0`), '0,0,1'].join('\n');
    const e = errors(parseCsv(text));
    expect(e).toHaveLength(CSV_LIMITS.messages + 1);
    expect(e[0]).toBe("line 2, column 2 (y): 'bad0' is not a number");
    expect(e[9]).toBe("line 11, column 2 (y): 'bad9' is not a number");
    expect(e[10]).toBe('and 15 more problems');
  });

  it('refuses unclosed quotes, text after a closing quote, one column, one class and empty files', () => {
    expect(errors(parseCsv('x,y,l\n1,2,0\n3,"4,1\n'))).toEqual(['line 3, column 2: a quoted field is never closed (a " is missing)']);
    expect(errors(parseCsv('1,"2"x,0\n'))[0]).toMatch(/^line 1, column 2: unexpected text after a closing quote/);
    expect(errors(parseCsv('value\n1\n2\n'))).toEqual(['line 1: one column only; expected feature columns and a label, separated by commas, semicolons or tabs']);
    expect(errors(parseCsv('1,2,0\n3,4,0\n'))).toEqual(["every row has the same label ('0'); classification needs at least 2 classes"]);
    expect(errors(parseCsv('# nothing\n\n'))).toEqual(['the file has no data rows (only blank or # comment lines)']);
    expect(errors(parseCsv('x,y,label\n'))).toEqual(['the file has a header but no data rows']);
    expect(errors(parseCsv('x,y,label\n1,2,0\n'))).toEqual(['line 2: one data row only; at least 2 points are needed']);
  });

  it('refuses more rows, feature columns or classes than the limits', () => {
    const rows = Array.from({ length: LIMITS.points + 1 }, (_, i) => `${i},0,${i % 2}`).join('\n');
    expect(errors(parseCsv(rows))).toEqual(['the file has more than 20,000 data rows (the lab\'s limit on points); keep a sample']);
    expect(ok(parseCsv(rows.split('\n').slice(0, LIMITS.points).join('\n'))).data.X).toHaveLength(LIMITS.points);
    const wide = Array.from({ length: CSV_LIMITS.features + 2 }, (_, j) => String(j)).join(',');
    expect(errors(parseCsv(`${wide}\n${wide}\n`))).toEqual([`line 1: ${CSV_LIMITS.features + 1} feature columns; at most ${CSV_LIMITS.features} (and one label column)`]);
    const many = Array.from({ length: 70 }, (_, i) => `${i},0,c${i}`).join('\n');
    expect(errors(parseCsv(many))).toEqual(['the label column has 70 distinct values; at most 64 classes (a regression target must be numbers)']);
  });

  it('treats a stray word among numeric labels as a mistake, not a class', () => {
    expect(errors(parseCsv('1,2,0\n3,4,1\n5,6,O\n'))).toEqual(["line 3, column 3 (label): 'O' is not a number"]);
  });
});
