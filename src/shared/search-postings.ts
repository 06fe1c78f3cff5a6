import { lazyRegExp } from './lazy-regexp';
/**
 * The search index as the extension packages it: written at build time by
 * src/shared/search-indexer.ts (from scripts/vite-digest-plugin.ts), read by the
 * popup through src/shared/search.ts.
 *
 * Two FlexSearch indexes, one over titles and one over abstracts, turn every
 * paper into postings: for each term, the papers holding it, grouped by
 * FlexSearch's score slot (where the term first stands in the text: slot 0 is
 * the first word). Titles get TITLE_SLOTS slots, abstracts ABSTRACT_SLOTS;
 * search.ts reads abstract slots after the title ones, so "earlier slot" also
 * means "title before abstract". Papers are numbered in digest order.
 *
 * Files under SEARCH_DIR, so that the popup reads what a query needs rather
 * than the whole index (158 MB as one MiniSearch file at 100k papers):
 * - META_PATH, read on opening: the sorted vocabulary, each term's document
 *   frequency per field, where each postings shard starts;
 * - titleShardPath(n), abstractShardPath(n): postings of neighbouring terms,
 *   each a FlexSearch export chunk (`[term, slots][]`);
 * - paperShardPath(n): PAPERS_PER_SHARD papers, one `id<TAB>title<TAB>date`
 *   line each.
 *
 * Shards are stored gzip-compressed (`.gz`; reading a file is slow, and these
 * compress 3-5×): the packager compresses them, a reader hands back their text.
 *
 * Pure: no DOM, no browser API.
 */
export const SEARCH_DIR = 'digest/search';
export const META_PATH = `${SEARCH_DIR}/meta.json`;
export const titleShardPath = (n: number): string => `${SEARCH_DIR}/t-${String(n).padStart(4, '0')}.json.gz`;
export const abstractShardPath = (n: number): string => `${SEARCH_DIR}/a-${String(n).padStart(4, '0')}.json.gz`;
export const paperShardPath = (n: number): string => `${SEARCH_DIR}/p-${String(n).padStart(4, '0')}.txt.gz`;
/** Whether a packaged file is stored gzip-compressed (its `source` from the indexer is still text). */
export const isCompressed = (path: string): boolean => path.endsWith('.gz');

/** Score slots per field. FlexSearch's default for a title is 3 (first word, then by position); 9 for text. */
export const TITLE_SLOTS = 3;
export const ABSTRACT_SLOTS = 9;
/**
 * A postings shard is cut once its JSON passes this size (a single large term
 * gets a shard of its own). Reading an extension file costs ~10-40 ms before
 * the first byte, then ~15 MB/s (Chromium on 2 shared cores): a query reads a
 * few small shards at once rather than large ones.
 */
export const SHARD_BYTES: Record<Field, number> = { title: 64_000, abstract: 64_000 };
/** Papers per paper shard: ~200 KB of titles. */
export const PAPERS_PER_SHARD = 2_000;

/** Papers by slot: `slots[y]` holds the paper numbers whose first occurrence of the term scores y. */
export type Slots = readonly (readonly number[] | null | undefined)[];
export type Postings = Map<string, Slots>;
export type Field = 'title' | 'abstract';

/** What META_PATH holds. */
export interface SearchMeta {
  version: string;
  /** Papers indexed; the postings number them 0..count-1. */
  count: number;
  /** Every term of either field, sorted, joined by newlines. */
  terms: string;
  /** Papers holding each term (parallel to terms), per field; 0 when the field lacks it. */
  titleDf: number[];
  abstractDf: number[];
  /** Index in terms of the first term of each shard, per field (ascending). */
  titleShards: number[];
  abstractShards: number[];
}

const ASCII = /^[\x00-\x7f]*$/;

/** Lower case, accents folded: `Écoute` and `ecoute` are one term. */
export function normalizeTerm(term: string): string {
  // ASCII needs no decomposition, and NFKD is the slow part.
  if (ASCII.test(term)) return term.toLowerCase();
  return term.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

const WORD = lazyRegExp(String.raw`[\p{L}\p{N}]+`, 'gu');

/** Words of a text as the index sees them: runs of letters and digits, normalised. */
export function wordsOf(text: string): string[] {
  return (text.match(WORD()) ?? []).map(normalizeTerm).filter((w) => w !== '');
}
