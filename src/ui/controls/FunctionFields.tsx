/**
 * The fields of a 2-D test function problem (config.ts's 'function' kind): which function, the
 * quadratic's κ and rotation, and θ₀ (also set by clicking the contour view).
 */
import type { FunctionProblemConfig } from '../../core/config';
import { DEFAULT_ANGLE, DEFAULT_KAPPA, FUNCTION_NAMES, testFunction, type FunctionName } from '../../core/problems/functions';
import { functionStart } from '../../core/problems/functions-config';
import { editDraft } from '../store';
import { NumField, SelectField } from './fields';

const LABELS: Record<FunctionName, string> = {
  quadratic: 'Quadratic (κ, rotation)',
  rosenbrock: 'Rosenbrock',
  beale: 'Beale',
  logistic2: 'Logistic regression, 2 points',
  leastsquares2: 'Least squares: exponential fit',
};

function set(f: (p: FunctionProblemConfig) => FunctionProblemConfig): void {
  editDraft((d) => (d.problem.kind === 'function' ? { ...d, problem: f(d.problem) } : d));
}

export function FunctionFields({ p, err }: { p: FunctionProblemConfig; err: (path: string) => string | undefined }) {
  const [x0, y0] = functionStart(p);
  return (
    <>
      <SelectField
        label="Function"
        value={p.name}
        options={FUNCTION_NAMES.map((n) => ({ value: n, label: LABELS[n] }))}
        error={err('problem.name')}
        onChange={(name) => set(() => ({ kind: 'function', name, start: [...testFunction({ name }).start] as [number, number], ...(name === 'quadratic' ? { kappa: DEFAULT_KAPPA, angle: DEFAULT_ANGLE } : {}) }))}
      />
      {p.name === 'quadratic' && (
        <div className="row2">
          <NumField label="κ (condition number, L = κ)" value={p.kappa ?? DEFAULT_KAPPA} error={err('problem.kappa')} onChange={(kappa) => set((q) => ({ ...q, kappa }))} />
          <NumField label="Rotation (degrees)" value={p.angle ?? DEFAULT_ANGLE} error={err('problem.angle')} onChange={(angle) => set((q) => ({ ...q, angle }))} />
        </div>
      )}
      <div className="row2">
        <NumField label="Start x" value={x0} error={err('problem.start')} onChange={(x) => set((q) => ({ ...q, start: [x, y0] }))} />
        <NumField label="Start y" value={y0} onChange={(y) => set((q) => ({ ...q, start: [x0, y] }))} />
      </div>
      <p className="muted">Click the contour map to set the start point θ₀.</p>
    </>
  );
}
