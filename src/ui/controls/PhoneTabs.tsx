/**
 * On a narrow screen (one column) the controls would sit under every chart: a tab bar at the top picks
 * what the page shows — the charts, or the Problem, Runs or Share controls (Playback stays on every
 * tab). On a wide screen the bar is hidden and everything shows, as before (page.css).
 */
export const PHONE_TABS = [
  { id: 'charts', label: 'Charts' },
  { id: 'problem', label: 'Problem' },
  { id: 'runs', label: 'Runs' },
  { id: 'share', label: 'Share' },
] as const;
export type PhoneTab = (typeof PHONE_TABS)[number]['id'];

export function PhoneTabs({ tab, onTab }: { tab: PhoneTab; onTab: (t: PhoneTab) => void }) {
  return (
    <nav className="phone-tabs" aria-label="Page sections" data-testid="phone-tabs">
      {PHONE_TABS.map((t) => (
        <button
          key={t.id}
          type="button"
          className={tab === t.id ? 'on' : ''}
          aria-current={tab === t.id ? 'page' : undefined}
          onClick={() => {
            onTab(t.id);
            window.scrollTo({ top: 0 });
          }}
        >
          {t.label}
        </button>
      ))}
    </nav>
  );
}
