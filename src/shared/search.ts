/**
 * Full-text search over the digest with MiniSearch. The index is built at build
 * time (scripts/vite-digest-plugin.ts) with SEARCH_INDEX_OPTIONS and packaged as
 * SEARCH_INDEX_PATH; the popup loads it with the same options and queries it
 * with `searchIndex`. Pure: no DOM, no browser API.
 */
import MiniSearch, { type Options, type SearchResult } from 'minisearch';

/** The packaged index (JSON of MiniSearch's serialised form plus the digest version). */
export const SEARCH_INDEX_PATH = 'digest/search.json';

export interface SearchDoc {
  id: string;
  title: string;
  abstract: string;
  digestDate: string;
}

/** Lower case, accents folded: `Écoute` and `ecoute` are one term. */
export function normalizeTerm(term: string): string {
  return term.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

export const SEARCH_INDEX_OPTIONS: Options<SearchDoc> = {
  idField: 'id',
  fields: ['title', 'abstract'],
  // Only what a result row shows: abstracts stay out, or the index doubles.
  storeFields: ['title', 'digestDate'],
  processTerm: (term) => normalizeTerm(term) || null,
};

export function buildSearchIndex(docs: readonly SearchDoc[]): MiniSearch<SearchDoc> {
  const index = new MiniSearch<SearchDoc>(SEARCH_INDEX_OPTIONS);
  index.addAll(docs);
  return index;
}

export interface PackagedSearchIndex {
  version: string;
  index: unknown;
}

export function loadSearchIndex(packaged: PackagedSearchIndex): MiniSearch<SearchDoc> {
  return MiniSearch.loadJS(packaged.index as Parameters<typeof MiniSearch.loadJS>[0], SEARCH_INDEX_OPTIONS);
}

export interface ParsedQuery {
  /** Every word of the query (quoted or not), for the index. */
  words: string[];
  /** Quoted phrases, normalised (see normalizePhrase); a result must contain each. */
  phrases: string[];
  /** Hyphenated words as typed (`in-cont`), lower case: titles spelling them so rank first. */
  compounds: string[];
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Words of a text as the index sees them (same split as MiniSearch's default tokenizer, then normalised). */
export function wordsOf(text: string): string[] {
  return (text.match(WORD) ?? []).map(normalizeTerm).filter((w) => w !== '');
}

/** A phrase or text reduced to its words separated by single spaces, for containment tests. */
export function normalizePhrase(text: string): string {
  return wordsOf(text).join(' ');
}

export function parseQuery(query: string): ParsedQuery {
  const phrases: string[] = [];
  for (const match of query.matchAll(/"([^"]*)"/g)) {
    const phrase = normalizePhrase(match[1] ?? '');
    if (phrase) phrases.push(phrase);
  }
  const compounds = (query.match(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)+-?/gu) ?? []).map(normalizeTerm);
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
  score: number;
  /** Whether the title matched a query term (title matches rank first). */
  inTitle: boolean;
  /** Index terms that matched (after prefix and typo expansion), for highlighting. */
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

export const MAX_RESULTS = 30;

/** Typo tolerance: none for short words (too many neighbours), one edit from 4 letters, two from 9. */
const fuzzy = (term: string): number => (term.length < 4 ? 0 : term.length < 9 ? 1 : 2);

export function searchIndex(index: MiniSearch<SearchDoc>, parsed: ParsedQuery, limit = MAX_RESULTS): SearchHit[] {
  if (parsed.words.length === 0) return [];
  const quoted = new Set(parsed.phrases.flatMap((p) => p.split(' ')));
  const last = parsed.words.length - 1;
  const run = (combineWith: 'AND' | 'OR'): SearchResult[] =>
    index.search(parsed.words.join(' '), {
      combineWith,
      boost: { title: 3 },
      // Quoted words match exactly; the others by prefix (as you type) and with typos.
      prefix: (term, i) => !quoted.has(term) && (i === last || term.length >= 3),
      fuzzy: (term) => (quoted.has(term) ? false : fuzzy(term)),
      maxFuzzy: 2,
      // One query word that is a prefix of many terms must not drown the rest.
      weights: { fuzzy: 0.45, prefix: 0.6 },
    });
  let results = run('AND');
  if (results.length === 0 && parsed.words.length > 1 && parsed.phrases.length === 0) results = run('OR');
  const compounds = parsed.compounds.map((c) => new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(c)}`, 'u'));
  const hits = results.map((r) => ({
    id: String(r.id),
    title: String(r.title ?? ''),
    digestDate: String(r.digestDate ?? ''),
    score: r.score,
    inTitle: Object.values(r.match).some((fields) => fields.includes('title')),
    terms: r.terms,
    adjacent:
      parsed.compounds.length > 0
        ? compounds.every((c) => c.test(normalizeTerm(String(r.title ?? ''))))
        : hasRun(String(r.title ?? ''), parsed.words),
  }));
  // Title matches first; among them, titles holding the query as typed; then by score.
  hits.sort((a, b) => Number(b.inTitle) - Number(a.inTitle) || Number(b.adjacent) - Number(a.adjacent) || b.score - a.score);
  return hits.slice(0, Math.max(limit, 0) || hits.length);
}

export interface TextSegment {
  text: string;
  mark: boolean;
}

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
  for (const match of text.matchAll(WORD)) {
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
