/**
 * The search index as the extension packages it (built at build time by
 * scripts/vite-digest-plugin.ts, read by the popup through src/shared/search.ts).
 *
 * Two FlexSearch indexes, one over titles and one over abstracts, turn every
 * paper into postings: for each term, the papers holding it, grouped by
 * FlexSearch's score slot (where the term first stands in the text: slot 0 is
 * the first word). Titles get TITLE_SLOTS slots, abstracts ABSTRACT_SLOTS;
 * search.ts reads abstract slots after the title ones, so "earlier slot" also
 * means "title before abstract".
 *
 * The postings are cut into shards of neighbouring terms (sorted), each a
 * FlexSearch export chunk (`[term, slots][]`), so the popup reads only the terms
 * a query needs instead of the whole index (158 MB as one MiniSearch file at
 * 100k papers). Loaded at once: META_PATH (the sorted vocabulary, document
 * frequencies, where each shard starts) and PAPERS_PATH (id, title and date of
 * every paper, one line each, in the order of the numbers the postings use).
 *
 * Pure: no DOM, no browser API.
 */
import { Index } from 'flexsearch';

export const SEARCH_DIR = 'digest/search';
export const META_PATH = `${SEARCH_DIR}/meta.json`;
export const PAPERS_PATH = `${SEARCH_DIR}/papers.txt`;
export const titleShardPath = (n: number): string => `${SEARCH_DIR}/t-${String(n).padStart(4, '0')}.json`;
export const abstractShardPath = (n: number): string => `${SEARCH_DIR}/a-${String(n).padStart(4, '0')}.json`;

/** Score slots per field. FlexSearch's default for a title is 3 (first word, then by position); 9 for text. */
export const TITLE_SLOTS = 3;
export const ABSTRACT_SLOTS = 9;
/** A shard is cut once its JSON passes this size (a single large term gets a shard of its own). */
export const SHARD_BYTES = 64_000;

/** Papers by slot: `slots[y]` holds the paper numbers whose first occurrence of the term scores y. */
export type Slots = readonly (readonly number[] | null | undefined)[];
export type Postings = Map<string, Slots>;

/** Lower case, accents folded: `Écoute` and `ecoute` are one term. */
export function normalizeTerm(term: string): string {
  // ASCII needs no decomposition, and NFKD is the slow part.
  if (ASCII.test(term)) return term.toLowerCase();
  return term.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

const ASCII = /^[\x00-\x7f]*$/;

const WORD = /[\p{L}\p{N}]+/gu;

/** Words of a text as the index sees them: runs of letters and digits, normalised. */
export function wordsOf(text: string): string[] {
  return (text.match(WORD) ?? []).map(normalizeTerm).filter((w) => w !== '');
}

export type Field = 'title' | 'abstract';

/** A FlexSearch index for one field, configured the same at build time and at run time (runtime papers). */
export function fieldIndex(field: Field): Index {
  return new Index({ tokenize: 'strict', resolution: field === 'title' ? TITLE_SLOTS : ABSTRACT_SLOTS, encode: wordsOf });
}

/** The postings of a FlexSearch index, through its own export (the chunks `import` would read back). */
export function postingsOf(index: Index): Postings {
  const postings: Postings = new Map();
  index.export((key: string, data: string) => {
    if (!key.endsWith('.map')) return;
    for (const [term, slots] of JSON.parse(data) as [string, Slots][]) postings.set(term, slots);
  });
  return postings;
}

/** What META_PATH holds. */
export interface SearchMeta {
  version: string;
  /** Papers in PAPERS_PATH; the postings number them 0..count-1. */
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

/** A paper as the packaged search index needs it. */
export interface IndexedPaper {
  id: string;
  title: string;
  abstract: string;
  digestDate: string;
}

const oneLine = (text: string) => text.replace(/[\t\r\n]+/g, ' ');

/** Splits one field's postings into shards of neighbouring terms. */
function shard(postings: Postings, terms: readonly string[], bytes: number): { files: string[]; starts: number[]; df: number[] } {
  const files: string[] = [];
  const starts: number[] = [];
  const df = new Array<number>(terms.length).fill(0);
  let chunk: string[] = [];
  let size = 0;
  terms.forEach((term, i) => {
    const slots = postings.get(term);
    if (!slots) return;
    const entry = JSON.stringify([term, slots]);
    if (chunk.length > 0 && size + entry.length > bytes) {
      files.push(`[${chunk.join(',')}]`);
      chunk = [];
      size = 0;
    }
    if (chunk.length === 0) starts.push(i);
    chunk.push(entry);
    size += entry.length + 1;
    df[i] = slots.reduce((n, ids) => n + (ids?.length ?? 0), 0);
  });
  if (chunk.length > 0) files.push(`[${chunk.join(',')}]`);
  return { files, starts, df };
}

/** Builds the packaged search index: every file under SEARCH_DIR, with its text. */
export function packageSearchIndex(papers: readonly IndexedPaper[], version: string, shardBytes = SHARD_BYTES): { path: string; source: string }[] {
  const titles = fieldIndex('title');
  const abstracts = fieldIndex('abstract');
  papers.forEach((paper, n) => {
    titles.add(n, paper.title);
    abstracts.add(n, paper.abstract);
  });
  const titlePostings = postingsOf(titles);
  const abstractPostings = postingsOf(abstracts);
  const terms = [...new Set([...titlePostings.keys(), ...abstractPostings.keys()])].sort();
  const t = shard(titlePostings, terms, shardBytes);
  const a = shard(abstractPostings, terms, shardBytes);
  const meta: SearchMeta = {
    version,
    count: papers.length,
    terms: terms.join('\n'),
    titleDf: t.df,
    abstractDf: a.df,
    titleShards: t.starts,
    abstractShards: a.starts,
  };
  return [
    { path: META_PATH, source: JSON.stringify(meta) },
    { path: PAPERS_PATH, source: papers.map((p) => `${oneLine(p.id)}\t${oneLine(p.title)}\t${oneLine(p.digestDate)}`).join('\n') },
    ...t.files.map((source, i) => ({ path: titleShardPath(i), source })),
    ...a.files.map((source, i) => ({ path: abstractShardPath(i), source })),
  ];
}
