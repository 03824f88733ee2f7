/**
 * Own data in the Problem panel: a CSV file chosen or dropped here becomes the MLP problem's points
 * (core/data/csv.ts checks it; a bad file is refused with its line/column messages and the data kept),
 * "Your data (n points)" while the form holds own data, and the way back to the built-in sets. Also the
 * note beside the share link that own data stays out of it (ownData-link.ts).
 */
import { useRef, useState, type DragEvent } from 'react';
import type { MLPProblemConfig } from '../../core/config';
import type { CsvResult } from '../../core/data/csv';
import { applyUpload, backToBuiltIn, useOwnData } from '../ownData';
import { isOwnData, ownDataMark } from '../ownData-link';
import { useLab } from '../store';

interface Refusal {
  name: string;
  messages: string[];
}

export function DataUpload({ p }: { p: MLPProblemConfig }) {
  const upload = useOwnData((s) => s.upload);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const own = isOwnData(p) ? ownDataMark() : null;

  const read = async (file: File) => {
    // The parser loads with the first file (it is not needed before: the page's first paint stays light).
    const { CSV_LIMITS, csvSummary, parseCsv } = await import('../../core/data/csv');
    if (file.size > CSV_LIMITS.chars) return setRefusal({ name: file.name, messages: [`the file is ${Math.round(file.size / 2 ** 20)} MiB; at most ${CSV_LIMITS.chars / 2 ** 20} MiB are read`] });
    const r: CsvResult = parseCsv(await file.text());
    if (!r.ok) return setRefusal({ name: file.name, messages: r.errors });
    setRefusal(null);
    applyUpload(r.data, file.name, csvSummary(r.data), r.notes);
  };
  const onDrop = (e: DragEvent) => {
    const file = Array.from(e.dataTransfer?.files ?? []).find((f) => /\.(csv|tsv|txt)$/i.test(f.name) || f.type === 'text/csv');
    if (!file) return; // an exported JSON: the page's own drop handler opens it
    e.preventDefault();
    e.stopPropagation();
    setOver(false);
    void read(file);
  };

  return (
    <div
      className="own-data"
      data-testid="own-data"
      onDragOver={(e) => {
        if (!Array.from(e.dataTransfer?.types ?? []).includes('Files')) return;
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      style={{ border: `1px dashed ${over ? 'var(--accent)' : 'transparent'}`, borderRadius: 6, margin: '0 0 8px' }}
    >
      {own && p.data.kind === 'explicit' && (
        <div data-testid="own-data-state">
          <p style={{ margin: '0 0 4px' }}>
            <strong>Your data ({p.data.X.length.toLocaleString('en-US')} points{p.data.Xtest?.length ? ` + ${p.data.Xtest.length.toLocaleString('en-US')} test` : ''})</strong>{' '}
            <span className="muted small">— {own.name}</span>
          </p>
          {upload && own.origin === 'upload' && upload.name === own.name && (
            <p className="muted small" data-testid="own-data-summary" style={{ margin: '0 0 4px' }}>
              {upload.summary}. {upload.notes.join('; ').replace(/^./, (c) => c.toUpperCase())}.
            </p>
          )}
        </div>
      )}
      <div className="buttons" style={{ alignItems: 'center', marginBottom: 4 }}>
        <button type="button" className="secondary small" onClick={() => input.current?.click()} title="Points as rows: feature columns and a label (or target) column">
          Upload CSV…
        </button>
        {own && (
          <button type="button" className="ghost small" onClick={() => {
            setRefusal(null);
            backToBuiltIn();
          }}>
            Back to built-in data
          </button>
        )}
        {!own && <span className="muted small">or drop a .csv here</span>}
      </div>
      <input
        ref={input}
        type="file"
        accept=".csv,.tsv,.txt,text/csv,text/plain"
        hidden
        aria-label="Upload a CSV of points"
        data-testid="upload-csv"
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void read(f);
          e.target.value = '';
        }}
      />
      {refusal && (
        <div role="alert" data-testid="csv-errors">
          <p className="field-error">
            <strong>{refusal.name}</strong> was not used (the current data is kept):
          </p>
          <ul className="field-error" style={{ margin: '2px 0 6px', paddingLeft: 18 }}>
            {refusal.messages.map((m, i) => (
              <li key={i}>{m}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/** Beside the share link while the form holds own data: the link leaves it out, Export JSON keeps it. */
export function OwnDataShareNote() {
  const problem = useLab((s) => s.draft.problem);
  if (!isOwnData(problem)) return null;
  return (
    <p className="muted small" data-testid="own-data-share-note">
      Uploaded or added data is not in share links (they carry the built-in set instead) — use Export JSON to keep it.
    </p>
  );
}
