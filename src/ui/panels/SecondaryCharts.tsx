/**
 * The panels below the loss chart, in their own chunk: the page's first script does not carry them,
 * and they mount once the first point is drawn (AfterFirstPoint in App.tsx).
 */
import { AudioPanel } from './AudioPanel';
import { Explanation } from './Explanation';
import { Glossary } from './Glossary';
import { ImageViewsPanel } from './ImageViewsPanel';
import { ModelPanel } from './ModelPanel';
import { NetworkPanel } from './NetworkPanel';
import { SurrogatePanel } from './SurrogatePanel';
import { SweepPanel } from './SweepPanel';

export { Presets } from './Presets';

/** `images`: an image problem, whose image views replace the 2-D decision boundary. */
export function SecondaryCharts({ images }: { images: boolean }) {
  return (
    <>
      <SurrogatePanel />
      {!images && <ModelPanel />}
      <ImageViewsPanel />
      <NetworkPanel />
      <AudioPanel />
      <SweepPanel />
      <Explanation />
      <Glossary />
    </>
  );
}
