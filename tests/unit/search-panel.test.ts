// @vitest-environment happy-dom
/**
 * The popup's search panel over a real packaged index (PaperSearch, as built at
 * build time), with the extension around it replaced: the index comes from
 * memory, abstract postings are held back until the test lets them through,
 * and the worker's imported papers arrive when the test says.
 */
import { h, render } from 'preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PaperSearch, parseQuery, type SearchDoc } from '../../src/shared/search';
import { packageSearchIndex } from '../../src/shared/search-indexer';

const doc = (id: string, title: string, abstract: string): SearchDoc => ({ id, title, abstract, digestDate: 'Mar 13' });

let search: PaperSearch;
let deliverImports: (docs: SearchDoc[]) => Promise<void> = () => Promise.resolve();
vi.mock('../../src/popup/search-index', () => ({
  paperSearch: () => Promise.resolve(search),
  withImportedPapers: (target: PaperSearch) =>
    new Promise<number>((done) => {
      deliverImports = (docs) => target.addDocuments(docs).then(() => done(docs.length));
    }),
}));
vi.mock('../../src/platform/extension-api', () => ({ call: () => Promise.resolve({ ok: false, error: { code: 'internal', message: 'no worker here' } }) }));

/** Opens the packaged index; abstract shards are read only once `releaseAbstracts` is called. */
async function openIndex(docs: readonly SearchDoc[], prefixBudget?: number) {
  const files = new Map(packageSearchIndex(docs, 'v1', { title: 300, abstract: 300 }).map((f) => [f.path, f.source]));
  let release: () => void = () => undefined;
  const released = new Promise<void>((done) => (release = done));
  const read = async (path: string) => {
    if (/\/a-\d+\.json\.gz$/.test(path)) await released;
    const text = files.get(path);
    if (text === undefined) throw new Error(`no packaged file ${path}`);
    return text;
  };
  search = await PaperSearch.open(read, prefixBudget === undefined ? {} : { prefixBudget });
  await search.warm();
  return { releaseAbstracts: release };
}

const root = document.createElement('div');
document.body.append(root);
afterEach(() => render(null, root));

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((done) => setTimeout(done, 5));
  if (!ok()) throw new Error(`timed out waiting for ${what}`);
}

const shownIds = () => [...root.querySelectorAll('[role="option"]')].map((li) => li.getAttribute('data-paper-id'));
const selectedId = () => root.querySelector('[role="option"][aria-selected="true"]')?.getAttribute('data-paper-id');
const panel = () => root.querySelector('section[aria-label="Search"]') as HTMLElement;

async function showPanel(query: string): Promise<void> {
  const { SearchPanel } = await import('../../src/popup/search-panel');
  render(h(SearchPanel, { query, onQuery: () => undefined, onOpen: () => undefined }), root);
}

/** Many titles of `con…` words, so `con` is past a small prefix budget and stands for its most frequent completions. */
const filler = (n: number) =>
  Array.from({ length: n }, (_, i) => doc(`f${i}`, `concept control convex context connect consist constant content contour convert w${i}`, `filler ${i}`));

describe('search panel', () => {
  it('shows the early title matches, then the full list, with the highlight kept on its paper', async () => {
    // `foo con`: Y has both words in its title; X holds "foo contrastive" as typed, but
    // `contrastive` is not among the few completions `con` stands for, so X needs its abstract.
    const { releaseAbstracts } = await openIndex([doc('X', 'foo contrastive methods', 'we study a concept here'), doc('Y', 'concept study of foo', 'nothing'), ...filler(40)], 5);
    await showPanel('foo con');
    await until('the early list', () => panel().getAttribute('data-results-for') === 'foo con');
    expect(shownIds()).toEqual(['Y']);
    expect(root.querySelector('#results')?.getAttribute('aria-busy')).toBe('true');
    expect(root.querySelector('[role="status"]')?.textContent).toContain('searching abstracts');
    // The reader moves to Y (the only one yet) before the full list comes.
    root.querySelector('input')?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    await until('the highlight', () => selectedId() === 'Y');
    releaseAbstracts();
    await until('the full list', () => panel().getAttribute('data-complete-for') === 'foo con');
    // X moves above Y (its title holds the query as typed); the highlight stays on Y.
    expect(shownIds()).toEqual(['X', 'Y']);
    expect(selectedId()).toBe('Y');
    expect(root.querySelector('#results')?.getAttribute('aria-busy')).toBeNull();
  });

  it('adds papers imported while the popup is open to the results already shown', async () => {
    const { releaseAbstracts } = await openIndex([doc('P1', 'foo bar', 'abc'), doc('P2', 'zzz', 'foo in the abstract')]);
    releaseAbstracts();
    await showPanel('foo');
    await until('the results', () => panel().getAttribute('data-complete-for') === 'foo');
    expect(shownIds()).toEqual(['P1', 'P2']);
    await deliverImports([doc('NEW', 'foo imported', 'x')]);
    const expected = (await search.search(parseQuery('foo'))).map((hit) => hit.id);
    expect(expected).toContain('NEW');
    await until('the imported paper', () => shownIds().includes('NEW'));
    expect(shownIds()).toEqual(expected);
  });
});
