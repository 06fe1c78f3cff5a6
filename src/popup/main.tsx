/**
 * Toolbar popup: search the digest, a paper's view, the papers on this tab and
 * the reading list. Opened by the toolbar button, its keyboard shortcut
 * (manifest `commands`), or "Find in PaperPeek" on selected text (`?q=`).
 * Also works as a page in a tab: page.html, the same page with the `as-page`
 * class on its root, built from index.html (vite.config.ts); `?tab=<id>` picks
 * the tab "On this tab" reads.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { call } from '../platform/extension-api';
import type { DigestStats } from '../shared/protocol';
import { OnThisTab, SiteSwitch } from './on-this-tab';
import { PaperPanel } from './paper-panel';
import { ReadingList } from './reading-list';
import { paperSearch } from './search-index';
import { SearchPanel } from './search-panel';

type View = 'search' | 'tab' | 'list';
const VIEWS: { id: View; label: string }[] = [
  { id: 'search', label: 'Search' },
  { id: 'tab', label: 'On this tab' },
  { id: 'list', label: 'Reading list' },
];

// Start reading the search index before the first render: it is what "interactive" waits for.
void paperSearch().catch(() => undefined);

const params = new URLSearchParams(location.search);
/** What the reader typed into the page's static search box (index.html) before this module ran. */
const typedEarly = document.querySelector<HTMLInputElement>('#app input.search')?.value ?? '';

function DigestSummary({ stats, saved }: { stats: DigestStats; saved: number }) {
  const loading = stats.loadingProgress === null ? '' : ` (loading ${Math.round(stats.loadingProgress * 100)}%)`;
  return (
    <footer>
      <SiteSwitch />
      <p class="muted small" data-testid="digest-summary">
        {stats.importedPapers > 0
          ? `${stats.papers} papers: ${stats.papers - stats.importedPapers}${stats.digestDate ? ` from the ${stats.digestDate} digest` : ' bundled'} and ${stats.importedPapers} imported`
          : `${stats.papers} papers${stats.digestDate ? ` from the ${stats.digestDate} digest` : ''}`}
        {loading}, {saved} saved
      </p>
    </footer>
  );
}

function App() {
  const [view, setView] = useState<View>('search');
  const [query, setQuery] = useState(params.get('q') ?? typedEarly);
  const [trail, setTrail] = useState<string[]>([]);
  const [savedCount, setSavedCount] = useState<number | null>(null);
  const [stats, setStats] = useState<DigestStats | null>(null);

  useEffect(() => {
    void call('stats', {}).then((reply) => {
      if (!reply.ok) return;
      setStats(reply.value);
      setSavedCount(reply.value.saved);
    });
    requestAnimationFrame(() => performance.mark('paperpeek-first-paint'));
  }, []);

  const paperId = trail[trail.length - 1];
  const open = (id: string) => setTrail((t) => [...t, id]);
  const back = () => setTrail((t) => t.slice(0, -1));
  const switchTo = (next: View) => {
    setTrail([]);
    setView(next);
  };
  const onTabKey = (event: KeyboardEvent, index: number) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = VIEWS[(index + step + VIEWS.length) % VIEWS.length] as (typeof VIEWS)[number];
    switchTo(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };

  return (
    <>
      <header>
        <h1>PaperPeek</h1>
        <nav role="tablist" aria-label="Popup sections">
          {VIEWS.map((v, i) => (
            <button
              key={v.id}
              id={`tab-${v.id}`}
              type="button"
              role="tab"
              aria-selected={view === v.id}
              aria-controls="view"
              tabIndex={view === v.id ? 0 : -1}
              onClick={() => switchTo(v.id)}
              onKeyDown={(e) => onTabKey(e, i)}
            >
              {v.label}
              {v.id === 'list' && savedCount ? ` (${savedCount})` : ''}
            </button>
          ))}
        </nav>
      </header>
      <div id="view" role="tabpanel" aria-labelledby={`tab-${view}`}>
        {paperId ? (
          <PaperPanel
            key={paperId}
            id={paperId}
            onOpen={open}
            onBack={back}
            onSavedChange={(saved) => setSavedCount((n) => Math.max(0, (n ?? 0) + (saved ? 1 : -1)))}
          />
        ) : view === 'search' ? (
          <SearchPanel query={query} onQuery={setQuery} onOpen={open} />
        ) : view === 'tab' ? (
          <OnThisTab onOpen={open} />
        ) : (
          <ReadingList onOpen={open} onCount={setSavedCount} />
        )}
      </div>
      {stats ? <DigestSummary stats={stats} saved={savedCount ?? stats.saved} /> : null}
    </>
  );
}

const app = document.getElementById('app');
if (app) render(<App />, app);
