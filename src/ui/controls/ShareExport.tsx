/**
 * Share and export: the link (also written to the address bar) with a Copy button — the link is in a
 * read-only field too, since the clipboard may be unavailable — and CSV / JSON downloads of the runs.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { shareConfig } from '../actions';
import { download, runsCsv, runsJson } from '../export';
import type { ExperimentConfig } from '../../core/config';
import { checkedShare, type CheckedShare } from '../limits';
import { checkedShareAsync, isBigConfig } from '../shareLink';
import { loadExportFile } from '../loadExport';
import { useLab } from '../store';
import { Section } from './fields';
import { OwnDataShareNote } from './DataUpload';

export function ShareExport() {
  const draft = useLab((s) => s.draft);
  const session = useLab((s) => s.session);
  const dirty = useLab((s) => s.dirty);
  const view = useLab((s) => s.view);
  const backend = useLab((s) => s.backend?.name ?? null);
  const hasData = useLab((s) => s.summaries.length > 0);
  const [copied, setCopied] = useState<'' | 'ok' | 'manual'>('');
  const fileInput = useRef<HTMLInputElement>(null);
  // Only a link that this lab opens again is written (limits.ts): otherwise the reason is shown.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const linkConfig = useMemo(() => shareConfig(), [draft, session, dirty, view]);
  const big = linkConfig ? isBigConfig(linkConfig) : false;
  const small = useMemo(() => (linkConfig && !big ? checkedShare(linkConfig, view) : null), [linkConfig, big, view]);
  // A big experiment's link is made and checked in a worker (shareLink.ts): the page stays responsive.
  const [bigChecked, setBigChecked] = useState<{ config: ExperimentConfig; result: CheckedShare } | null>(null);
  useEffect(() => {
    if (!linkConfig || !big) return;
    let current = true;
    // After a pause in editing, not in the edit's own task: posting a big config copies it (~0.1 s).
    const id = setTimeout(() => void checkedShareAsync(linkConfig, view).then((result) => current && setBigChecked({ config: linkConfig, result })), 300);
    return () => {
      current = false;
      clearTimeout(id);
    };
  }, [linkConfig, big, view]);
  const checked = big ? (bigChecked?.config === linkConfig ? bigChecked.result : null) : small;
  const making = big && !checked;
  const hash = checked?.ok ? checked.hash : null;
  const url = hash ? `${location.href.replace(/#.*$/, '')}${hash}` : '';

  // Keep the address bar in step (replaceState: no history entry, no hashchange event).
  useEffect(() => {
    if (!hash || location.hash === hash) return;
    const id = setTimeout(() => history.replaceState(null, '', hash), 250);
    return () => clearTimeout(id);
  }, [hash]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('ok');
    } catch {
      setCopied('manual');
    }
    setTimeout(() => setCopied(''), 2500);
  };

  const stamp = () => new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
  const config = shareConfig();
  return (
    <Section title="Share & export">
      <div className="share-row">
        <input className="share-url" readOnly value={url} aria-label="Share link" data-testid="share-link" onFocus={(e) => e.target.select()} />
        <button type="button" className="secondary" onClick={copy} disabled={!url}>
          Copy link
        </button>
      </div>
      <p className="muted small" role="status" aria-live="polite">
        {copied === 'ok'
          ? 'Link copied.'
          : copied === 'manual'
            ? 'Clipboard unavailable: select the link and copy it.'
            : hash
              ? `${url.length} characters · config and view, no results`
              : checked && !checked.ok
                ? `No link: this experiment would not open from one (${checked.reason}). Export JSON keeps it.`
                : making
                  ? 'Making the link…'
                  : 'Fix the form to get a link.'}
      </p>
      <OwnDataShareNote />
      <div className="buttons">
        <button type="button" className="ghost" disabled={!hasData} onClick={() => download(`mmlab-runs-${stamp()}.csv`, new Blob([runsCsv()], { type: 'text/csv' }))}>
          Export CSV
        </button>
        <button
          type="button"
          className="ghost"
          disabled={!hasData || !config}
          title="{config, results}: config re-runs with npm run lab -- run"
          onClick={() => config && download(`mmlab-runs-${stamp()}.json`, new Blob([runsJson(session?.config ?? config, backend)], { type: 'application/json' }))}
        >
          Export JSON
        </button>
        <button type="button" className="ghost" title="Load an exported JSON (or drop it on the page)" onClick={() => fileInput.current?.click()}>
          Open JSON…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,application/json"
          hidden
          aria-label="Open an exported JSON"
          data-testid="open-json"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void loadExportFile(f);
            e.target.value = '';
          }}
        />
      </div>
    </Section>
  );
}
