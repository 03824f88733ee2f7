/**
 * CSV text → rows of fields, each row with the (1-based) line it starts on. RFC 4180 quoting ("a,b",
 * "say ""hi"""; a quoted field may span lines), CRLF / LF / CR line ends, a leading byte-order mark,
 * blank lines and `#` comment lines skipped. The delimiter (comma, semicolon or tab) is the one that
 * splits the first data line most often, outside quotes. Pure: no DOM, no Node.
 */

export type Delimiter = ',' | ';' | '\t';
export const DELIMITER_NAMES: Record<Delimiter, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

export interface CsvRow {
  /** The line the row starts on (1-based, counting every line of the file, comments and blanks too). */
  line: number;
  fields: string[];
}

export type ReadResult = { ok: true; delimiter: Delimiter; rows: CsvRow[] } | { ok: false; errors: string[] };

const isComment = (line: string): boolean => /^\s*#/.test(line);

/** Counts each candidate delimiter outside quotes on one physical line; the most frequent wins (ties: , ; tab). */
export function detectDelimiter(text: string): Delimiter {
  const lines = text.split(/\r\n|\n|\r/);
  const first = lines.find((l) => l.trim() !== '' && !isComment(l)) ?? '';
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of first) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  const order: Delimiter[] = [',', ';', '\t'];
  return order.reduce((best, d) => (counts[d] > counts[best] ? d : best), ',' as Delimiter);
}

/**
 * Splits the text into rows. Stops at the first structural error (an unclosed quote, text right after
 * a closing quote) with a message naming the line; `maxRows` caps the rows read (the caller reports it).
 */
export function readCsv(source: string, maxRows = Infinity): ReadResult {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const delimiter = detectDelimiter(text);
  const rows: CsvRow[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n && rows.length <= maxRows) {
    const start = line;
    // Blank and comment lines (a comment only where a row would start).
    const eol = nextLineEnd(text, i);
    const raw = text.slice(i, eol.at);
    if (raw.trim() === '' || isComment(raw)) {
      i = eol.next;
      line++;
      continue;
    }
    const fields: string[] = [];
    let field = '';
    let column = 1;
    for (;;) {
      let k = i;
      while (k < n && text[k] === ' ') k++;
      if (text[k] === '"') {
        i = k;
        // A quoted field: up to the closing quote ("" is a literal quote).
        field = '';
        i++;
        for (;;) {
          if (i >= n) return { ok: false, errors: [`line ${start}, column ${column}: a quoted field is never closed (a " is missing)`] };
          const ch = text[i];
          if (ch === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === '\r' || ch === '\n') {
            const e = nextLineEnd(text, i);
            field += '\n';
            i = e.next;
            line++;
            continue;
          }
          field += ch;
          i++;
        }
        // Only spaces may follow the closing quote before the delimiter or the line's end.
        while (i < n && (text[i] === ' ' || (text[i] === '\t' && delimiter !== '\t'))) i++;
        if (i < n && text[i] !== delimiter && text[i] !== '\r' && text[i] !== '\n')
          return { ok: false, errors: [`line ${line}, column ${column}: unexpected text after a closing quote ('${text.slice(i, i + 12)}…'); double a quote inside a quoted field ("")`] };
        fields.push(field);
        field = '';
      } else {
        const from = i;
        while (i < n && text[i] !== delimiter && text[i] !== '\r' && text[i] !== '\n') i++;
        fields.push(text.slice(from, i).trim());
        field = '';
      }
      if (i < n && text[i] === delimiter) {
        i++;
        column++;
        continue;
      }
      // End of the row: a line end or the end of the text.
      if (i < n) {
        i = nextLineEnd(text, i).next;
        line++;
      }
      break;
    }
    rows.push({ line: start, fields });
  }
  return { ok: true, delimiter, rows };
}

/** Where the line that `i` is on ends, and where the next one starts (CRLF, LF or CR). */
function nextLineEnd(text: string, i: number): { at: number; next: number } {
  let j = i;
  while (j < text.length && text[j] !== '\n' && text[j] !== '\r') j++;
  if (j >= text.length) return { at: j, next: j };
  return { at: j, next: text[j] === '\r' && text[j + 1] === '\n' ? j + 2 : j + 1 };
}
