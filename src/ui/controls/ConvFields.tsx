/**
 * The convolution blocks of a CNN on an image data set (problem.conv: problems/cnn-spec.ts): a switch
 * that adds the first block, each block's filters, kernel and pool, add/remove, and the shapes the
 * blocks give (`cnnSummary`). Off is written as no `conv` at all (an MLP), so MLP links stay as they were.
 * For image data sets only: the config refuses `conv` elsewhere.
 */
import { CNN_LIMITS, cnnSummary, type ConvBlock } from '../../core/problems/cnn-spec';
import { NumField } from './fields';

export const DEFAULT_CONV_BLOCK: ConvBlock = { filters: 8, kernel: 3, pool: 2 };

interface Props {
  value: readonly ConvBlock[] | undefined;
  onChange: (conv: ConvBlock[] | undefined) => void;
  /** The image's rows × cols and classes, and the hidden widths (for the shapes line). */
  image: { rows: number; cols: number; classes: number };
  hidden: readonly number[];
  err: (path: string) => string | undefined;
}

export function ConvFields({ value, onChange, image, hidden, err }: Props) {
  const blocks = value ?? [];
  const setBlock = (b: number, patch: Partial<ConvBlock>) => onChange(blocks.map((x, i) => (i === b ? { ...x, ...patch } : x)));
  const summary = blocks.length ? cnnSummary(image.rows, image.cols, blocks, hidden, image.classes) : null;
  return (
    <fieldset className="conv-blocks" aria-label="Convolution blocks">
      <legend>Convolution blocks</legend>
      <label className="check">
        <input type="checkbox" checked={blocks.length > 0} onChange={(e) => onChange(e.target.checked ? [{ ...DEFAULT_CONV_BLOCK }] : undefined)} aria-label="Convolution blocks (CNN)" />
        <span>CNN: conv → activation → max-pool blocks before the hidden layers</span>
      </label>
      {blocks.map((block, b) => (
        <div className="row3" key={b} aria-label={`Convolution block ${b + 1}`}>
          <NumField label={`Filters ${b + 1}`} value={block.filters} min={1} max={CNN_LIMITS.filters} step={1} error={err(`problem.conv[${b}].filters`)} onChange={(filters) => setBlock(b, { filters })} />
          <NumField label="Kernel" value={block.kernel} min={1} max={CNN_LIMITS.kernel} step={1} error={err(`problem.conv[${b}].kernel`)} onChange={(kernel) => setBlock(b, { kernel })} />
          <NumField label="Pool" value={block.pool} min={1} max={CNN_LIMITS.pool} step={1} error={err(`problem.conv[${b}].pool`)} onChange={(pool) => setBlock(b, { pool })} />
        </div>
      ))}
      {blocks.length > 0 && (
        <div className="row3">
          {blocks.length < CNN_LIMITS.blocks && (
            <button type="button" onClick={() => onChange([...blocks, { ...DEFAULT_CONV_BLOCK }])}>
              Add block
            </button>
          )}
          <button type="button" onClick={() => onChange(blocks.length > 1 ? blocks.slice(0, -1) : undefined)}>
            Remove last block
          </button>
        </div>
      )}
      {summary && <p className={summary.ok ? 'muted' : 'field-error'} role={summary.ok ? undefined : 'alert'}>{summary.text}</p>}
      {err('problem.conv') && (
        <p className="field-error" role="alert">
          {err('problem.conv')}
        </p>
      )}
    </fieldset>
  );
}
