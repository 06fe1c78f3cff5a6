/**
 * Search as you type over the whole digest: a combobox over a listbox of
 * results; arrow keys move, Enter opens. Quoted phrases must appear as written
 * (checked on the title, then on the abstract from the background).
 *
 * A keystroke is answered in the same task when the index shards the query
 * needs are loaded (`searchNow`); when only abstract postings are missing, the
 * title matches are shown at once (the list `aria-busy`) and the full list
 * replaces them once read: it adds the abstract matches below, and may move up
 * a title holding the query as typed. The highlighted result follows its
 * paper, not its place. Otherwise the shards are read first. `data-results-for` on the
 * panel names the query the results shown belong to, `data-complete-for` the
 * query whose full list is shown (the popup benchmark waits on both).
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { call } from '../platform/extension-api';
import { MAX_RESULTS, containsPhrase, highlight, parseQuery, type PaperSearch, type ParsedQuery, type SearchHit } from '../shared/search';
import { HighlightedText } from '../ui/highlighted-text';
import { paperSearch, withImportedPapers } from './search-index';

/** Abstracts fetched to check a quoted phrase, at most. */
const PHRASE_CHECKS = 30;

export function SearchPanel({ query, onQuery, onOpen }: { query: string; onQuery(q: string): void; onOpen(id: string): void }) {
  const [index, setIndex] = useState<PaperSearch | null>(null);
  const [error, setError] = useState('');
  const [loaded, setLoaded] = useState<{ parsed: ParsedQuery; imported: number; hits: SearchHit[] } | null>(null);
  // The highlighted result, by paper: the full list may reorder the early one under it.
  const [activeId, setActiveId] = useState<string | null>(null);
  const [verified, setVerified] = useState<{ query: string; raw: SearchHit[]; hits: SearchHit[] } | null>(null);
  // Bumped once the imported papers are in the search: the query shown runs again.
  const [imported, setImported] = useState(0);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    input.current?.focus();
    void paperSearch().then(
      (search) => {
        setIndex(search);
        void withImportedPapers(search).then((added) => added > 0 && setImported(added), () => undefined);
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, []);

  const parsed = useMemo(() => parseQuery(query), [query]);
  // In the same task what the loaded shards allow (all of it, or the title
  // matches while abstract postings are read); else read them (a layout effect starts at once).
  const now = useMemo(() => {
    if (!index) return null;
    const start = performance.now();
    const result = index.searchNow(parsed);
    // The search's own share of a keystroke, for the popup benchmark.
    performance.measure('paperpeek-search', { start });
    return result;
  }, [index, parsed, imported]);
  useLayoutEffect(() => {
    if (!index || now?.complete) return;
    let live = true;
    index.search(parsed).then(
      (hits) => live && setLoaded({ parsed, imported, hits }),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [index, parsed, now, imported]);
  // The full list: answered at once, or read for this query with the papers imported so far.
  const full = now?.complete ? now.hits : loaded?.parsed === parsed && loaded.imported === imported ? loaded.hits : null;
  const raw = full ?? now?.hits ?? null;
  const needsCheck = parsed.phrases.length > 0;

  // A quoted phrase: titles are checked here, abstracts through the background.
  useEffect(() => {
    if (!needsCheck || !raw) return;
    let live = true;
    const inTitle = (hit: SearchHit) => parsed.phrases.every((p) => containsPhrase(hit.title, p));
    void Promise.all(
      raw.slice(0, PHRASE_CHECKS).map(async (hit) => {
        if (inTitle(hit)) return hit;
        const reply = await call('getPaper', { id: hit.id });
        const text = reply.ok && reply.value.paper ? `${reply.value.paper.title}\n${reply.value.paper.abstract}` : '';
        return parsed.phrases.every((p) => containsPhrase(text, p)) ? hit : null;
      }),
    ).then((checked) => live && setVerified({ query, raw, hits: checked.filter((h): h is SearchHit => h !== null) }));
    return () => {
      live = false;
    };
  }, [raw, needsCheck, parsed, query]);

  const hits = raw === null ? null : needsCheck ? (verified?.query === query ? verified.hits : null) : raw;
  // Incomplete: the early title matches shown while the abstracts are read, or a phrase check still running on the full list.
  const complete = full !== null && (!needsCheck || verified?.raw === full);
  useEffect(() => setActiveId(null), [query]);
  const active = Math.max(0, hits?.findIndex((hit) => hit.id === activeId) ?? 0);

  const onKeyDown = (event: KeyboardEvent) => {
    if (!hits || hits.length === 0) return;
    const step = (to: number) => setActiveId(hits[Math.min(Math.max(to, 0), hits.length - 1)]?.id ?? null);
    if (event.key === 'ArrowDown') step(active + 1);
    else if (event.key === 'ArrowUp') step(active - 1);
    else if (event.key === 'Enter' && hits[active]) onOpen(hits[active].id);
    else return;
    event.preventDefault();
  };
  useEffect(() => document.getElementById(`result-${active}`)?.scrollIntoView?.({ block: 'nearest' }), [active]);

  const trimmed = query.trim();
  const settled = index !== null && (trimmed === '' || hits !== null);
  return (
    <section
      class="panel"
      aria-label="Search"
      data-results-for={settled ? query : undefined}
      data-complete-for={settled && (complete || trimmed === '') ? query : undefined}
    >
      <input
        ref={input}
        type="search"
        class="search"
        placeholder="Search titles and abstracts"
        aria-label="Search papers"
        role="combobox"
        list={undefined}
        aria-expanded={hits !== null && hits.length > 0}
        aria-controls="results"
        aria-autocomplete="list"
        aria-activedescendant={hits && hits.length > 0 ? `result-${active}` : undefined}
        value={query}
        onInput={(e) => onQuery((e.currentTarget as HTMLInputElement).value)}
        onKeyDown={onKeyDown}
      />
      {error ? (
        <p role="alert">The search index could not be read: {error}</p>
      ) : !index ? (
        <p class="muted">Loading the search index…</p>
      ) : trimmed === '' ? (
        <p class="muted empty" data-testid="search-empty">
          Type to search {index.size} papers. Tip: <kbd>"quotes"</kbd> match a phrase; typos are forgiven.
        </p>
      ) : hits === null ? (
        <p class="muted">{raw === null ? 'Searching…' : 'Checking the phrase…'}</p>
      ) : hits.length === 0 ? (
        <p class="muted empty" data-testid="search-none" role="status">
          No papers match “{trimmed}”.
        </p>
      ) : (
        <>
          <p class="muted count" role="status">
            {hits.length === 1 ? '1 paper' : `${hits.length}${hits.length >= MAX_RESULTS ? '+' : ''} papers`}
            {full === null ? ' in titles; searching abstracts…' : complete ? '' : '; checking the phrase…'}
          </p>
          <ul id="results" role="listbox" aria-label="Results" class="results" aria-busy={complete ? undefined : 'true'}>
            {hits.map((hit, i) => (
              <li
                key={hit.id}
                id={`result-${i}`}
                role="option"
                aria-selected={i === active}
                data-paper-id={hit.id}
                class={i === active ? 'result active' : 'result'}
                onMouseMove={() => i !== active && setActiveId(hit.id)}
                onClick={() => onOpen(hit.id)}
              >
                <span class="result-title">
                  <HighlightedText segments={highlight(hit.title, hit.terms)} />
                </span>
                {hit.inTitle ? null : <span class="muted small"> — in the abstract</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
