/**
 * The network view's card (2-D classification and regression with hidden layers): what every input
 * feature and hidden neuron of the selected run computes over the input plane, at the model view's step.
 */
import { useRef } from 'react';
import { DEFAULT_FEATURES } from '../../core/problems/features';
import { ChartCard } from '../charts/ChartCard';
import { NeuronGrid } from '../charts/NeuronGrid';
import { exportCaption } from '../exportCaption';
import { useLab } from '../store';

export function NetworkPanel() {
  const svgRef = useRef<SVGSVGElement>(null);
  const mv = useLab((s) => s.modelView);
  const epoch = useLab((s) => s.session?.epoch);
  const problem = useLab((s) => s.session?.config.problem);
  const v = mv && mv.epoch === epoch && mv.view.kind === 'mlp2d' && mv.view.neurons ? mv.view : null;
  if (!v || !mv || problem?.kind !== 'mlp') return null;
  const features = problem.features ?? DEFAULT_FEATURES;
  return (
    <ChartCard
      title="Network: what each neuron computes"
      name="mmlab-network"
      svgRef={svgRef}
      className="span-2"
      subtitle={<span className="muted">run {mv.run + 1} at step {mv.t} · blue negative, orange positive, over the plane of the points</span>}
      exportInfo={() => ({ title: 'Network: what each neuron computes', caption: exportCaption(mv.run, mv.t) })}
    >
      <NeuronGrid view={v} features={features} svgRef={svgRef} />
    </ChartCard>
  );
}
