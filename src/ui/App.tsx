/**
 * The lab page: controls on the left, charts on the right (one column on a phone). On load the hash is
 * decoded (store.ts) and a paused session is prepared so the backend badge and Step work at once.
 */
import { lazy, useEffect, useState } from 'react';
import { openExperiment } from './actions';
import { ContourChart } from './charts/ContourChart';
import { LossChart } from './charts/LossChart';
import { BackendBadge } from './controls/BackendBadge';
import { PhoneTabs, type PhoneTab } from './controls/PhoneTabs';
import { Playback } from './controls/Playback';
import { ProblemControls } from './controls/ProblemControls';
import { RunControls } from './controls/RunControls';
import { ShareExport } from './controls/ShareExport';
import { AfterFirstPoint } from './panels/AfterFirstPoint';
import { Notices } from './panels/Notices';
import { RunsTable } from './panels/RunsTable';
import { send } from './engine';
import { acceptDroppedExports } from './loadExport';
import { startProblemPreview } from './preview';
import { startRequestPump } from './requests';
import { decodeShare } from './share';
import { decodeShareAsync } from './shareLink';
import { setLab, useLab } from './store';
import { imageSession } from './imageViews';

// The panels below the loss chart load in their own chunk, after the first point (AfterFirstPoint).
const secondary = () => import('./panels/SecondaryCharts');
const SecondaryCharts = lazy(() => secondary().then((m) => ({ default: m.SecondaryCharts })));
const Presets = lazy(() => secondary().then((m) => ({ default: m.Presets })));

/** Hashes longer than this are decoded off the main thread. */
const LONG_HASH = 2_000;

function useHashNavigation(): void {
  useEffect(() => {
    const onHash = async () => {
      // A long link (big explicit data) is decoded in a worker: the page stays responsive meanwhile.
      const d = location.hash.length > LONG_HASH ? await decodeShareAsync(location.hash) : decodeShare(location.hash);
      if (d.kind === 'ok') {
        openExperiment(d.config, d.view);
        if (d.warnings.length) setLab({ linkNotice: { kind: 'warning', title: 'Some settings in the link were ignored', messages: d.warnings } });
        window.scrollTo({ top: 0, behavior: 'smooth' });
      } else if (d.kind === 'error')
        setLab({ linkNotice: { kind: 'error', title: 'This link could not be opened — the current experiment was kept', messages: d.errors } });
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
}

export function App() {
  useHashNavigation();
  useEffect(() => {
    startRequestPump(send);
    startProblemPreview();
  }, []);
  useEffect(() => acceptDroppedExports(), []);
  const [tab, setTab] = useState<PhoneTab>('charts');
  // Image problems: the image views replace the 2-D decision boundary.
  const images = useLab(imageSession);
  return (
    <div className="app" data-tab={tab}>
      <header className="topbar">
        <div className="brand">
          <h1>MM Lab</h1>
          <p className="tagline">Majorization–minimization vs gradient descent, trained live in your browser</p>
        </div>
        <BackendBadge />
      </header>
      <PhoneTabs tab={tab} onTab={setTab} />
      <div className="layout">
        <aside className="controls" aria-label="Experiment controls">
          <Playback />
          <div className="pane" data-pane="problem">
            <ProblemControls />
          </div>
          <div className="pane" data-pane="runs">
            <RunControls />
          </div>
          <div className="pane" data-pane="share">
            <ShareExport />
          </div>
        </aside>
        <main className="main">
          <Notices />
          <RunsTable />
          <div className="charts">
            <ContourChart />
            <LossChart />
            <AfterFirstPoint>
              <SecondaryCharts images={images} />
            </AfterFirstPoint>
          </div>
          <AfterFirstPoint>
            <Presets />
          </AfterFirstPoint>
          <footer className="foot muted small">
            Every step runs in a Web Worker with TensorFlow.js. Share links hold the config and view — never results; the same link gives the same curves on the same backend.
          </footer>
        </main>
      </div>
    </div>
  );
}
