/**
 * The problem: a 2-D dataset with an MLP (or logistic/softmax regression = no hidden layer), or NMF
 * with the β-divergence; plus the seeds and the step budget. Errors come from parseExperiment.
 */
import { ACTIVATIONS, LOSSES } from '../../core/problems/mlp-spec';
import { isClassification } from '../../core/data/datasets';
import { IMAGE_SETS, isImageDataset } from '../../core/data/image-sets';
import { LIMITS, type MLPProblemConfig, type NMFProblemConfig } from '../../core/config';
import { checkDraft, defaultProblem, errorAt, modelKindOf, runsFor, type Draft, type ModelKind } from '../draft';
import { DATASET_OPTIONS, NMF_IMAGE_OPTIONS, pickDataset, pickNmfImages, withPageRunDefaults } from '../datasetDefaults';
import { ImageDataNote } from '../imageViewsNote';
import { editDraft, useLab } from '../store';
import { AudioDataFields, BUILTIN_AUDIO } from './AudioDataFields';
import { ConvFields } from './ConvFields';
import { FeatureFields } from './FeatureFields';
import { mlpPointDims } from '../../core/config';
import { FunctionFields } from './FunctionFields';
import { DataUpload } from './DataUpload';
import { isOwnData } from '../ownData-link';
import { NumField, Section, SelectField } from './fields';
import { EvalEveryField } from './EvalEveryField';

const MODEL_OPTIONS: { value: ModelKind; label: string }[] = [
  { value: 'mlp', label: 'Neural net (MLP)' },
  { value: 'logreg', label: 'Linear model (no hidden layer)' },
  { value: 'nmf', label: 'NMF (β-divergence)' },
  { value: 'function', label: '2-D test function' },
];
const LOSS_LABELS: Record<string, string> = { bce: 'Binary CE', softmax_ce: 'Softmax CE', mse: 'Squared error' };

/** The problem with these input features (undefined: x₁ and x₂ as they are, no key in the config). */
function withFeatures(p: MLPProblemConfig, features: MLPProblemConfig['features']): MLPProblemConfig {
  const { features: _old, ...rest } = p;
  return features ? { ...rest, features } : rest;
}

function setProblem(f: (p: Draft['problem']) => Draft['problem']): void {
  editDraft((d) => ({ ...d, problem: f(d.problem) }));
}

export function ProblemControls() {
  const draft = useLab((s) => s.draft);
  const errors = checkDraft(draft).otherErrors;
  const p = draft.problem;
  const kind = modelKindOf(p);
  const err = (path: string) => errorAt(errors, path);

  const changeKind = (k: ModelKind) => {
    if (k === kind) return;
    editDraft((d) => {
      let problem = defaultProblem(k);
      if (k === 'logreg' && d.problem.kind === 'mlp' && d.problem.data.kind === 'dataset') {
        const data = d.problem.data;
        const multi = data.name === 'gaussians' || data.name === 'spiral' ? data.classes > 2 : false;
        problem = { ...d.problem, hidden: [], loss: !isClassification(data.name) ? 'mse' : multi ? 'softmax_ce' : 'bce' };
      } else if (k === 'mlp' && d.problem.kind === 'mlp') problem = { ...d.problem, hidden: [8, 8] };
      return { ...d, problem, runs: runsFor(problem.kind, d.runs) };
    });
  };

  return (
    <Section title="Problem">
      <SelectField label="Model" value={kind} options={MODEL_OPTIONS} onChange={changeKind} />
      {p.kind === 'mlp' ? <MLPFields p={p} err={err} logreg={kind === 'logreg'} /> : p.kind === 'function' ? <FunctionFields p={p} err={err} /> : <NMFFields p={p} err={err} />}
      <div className="row3">
        <NumField label="Data seed" value={draft.seeds.data} error={err('seeds.data')} onChange={(v) => editDraft((d) => ({ ...d, seeds: { ...d.seeds, data: v } }))} />
        <NumField label="Init seed" value={draft.seeds.init} error={err('seeds.init')} onChange={(v) => editDraft((d) => ({ ...d, seeds: { ...d.seeds, init: v } }))} />
        {p.kind === 'mlp' && p.batchSize !== null && (
          <NumField label="Batch seed" value={draft.seeds.batch} error={err('seeds.batch')} onChange={(v) => editDraft((d) => ({ ...d, seeds: { ...d.seeds, batch: v } }))} />
        )}
      </div>
      {p.kind === 'mlp' && p.batchSize !== null && <EvalEveryField draft={draft} error={err('evalEvery')} />}
      {errors.filter((e) => !/^(problem|seeds)\./.test(e) && !/^(steps|evalEvery):/.test(e)).map((e) => (
        <p key={e} className="field-error" role="alert">
          {e}
        </p>
      ))}
    </Section>
  );
}

/** The problem with these convolution blocks, or none (`conv` absent: an MLP). */
function withConv(q: MLPProblemConfig, conv: MLPProblemConfig['conv']): MLPProblemConfig {
  const { conv: _old, ...rest } = q;
  return conv && conv.length ? { ...rest, conv } : rest;
}

function MLPFields({ p, err, logreg }: { p: MLPProblemConfig; err: (path: string) => string | undefined; logreg: boolean }) {
  const data = p.data;
  const set = (patch: Partial<MLPProblemConfig>) => setProblem((q) => ({ ...(q as MLPProblemConfig), ...patch }));
  const setData = (patch: Record<string, unknown>) => setProblem((q) => ({ ...(q as MLPProblemConfig), data: { ...(q as MLPProblemConfig).data, ...patch } as MLPProblemConfig['data'] }));
  const width = p.hidden[0] ?? 8;
  return (
    <>
      {data.kind === 'dataset' ? (
        <>
          <SelectField
            label="Dataset"
            value={data.name}
            options={DATASET_OPTIONS}
            // Each set gets its defaults: the noise at which a 2-D shape shows, an image set's subset and net.
            onChange={(name) => setProblem((q) => pickDataset(q as MLPProblemConfig, name))}
          />
          <div className="row3">
            <NumField label={isImageDataset(data.name) ? 'Images n' : 'Points n'} value={data.n} error={err('problem.data.n')} onChange={(n) => setData({ n })} />
            {!isImageDataset(data.name) && <NumField label="Noise" value={data.noise} error={err('problem.data.noise')} onChange={(noise) => setData({ noise })} />}
            <NumField label="Test ratio" value={data.testRatio} error={err('problem.data.testRatio')} onChange={(testRatio) => setData({ testRatio })} />
          </div>
          {isImageDataset(data.name) && <ImageDataNote name={data.name} n={data.n} testRatio={data.testRatio} />}
          {(data.name === 'gaussians' || data.name === 'spiral') && (
            <NumField
              label="Classes"
              value={data.classes}
              error={err('problem.data.classes')}
              onChange={(classes) => set({ data: { ...data, classes }, ...(classes > 2 && p.loss === 'bce' ? { loss: 'softmax_ce' as const } : {}) })}
            />
          )}
        </>
      ) : isOwnData(p) ? null : (
        <p className="muted">Explicit data from the link ({data.X.length} points).</p>
      )}
      <DataUpload p={p} />
      {mlpPointDims(p) === 2 && <FeatureFields value={p.features} error={err('problem.features')} onChange={(features) => setProblem((q) => withFeatures(q as MLPProblemConfig, features))} />}
      {data.kind === 'dataset' && isImageDataset(data.name) && !logreg && (
        <ConvFields value={p.conv} image={IMAGE_SETS[data.name]} hidden={p.hidden} err={err} onChange={(conv) => editDraft((d) => { const problem = withConv(d.problem as MLPProblemConfig, conv); return { ...d, problem, runs: withPageRunDefaults(problem, d.runs) }; })} />
      )}
      {!logreg && (
        <div className="row3">
          <NumField
            label="Hidden layers"
            value={p.hidden.length}
            error={err('problem.hidden')}
            onChange={(n) => Number.isInteger(n) && n >= 1 && n <= LIMITS.hiddenLayers && set({ hidden: Array.from({ length: n }, () => width) })}
          />
          <NumField label="Width" value={width} error={err('problem.hidden[0]')} onChange={(w) => set({ hidden: p.hidden.map(() => w) })} />
          <SelectField label="Activation" value={p.activation} options={ACTIVATIONS} onChange={(activation) => set({ activation })} />
        </div>
      )}
      <div className="row2">
        <SelectField
          label="Loss"
          value={p.loss}
          options={LOSSES.map((l) => ({ value: l, label: LOSS_LABELS[l] ?? l }))}
          error={err('problem.loss')}
          onChange={(loss) => set({ loss })}
        />
        <NumField label="L2 penalty" value={p.l2} error={err('problem.l2')} onChange={(l2) => set({ l2 })} />
      </div>
      <NumField
        label="Mini-batch size"
        value={p.batchSize}
        allowBlank
        hint="full batch"
        error={err('problem.batchSize')}
        onBlank={() => set({ batchSize: null })}
        onChange={(batchSize) => set({ batchSize })}
      />
    </>
  );
}

function NMFFields({ p, err }: { p: NMFProblemConfig; err: (path: string) => string | undefined }) {
  const set = (patch: Partial<NMFProblemConfig>) => setProblem((q) => ({ ...(q as NMFProblemConfig), ...patch }));
  const data = p.data;
  const setData = (patch: Record<string, unknown>) => set({ data: { ...data, ...patch } as NMFProblemConfig['data'] });
  return (
    <>
      <div className="row2">
        <NumField label="β (divergence)" value={p.beta} error={err('problem.beta')} onChange={(beta) => set({ beta })} />
        <NumField label="Rank K" value={p.rank} error={err('problem.rank')} onChange={(rank) => set({ rank })} />
      </div>
      {data.kind === 'explicit' ? (
        <p className="muted">Explicit V from the link ({data.V.length}×{data.V[0]?.length}).</p>
      ) : (
        <>
          <SelectField
            label="NMF data"
            value={data.kind}
            options={[
              { value: 'synthetic', label: 'Synthetic low-rank' },
              { value: 'spectrogram', label: 'Spectrogram' },
              { value: 'audio', label: 'Audio (STFT of a sound)' },
              { value: 'images', label: 'Images (digits, MNIST, Fashion-MNIST)' },
            ]}
            onChange={(k) =>
              set(k === 'images' ? { data: pickNmfImages('digits'), beta: p.beta > 0 ? p.beta : 1 } : { data: k === 'synthetic' ? { kind: 'synthetic', rows: 64, cols: 64, trueRank: 4, noise: 0.05 } : k === 'audio' ? BUILTIN_AUDIO : { kind: 'spectrogram', bins: 96, frames: 128 } })
            }
          />
          {data.kind === 'images' ? (
            <div className="row2">
              <SelectField label="Image set" value={data.name} options={NMF_IMAGE_OPTIONS} onChange={(name) => set({ data: pickNmfImages(name) })} />
              <NumField label="Images (columns of V)" value={data.n} error={err('problem.data.n')} onChange={(n) => setData({ n })} />
              <p className="muted">V = {data.name} images as columns, pixels scaled to [0, 1]: W’s columns are images too (parts).</p>
            </div>
          ) : data.kind === 'audio' ? (
            <AudioDataFields p={{ ...p, data }} err={err} setData={(d) => set({ data: d })} />
          ) : data.kind === 'synthetic' ? (
            <div className="row2">
              <NumField label="Rows" value={data.rows} error={err('problem.data.rows')} onChange={(rows) => setData({ rows })} />
              <NumField label="Columns" value={data.cols} error={err('problem.data.cols')} onChange={(cols) => setData({ cols })} />
              <NumField label="True rank" value={data.trueRank} error={err('problem.data.trueRank')} onChange={(trueRank) => setData({ trueRank })} />
              <NumField label="Noise" value={data.noise} error={err('problem.data.noise')} onChange={(noise) => setData({ noise })} />
            </div>
          ) : (
            <div className="row2">
              <NumField label="Frequency bins" value={data.bins} error={err('problem.data.bins')} onChange={(bins) => setData({ bins })} />
              <NumField label="Frames" value={data.frames} error={err('problem.data.frames')} onChange={(frames) => setData({ frames })} />
            </div>
          )}
        </>
      )}
    </>
  );
}
