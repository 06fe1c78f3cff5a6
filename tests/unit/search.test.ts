import { describe, expect, it } from 'vitest';
import { DEFAULT_SEEDS_DIR, bundleDigests, digestFilesIn } from '../../scripts/digest-files';
import { buildSearchIndex, containsPhrase, hasRun, highlight, loadSearchIndex, parseQuery, searchIndex } from '../../src/shared/search';

const papers = bundleDigests(digestFilesIn(DEFAULT_SEEDS_DIR)).papers;
// As packaged: serialised at build time, loaded in the popup.
const index = loadSearchIndex(JSON.parse(JSON.stringify({ version: 'v', index: buildSearchIndex(papers) })));
const titles = (query: string) => searchIndex(index, parseQuery(query)).map((h) => h.title);

describe('search over the bundled digest', () => {
  it('forgives typos and completes prefixes', () => {
    expect(titles('contnual lerning').slice(0, 3).every((t) => /continual learning/i.test(t))).toBe(true);
    expect(titles('in-cont')[0]).toMatch(/in-context/i);
    expect(titles('pointer netw')[0]).toBe('Pointer Networks');
  });

  it('ranks title matches above abstract-only ones', () => {
    const hits = searchIndex(index, parseQuery('retrieval'));
    const firstAbstractOnly = hits.findIndex((h) => !h.inTitle);
    expect(firstAbstractOnly).toBeGreaterThan(0);
    expect(hits.slice(firstAbstractOnly).every((h) => !h.inTitle)).toBe(true);
  });

  it('parses quoted phrases and matches them as whole words in a row', () => {
    expect(parseQuery('"In-Context  learning" transformers')).toEqual({
      words: ['in', 'context', 'learning', 'transformers'],
      phrases: ['in context learning'],
      compounds: ['in-context'],
    });
    expect(containsPhrase('What is In-Context Learning?', 'in context learning')).toBe(true);
    expect(containsPhrase('context learning in', 'in context learning')).toBe(false);
    expect(hasRun('General In-Context Learning', ['in', 'cont'])).toBe(true);
  });

  it('finds nothing for nonsense and for an empty query', () => {
    expect(titles('zqxjv wvvk')).toEqual([]);
    expect(titles('  ')).toEqual([]);
  });
});

describe('highlight', () => {
  it('splits text into plain and marked segments without touching markup-like text', () => {
    expect(highlight('<b>Pointer</b> Networks', ['pointer'])).toEqual([
      { text: '<b>', mark: false },
      { text: 'Pointer', mark: true },
      { text: '</b> Networks', mark: false },
    ]);
    expect(highlight('Café learning', ['cafe'])).toEqual([
      { text: 'Café', mark: true },
      { text: ' learning', mark: false },
    ]);
    expect(highlight('nothing here', [])).toEqual([{ text: 'nothing here', mark: false }]);
  });
});
