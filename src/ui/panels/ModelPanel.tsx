/** The selected run's model: decision boundary / fitted curve (MLP) or V, WH, W, H (NMF). */
import { useRef } from 'react';
import { ChartCard } from '../charts/ChartCard';
import { DecisionBoundary } from '../charts/DecisionBoundary';
import { NMFImages } from '../charts/NMFImages';
import { useLab } from '../store';
import { exportCaption, modelLegend } from '../exportCaption';
import { IMAGE_SETS } from '../../core/data/image-sets';

export function ModelPanel() {
  const svgRef = useRef<SVGSVGElement>(null);
  const mv = useLab((s) => s.modelView);
  const epoch = useLab((s) => s.session?.epoch);
  const error = useLab((s) => s.viewError);
  const kind = useLab((s) => s.session?.kind ?? s.draft.problem.kind);
  const v = mv && mv.epoch === epoch ? mv.view : null;
  const problem = useLab((s) => s.session?.config.problem);
  const dataKind = problem?.kind === 'nmf' ? (problem.data.kind === 'audio' ? 'spectrogram' : problem.data.kind) : 'synthetic';
  const imageSet = problem?.kind === 'nmf' && problem.data.kind === 'images' ? IMAGE_SETS[problem.data.name] : null;
  const title = kind === 'nmf' ? 'Factorization' : v?.kind === 'mlp1d' ? 'Fitted curve' : 'Decision boundary';
  return (
    <ChartCard
      title={title}
      name="mmlab-model"
      svgRef={svgRef}
      className={kind === 'nmf' ? 'span-2' : undefined}
      exportInfo={() => (mv && v ? { title, caption: exportCaption(mv.run, mv.t), legend: modelLegend(v) } : undefined)}
      subtitle={mv && v ? <span className="muted" data-testid="model-step" data-step={mv.t}>run {mv.run + 1} at step {mv.t}{v.kind === 'mlp2d' ? ' · filled: train, ringed: test' : ''}</span> : null}
    >
      {!v ? (
        <p className="chart-empty">{error ? `Unavailable: ${error}` : 'The model appears once the session has started.'}</p>
      ) : v.kind === 'nmf' ? (
        <NMFImages view={v} svgRef={svgRef} dataKind={dataKind} image={imageSet ? [imageSet.rows, imageSet.cols] : undefined} />
      ) : v.kind === 'none' ? (
        <p className="chart-empty">{v.message}</p>
      ) : (
        <DecisionBoundary view={v} svgRef={svgRef} />
      )}
    </ChartCard>
  );
}
