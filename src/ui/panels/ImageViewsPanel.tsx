/**
 * The image views (MLPs on digits, MNIST, Fashion-MNIST): the first layer's weights, the confusion
 * matrix with per-class accuracy, and test images with predicted vs true labels, of the inspected run,
 * live. Each card says the run and the step it shows. Hidden for every other problem.
 */
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { AccuracyChart } from '../charts/AccuracyChart';
import { ChartCard } from '../charts/ChartCard';
import { ConfusionMatrix } from '../charts/ConfusionMatrix';
import { ImageStrip } from '../charts/ImageStrip';
import { WeightGrid } from '../charts/WeightGrid';
import { send } from '../engine';
import { exportCaption } from '../exportCaption';
import { classLabel, imageSession, startImageViewsPump, stepsPerEpoch, useImageViews } from '../imageViews';
import { useLab } from '../store';
import { RunPicker } from './RunPicker';
import './image-views.css';

export function ImageViewsPanel() {
  useEffect(() => startImageViewsPump(send), []);
  const weightsRef = useRef<SVGSVGElement>(null);
  const confusionRef = useRef<SVGSVGElement>(null);
  const stripRef = useRef<SVGSVGElement>(null);
  const accuracyRef = useRef<SVGSVGElement>(null);
  const accuracy = useImageViews((s) => s.accuracy);
  const xAxis = useLab((s) => s.view.x);
  const runLabels = useLab((s) => s.summaries.map((r) => r.label).join('\n'));
  const images = useLab(imageSession);
  const config = useLab((s) => s.session?.config);
  const epoch = useLab((s) => s.session?.epoch);
  const views = useImageViews((s) => s.views);
  const error = useImageViews((s) => s.error);
  const answered = useImageViews((s) => s.answered);
  const computeMs = useImageViews((s) => s.computeMs);
  const runLabel = useLab((s) => (views ? (s.summaries[views.run]?.label ?? `run ${views.run + 1}`) : ''));
  const label = useCallback((k: number) => classLabel(config, k), [config]);
  const labels = useMemo(() => runLabels.split('\n'), [runLabels]);
  if (!images) return null;
  const v = views && views.epoch === epoch ? views : null;
  const empty = <p className="chart-empty">{error ? `Unavailable: ${error}` : 'The image views appear once the session is prepared.'}</p>;
  // The first card's label carries the answers' count and worker time (e2e/page-images.spec.ts reads them).
  const at = (first = false) =>
    v ? (
      <span className="muted" data-testid={first ? 'image-views-at' : undefined} data-run={v.run} data-step={v.t} {...(first ? { 'data-answers': answered, 'data-compute-ms': computeMs.toFixed(1) } : {})}>
        {runLabel} at step {v.t}
      </span>
    ) : null;
  const exportInfo = (title: string) => () => (v ? { title, caption: exportCaption(v.run, v.t) } : undefined);
  const units = v?.weights ? (v.weights.units > v.weights.shape[0] ? `the first ${v.weights.shape[0]} of ${v.weights.units} units` : `${v.weights.units} units`) : '';
  return (
    <>
      <ChartCard title="Accuracy" name="mmlab-accuracy" svgRef={accuracyRef} subtitle={<span className="muted">share of correct predictions on the train and test images; a dot for each measurement (every few hundred ms)</span>}>
        <AccuracyChart series={accuracy} labels={labels} perEpoch={xAxis === 'epoch' ? stepsPerEpoch(config) : 1} svgRef={accuracyRef} />
      </ChartCard>
      <ChartCard
        title="First-layer weights"
        name="mmlab-weights"
        svgRef={weightsRef}
        className="image-view-card"
        actions={<RunPicker />}
        exportInfo={exportInfo('First-layer weights')}
        subtitle={v && <>{at(true)} · {units} · blue negative, orange positive, each unit on its own scale</>}
      >
        {v ? <WeightGrid views={v} svgRef={weightsRef} /> : empty}
      </ChartCard>
      <ChartCard
        title="Confusion matrix"
        name="mmlab-confusion"
        svgRef={confusionRef}
        className="image-view-card"
        exportInfo={exportInfo('Confusion matrix')}
        subtitle={v && <>{at()} · {v.evaluated.toLocaleString('en-US')} {v.split} images, {pct(v)} correct</>}
      >
        {v ? <ConfusionMatrix views={v} label={label} svgRef={confusionRef} /> : empty}
      </ChartCard>
      <ChartCard
        title="Test images: predicted vs true"
        name="mmlab-test-images"
        svgRef={stripRef}
        className="span-2 image-view-card"
        exportInfo={exportInfo('Test images: predicted vs true')}
        subtitle={v && <>{at()} · {v.t === 0 ? 'a preview of the test images, with the untrained network’s guesses' : 'misclassified first (red: ✗ prediction, true label below), then correct ones (green)'}</>}
      >
        {v ? <ImageStrip views={v} label={label} svgRef={stripRef} /> : empty}
      </ChartCard>
    </>
  );
}

function pct(v: { confusion: Int32Array; classes: number; evaluated: number }): string {
  let d = 0;
  for (let k = 0; k < v.classes; k++) d += v.confusion[k * v.classes + k];
  return v.evaluated ? `${((100 * d) / v.evaluated).toFixed(1)}%` : '—';
}
