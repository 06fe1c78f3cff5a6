/**
 * Full-text search over the digest, for the popup: results as you type over
 * titles and abstracts, title matches first, prefixes and typos forgiven.
 *
 * The index is built at build time (src/shared/search-indexer.ts, from
 * scripts/vite-digest-plugin.ts; format in src/shared/search-postings.ts):
 * FlexSearch postings, where each paper holding a term sits in a score slot
 * (FlexSearch's positional scoring; title slots come before abstract slots).
 * `PaperSearch.open` reads only the vocabulary; a query reads the postings
 * shards of its terms and the paper shards of the papers it shows, and `warm`
 * reads the paper list and title postings in the background.
 *
 * A query word becomes index terms: itself, its most frequent completions (as you
 * type) and, from 4 letters, the terms one edit away (two from 9 letters) found in
 * the vocabulary with MiniSearch's SearchableMap. Papers must hold every word.
 * They are ranked: some word in the title first, among those titles that hold
 * the query as typed, then all words in the title, then the latest of the words'
 * FlexSearch slots. The work is bounded: a query reads the abstracts only when
 * titles give fewer than `limit` results, and a prefix whose completions hold
 * more than PREFIX_BUDGET postings stands for its most frequent ones only (a
 * prefix of 1–2 letters then matches titles only).
 *
 * Runtime papers (digest import) join through `PaperSearch.addDocuments`.
 *
 * Pure: no DOM, no browser API; files come through the `ReadFile` callback.
 */
import type { Index } from 'flexsearch';
import SearchableMap from 'minisearch/SearchableMap';
import {
  ABSTRACT_SLOTS,
  META_PATH,
  PAPERS_PER_SHARD,
  TITLE_SLOTS,
  abstractShardPath,
  normalizeTerm,
  paperShardPath,
  titleShardPath,
  wordsOf,
  type Field,
  type Postings,
  type SearchMeta,
  type Slots,
} from './search-postings';
import { lazyRegExp } from './lazy-regexp';

export { SEARCH_DIR, normalizeTerm, wordsOf } from './search-postings';

export interface SearchDoc {
  id: string;
  title: string;
  abstract: string;
  digestDate: string;
}

export interface ParsedQuery {
  /** Every word of the query (quoted or not), for the index. */
  words: string[];
  /** Quoted phrases, normalised (see normalizePhrase); a result must contain each. */
  phrases: string[];
  /** Hyphenated words as typed (`in-cont`), lower case: titles spelling them so rank first. */
  compounds: string[];
}

/** A phrase or text reduced to its words separated by single spaces, for containment tests. */
export function normalizePhrase(text: string): string {
  return wordsOf(text).join(' ');
}

/** Hyphenated words as typed, a trailing hyphen too (`in-cont`, `few-shot-`). */
const HYPHENATED_COMPOUND = lazyRegExp(String.raw`[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)+-?`, 'gu');

export function parseQuery(query: string): ParsedQuery {
  const phrases: string[] = [];
  for (const match of query.matchAll(/"([^"]*)"/g)) {
    const phrase = normalizePhrase(match[1] ?? '');
    if (phrase) phrases.push(phrase);
  }
  const compounds = (query.match(HYPHENATED_COMPOUND()) ?? []).map(normalizeTerm);
  return { words: wordsOf(query.replace(/"/g, ' ')), phrases, compounds };
}

/** Whether `text` holds `phrase` (normalised) as consecutive whole words. */
export function containsPhrase(text: string, phrase: string): boolean {
  return ` ${normalizePhrase(text)} `.includes(` ${phrase} `);
}

export interface SearchHit {
  id: string;
  title: string;
  digestDate: string;
  /** Higher is better: minus the paper's rank key (tier, then slot). */
  score: number;
  /** Whether the title matched a query word (title matches rank first). */
  inTitle: boolean;
  /** Index terms the query words stood for (after prefix and typo expansion), for highlighting. */
  terms: string[];
  /** Whether the title holds the query words in a row, the last as a prefix (`in-cont`). */
  adjacent: boolean;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `words` occur consecutively in `text`, the last one as a word prefix. */
export function hasRun(text: string, words: readonly string[]): boolean {
  if (words.length < 2) return false;
  const tokens = wordsOf(text);
  const last = words.length - 1;
  for (let i = 0; i + last < tokens.length; i++) {
    if (words.every((w, j) => (j === last ? (tokens[i + j] as string).startsWith(w) : tokens[i + j] === w))) return true;
  }
  return false;
}

/** hasRun as one regular expression, to test many normalised titles (normalizeTerm) quickly. */
function runPattern(words: readonly string[]): RegExp | null {
  if (words.length < 2) return null;
  const gap = '[^\\p{L}\\p{N}]+';
  return new RegExp(`(?:^|[^\\p{L}\\p{N}])${words.map(escapeRegExp).join(gap)}`, 'u');
}

export const MAX_RESULTS = 30;

/** Typo tolerance: none for short words (too many neighbours), one edit from 4 letters, two from 9. */
const fuzzy = (term: string): number => (term.length < 4 ? 0 : term.length < 9 ? 1 : 2);
/**
 * A prefix stands for all its completions while they hold at most PREFIX_BUDGET
 * postings; past that, for the most frequent COMPLETIONS (COMPLETIONS_SHORT in
 * titles only for a prefix of 1–2 letters).
 */
export const PREFIX_BUDGET = 20_000;
export const COMPLETIONS_SHORT = 5;
export const COMPLETIONS = 10;
/** Terms a typo stands for, closest first. */
const TYPO_TERMS = 5;
/** Title-matching candidates checked for the query as typed (`adjacent`), in rank order. */
const ADJACENT_WINDOW = 100;
/** Vocabulary terms put in the typo tree per slice of `warm`. */
const TYPO_SLICE = 2_000;
/** Query words whose expansion is remembered. */
const EXPANSIONS_KEPT = 500;
/** Vocabulary terms looked at, at most, to complete a mistyped last word. */
const MISTYPED_SCAN = 20_000;
/** Shortest prefix a mistyped last word is completed from. */
const MISTYPED_MIN_PREFIX = 4;
/** Rank by title frequency of the first word the warm-up queries use (warmUpQueries). */
const WARM_UP_RANK = 20;
/** Files `warm` reads at a time. */
const WARM_READS = 2;
const MAX_WORDS = 32;
const ALL_SLOTS = TITLE_SLOTS + ABSTRACT_SLOTS;
/** `matched` value of a bundled paper a runtime paper replaced: never a candidate. */
const HIDDEN = 255;

/** Reads a packaged file of the index as text, a `.gz` one decompressed (the popup fetches it from the extension). */
export type ReadFile = (path: string) => Promise<string>;

/** A term's postings in one field: slot y of `slots` is rank slot `base + y`. */
interface Part {
  slots: Slots;
  base: number;
}

interface Plan {
  parsed: ParsedQuery;
  /** Index terms per query word. */
  terms: string[][];
  /** Words matched in titles only: a last word of 1–2 letters whose completions are past the budget. */
  titleOnly: boolean[];
  /** Every term, for highlighting. */
  allTerms: string[];
}

type Kind = Field | 'papers';
type Missing = { kind: Kind; shard: number }[];

const lowerBound = (sorted: readonly string[], key: string): number => {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/** How many of `starts` (ascending) are at most `i`. */
function upperIndex(starts: readonly number[], i: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((starts[mid] as number) <= i) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The popup's search: the bundled index (read shard by shard as queries need
 * it) plus papers added at run time.
 */
export class PaperSearch {
  private readonly terms: string[];
  private readonly postings: Record<Field, Map<string, Slots>> = { title: new Map(), abstract: new Map() };
  private readonly papers = new Map<number, string[]>();
  private readonly reads: Record<Kind, Map<number, Promise<void>>> = { title: new Map(), abstract: new Map(), papers: new Map() };
  private readonly loaded: Record<Kind, Set<number>> = { title: new Set(), abstract: new Set(), papers: new Set() };
  private readonly typoTree = new SearchableMap<number>();
  private readonly expansions = new Map<string, { terms: string[]; titleOnly: boolean }>();
  private typoTerms = 0;
  private warming: Promise<void> | null = null;
  // Queries waiting for reads; `warm` lets them go first.
  private waiting = 0;
  private queried: Promise<void> = Promise.resolve();
  private release: () => void = () => undefined;
  private bundledNumbers: Map<string, number> | null = null;
  private hidden = 0;
  // Runtime papers: numbered after the bundled ones, indexed by FlexSearch here.
  private readonly runtime: SearchDoc[] = [];
  private readonly runtimeNumber = new Map<string, number>();
  private runtimeIndex: Record<Field, Index> | null = null;
  private runtimePostings: Record<Field, Postings> = { title: new Map(), abstract: new Map() };
  private runtimeVocabulary = new SearchableMap<number>();
  // Scratch per paper number, zero between queries (matched: HIDDEN for replaced papers).
  private matched: Uint8Array;
  private slot: Uint8Array;
  private titleHit: Uint8Array;
  private lastWord: Uint8Array;

  private constructor(
    private readonly read: ReadFile,
    private readonly meta: SearchMeta,
    private readonly prefixBudget: number,
  ) {
    this.terms = meta.terms === '' ? [] : meta.terms.split('\n');
    this.matched = new Uint8Array(meta.count);
    this.slot = new Uint8Array(meta.count);
    this.titleHit = new Uint8Array(meta.count);
    this.lastWord = new Uint8Array(meta.count);
  }

  /**
   * Reads the vocabulary (META_PATH); shards follow on demand. `prefixBudget`:
   * postings a prefix may stand for before it is cut to its most frequent
   * completions (PREFIX_BUDGET).
   */
  static async open(read: ReadFile, options: { prefixBudget?: number } = {}): Promise<PaperSearch> {
    const meta = JSON.parse(await read(META_PATH)) as SearchMeta;
    return new PaperSearch(read, meta, options.prefixBudget ?? PREFIX_BUDGET);
  }

  /**
   * Prepares, in the background, what most queries need: the typo tree, the
   * paper list and the title postings, a couple of files at a time. Queries do
   * not wait for it (they read what they need, and go first). `pause` is awaited
   * between steps: the popup passes an idle callback, so typing keeps the main
   * thread. Call it once the popup is interactive.
   */
  warm(pause: () => Promise<void> = () => new Promise((next) => setTimeout(next, 0))): Promise<void> {
    this.warming ??= (async () => {
      const step = async () => {
        await pause();
        while (this.waiting > 0) await this.queried;
      };
      if (this.paperShards > 0) await this.loadShard('papers', 0);
      while (this.typoTerms < this.terms.length) {
        await step();
        this.growTypos(TYPO_SLICE);
      }
      // The title postings, then the other papers.
      const jobs: (() => Promise<void>)[] = [];
      for (let n = 0; n < this.meta.titleShards.length; n++) jobs.push(() => this.loadShard('title', n));
      for (let n = 1; n < this.paperShards; n++) jobs.push(() => this.loadShard('papers', n));
      await Promise.all(
        Array.from({ length: WARM_READS }, async () => {
          for (let job = jobs.shift(); job; job = jobs.shift()) {
            await step();
            await job();
          }
        }),
      );
      // The first query down each path (a short prefix, two words, a typo, a
      // hyphenated word) runs in V8's interpreter, several times slower than
      // compiled: the first keystrokes a reader types would pay for it. A few
      // queries of the index's own words, one per pause, leave compiled code
      // behind (results dropped; nothing is read, scratch marks are cleared).
      for (const query of warmUpQueries(this.terms, this.meta.titleDf)) {
        await step();
        for (const hit of this.searchNow(parseQuery(query))?.hits ?? []) highlight(hit.title, hit.terms);
      }
    })();
    return this.warming;
  }

  /** The digest version the bundled index was built from. */
  get version(): string {
    return this.meta.version;
  }

  /** Papers searched: the bundled ones not replaced, plus the runtime ones. */
  get size(): number {
    return this.meta.count - this.hidden + this.runtime.length;
  }

  /**
   * Adds papers that arrive at run time (digest import, stored by the worker),
   * to be searched and ranked with the bundled ones. A paper with the id of a
   * bundled paper replaces it; adding an id again replaces the earlier copy.
   * Loads FlexSearch and the paper list on first use; indexing costs about
   * 0.15 ms per paper, so call it once with the batch, after the popup painted.
   */
  async addDocuments(docs: readonly SearchDoc[]): Promise<void> {
    const [{ fieldIndex, postingsOf }] = await Promise.all([
      import('./search-indexer'),
      Promise.all(Array.from({ length: this.paperShards }, (_, n) => this.loadShard('papers', n))),
    ]);
    const index = (this.runtimeIndex ??= { title: fieldIndex('title'), abstract: fieldIndex('abstract') });
    for (const doc of docs) {
      const known = this.runtimeNumber.get(doc.id);
      if (known !== undefined) {
        this.runtime[known] = doc;
        const n = this.meta.count + known;
        index.title.update(n, doc.title);
        index.abstract.update(n, doc.abstract);
        continue;
      }
      const n = this.meta.count + this.runtime.length;
      this.runtimeNumber.set(doc.id, this.runtime.length);
      this.runtime.push(doc);
      index.title.add(n, doc.title);
      index.abstract.add(n, doc.abstract);
      const bundled = this.bundledNumber(doc.id);
      if (bundled !== undefined && this.matched[bundled] !== HIDDEN) {
        this.matched[bundled] = HIDDEN;
        this.hidden++;
      }
    }
    this.grow(this.meta.count + this.runtime.length);
    this.runtimePostings = { title: postingsOf(index.title), abstract: postingsOf(index.abstract) };
    const vocabulary = new SearchableMap<number>();
    for (const field of ['title', 'abstract'] as const) {
      for (const [term, slots] of this.runtimePostings[field]) vocabulary.update(term, (df = 0) => df + dfOf(slots));
    }
    this.runtimeVocabulary = vocabulary;
    this.expansions.clear();
  }

  /**
   * What can be shown for the query at once: every result when the shards it
   * needs are loaded (`complete`); else, when only abstract postings are
   * missing, the title matches found so far (`complete: false`), so typing
   * never waits on a read for them; else null. `search` then gives the full
   * list: it adds the abstract matches (see titleHits).
   */
  searchNow(parsed: ParsedQuery, limit = MAX_RESULTS): { hits: SearchHit[]; complete: boolean } | null {
    const plan = this.plan(parsed);
    if (!plan) return { hits: [], complete: true };
    const result = this.run(plan, limit, true);
    if (!('missing' in result)) return { hits: result.hits, complete: true };
    return result.titleHits && result.titleHits.length > 0 ? { hits: result.titleHits, complete: false } : null;
  }

  /** Results for the query, reading the shards it needs first. */
  async search(parsed: ParsedQuery, limit = MAX_RESULTS): Promise<SearchHit[]> {
    const plan = this.plan(parsed);
    if (!plan) return [];
    for (;;) {
      const result = this.run(plan, limit);
      if (!('missing' in result)) return result.hits;
      if (this.waiting++ === 0) this.queried = new Promise((done) => (this.release = done));
      try {
        await Promise.all(result.missing.map(({ kind, shard }) => this.loadShard(kind, shard)));
      } finally {
        if (--this.waiting === 0) this.release();
      }
    }
  }

  // --- query words to index terms -------------------------------------------

  private plan(parsed: ParsedQuery): Plan | null {
    const words = parsed.words.slice(0, MAX_WORDS);
    if (words.length === 0) return null;
    const quoted = new Set(parsed.phrases.flatMap((p) => p.split(' ')));
    const last = words.length - 1;
    const expanded = words.map((w, i) => this.expansion(w, i === last, quoted.has(w)));
    const terms = expanded.map((e) => e.terms);
    const titleOnly = expanded.map((e) => e.titleOnly);
    return { parsed: { ...parsed, words }, terms, titleOnly, allTerms: [...new Set(terms.flat())] };
  }

  /** `expand`, remembered: as you type, the words before the last one come back on every keystroke. */
  private expansion(word: string, last: boolean, quoted: boolean): { terms: string[]; titleOnly: boolean } {
    const key = `${last ? 'l' : 'w'}${quoted ? 'q' : 'u'}${word}`;
    let known = this.expansions.get(key);
    if (!known) {
      const short = new Set<string>();
      known = { terms: this.expand(word, last, quoted, short), titleOnly: last && short.has(word) };
      if (this.expansions.size >= EXPANSIONS_KEPT) this.expansions.clear();
      this.expansions.set(key, known);
    }
    return known;
  }

  private expand(word: string, last: boolean, quoted: boolean, titleOnly: Set<string>): string[] {
    const out = this.has(word) ? [word] : [];
    if (quoted) return out;
    if (last || word.length >= 3) {
      // Completions, as you type: all of them while they are few, else the most frequent.
      const df = this.completions(word);
      df.delete(word);
      if (last && df.size === 0 && !out.length && fuzzy(word) > 0) {
        // A last word that completes nothing is often a typo in a word being typed
        // (`contn` for `contin…`): complete the prefixes one edit away instead.
        out.push(...this.mistypedCompletions(word));
      }
      const total = [...df.values()].reduce((n, [t, a]) => n + t + a, 0);
      if (total <= this.prefixBudget) out.push(...df.keys());
      else {
        // Too many papers to go through on each keystroke: a 1–2 letter prefix then matches titles only.
        const titles = word.length <= 2;
        if (titles) titleOnly.add(word);
        const best = [...df].map(([term, [t, a]]) => [term, titles ? t : t + a] as const).filter(([, n]) => n > 0);
        best.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
        out.push(...best.slice(0, titles ? COMPLETIONS_SHORT : COMPLETIONS).map(([term]) => term));
      }
    }
    const distance = fuzzy(word);
    if (distance > 0) {
      const near = new Map<string, number>();
      for (const tree of [this.typos(), this.runtimeVocabulary]) {
        for (const [term, [, d]] of tree.fuzzyGet(word, distance)) if (d > 0) near.set(term, Math.min(d, near.get(term) ?? d));
      }
      const known = new Set(out);
      const closest = [...near].filter(([term]) => !known.has(term)).sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
      out.push(...closest.slice(0, TYPO_TERMS).map(([term]) => term));
    }
    return out;
  }

  /**
   * The most frequent completions of the prefixes one edit away from `word`
   * (bounded scan). Prefixes under 4 letters are left out: their most frequent
   * completions are the digest's commonest words, not what was being typed.
   */
  private mistypedCompletions(word: string): string[] {
    // Each term counted once, however many of the prefixes complete to it.
    const found = new Map<string, number>();
    let budget = MISTYPED_SCAN;
    for (const prefix of oneEditAway(word)) {
      if (prefix.length < MISTYPED_MIN_PREFIX || budget <= 0) continue;
      const completions = this.completions(prefix, budget);
      budget -= completions.size;
      for (const [term, [t, a]] of completions) found.set(term, t + a);
    }
    return [...found]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, COMPLETIONS)
      .map(([term]) => term);
  }

  /**
   * The terms starting with `prefix`, bundled and imported, with the papers
   * holding each in titles and in abstracts; at most `limit` bundled terms.
   */
  private completions(prefix: string, limit = Number.POSITIVE_INFINITY): Map<string, [number, number]> {
    const df = new Map<string, [number, number]>();
    for (let i = lowerBound(this.terms, prefix); i < this.terms.length && df.size < limit && (this.terms[i] as string).startsWith(prefix); i++) {
      df.set(this.terms[i] as string, [this.meta.titleDf[i] ?? 0, this.meta.abstractDf[i] ?? 0]);
    }
    for (const [term] of this.runtimeVocabulary.atPrefix(prefix)) {
      const [t, a] = df.get(term) ?? [0, 0];
      df.set(term, [t + dfOf(this.runtimePostings.title.get(term)), a + dfOf(this.runtimePostings.abstract.get(term))]);
    }
    return df;
  }

  private has(term: string): boolean {
    const i = lowerBound(this.terms, term);
    return this.terms[i] === term || this.runtimePostings.title.has(term) || this.runtimePostings.abstract.has(term);
  }

  /** The bundled vocabulary as a radix tree (`warm` builds it in slices; a query needing it first finishes it). */
  private typos(): SearchableMap<number> {
    this.growTypos(this.terms.length);
    return this.typoTree;
  }

  private growTypos(count: number): void {
    const end = Math.min(this.terms.length, this.typoTerms + count);
    for (let i = this.typoTerms; i < end; i++) this.typoTree.set(this.terms[i] as string, i);
    this.typoTerms = end;
  }

  // --- shards ------------------------------------------------------------------

  private missing(terms: readonly string[], field: Field): Missing {
    const df = field === 'title' ? this.meta.titleDf : this.meta.abstractDf;
    const starts = field === 'title' ? this.meta.titleShards : this.meta.abstractShards;
    const out: Missing = [];
    for (const term of terms) {
      const i = lowerBound(this.terms, term);
      if (this.terms[i] !== term || !df[i]) continue;
      const shard = upperIndex(starts, i) - 1;
      if (shard >= 0 && !this.loaded[field].has(shard) && !out.some((m) => m.shard === shard)) out.push({ kind: field, shard });
    }
    return out;
  }

  /** Paper shards to read before showing these papers. */
  private missingPapers(numbers: Iterable<number>): Missing {
    const out: Missing = [];
    for (const n of numbers) {
      if (n >= this.meta.count) continue;
      const shard = Math.floor(n / PAPERS_PER_SHARD);
      if (!this.loaded.papers.has(shard) && !out.some((m) => m.shard === shard)) out.push({ kind: 'papers', shard });
    }
    return out;
  }

  private get paperShards(): number {
    return Math.ceil(this.meta.count / PAPERS_PER_SHARD);
  }

  private loadShard(kind: Kind, shard: number): Promise<void> {
    let reading = this.reads[kind].get(shard);
    if (!reading) {
      const path = kind === 'title' ? titleShardPath(shard) : kind === 'abstract' ? abstractShardPath(shard) : paperShardPath(shard);
      reading = this.read(path).then(
        (text) => {
          if (kind === 'papers') {
            const lines = text.split('\n');
            const expected = Math.min(PAPERS_PER_SHARD, this.meta.count - shard * PAPERS_PER_SHARD);
            if (lines.length !== expected) throw new Error(`search index: ${path} lists ${lines.length} papers, not ${expected}`);
            this.papers.set(shard, lines);
          } else {
            for (const [term, slots] of JSON.parse(text) as [string, Slots][]) this.postings[kind].set(term, slots);
          }
          this.loaded[kind].add(shard);
        },
        (error: unknown) => {
          this.reads[kind].delete(shard);
          throw error;
        },
      );
      this.reads[kind].set(shard, reading);
    }
    return reading;
  }

  private parts(terms: readonly string[], field: Field): Part[] {
    const base = field === 'title' ? 0 : TITLE_SLOTS;
    const out: Part[] = [];
    for (const term of terms) {
      const bundled = this.postings[field].get(term);
      if (bundled) out.push({ slots: bundled, base });
      const runtime = this.runtimePostings[field].get(term);
      if (runtime) out.push({ slots: runtime, base });
    }
    return out;
  }

  // --- matching and ranking ------------------------------------------------------

  /** `early`: when abstract postings are missing, also rank the title matches found so far (`titleHits`). */
  private run(plan: Plan, limit: number, early = false): { hits: SearchHit[] } | { missing: Missing; titleHits?: SearchHit[] } {
    const want = Math.max(limit, 0) || Number.MAX_SAFE_INTEGER;
    const titleMissing = this.missing(plan.allTerms, 'title');
    if (titleMissing.length > 0) return { missing: titleMissing };
    const titleParts = plan.terms.map((terms) => this.parts(terms, 'title'));
    const abstractTerms = () => plan.terms.filter((_, i) => !plan.titleOnly[i]).flat();
    const withAbstracts = () => plan.terms.map((terms, i) => (plan.titleOnly[i] ? (titleParts[i] as Part[]) : [...(titleParts[i] as Part[]), ...this.parts(terms, 'abstract')]));

    if (plan.terms.length === 1) {
      // One word: papers in slot order, titles first; no need to see them all.
      const window = plan.parsed.compounds.length > 0 ? Math.max(want, ADJACENT_WINDOW) : want;
      let found = this.firstIn(titleParts[0] as Part[], TITLE_SLOTS, window, []);
      if (found.length < window && !plan.titleOnly[0]) {
        const missing = this.missing(abstractTerms(), 'abstract');
        if (missing.length > 0) return { missing, titleHits: this.titleHits(found, plan, want, early) };
        found = this.firstIn(withAbstracts()[0] as Part[], ALL_SLOTS, window, found);
      }
      return this.rank(found, plan, want, null);
    }

    // Every word in the title: often enough to fill the page without reading abstracts.
    const hopeless = plan.terms.some((terms) => terms.length === 0);
    let found = hopeless ? [] : this.every(titleParts, TITLE_SLOTS);
    if (!hopeless && found.length < want) {
      const missing = this.missing(abstractTerms(), 'abstract');
      if (missing.length > 0) return { missing, titleHits: this.titleHits(found, plan, want, early) };
      this.reset(found);
      found = this.every(withAbstracts(), ALL_SLOTS);
    }
    if (found.length > 0 || plan.parsed.phrases.length > 0) return this.rank(found, plan, want, null);
    // No paper has every word: those with the most of them.
    this.reset(found);
    const known = plan.terms.flatMap((terms, i) => (terms.length > 0 ? [i] : []));
    if (known.length === 0) return { hits: [] };
    if (known.length < plan.terms.length) {
      // Papers with every known word come first; often they fill the page.
      const best = this.run(only(plan, known), want);
      // (No early list here: the final ranking weighs all the words, the sub-run only the known ones.)
      if ('missing' in best || best.hits.length >= want) return best;
    }
    const missing = this.missing(abstractTerms(), 'abstract');
    if (missing.length > 0) return { missing };
    const words = withAbstracts();
    found = this.any(known.map((i) => words[i] as Part[]));
    return this.rank(found, plan, want, plan.terms.length);
  }

  /**
   * The title matches in `found` (every word in the title), ranked as the full
   * list ranks them; undefined when not `wanted`, or when their paper shards are
   * not loaded yet. The full list adds the abstract matches, and may move up a
   * title holding the query as typed whose last word matched past the prefix
   * budget. Clears their scratch marks either way, as ranking does.
   */
  private titleHits(found: number[], plan: Plan, want: number, wanted: boolean): SearchHit[] | undefined {
    if (!wanted || found.length === 0) {
      this.reset(found);
      return undefined;
    }
    const ranked = this.rank(found, plan, want, null);
    return 'hits' in ranked ? ranked.hits : undefined;
  }

  /** Up to `n` papers of one word in slot order (adds to `found`, marking them in `count`). */
  private firstIn(parts: readonly Part[], slots: number, n: number, found: number[]): number[] {
    const { matched: count, slot, titleHit } = this;
    for (let y = 0; y < slots && found.length < n; y++) {
      for (const part of parts) {
        const ids = part.slots[y - part.base];
        if (!ids) continue;
        for (let j = 0; j < ids.length; j++) {
          const id = ids[j] as number;
          if (count[id] !== 0) continue;
          count[id] = 1;
          slot[id] = y;
          titleHit[id] = y < TITLE_SLOTS ? 1 : 0;
          found.push(id);
          if (found.length === n) return found;
        }
      }
    }
    return found;
  }

  /**
   * Papers holding every word (each word: any of its parts), smallest word first.
   * Leaves in `slot` the latest over the words of each word's earliest slot, and in
   * `titleHit` whether some word is in the title.
   */
  private every(words: readonly (readonly Part[])[], slots: number): number[] {
    const { matched: count, slot, titleHit } = this;
    const order = [...words].sort((a, b) => partsSize(a) - partsSize(b));
    const found: number[] = [];
    order.forEach((parts, w) => {
      for (let y = 0; y < slots; y++) {
        for (const part of parts) {
          const ids = part.slots[y - part.base];
          if (!ids) continue;
          for (let j = 0; j < ids.length; j++) {
            const id = ids[j] as number;
            if (w === 0) {
              if (count[id] !== 0) continue;
              count[id] = 1;
              slot[id] = y;
              titleHit[id] = y < TITLE_SLOTS ? 1 : 0;
              found.push(id);
            } else if (count[id] === w) {
              // First time this word meets the paper: its earliest slot for the word.
              count[id] = w + 1;
              if (y > (slot[id] as number)) slot[id] = y;
              if (y < TITLE_SLOTS) titleHit[id] = 1;
            }
          }
        }
      }
    });
    const complete = found.filter((id) => count[id] === order.length);
    this.reset(found.filter((id) => count[id] !== order.length));
    return complete;
  }

  /** Papers holding any word; `matched` says how many words each holds. */
  private any(words: readonly (readonly Part[])[]): number[] {
    const { matched: count, slot, titleHit, lastWord } = this;
    const found: number[] = [];
    words.forEach((parts, w) => {
      for (let y = 0; y < ALL_SLOTS; y++) {
        for (const part of parts) {
          const ids = part.slots[y - part.base];
          if (!ids) continue;
          for (let j = 0; j < ids.length; j++) {
            const id = ids[j] as number;
            const c = count[id] as number;
            if (c === HIDDEN || lastWord[id] === w + 1) continue;
            lastWord[id] = w + 1;
            if (c === 0) {
              found.push(id);
              slot[id] = y;
            } else if (y > (slot[id] as number)) slot[id] = y;
            count[id] = c + 1;
            if (y < TITLE_SLOTS) titleHit[id] = 1;
          }
        }
      }
    });
    return found;
  }

  /** Clears the scratch marks of `ids` (never those of replaced papers). */
  private reset(ids: readonly number[]): void {
    for (const id of ids) {
      this.matched[id] = 0;
      this.slot[id] = 0;
      this.titleHit[id] = 0;
      this.lastWord[id] = 0;
    }
  }

  /**
   * Orders candidates: (when not every word matched) most words first; titles
   * before abstracts; among the first title matches, titles holding the query as
   * typed first; then every word in the title; then by slot. Reads and clears the
   * scratch marks. Only the best `want` (or ADJACENT_WINDOW) are sorted.
   */
  private rank(found: number[], plan: Plan, want: number, words: number | null): { hits: SearchHit[] } | { missing: Missing } {
    const { parsed } = plan;
    // Rank key: (words missing, tier, slot); tier 0 every word in the title, 1 some, 2 none.
    const keys = new Uint16Array(found.length);
    const histogram = new Uint32Array((MAX_WORDS + 1) * 3 * ALL_SLOTS);
    for (let i = 0; i < found.length; i++) {
      const id = found[i] as number;
      const slot = this.slot[id] as number;
      const tier = slot < TITLE_SLOTS ? 0 : this.titleHit[id] ? 1 : 2;
      const missing = words === null ? 0 : words - (this.matched[id] as number);
      const key = (missing * 3 + tier) * ALL_SLOTS + slot;
      keys[i] = key;
      histogram[key] = (histogram[key] as number) + 1;
    }
    this.reset(found);
    const compounds = parsed.compounds.map((c) => new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(c)}`, 'u'));
    const run = compounds.length > 0 ? null : runPattern(parsed.words);
    const checksRun = compounds.length > 0 || run !== null;
    const head = Math.min(found.length, checksRun ? Math.max(want, ADJACENT_WINDOW) : want);
    // The best `head` candidates: keys below the cut, and enough at the cut, in found order.
    let cut = 0;
    for (let total = 0; cut < histogram.length; cut++) {
      total += histogram[cut] as number;
      if (total >= head) break;
    }
    let room = head - histogram.slice(0, cut).reduce((n, c) => n + c, 0);
    const best: number[] = [];
    for (let i = 0; i < found.length && best.length < head; i++) {
      const key = keys[i] as number;
      if (key < cut) best.push(i);
      else if (key === cut && room > 0) {
        best.push(i);
        room--;
      }
    }
    const tierOf = (key: number) => Math.floor(key / ALL_SLOTS) % 3;
    const missing = this.missingPapers(best.map((i) => found[i] as number));
    if (missing.length > 0) return { missing };
    const adjacent = new Set<number>();
    if (checksRun) {
      for (const i of best) {
        if (tierOf(keys[i] as number) > 1) continue;
        const title = normalizeTerm(this.paper(found[i] as number).title);
        if (run ? run.test(title) : compounds.every((c) => c.test(title))) adjacent.add(i);
      }
    }
    const group = (i: number) => {
      const key = keys[i] as number;
      return Math.floor(key / (3 * ALL_SLOTS)) * 3 + (tierOf(key) > 1 ? 2 : adjacent.has(i) ? 0 : 1);
    };
    best.sort((a, b) => group(a) - group(b) || (keys[a] as number) - (keys[b] as number) || a - b);
    const hits = best.slice(0, want).map((i) => {
      const key = keys[i] as number;
      const paper = this.paper(found[i] as number);
      return {
        id: paper.id,
        title: paper.title,
        digestDate: paper.digestDate,
        score: -key,
        inTitle: tierOf(key) <= 1,
        terms: plan.allTerms,
        adjacent: adjacent.has(i),
      };
    });
    return { hits };
  }

  // --- papers ----------------------------------------------------------------------

  /** A paper to show (its paper shard loaded: see missingPapers). */
  private paper(n: number): { id: string; title: string; digestDate: string } {
    if (n >= this.meta.count) return this.runtime[n - this.meta.count] as SearchDoc;
    const line = this.papers.get(Math.floor(n / PAPERS_PER_SHARD))?.[n % PAPERS_PER_SHARD] ?? '';
    const [id = '', title = '', digestDate = ''] = line.split('\t');
    return { id, title, digestDate };
  }

  /** The number of a bundled paper by id (every paper shard loaded). */
  private bundledNumber(id: string): number | undefined {
    if (!this.bundledNumbers) {
      const numbers = new Map<string, number>();
      for (const [shard, lines] of this.papers) lines.forEach((line, i) => numbers.set(line.slice(0, line.indexOf('\t')), shard * PAPERS_PER_SHARD + i));
      this.bundledNumbers = numbers;
    }
    return this.bundledNumbers.get(id);
  }

  private grow(size: number): void {
    if (size <= this.matched.length) return;
    const grown = (from: Uint8Array) => {
      const to = new Uint8Array(Math.max(size, from.length * 2));
      to.set(from);
      return to;
    };
    this.matched = grown(this.matched);
    this.slot = grown(this.slot);
    this.titleHit = grown(this.titleHit);
    this.lastWord = grown(this.lastWord);
  }
}

/**
 * Queries that take each path of the search once (see `warm`), from two title
 * words of middling frequency: common enough to have postings, not so common
 * that a query over them costs much (the commonest are in a third of titles).
 */
export function warmUpQueries(terms: readonly string[], titleDf: readonly number[]): string[] {
  const words = terms
    .map((term, i) => [term, titleDf[i] ?? 0] as const)
    .filter(([term, df]) => df > 0 && /^[a-z]{6,}$/.test(term))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([term]) => term);
  const first = words[Math.min(WARM_UP_RANK, words.length - 1)];
  const second = words[Math.min(WARM_UP_RANK + 10, words.length - 1)];
  if (!first || !second || first === second) return [];
  const typo = first.slice(0, 2) + first.slice(3);
  return [first.slice(0, 1), first.slice(0, 3), first, `${first} ${second.slice(0, 2)}`, `${first} ${second.slice(0, 4)}`, typo.slice(0, 5), `${typo} ${second.slice(0, 3)}`, `${first}-${second.slice(0, 2)}`];
}

const EDIT_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Every string one deletion, swap of neighbours, substitution or insertion away from `word` (not `word` itself). */
export function oneEditAway(word: string): Set<string> {
  const chars = [...word];
  const alphabet = new Set([...EDIT_ALPHABET, ...chars]);
  const out = new Set<string>();
  const at = (i: number, j: number) => chars.slice(i, j).join('');
  for (let i = 0; i <= chars.length; i++) {
    const head = at(0, i);
    const tail = at(i, chars.length);
    if (i < chars.length) out.add(head + at(i + 1, chars.length));
    if (i + 1 < chars.length) out.add(head + (chars[i + 1] as string) + (chars[i] as string) + at(i + 2, chars.length));
    for (const c of alphabet) {
      if (i < chars.length) out.add(head + c + at(i + 1, chars.length));
      out.add(head + c + tail);
    }
  }
  out.delete(word);
  return out;
}

/** The plan for only some of its words. */
const only = (plan: Plan, keep: readonly number[]): Plan => {
  const pick = <T>(items: readonly T[]) => keep.map((i) => items[i] as T);
  const words = pick(plan.parsed.words);
  return { ...plan, parsed: { ...plan.parsed, words }, terms: pick(plan.terms), titleOnly: pick(plan.titleOnly) };
};

const dfOf = (slots: Slots | undefined): number => (slots ?? []).reduce((n, ids) => n + (ids?.length ?? 0), 0);
const partsSize = (parts: readonly Part[]): number => parts.reduce((n, part) => n + dfOf(part.slots), 0);

export interface TextSegment {
  text: string;
  mark: boolean;
}

const WORD = lazyRegExp(String.raw`[\p{L}\p{N}]+`, 'gu');

/**
 * Splits `text` into plain and highlighted segments: a word is highlighted when
 * it is one of the matched index terms or starts with a query word. Rendered as
 * text nodes and <mark> elements, never as HTML.
 */
export function highlight(text: string, terms: readonly string[], words: readonly string[] = []): TextSegment[] {
  const exact = new Set(terms.map(normalizeTerm));
  const prefixes = words.map(normalizeTerm).filter((w) => w.length > 0);
  const segments: TextSegment[] = [];
  let at = 0;
  const push = (piece: string, mark: boolean) => {
    if (!piece) return;
    const prev = segments[segments.length - 1];
    if (prev && prev.mark === mark) prev.text += piece;
    else segments.push({ text: piece, mark });
  };
  for (const match of text.matchAll(WORD())) {
    const word = normalizeTerm(match[0]);
    const start = match.index ?? 0;
    const hit = exact.has(word) || prefixes.some((p) => word.startsWith(p));
    if (!hit) continue;
    push(text.slice(at, start), false);
    push(match[0], true);
    at = start + match[0].length;
  }
  push(text.slice(at), false);
  return segments;
}
