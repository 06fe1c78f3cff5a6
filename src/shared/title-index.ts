/**
 * The title index: which word sequences name which paper, and how a page's text
 * is probed against them without the page ever seeing the title list.
 *
 * Every paper contributes match keys (normalizeTitle output, spelling-folded by
 * spelling.ts, words joined by one space): its full title, and its main title
 * without the subtitle when that main title is distinctive on its own. A key is filed under its *signature*, a hash
 * of its first three words (fewer for shorter keys). The background keeps the
 * set of signatures in memory as a prefilter; at each word of a candidate text it
 * hashes the next one, two and three words, and only a signature hit costs a
 * bucket read and a word-by-word comparison. Lookup cost therefore follows the
 * length of the text, not the size of the digest (DESIGN.md §5).
 *
 * Pure and shared: the build files the keys, the worker scans with them.
 */
import { cyrb53 } from './hash';
import { foldWords } from './spelling';
import { lazyRegExp } from './lazy-regexp';

/** Bump when the key entries or signatures change: the worker then reloads the digest. */
export const TITLE_INDEX_FORMAT = 7;

/** Words hashed into a signature. Three make prose hits rare ("on the" alone is everywhere). */
export const SIGNATURE_WORDS = 3;

/** What a key covers: the whole title, or the main title alone (its subtitle dropped). */
export const KEY_FULL = 0;
export const KEY_MAIN = 1;
export type KeyKind = typeof KEY_FULL | typeof KEY_MAIN;

/**
 * One match key of a paper: the key, the paper, its title for display, what the
 * key covers, whether the key is distinctive enough to trust in running prose,
 * and its signature (stored so neither the load nor a scan recomputes it).
 */
export type KeyEntry = [key: string, id: string, title: string, kind: KeyKind, distinctive: 0 | 1, signature: number, skip?: 1];

/**
 * Keys of enough words that carry meaning are also found with one mistyped
 * word (`Symbolic Dicovery of Optimization Algorithms`, `Network` for
 * `Networks`): see title-scanner.ts. The match keeps the key's trust: a generic
 * title still needs its context to stand as a title. A slip in the second or
 * third word would change the signature, so such a key is filed a second time
 * (`skip` 1) under a *skip signature*: its first word with its fourth and fifth
 * (skipSignature), which a probe finds at the title's start, also when a
 * compound written closed or open moved those words by one. Anchored on the
 * first word, it is as selective as an opening; a run of middle words
 * (`neural networks`) is not, and made 100k-paper scans ten times slower.
 */
const TYPO_MIN_WORDS = 5;
const TYPO_MIN_CONTENT_WORDS = 4;
/** Where the skip signature's later words start, past the first word: 3 in the key, 2-4 in a page (a compound moves them). */
export const SKIP_FROM = 3;
export const SKIP_SHIFTS = [SKIP_FROM, SKIP_FROM - 1, SKIP_FROM + 1] as const;

/** Whether a key may be matched with one mistyped word: five words or more, four of them content words. */
export function toleratesTypo(key: string): boolean {
  const words = key.split(' ');
  return words.length >= TYPO_MIN_WORDS && words.filter((word) => !FUNCTION_WORDS.has(word)).length >= TYPO_MIN_CONTENT_WORDS;
}

/**
 * Words that carry no topic. A title made mostly of them ("Sliding Windows Are
 * Not the End") is less distinctive than its length suggests.
 */
const FUNCTION_WORDS = new Set(
  'a an the of for in on with to and or via by from under at is are as not vs do does can its into over without towards toward through between using we all you be it what how why when which this that their our'.split(
    ' ',
  ),
);

/** A key needs this many words, this many of them content words, to be trusted in prose. */
const DISTINCTIVE_WORDS = 6;
const DISTINCTIVE_CONTENT_WORDS = 4;
/** With a coined token (`CodeGen2`, `LLMs`, `NOTEARS`), three words are enough. */
const COINED_DISTINCTIVE_WORDS = 3;

/**
 * A coined token is one no dictionary has: letters mixed with digits (`N2N`,
 * `E^2`), a capital after a lower-case letter (`CodeGen`, `LeTFuser`), or an
 * acronym of two or more capitals (`LLM`, `CODA`). Judged on the title as written,
 * so an all-caps title has none.
 */
const HAS_LETTER = lazyRegExp(String.raw`\p{L}`, 'u');
const HAS_DIGIT = lazyRegExp(String.raw`\p{N}`, 'u');
const HAS_LOWER = lazyRegExp(String.raw`\p{Ll}`, 'u');
const LOWER_THEN_UPPER = lazyRegExp(String.raw`\p{Ll}\p{Lu}`, 'u');
const TWO_CAPITALS = lazyRegExp(String.raw`\p{Lu}.*\p{Lu}`, 'u');
export function hasCoinedToken(title: string): boolean {
  if (title === title.toUpperCase()) return false;
  for (const piece of title.split(/[\s\-–—:/]+/)) {
    if (HAS_LETTER().test(piece) && HAS_DIGIT().test(piece)) return true;
    if (LOWER_THEN_UPPER().test(piece)) return true;
    if (TWO_CAPITALS().test(piece)) return true;
  }
  return false;
}

/**
 * Whether a key, as written in `asWritten`, names a paper even inside running
 * prose. Generic titles (`Pointer Networks`, `Continual Learning in Neural
 * Networks`, `Deep Model Assembling`) are ordinary phrases: only their context
 * (a link, a heading, a reference entry) can make them a title.
 */
export function isDistinctive(key: string, asWritten: string): boolean {
  const words = key.split(' ');
  const content = words.filter((word) => !FUNCTION_WORDS.has(word)).length;
  if (words.length >= DISTINCTIVE_WORDS && content >= DISTINCTIVE_CONTENT_WORDS) return true;
  return words.length >= COINED_DISTINCTIVE_WORDS && hasCoinedToken(asWritten);
}

/** Ordinary words, no name: some lower case (not `E^2-LLM`), no coined token (not `CODA-Prompt`). */
const isPlainWords = (text: string): boolean => HAS_LOWER().test(text) && !hasCoinedToken(text);

/**
 * Separators between a main title and its subtitle: a colon, a spaced dash
 * (` - `, ` -- `, ` — `), or a question mark followed by more words.
 */
const SUBTITLE_SEPARATOR = /:\s|\s[-–—]{1,2}\s|\?\s+(?=\S)/u;

/** The main title as written (before the first subtitle separator), or null when there is none. */
export function mainTitleOf(title: string): string | null {
  const match = SUBTITLE_SEPARATOR.exec(title);
  if (!match || match.index === 0) return null;
  return title.slice(0, match.index).trim() || null;
}

/**
 * The match keys of one paper: its full title, and its main title alone. A
 * distinctive main title names the paper wherever it stands as a title. A
 * short or generic one (`Order Matters`, `Learning to Relax`) is an ordinary
 * phrase: its alias is kept weak (`distinctive` 0), trusted only where the
 * page plainly names a paper with it (title-context.ts: quoted, `the … paper`,
 * a citation after it). One that is not distinctive and is not plain words
 * (`CODA-Prompt`, `E^2-LLM`, `SLCA`) is the method's name: no alias.
 */
export function keyEntriesOf(paper: { id: string; title: string; key: string }, normalize: (text: string) => string): KeyEntry[] {
  // Keys are matched on spelling-folded words (spelling.ts), as page words are.
  const fullKey = foldWords(paper.key);
  const entries: KeyEntry[] = [[fullKey, paper.id, paper.title, KEY_FULL, isDistinctive(fullKey, paper.title) ? 1 : 0, signatureOfKey(fullKey)]];
  const main = mainTitleOf(paper.title);
  if (main !== null) {
    const mainKey = foldWords(normalize(main));
    if (mainKey !== '' && mainKey !== fullKey) {
      if (isDistinctive(mainKey, main)) entries.push([mainKey, paper.id, paper.title, KEY_MAIN, 1, signatureOfKey(mainKey)]);
      else if (mainKey.includes(' ') && isPlainWords(main)) entries.push([mainKey, paper.id, paper.title, KEY_MAIN, 0, signatureOfKey(mainKey)]);
    }
  }
  // The same keys under a later signature, for a mistyped word among the first ones.
  for (const entry of [...entries]) {
    if (toleratesTypo(entry[0])) {
      const hashes = entry[0].split(' ').map(wordHash);
      entries.push([entry[0], entry[1], entry[2], entry[3], entry[4], skipSignature(hashes, 0, SKIP_FROM), 1]);
    }
  }
  return entries;
}

/**
 * Drops aliases that would be ambiguous: a main title shared by two papers, or
 * equal to another paper's full title, names neither for sure.
 */
export function dropAmbiguousAliases(entries: KeyEntry[]): KeyEntry[] {
  const fullKeys = new Set<string>();
  const aliasOwners = new Map<string, Set<string>>();
  for (const [key, id, , kind] of entries) {
    if (kind === KEY_FULL) fullKeys.add(key);
    else {
      const owners = aliasOwners.get(key) ?? new Set<string>();
      owners.add(id);
      aliasOwners.set(key, owners);
    }
  }
  return entries.filter(
    ([key, , , kind]) => kind === KEY_FULL || (!fullKeys.has(key) && (aliasOwners.get(key)?.size ?? 0) === 1),
  );
}

/** A 32-bit hash of one normalised word. */
export function wordHash(word: string): number {
  return cyrb53(word) % 4294967296;
}

/** Folds word hashes into a signature; the same fold runs at build time and at scan time. */
export function foldSignature(hashes: readonly number[], start: number, count: number): number {
  let h = 0x811c9dc5 ^ count;
  for (let i = start; i < start + count; i++) h = mixIn(h, hashes[i] as number);
  return finishSignature(h);
}

/** One word hash into a signature being folded (foldSignature, skipSignature). */
function mixIn(h: number, hash: number): number {
  const mixed = Math.imul(h ^ hash, 0x01000193);
  return mixed ^ (mixed >>> 15);
}

function finishSignature(h: number): number {
  const mixed = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return (mixed ^ (mixed >>> 13)) >>> 0;
}

/** The signature a key is filed under: its first SIGNATURE_WORDS words. */
export function signatureOfKey(key: string): number {
  const words = key.split(' ');
  const count = Math.min(SIGNATURE_WORDS, words.length);
  return foldSignature(words.slice(0, count).map(wordHash), 0, count);
}

/** Word `start` with words `start + shift` and the one after it, folded apart from foldSignature's runs (toleratesTypo). */
export function skipSignature(hashes: readonly number[], start: number, shift: number): number {
  const h = mixIn(mixIn(mixIn(0x9e3779b9, hashes[start] as number), hashes[start + shift] as number), hashes[start + shift + 1] as number);
  return finishSignature(h);
}

export function keyBucketOfSignature(signature: number, bucketCount: number): number {
  return signature % bucketCount;
}
