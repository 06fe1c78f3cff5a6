/**
 * Finds digest titles inside candidate texts (already normalised into words by
 * the page). Two steps so the caller can batch its storage reads:
 *
 * 1. `probeSignatures`: at each word, hash the next one, two and three words and
 *    keep the positions whose hash is in the signature prefilter (in memory).
 * 2. `matchProbes`: for those positions only, compare the words with the keys of
 *    the fetched buckets, longest match first, and return non-overlapping hits.
 *
 * Tolerated on top of normalisation: a word hyphenated across a line break
 * (tried joined), and a title cut off with an ellipsis after enough words.
 */
import { foldWord } from './spelling';
import { KEY_FULL, SIGNATURE_WORDS, mainTitleOf, SKIP_SHIFTS, foldSignature, skipSignature, toleratesTypo, wordHash, type KeyEntry } from './title-index';
import { lazyRegExp } from './lazy-regexp';

/** One candidate text as the page sends it. */
export interface ScanUnit {
  /** Normalised words joined by single spaces (tokenize().words). */
  text: string;
  /** Word indices i where words i and i+1 may be one hyphenated word. */
  joins?: number[];
  /** Word indices i followed by an ellipsis. */
  cuts?: number[];
}

export type HitKind = 'full' | 'main' | 'truncated';

export interface ScanHit {
  unit: number;
  /** Word range [start, end) in the unit's words. */
  start: number;
  end: number;
  id: string;
  title: string;
  kind: HitKind;
  /** Whether the matched key names the paper even in running prose (title-index.ts). */
  distinctive: boolean;
}

export interface MatchOptions {
  /**
   * Also take a full title of GLUED_MIN_WORDS words or more whose last word runs
   * on into the next without a space (`… linear modelsarxiv org`): rendered text
   * (innerText) has no space where a margin sets a label beside a link apart.
   * Only for the coarse look: the exact read, which reads margins as spaces,
   * decides.
   */
  gluedEnds?: boolean;
}

/**
 * Words a full title needs to be taken glued to the next word: more than its
 * signature's, which is hashed from its opening words whole (a glued last word
 * among them would hash differently), and enough not to be another word's start.
 */
const GLUED_MIN_WORDS = SIGNATURE_WORDS + 1;

/** A truncated title must keep at least this many words before its ellipsis. */
export const MIN_TRUNCATED_WORDS = 5;
/**
 * Or this many, when they go two words past its main title: a sidebar cut at
 * 60 characters, `Stationary Representations: Optimally Approximating…`.
 */
const MIN_TRUNCATED_WORDS_INTO_SUBTITLE = 4;

const NOT_LETTER_OR_DIGIT = lazyRegExp(String.raw`[^\p{L}\p{N}]+`, 'u');

/** Whether `matched` words of a title reach two words into its subtitle (counted roughly: more words, never fewer). */
function reachesIntoSubtitle(title: string, matched: number): boolean {
  const main = mainTitleOf(title);
  if (main === null) return false;
  const mainWords = main.split(NOT_LETTER_OR_DIGIT()).filter((word) => word !== '').length;
  return matched >= mainWords + 2;
}

/** The words of one unit as matched: plain, or with hyphenated pairs joined. */
interface WordView {
  unit: number;
  words: string[];
  /** The words joined by single spaces, and where each word starts in it. */
  text: string;
  charStarts: number[];
  /** For each view word, the original word range it covers. */
  from: number[];
  to: number[];
  cuts: Set<number>;
  hashes: number[];
}

export interface Probe {
  view: WordView;
  position: number;
  signature: number;
  /** A skip signature's probe (a title with a slip in its second or third word). */
  skip?: true;
}

/**
 * Skip probes still worth a lookup once `hits` are known: those not at a word a
 * hit already covers. Most skip signatures that hit are the found titles' own.
 */
export function skipProbesLeft(probes: readonly Probe[], hits: readonly ScanHit[]): Probe[] {
  // By text, so a request full of titles costs linear time, as matchProbes does.
  const hitsByUnit = new Map<number, ScanHit[]>();
  for (const hit of hits) hitsByUnit.set(hit.unit, [...(hitsByUnit.get(hit.unit) ?? []), hit]);
  return probes.filter((probe) => {
    if (probe.skip !== true) return false;
    const word = probe.view.from[probe.position] as number;
    return !(hitsByUnit.get(probe.view.unit) ?? []).some((hit) => hit.start <= word && word < hit.end);
  });
}

function viewsOf(unit: ScanUnit, index: number): WordView[] {
  const words = unit.text === '' ? [] : unit.text.split(' ');
  const identity = words.map((_, i) => i);
  const plain: WordView = {
    unit: index,
    words,
    text: '',
    charStarts: [],
    from: identity,
    to: identity.map((i) => i + 1),
    cuts: new Set(unit.cuts ?? []),
    hashes: [],
  };
  const joins = new Set((unit.joins ?? []).filter((i) => i >= 0 && i + 1 < words.length));
  if (joins.size === 0) return [withText(plain)];
  // The joined reading: every hyphenated pair becomes one word (`contin` + `ual`).
  const joined: WordView = { unit: index, words: [], text: '', charStarts: [], from: [], to: [], cuts: new Set(), hashes: [] };
  for (let i = 0; i < words.length; i++) {
    const pair = joins.has(i);
    // A word split at a line break folds as the whole word (`optimi-` + `sation`).
    joined.words.push(pair ? foldWord(`${words[i]}${words[i + 1]}`) : (words[i] as string));
    joined.from.push(i);
    const last = pair ? i + 1 : i;
    joined.to.push(last + 1);
    if (plain.cuts.has(last)) joined.cuts.add(joined.words.length - 1);
    if (pair) i++;
  }
  return [withText(plain), withText(joined)];
}

function withText(view: WordView): WordView {
  view.text = view.words.join(' ');
  let at = 0;
  view.charStarts = view.words.map((word) => {
    const start = at;
    at += word.length + 1;
    return start;
  });
  return view;
}

/** Positions whose next 1-3 words have a signature in the prefilter. */
export function probeSignatures(units: readonly ScanUnit[], prefilter: Pick<ReadonlySet<number>, 'has'>): Probe[] {
  const probes: Probe[] = [];
  units.forEach((unit, index) => {
    for (const view of viewsOf(unit, index)) {
      view.hashes = view.words.map(wordHash);
      for (let position = 0; position < view.words.length; position++) {
        const longest = Math.min(SIGNATURE_WORDS, view.words.length - position);
        for (let count = 1; count <= longest; count++) {
          const signature = foldSignature(view.hashes, position, count);
          if (prefilter.has(signature)) probes.push({ view, position, signature });
        }
        // A title with a slip in its second or third word (toleratesTypo).
        for (const shift of SKIP_SHIFTS) {
          if (position + shift + 1 >= view.words.length) continue;
          const signature = skipSignature(view.hashes, position, shift);
          if (prefilter.has(signature)) probes.push({ view, position, signature, skip: true });
        }
      }
    }
  });
  return probes;
}

interface Candidate {
  view: WordView;
  start: number;
  /** End in view words, exclusive. */
  end: number;
  entry: KeyEntry;
  truncated: boolean;
  /** Matched with one mistyped word (compareWithSlip). */
  slip?: boolean;
  /** Its last word runs into the next (MatchOptions.gluedEnds). */
  glued?: boolean;
}

/**
 * Compares a key with the view's text at word `start` without splitting it: the
 * common case (a whole title, no ellipsis) is one startsWith. Only texts with an
 * ellipsis take the word-by-word path that recognises cut-off titles.
 */
function compareFast(view: WordView, start: number, entry: KeyEntry, keyWords: () => readonly string[], gluedEnds = false): Candidate | null {
  const key = entry[0];
  const at = view.charStarts[start] as number;
  const end = at + key.length;
  if (view.text.startsWith(key, at)) {
    const wordEnds = end === view.text.length || view.text.charCodeAt(end) === 32;
    let words = 1;
    for (let i = key.indexOf(' '); i >= 0; i = key.indexOf(' ', i + 1)) words++;
    const glued = !wordEnds && gluedEnds && entry[3] === KEY_FULL && words >= GLUED_MIN_WORDS;
    if (wordEnds || glued) {
      let cutInside = false;
      for (const cut of view.cuts) if (cut >= start && cut < start + words - 1) cutInside = true;
      if (!cutInside) return { view, start, end: start + words, entry, truncated: false, glued };
    }
  }
  return view.cuts.size > 0 ? compare(view, start, entry, keyWords()) : null;
}

/** Compares a key with the view's words at `start`, word by word; returns the candidate or null. */
function compare(view: WordView, start: number, entry: KeyEntry, keyWords: readonly string[]): Candidate | null {
  const { words } = view;
  let matched = 0;
  while (matched < keyWords.length && start + matched < words.length && words[start + matched] === keyWords[matched]) {
    if (matched > 0 && view.cuts.has(start + matched - 1)) break; // an ellipsis ends the title as written
    matched++;
  }
  if (matched === keyWords.length) return { view, start, end: start + matched, entry, truncated: false };
  if (matched < MIN_TRUNCATED_WORDS && !(matched >= MIN_TRUNCATED_WORDS_INTO_SUBTITLE && reachesIntoSubtitle(entry[2], matched))) return null;
  const next = start + matched;
  // Cut off right after a whole word: `... Investigations with…`
  if (view.cuts.has(next - 1)) return { view, start, end: next, entry, truncated: true };
  // Cut off inside a word: `... Investigations with lin…`
  const partial = words[next];
  const expected = keyWords[matched];
  if (partial !== undefined && expected !== undefined && view.cuts.has(next) && expected.startsWith(partial)) {
    return { view, start, end: next + 1, entry, truncated: true };
  }
  return null;
}

/** A mistyped word is at least this long as the key spells it (shorter words are too easily another word). */
const TYPO_MIN_LETTERS = 5;

const VOWELS = 'aeiouy';

/**
 * Whether `written` is `word` with one typing slip: a letter added, dropped,
 * a vowel changed for another, or two neighbours swapped. Letters only (a digit
 * is a version: `Llama2` is not `Llama3`), same first letter, `word` long enough.
 */
export function isOneSlip(written: string, word: string): boolean {
  if (word.length < TYPO_MIN_LETTERS || written[0] !== word[0] || /\d/.test(written) || /\d/.test(word)) return false;
  const lengthGap = written.length - word.length;
  if (lengthGap > 1 || lengthGap < -1) return false;
  let i = 0;
  while (i < written.length && i < word.length && written[i] === word[i]) i++;
  if (i === written.length && i === word.length) return false; // the same word
  if (lengthGap === 0) {
    // A vowel for a vowel (`Dependancy`), the misspelling people make; another
    // consonant too often makes another word (`Probable` for `Provable`).
    if (VOWELS.includes(written[i] as string) && VOWELS.includes(word[i] as string) && written.slice(i + 1) === word.slice(i + 1)) return true;
    // Swapped with the next letter (`Dicsovery`).
    return written[i] === word[i + 1] && written[i + 1] === word[i] && written.slice(i + 2) === word.slice(i + 2);
  }
  // Added (`Disscovery`) or dropped (`Dicovery`).
  return lengthGap > 0 ? written.slice(i + 1) === word.slice(i) : written.slice(i) === word.slice(i + 1);
}

/**
 * Compares a key of five words or more (toleratesTypo) with the view's words at
 * `start`, forgiving one difference and nothing else: one word with one slip
 * (isOneSlip), or one compound written closed or open (`Lightweight` for
 * `Light-weight`, or the reverse). A title cut off with an ellipsis after
 * enough words is read as compare() reads it.
 */
function compareWithSlip(view: WordView, start: number, entry: KeyEntry, keyWords: readonly string[]): Candidate | null {
  const { words } = view;
  if (start < 0) return null;
  let key = 0;
  let at = start;
  let slipped = false;
  const cutHere = (end: number): Candidate | null => (slipped && key >= MIN_TRUNCATED_WORDS ? { view, start, end, entry, truncated: true, slip: true } : null);
  while (key < keyWords.length) {
    // An ellipsis after the word before: the title as written ends there.
    if (at > start && view.cuts.has(at - 1)) return cutHere(at);
    const written = words[at];
    const expected = keyWords[key] as string;
    if (written === undefined) return null;
    if (written === expected) {
      key++;
      at++;
      continue;
    }
    // Cut off inside a word (`Transformer-Ba…`).
    if (view.cuts.has(at) && expected.startsWith(written)) return cutHere(at + 1);
    if (slipped) return null;
    slipped = true;
    if (isOneSlip(written, expected)) {
      key++;
      at++;
    } else if (written === expected + (keyWords[key + 1] ?? '\0')) {
      key += 2;
      at++;
    } else if (expected === written + (words[at + 1] ?? '\0') && !view.cuts.has(at)) {
      key++;
      at += 2;
    } else return null;
  }
  return slipped ? { view, start, end: at, entry, truncated: false, slip: true } : null;
}

/**
 * Whether the view's text at word `start` could be `key` with one edit (a
 * character changed, added, dropped, or two swapped; a space counts, which is
 * how a compound is written closed or open), ending on a word boundary. A
 * cheap test on characters, without splitting the key, that lets most keys of
 * a crowded opening skip compareWithSlip; a view with an ellipsis (a title cut
 * off) always goes on to it.
 */
function oneEditAway(view: WordView, start: number, key: string): boolean {
  if (view.cuts.size > 0) return true;
  const { text } = view;
  const at = view.charStarts[start];
  if (at === undefined) return false;
  const n = key.length;
  let k = 0;
  while (k < n && at + k < text.length && text.charCodeAt(at + k) === key.charCodeAt(k)) k++;
  if (k === n) return false;
  const endsAt = (end: number) => end === text.length || text.charCodeAt(end) === 32;
  const rest = key.slice(k + 1);
  if (endsAt(at + n) && text.startsWith(rest, at + k + 1)) return true; // changed
  if (endsAt(at + n - 1) && text.startsWith(rest, at + k)) return true; // dropped
  if (endsAt(at + n + 1) && text.startsWith(key.slice(k), at + k + 1)) return true; // added
  return endsAt(at + n) && text.charCodeAt(at + k) === key.charCodeAt(k + 1) && text.charCodeAt(at + k + 1) === key.charCodeAt(k) && text.startsWith(key.slice(k + 2), at + k + 2); // swapped
}

/**
 * Matches probes against the keys of their buckets and returns the hits, longest
 * first and never overlapping. A truncated prefix shared by two papers names
 * neither, and is dropped.
 */
export function matchProbes(probes: readonly Probe[], entriesFor: (signature: number) => readonly KeyEntry[], options: MatchOptions = {}): ScanHit[] {
  const splitKeys = new Map<string, string[]>();
  const wordsOf = (key: string): string[] => {
    let words = splitKeys.get(key);
    if (!words) {
      words = key.split(' ');
      splitKeys.set(key, words);
    }
    return words;
  };
  const tolerant = new Map<string, boolean>();
  const tolerates = (key: string): boolean => {
    let answer = tolerant.get(key);
    if (answer === undefined) tolerant.set(key, (answer = toleratesTypo(key)));
    return answer;
  };
  // A skip entry was filed only for a key that tolerates a slip; the cheap character test goes first.
  const withSlip = (probe: Probe, entry: KeyEntry): Candidate | null =>
    oneEditAway(probe.view, probe.position, entry[0]) && (entry[6] === 1 || tolerates(entry[0]))
      ? compareWithSlip(probe.view, probe.position, entry, wordsOf(entry[0]))
      : null;
  const candidates: Candidate[] = [];
  for (const probe of probes) {
    for (const entry of entriesFor(probe.signature)) {
      // A bucket holds many openings: compare only keys filed under this probe's signature.
      if (entry[5] !== probe.signature) continue;
      // Filed under its skip signature: only a slip in the second or third word is left to find.
      const candidate = entry[6] === 1 ? withSlip(probe, entry) : (compareFast(probe.view, probe.position, entry, () => wordsOf(entry[0]), options.gluedEnds) ?? withSlip(probe, entry));
      if (candidate) candidates.push(candidate);
    }
  }
  // Longest first (in original words), complete titles before truncated ones.
  const span = (c: Candidate) => (c.view.to[c.end - 1] as number) - (c.view.from[c.start] as number);
  // At equal span a full title beats another paper's main-title alias (an imported
  // paper whose title is a bundled paper's main title names the imported paper).
  // A title spelt exactly beats one read with a slip, or one whose last word runs on
  // (`… neural networks` is not the `… neural network` glued to an `s`).
  const inexact = (c: Candidate) => Number(c.slip === true || c.glued === true);
  candidates.sort((a, b) => span(b) - span(a) || Number(a.truncated) - Number(b.truncated) || inexact(a) - inexact(b) || a.entry[3] - b.entry[3]);
  const taken: ScanHit[] = [];
  // Overlap checks stay within one text, and rivals are found by place, so a
  // hostile request full of titles costs linear time, not quadratic.
  const takenByUnit = new Map<number, ScanHit[]>();
  const truncatedByPlace = new Map<string, Set<string>>();
  for (const candidate of candidates) {
    if (!candidate.truncated) continue;
    const key = `${candidate.view.unit}:${candidate.view.from[candidate.start]}:${candidate.view.to[candidate.end - 1]}`;
    const ids = truncatedByPlace.get(key) ?? new Set<string>();
    ids.add(candidate.entry[1]);
    truncatedByPlace.set(key, ids);
  }
  for (const candidate of candidates) {
    const unit = candidate.view.unit;
    const start = candidate.view.from[candidate.start] as number;
    const end = candidate.view.to[candidate.end - 1] as number;
    const [, id, title, kind, distinctive] = candidate.entry;
    // A cut-off title that two papers share names neither.
    if (candidate.truncated && (truncatedByPlace.get(`${unit}:${start}:${end}`)?.size ?? 0) > 1) continue;
    const inUnit = takenByUnit.get(unit) ?? [];
    if (inUnit.some((hit) => hit.start < end && start < hit.end)) continue;
    const hit: ScanHit = {
      unit,
      start,
      end,
      id,
      title,
      kind: candidate.truncated ? 'truncated' : kind === KEY_FULL ? 'full' : 'main',
      // A cut-off title is judged on what is left of it: only its context can vouch for it.
      distinctive: distinctive === 1 && !candidate.truncated,
    };
    inUnit.push(hit);
    takenByUnit.set(unit, inUnit);
    taken.push(hit);
  }
  return taken.sort((a, b) => a.unit - b.unit || a.start - b.start);
}
