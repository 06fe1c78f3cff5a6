/**
 * "On this tab": the digest papers the active tab's content script marked, in
 * page order with their counts. Picking one scrolls the tab to its first mark
 * and highlights it for a moment.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { activeTabId, call, sendToTab } from '../platform/extension-api';
import { isPaperId } from '../shared/guards';
import { isHostName, type Settings } from '../shared/settings';
import type { PagePaper, TabReplies } from '../shared/protocol';

type Row = PagePaper & { title: string };

/** Papers a tab may list: a content script runs in a hostile page, so its reply is checked and capped. */
const MAX_TAB_PAPERS = 500;

function isPagePapers(value: unknown): value is TabReplies['pagePapers'] {
  return typeof value === 'object' && value !== null && Array.isArray((value as { papers?: unknown }).papers);
}

function validPapers(papers: readonly unknown[]): PagePaper[] {
  return papers
    .filter((p): p is PagePaper => {
      const { id, count } = (p ?? {}) as Partial<PagePaper>;
      return isPaperId(id) && typeof count === 'number' && Number.isInteger(count) && count > 0;
    })
    .slice(0, MAX_TAB_PAPERS);
}

/** The tab to look at: `?tab=<id>` (tests, and the popup opened as a page), else the active tab. */
export async function targetTab(): Promise<number | null> {
  const override = new URLSearchParams(location.search).get('tab');
  if (override && /^\d+$/.test(override)) return Number(override);
  return activeTabId();
}

export function OnThisTab({ onOpen }: { onOpen(id: string): void }) {
  const [tabId, setTabId] = useState<number | null>(null);
  const [rows, setRows] = useState<Row[] | 'unreachable' | null>(null);
  const [message, setMessage] = useState('');

  useEffect(() => {
    void (async () => {
      const tab = await targetTab();
      setTabId(tab);
      const reply = tab === null ? null : await sendToTab(tab, { type: 'pagePapers' });
      if (!isPagePapers(reply)) return setRows('unreachable');
      const titled = await Promise.all(
        validPapers(reply.papers).map(async (p) => {
          const paper = await call('getPaper', { id: p.id });
          return { ...p, title: paper.ok && paper.value.paper ? paper.value.paper.title : p.id };
        }),
      );
      setRows(titled);
    })();
  }, []);

  const reveal = async (id: string) => {
    if (tabId === null) return;
    const reply = (await sendToTab(tabId, { type: 'revealPaper', id })) as TabReplies['revealPaper'] | null;
    setMessage(reply?.revealed ? 'Shown on the page.' : 'That mark is no longer on the page.');
  };

  if (rows === null) return <p class="muted">Looking at this tab…</p>;
  if (rows === 'unreachable') return <p class="muted empty">PaperPeek cannot read this tab (a browser page, or a page still loading).</p>;
  if (rows.length === 0) return <p class="muted empty" data-testid="tab-none">No digest papers on this page.</p>;
  return (
    <section class="panel" aria-label="On this tab">
      <p class="muted small">{rows.length === 1 ? '1 paper' : `${rows.length} papers`} on this page, in page order.</p>
      <ol class="tab-list">
        {rows.map((row) => (
          <li key={row.id} data-paper-id={row.id}>
            <button type="button" class="link" onClick={() => void reveal(row.id)} aria-label={`Show ${row.title} on the page (${row.count}×)`}>
              {row.title}
            </button>{' '}
            <span class="count-badge" aria-hidden="true">
              ×{row.count}
            </span>{' '}
            <button type="button" class="small-button" onClick={() => onOpen(row.id)} aria-label={`Details of ${row.title}`}>
              Details
            </button>
          </li>
        ))}
      </ol>
      <p class="muted" role="status">
        {message}
      </p>
    </section>
  );
}

/**
 * One click to turn PaperPeek off (or back on) on the current tab's site. The
 * host comes from the tab's content script, since the popup has no "tabs"
 * permission to read URLs; the change applies to every open tab of that site.
 */
export function SiteSwitch() {
  const [site, setSite] = useState<{ host: string; settings: Settings } | null>(null);
  useEffect(() => {
    void (async () => {
      const tab = await targetTab();
      const reply = tab === null ? null : ((await sendToTab(tab, { type: 'pageHost' })) as TabReplies['pageHost'] | null);
      const host = reply?.host;
      const settings = await call('getSettings', {});
      if (isHostName(host) && settings.ok) setSite({ host, settings: settings.value });
    })();
  }, []);
  // Clicks apply one after another, each to the settings as they are then: a
  // second click before the first one's reply must not undo it from a stale copy.
  const applying = useRef<Promise<void>>(Promise.resolve());
  if (!site) return null;
  const on = !site.settings.disabledSites.includes(site.host);
  const setOn = (wanted: boolean) => {
    applying.current = applying.current.then(async () => {
      const current = await call('getSettings', {});
      if (!current.ok) return;
      const others = current.value.disabledSites.filter((h) => h !== site.host);
      const reply = await call('setSettings', { ...current.value, disabledSites: wanted ? others : [...others, site.host] });
      if (reply.ok) setSite({ host: site.host, settings: reply.value });
    }).catch(() => undefined); // the extension went away: nothing to switch
  };
  return (
    <label class="site-switch small">
      <input type="checkbox" checked={on} onChange={(event) => setOn(event.currentTarget.checked)} /> PaperPeek on {site.host}
      {site.settings.paused ? ' (paused everywhere)' : ''}
    </label>
  );
}
