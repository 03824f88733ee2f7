/** Banners: a link that could not be opened (with the field errors), worker restarts, backend changes. */
import { setLab, useLab, type Notice } from '../store';

function Banner({ notice, onClose, testId }: { notice: Notice; onClose: () => void; testId: string }) {
  return (
    <div className={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid={testId}>
      <div>
        <strong>{notice.title}</strong>
        {notice.messages.length > 0 && (
          <ul>
            {notice.messages.slice(0, 12).map((m, i) => (
              <li key={i}>{m}</li>
            ))}
            {notice.messages.length > 12 && <li>… and {notice.messages.length - 12} more</li>}
          </ul>
        )}
      </div>
      <button type="button" className="ghost icon" aria-label="Dismiss" onClick={onClose}>
        ×
      </button>
    </div>
  );
}

export function Notices() {
  const link = useLab((s) => s.linkNotice);
  const worker = useLab((s) => s.workerNotice);
  const backend = useLab((s) => s.backendNotice);
  if (!link && !worker && !backend) return null;
  return (
    <div className="notices">
      {link && <Banner notice={link} testId="link-notice" onClose={() => setLab({ linkNotice: null })} />}
      {worker && <Banner notice={worker} testId="worker-notice" onClose={() => setLab({ workerNotice: null })} />}
      {backend && <Banner notice={backend} testId="backend-notice" onClose={() => setLab({ backendNotice: null })} />}
    </div>
  );
}
