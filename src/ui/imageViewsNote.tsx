/**
 * Under the Problem panel's image data set fields: what the set is (inputs, classes, the seeded split
 * the subset gives) and, while the worker fetches it, how far the download is.
 */
import { IMAGE_MIN_N, IMAGE_SETS, imageInputs, type ImageDatasetName } from '../core/data/image-sets';
import { useImageViews } from './imageViews';

export function ImageDataNote({ name, n, testRatio }: { name: ImageDatasetName; n: number; testRatio: number }) {
  const info = IMAGE_SETS[name];
  const loading = useImageViews((s) => (s.loading?.name === name ? s.loading.fraction : null));
  const ok = Number.isInteger(n) && n >= IMAGE_MIN_N && n <= info.count && testRatio >= 0 && testRatio <= 0.9;
  const nTest = ok ? Math.min(n - 1, Math.round(testRatio * n)) : 0;
  return (
    <div className="muted small image-data-note" data-testid="image-data-note">
      <p>
        {imageInputs(name)} inputs ({info.rows}×{info.cols} pixels in [0, 1]) · {info.classes} classes · n from {IMAGE_MIN_N} to {info.count.toLocaleString('en-US')}
        {ok && <> · {(n - nTest).toLocaleString('en-US')} train / {nTest.toLocaleString('en-US')} test, drawn and split by the data seed</>}
      </p>
      {loading !== null ? (
        <p role="status" data-testid="image-load">
          Fetching {name}: <progress max={1} value={loading} /> {Math.round(100 * loading)}%
        </p>
      ) : (
        <p>Fetched once ({(info.bytes / 1e6).toFixed(info.bytes < 1e5 ? 2 : 1)} MB) when the session is prepared. {info.source}.</p>
      )}
    </div>
  );
}
