/**
 * A CSV file of points → an MLP problem's explicit data (`{kind: 'explicit', X, y}`), with messages that
 * name the line and column of every bad field ("line 17, column 3 (label): 'abc' is not a number").
 *
 * Format: one row per point, d ≥ 1 feature columns and one label column — the column named label,
 * class or target, else the last one. A first row with no number in it is a header. Labels:
 * - integers 0..K−1, each present → classes as they are (K = 2: binary CE, K > 2: softmax CE);
 * - other integers (−1/1, 1..K, …; at most 64 distinct) or text → classes in sorted order, mapping said;
 * - any other numbers → a regression target (squared error).
 * Pure: no DOM, no Node.
 */
import { LIMITS } from '../config-fields';
import { DELIMITER_NAMES, readCsv, type CsvRow, type Delimiter } from './csv-read';

export const CSV_LIMITS = {
  rows: LIMITS.points,
  /** Feature columns (the image sets have 784; wider tables belong in a notebook, not the page). */
  features: 1024,
  /** Distinct class labels: softmax CE's class indices go to 63 (config.ts). */
  classes: 64,
  /** Characters of text read at all (an in-limit file of 20,000 × 1,024 short numbers is far smaller). */
  chars: 64 * 1024 * 1024,
  /** Problems listed before "and N more". */
  messages: 10,
} as const;

export type CsvTask = 'classification' | 'regression';

export interface CsvData {
  X: number[][];
  y: number[];
  task: CsvTask;
  loss: 'bce' | 'softmax_ce' | 'mse';
  /** Classification: each class's label as written in the file, by class index. */
  classes: string[] | null;
  /** The file's labels are not the class indices themselves (text, or integers other than 0..K−1). */
  mapped: boolean;
  featureNames: string[];
  labelName: string;
  header: boolean;
  delimiter: Delimiter;
}

export type CsvResult = { ok: true; data: CsvData; notes: string[] } | { ok: false; errors: string[] };

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** A header naming the label column anywhere (not 'y': it is often the second coordinate). */
const LABEL_NAMES = /^(label|class|target)$/i;

/** A field as a number, or why not. With `;` as delimiter a decimal comma (1,5) is read as 1.5. */
export function readNumber(field: string, delimiter: Delimiter): number | string {
  const s = delimiter === ';' && /^[+-]?\d*,\d+(?:[eE][+-]?\d+)?$/.test(field) ? field.replace(',', '.') : field;
  if (s === '') return 'is empty';
  if (!NUMBER.test(s)) return `'${s.length > 24 ? `${s.slice(0, 24)}…` : s}' is not a number`;
  const v = Number(s);
  return Number.isFinite(v) ? v : `'${s}' is too large (not a finite number)`;
}

const isNum = (field: string, delimiter: Delimiter): boolean => typeof readNumber(field, delimiter) === 'number';

/** Problems collected up to the listing limit, then counted. */
class Problems {
  readonly list: string[] = [];
  more = 0;
  add(message: string): void {
    if (this.list.length < CSV_LIMITS.messages) this.list.push(message);
    else this.more++;
  }
  get count(): number {
    return this.list.length + this.more;
  }
  messages(): string[] {
    return this.more ? [...this.list, `and ${this.more} more problem${this.more > 1 ? 's' : ''}`] : this.list;
  }
}

/** Parses and checks a CSV file's text; never throws. */
export function parseCsv(text: string): CsvResult {
  if (text.length > CSV_LIMITS.chars) return { ok: false, errors: [`the file has ${text.length.toLocaleString('en-US')} characters; at most ${CSV_LIMITS.chars.toLocaleString('en-US')} are read`] };
  const read = readCsv(text, CSV_LIMITS.rows + 1);
  if (!read.ok) return read;
  const { delimiter } = read;
  let rows = read.rows;
  if (rows.length === 0) return { ok: false, errors: ['the file has no data rows (only blank or # comment lines)'] };
  const header = rows[0].fields.every((f) => !isNum(f, delimiter));
  const names = header ? rows[0].fields.map((f, j) => f || `column ${j + 1}`) : null;
  if (header) rows = rows.slice(1);
  const width = names?.length ?? rows[0]?.fields.length ?? 0;
  const firstLine = header ? read.rows[0].line : rows[0].line;
  if (width < 2)
    return { ok: false, errors: [`line ${firstLine}: one column only; expected feature columns and a label, separated by commas, semicolons or tabs`] };
  if (width - 1 > CSV_LIMITS.features)
    return { ok: false, errors: [`line ${firstLine}: ${width - 1} feature columns; at most ${CSV_LIMITS.features} (and one label column)`] };
  if (rows.length === 0) return { ok: false, errors: ['the file has a header but no data rows'] };
  if (rows.length > CSV_LIMITS.rows)
    return { ok: false, errors: [`the file has more than ${CSV_LIMITS.rows.toLocaleString('en-US')} data rows (the lab's limit on points); keep a sample`] };
  if (rows.length < 2) return { ok: false, errors: [`line ${rows[0].line}: one data row only; at least 2 points are needed`] };

  const named = names ? names.findIndex((s) => LABEL_NAMES.test(s.trim())) : -1;
  const labelCol = named >= 0 ? named : width - 1;
  // pandas' to_csv writes the row index as a first column with an empty name: not a feature.
  const index = header && read.rows[0].fields[0] === '' && labelCol !== 0 && isRowIndex(rows);
  const featureCols = [...Array(width).keys()].filter((j) => j !== labelCol && !(index && j === 0));
  const colName = (j: number): string => names?.[j] ?? (j === labelCol ? 'label' : `x${featureCols.indexOf(j) + 1}`);
  const at = (row: CsvRow, j: number) => `line ${row.line}, column ${j + 1} (${colName(j)})`;
  const expected = `${width} (${[...Array(width).keys()].map(colName).join(', ').slice(0, 80)})`;

  const problems = new Problems();
  const X: number[][] = [];
  const labels: string[] = [];
  const labelRows: CsvRow[] = [];
  for (const row of rows) {
    if (row.fields.length !== width) {
      problems.add(`line ${row.line}: ${row.fields.length} field${row.fields.length === 1 ? '' : 's'}, expected ${expected}`);
      continue;
    }
    const x: number[] = [];
    for (const j of featureCols) {
      const v = readNumber(row.fields[j], delimiter);
      if (typeof v === 'number') x.push(v);
      else problems.add(`${at(row, j)}: ${v}`);
    }
    X.push(x);
    labels.push(row.fields[labelCol]);
    labelRows.push(row);
  }
  const y = readLabels(labels, labelRows, delimiter, (row) => at(row, labelCol), problems);
  if (problems.count || !y) return { ok: false, errors: problems.messages() };
  const data: CsvData = {
    X,
    y: y.y,
    task: y.task,
    loss: y.task === 'regression' ? 'mse' : y.classes!.length === 2 ? 'bce' : 'softmax_ce',
    classes: y.classes,
    mapped: y.mapped,
    featureNames: featureCols.map(colName),
    labelName: colName(labelCol),
    header,
    delimiter,
  };
  const notes = [`${DELIMITER_NAMES[delimiter]}-separated, ${header ? 'with a header row' : 'no header row'}`];
  if (index) notes.push('the unnamed first column (a row index: 0, 1, 2, …) was left out');
  if (y.note) notes.push(y.note);
  return { ok: true, data, notes };
}

/** Whether the rows' first fields count 0, 1, 2, … or 1, 2, 3, … (a row index, not data). */
function isRowIndex(rows: CsvRow[]): boolean {
  const first = Number(rows[0]?.fields[0]);
  return (first === 0 || first === 1) && rows.every((r, i) => r.fields[0] === String(first + i));
}

interface Labels {
  y: number[];
  task: CsvTask;
  classes: string[] | null;
  mapped: boolean;
  note?: string;
}

const byValue = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** The label column as class indices or targets; problems are added to `problems` (null then). */
function readLabels(labels: string[], rows: CsvRow[], delimiter: Delimiter, at: (row: CsvRow) => string, problems: Problems): Labels | null {
  const values = labels.map((s) => readNumber(s, delimiter));
  const numeric = values.filter((v) => typeof v === 'number').length;
  if (numeric === 0) {
    // Text labels: classes in sorted order.
    const empty = labels.findIndex((s) => s === '');
    if (empty >= 0) problems.add(`${at(rows[empty])}: is empty`);
    return classesOf(labels, labels, true, problems);
  }
  // Mostly numbers: a field that is not one is a mistake, not a class of its own.
  values.forEach((v, i) => typeof v === 'string' && problems.add(`${at(rows[i])}: ${v}`));
  if (numeric < values.length) return null;
  const nums = values as number[];
  const distinct = [...new Set(nums)].sort((a, b) => a - b);
  if (nums.every(Number.isInteger) && distinct.length <= CSV_LIMITS.classes) {
    const identity = distinct.every((v, i) => v === i);
    return classesOf(labels, nums.map(String), !identity, problems, identity ? undefined : distinct.map(String));
  }
  return {
    y: nums,
    task: 'regression',
    classes: null,
    mapped: false,
    note: `labels read as a regression target (squared error): ${nums.every(Number.isInteger) ? `more than ${CSV_LIMITS.classes} distinct integers` : 'not all integers'}`,
  };
}

function classesOf(labels: string[], keys: string[], mapped: boolean, problems: Problems, order?: string[]): Labels | null {
  const classes = order ?? [...new Set(keys)].sort(byValue);
  if (classes.length > CSV_LIMITS.classes) {
    problems.add(`the label column has ${classes.length} distinct values; at most ${CSV_LIMITS.classes} classes (a regression target must be numbers)`);
    return null;
  }
  if (classes.length < 2) {
    problems.add(`every row has the same label ('${labels[0]}'); classification needs at least 2 classes`);
    return null;
  }
  const index = new Map(classes.map((c, i) => [c, i]));
  const y = keys.map((k) => index.get(k)!);
  const shown = classes.slice(0, 8).map((c, i) => `${c} → ${i}`).join(', ') + (classes.length > 8 ? `, … (${classes.length} classes)` : '');
  return { y, task: 'classification', classes, mapped, ...(mapped ? { note: `labels mapped to classes: ${shown}` } : {}) };
}

/** One line for the page: "120 points · 2 features (x1, x2) · 2 classes". */
export function csvSummary(d: CsvData): string {
  const f = d.featureNames;
  const features = `${f.length} feature${f.length === 1 ? '' : 's'}${f.length <= 6 ? ` (${f.join(', ')})` : ''}`;
  const what = d.task === 'regression' ? `a numeric target (${d.labelName})` : `${d.classes!.length} classes`;
  return `${d.X.length.toLocaleString('en-US')} points · ${features} · ${what}`;
}
