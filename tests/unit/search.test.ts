import { describe, expect, it } from 'vitest';
import { DEFAULT_SEEDS_DIR, bundleDigests, digestFilesIn } from '../../scripts/digest-files';
import { formatDigest, generatePapers } from '../../scripts/synthetic-digest';
import { parseDigest } from '../../src/shared/digest-parser';
import { COMPLETIONS, COMPLETIONS_SHORT, PaperSearch, containsPhrase, hasRun, highlight, oneEditAway, parseQuery, warmUpQueries, type SearchDoc } from '../../src/shared/search';
import { packageSearchIndex } from '../../src/shared/search-indexer';
import { META_PATH, PAPERS_PER_SHARD, paperShardPath } from '../../src/shared/search-postings';

const papers: SearchDoc[] = bundleDigests(digestFilesIn(DEFAULT_SEEDS_DIR)).papers.map(({ id, title, abstract, digestDate }) => ({ id, title, abstract, digestDate }));

/** The index as packaged at build time, opened as the popup opens it; `reads` lists the files read. */
async function open(docs: readonly SearchDoc[], shardBytes?: number, prefixBudget?: number) {
  const bytes = shardBytes === undefined ? {} : { title: shardBytes, abstract: shardBytes };
  const files = new Map(packageSearchIndex(docs, 'v1', bytes).map((f) => [f.path, f.source]));
  const reads: string[] = [];
  const read = async (path: string) => {
    reads.push(path);
    const text = files.get(path);
    if (text === undefined) throw new Error(`no packaged file ${path}`);
    return text;
  };
  const search = await PaperSearch.open(read, prefixBudget === undefined ? {} : { prefixBudget });
  return { search, reads, files };
}
const ids = (hits: { id: string }[]) => hits.map((h) => h.id);

const bundled = await open(papers);
const index = bundled.search;
const hitsFor = (query: string, limit?: number) => index.search(parseQuery(query), limit);
const titles = async (query: string) => (await hitsFor(query)).map((h) => h.title);
const paper = (title: string) => papers.find((p) => p.title === title) as SearchDoc;

describe('search over the bundled digest', () => {
  it('forgives typos and completes prefixes', async () => {
    expect((await titles('contnual lerning')).slice(0, 3).every((t) => /continual learning/i.test(t))).toBe(true);
    expect((await titles('in-cont'))[0]).toMatch(/in-context/i);
    expect((await titles('pointer netw'))[0]).toBe('Pointer Networks');
    expect(await titles('pointer netwrks')).toContain('Pointer Networks');
    // Two edits are forgiven from 9 letters: `renforcment` misses two letters of `reinforcement`.
    expect((await titles('renforcment')).some((t) => /reinforcement/i.test(t))).toBe(true);
    expect(await titles('renforcmnt')).toEqual([]);
  });

  it('completes a mistyped word while it is typed (a prefix one edit away), and only when nothing completes it', async () => {
    // `contn` completes no term: the prefixes one edit away (`cont`, `conti`…) do.
    for (const typed of ['contn', 'contnu', 'contnua']) {
      expect((await titles(typed)).slice(0, 3).every((t) => /continual/i.test(t)), typed).toBe(true);
    }
    expect((await titles('transfomr')).some((t) => /transformer/i.test(t))).toBe(true);
    // A word that completes normally is not widened: `pointer netwo` is still one paper.
    expect(await titles('pointer netwo')).toEqual(['Pointer Networks']);
    // Short words and nonsense stay unmatched; only the last word (the one being typed) is completed.
    expect(await titles('zqxj')).toEqual([]);
    expect(await titles('cnt')).toEqual([]);
    // A finished word (not the last) is taken as typed: `contn pointer` finds the pointer papers, no continual ones.
    const finished = await titles('contn pointer');
    expect(finished).toContain('Pointer Networks');
    expect(finished.some((t) => /continual/i.test(t))).toBe(false);
  });

  it('lists the strings one edit away from a word', () => {
    const near = oneEditAway('ab');
    for (const s of ['a', 'b', 'ba', 'xb', 'ax', 'xab', 'axb', 'abx']) expect(near.has(s), s).toBe(true);
    expect(near.has('ab')).toBe(false);
    expect(near.has('abxy')).toBe(false);
    expect(near.has('ba')).toBe(true);
  });

  it('ranks title matches above abstract-only ones', async () => {
    const hits = await hitsFor('retrieval');
    const firstAbstractOnly = hits.findIndex((h) => !h.inTitle);
    expect(firstAbstractOnly).toBeGreaterThan(0);
    expect(hits.slice(firstAbstractOnly).every((h) => !h.inTitle)).toBe(true);
    // Abstract-only hits really are: their titles hold no query term.
    for (const hit of hits.slice(firstAbstractOnly)) expect(hit.title.toLowerCase()).not.toContain('retriev');
  });

  it('ranks a title holding the words in a row first', async () => {
    const hits = await hitsFor('in-cont');
    expect(hits[0]?.adjacent).toBe(true);
    const firstApart = hits.findIndex((h) => !h.adjacent);
    expect(firstApart).toBeGreaterThan(0);
    expect(hits.slice(firstApart).every((h) => !h.adjacent)).toBe(true);
  });

  it('parses quoted phrases and matches them as whole words in a row', async () => {
    expect(parseQuery('"In-Context  learning" transformers')).toEqual({
      words: ['in', 'context', 'learning', 'transformers'],
      phrases: ['in context learning'],
      compounds: ['in-context'],
    });
    expect(containsPhrase('What is In-Context Learning?', 'in context learning')).toBe(true);
    expect(containsPhrase('context learning in', 'in context learning')).toBe(false);
    expect(hasRun('General In-Context Learning', ['in', 'cont'])).toBe(true);
    // Quoted words are matched exactly: no completion, no typo.
    expect(await titles('"pointer netw"')).toEqual([]);
    expect(await titles('"pointer networks"')).toContain('Pointer Networks');
  });

  it('falls back to papers with most of the words when none has all', async () => {
    expect(await titles('pointer zqxjv')).toEqual(['Pointer Networks']);
    // No paper has both words: every paper with either, title matches first.
    expect(await hitsFor('pointer language', 0)).not.toEqual([]);
    const either = await hitsFor('pointer language', 0);
    const union = new Set([...ids(await hitsFor('pointer', 0)), ...ids(await hitsFor('language', 0))]);
    expect(new Set(ids(either))).toEqual(union);
    const firstAbstractOnly = either.findIndex((h) => !h.inTitle);
    expect(either.slice(firstAbstractOnly).every((h) => !h.inTitle)).toBe(true);
    // With both words in one paper, the AND wins: only papers with both.
    expect(ids(await hitsFor('pointer sequence'))).toEqual([paper('Pointer Networks').id]);
  });

  it('finds nothing for nonsense and for an empty query', async () => {
    expect(await titles('zqxjv wvvk')).toEqual([]);
    expect(await titles('  ')).toEqual([]);
  });

  it('returns at most the limit, best first', async () => {
    const all = await hitsFor('learning', 0);
    expect(all.length).toBeGreaterThan(30);
    expect((await hitsFor('learning')).map((h) => h.id)).toEqual(all.slice(0, 30).map((h) => h.id));
    expect(all.map((h) => h.score)).toEqual([...all.map((h) => h.score)].sort((a, b) => b - a));
  });
});

describe('the packaged index', () => {
  it('opens with the vocabulary only, then reads the shards a query needs', async () => {
    const { search, reads, files } = await open(papers, 4_000);
    expect(reads).toEqual([META_PATH]);
    expect(search.size).toBe(papers.length);
    expect(search.searchNow(parseQuery('pointer'))).toBeNull();
    const hits = await search.search(parseQuery('pointer'));
    expect(hits.map((h) => h.title)).toContain('Pointer Networks');
    expect(search.searchNow(parseQuery('pointer'))).toEqual({ hits, complete: true });
    expect(reads).toContain(paperShardPath(0));
    const postings = [...files.keys()].filter((p) => /\/[at]-\d+\.json\.gz$/.test(p));
    const read = reads.filter((p) => /\/[at]-\d+\.json\.gz$/.test(p));
    expect(postings.length).toBeGreaterThan(10);
    expect(read.length).toBeGreaterThan(0);
    expect(read.length).toBeLessThan(postings.length / 2);
  });

  it('warms up in the background: the paper list and every title shard, then title queries read nothing', async () => {
    const { search, reads, files } = await open(papers, 4_000, 100);
    await search.warm();
    const wanted = [...files.keys()].filter((p) => /\/(p|t)-\d+\.(txt|json)\.gz$/.test(p));
    expect(wanted.length).toBeGreaterThan(2);
    expect(reads).toEqual(expect.arrayContaining(wanted));
    expect(reads.some((p) => /\/a-\d+\.json\.gz$/.test(p))).toBe(false);
    // A short prefix past the budget matches titles only: answered at once.
    const now = search.searchNow(parseQuery('g'));
    expect(now?.complete).toBe(true);
    expect(now?.hits.length).toBeGreaterThan(0);
    expect(reads.some((p) => /\/a-\d+\.json\.gz$/.test(p))).toBe(false);
  });

  it('runs its warm-up queries (each path of the search once) without a trace: same results, no abstract read', async () => {
    const meta = JSON.parse((await open(papers, 4_000)).files.get(META_PATH) as string) as { terms: string; titleDf: number[] };
    const warmUp = warmUpQueries(meta.terms.split('\n'), meta.titleDf);
    // A short prefix, a word, two words, a mistyped prefix, a typo with a second word, a hyphenated pair.
    expect(warmUp).toHaveLength(8);
    expect(warmUp.some((q) => q.includes(' ')) && warmUp.some((q) => q.includes('-')) && warmUp.some((q) => q.length === 1)).toBe(true);
    const warmed = await open(papers, 4_000);
    await warmed.search.warm();
    expect(warmed.reads.some((p) => /\/a-\d+\.json\.gz$/.test(p))).toBe(false);
    const cold = (await open(papers, 4_000)).search;
    for (const query of [...warmUp, 'contnual lerning', 'in-cont', 'graph neural', 'l', 'pointer zqxjv networks']) {
      expect(await warmed.search.search(parseQuery(query)), query).toEqual(await cold.search(parseQuery(query)));
    }
    expect(warmUpQueries(['graph'], [1])).toEqual([]);
  });

  it('shows the title matches at once while abstract postings are read, and they lead the full list', async () => {
    for (const query of ['retrieval', 'graph neural', 'contnual lerning']) {
      const { search, reads } = await open(papers, 4_000);
      await search.warm();
      const abstractReads = () => reads.filter((p) => /\/a-\d+\.json\.gz$/.test(p)).length;
      const now = search.searchNow(parseQuery(query));
      expect(abstractReads(), query).toBe(0);
      expect(now?.complete, query).toBe(false);
      const full = await search.search(parseQuery(query));
      expect(abstractReads(), query).toBeGreaterThan(0);
      const early = ids(now?.hits ?? []);
      expect(early.length, query).toBeGreaterThan(0);
      expect(now?.hits.every((h) => h.inTitle), query).toBe(true);
      // For these queries the same papers lead the full list; what the abstracts add comes after them.
      expect(new Set(ids(full).slice(0, early.length)), query).toEqual(new Set(early));
      expect(full.length, query).toBeGreaterThan(early.length);
      expect(search.searchNow(parseQuery(query)), query).toEqual({ hits: full, complete: true });
    }
  });

  it('shows no early list for a query with a word the digest does not hold (the final ranking weighs all words)', async () => {
    const { search } = await open(papers, 4_000);
    await search.warm();
    const now = search.searchNow(parseQuery('pointer zqxjv networks'));
    expect(now === null || now.complete).toBe(true);
  });

  it('shows nothing early when no title holds the query (it needs the abstracts)', async () => {
    const { search } = await open(papers, 4_000);
    await search.warm();
    // A word of abstracts only: no title match to show before they are read.
    const query = parseQuery('effectiveness');
    expect(search.searchNow(query)).toBeNull();
    const full = await search.search(query);
    expect(full.length).toBeGreaterThan(0);
    expect(full.some((h) => h.inTitle)).toBe(false);
  });

  it('gives the same results however finely it is sharded', async () => {
    const fine = (await open(papers, 2_000)).search;
    for (const query of ['contnual lerning', 'in-cont', 'retrieval', 'graph neural', 'pointer zqxjv', 'l', 'tra', '"in-context learning"']) {
      expect(await fine.search(parseQuery(query), 0), query).toEqual(await index.search(parseQuery(query), 0));
    }
  });

  it('bounds the work of prefixes: past the budget, a few frequent completions; 1–2 letters in titles only', async () => {
    const docs = parseDigest(formatDigest(generatePapers(3000)), 'synthetic.txt').papers;
    expect(docs.length).toBeGreaterThan(PAPERS_PER_SHARD);
    const { search } = await open(docs);
    const short = await search.search(parseQuery('l'));
    expect(short.length).toBe(30);
    // Papers are read back right across paper shards.
    const byId = new Map(docs.map((d) => [d.id, d.title]));
    const late = await search.search(parseQuery('learning'), 0);
    expect(late.some((h) => docs.findIndex((d) => d.id === h.id) >= PAPERS_PER_SHARD)).toBe(true);
    for (const hit of [...short, ...late]) expect(hit.title).toBe(byId.get(hit.id));
    expect(short.every((h) => h.inTitle)).toBe(true);
    expect(short[0]?.terms.length).toBeLessThanOrEqual(COMPLETIONS_SHORT + 1);
    // Under the budget (the small real digest), a prefix stands for every completion, in titles and abstracts.
    const all = await hitsFor('con', 0);
    expect(all[0]?.terms.length).toBeGreaterThan(50);
    expect(all[0]?.terms).toEqual(expect.arrayContaining(['continual', 'context', 'concave', 'convex']));
    expect(all.some((h) => !h.inTitle)).toBe(true);
    const tight = (await open(papers, undefined, 100)).search;
    const cut = await tight.search(parseQuery('con'), 0);
    expect(cut[0]?.terms.length).toBe(COMPLETIONS);
    // The most frequent ones.
    expect(cut[0]?.terms).toEqual(expect.arrayContaining(['continual', 'context']));
    expect(cut[0]?.terms).not.toContain('concave');
    expect(cut.length).toBeLessThan(all.length);
    const g = await tight.search(parseQuery('g'), 0);
    expect(g.every((h) => h.inTitle)).toBe(true);
    expect((await hitsFor('g', 0)).some((h) => !h.inTitle)).toBe(true);
  });
});

describe('runtime papers (digest import)', () => {
  const imported: SearchDoc = {
    id: 'runtime-1',
    title: 'Quokka Attention: Retrieval Heads for Écoute',
    abstract: 'We study marsupial models.',
    digestDate: 'Dec 1',
  };

  it('are found, with typos and accents folded, and ranked with the bundled papers', async () => {
    const { search } = await open(papers);
    await search.addDocuments([imported]);
    expect(search.size).toBe(papers.length + 1);
    expect((await search.search(parseQuery('quoka'))).map((h) => h.id)).toEqual(['runtime-1']);
    expect((await search.search(parseQuery('ecoute'))).map((h) => h.id)).toEqual(['runtime-1']);
    // `retrieval`: the runtime paper's title match ranks above every bundled abstract-only match.
    const hits = await search.search(parseQuery('retrieval'));
    const at = hits.findIndex((h) => h.id === 'runtime-1');
    expect(at).toBeGreaterThanOrEqual(0);
    expect(hits[at]?.inTitle).toBe(true);
    expect(hits.slice(0, at).every((h) => h.inTitle)).toBe(true);
    expect(hits.some((h, i) => i > at && !h.inTitle)).toBe(true);
    expect(hits.map((h) => h.id)).toEqual(expect.arrayContaining((await hitsFor('retrieval')).map((h) => h.id)));
    // Its abstract is searched too.
    expect((await search.search(parseQuery('marsupial'))).map((h) => [h.id, h.inTitle])).toEqual([['runtime-1', false]]);
  });

  it('replace a bundled paper with the same id, and an earlier runtime copy', async () => {
    const { search } = await open(papers);
    const pointer = paper('Pointer Networks');
    await search.addDocuments([{ ...pointer, title: 'Pointer Networks, Revised by Wombats', abstract: 'No longer about convex hulls.' }]);
    expect(search.size).toBe(papers.length);
    const hits = await search.search(parseQuery('pointer networks'));
    expect(hits.filter((h) => h.id === pointer.id).map((h) => h.title)).toEqual(['Pointer Networks, Revised by Wombats']);
    expect((await search.search(parseQuery('wombats'))).map((h) => h.id)).toEqual([pointer.id]);
    // Words only the bundled copy had no longer find it.
    const before = (await hitsFor('combinatorial')).map((h) => h.id);
    expect(before).toContain(pointer.id);
    expect((await search.search(parseQuery('combinatorial'))).map((h) => h.id)).not.toContain(pointer.id);

    await search.addDocuments([{ ...pointer, title: 'Pointer Networks, Revised by Numbats', abstract: '' }]);
    expect(search.size).toBe(papers.length);
    expect(await search.search(parseQuery('wombats'))).toEqual([]);
    expect((await search.search(parseQuery('numbats'))).map((h) => h.title)).toEqual(['Pointer Networks, Revised by Numbats']);
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
