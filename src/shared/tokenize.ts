/**
 * Splits page text into match words with their positions, so a match found on
 * words can be marked on the exact characters. Each word is what normalizeTitle
 * makes of its piece of text, spelling-folded (spelling.ts), so `words.join(' ')`
 * of a title as written equals that title's match key.
 *
 * The content script runs this on every candidate text of a page, so the common
 * case (plain ASCII) is one character loop with no regular expression per word.
 */
import { normalizeTitle } from './normalize';
import { foldWord } from './spelling';
import { lazyRegExp } from './lazy-regexp';

export interface Tokens {
  /** Normalised words (lower case, no punctuation, digits kept). */
  words: string[];
  /** Offsets into the text: word i comes from text.slice(starts[i], ends[i]). */
  starts: number[];
  ends: number[];
  /**
   * Words hyphenated across a line break (`contin-\nual`, `Ex- amples`): word i
   * and word i+1 may be one word. The matcher tries them both ways.
   */
  joins: number[];
  /** Words followed by an ellipsis: a title may be cut off after word i. */
  cuts: number[];
}

/**
 * Letters join across these inside a word: `NEVIS'22`, `E^2`, `E$^2$`, `don't`,
 * and BibTeX's braces that keep a word's capitals (`{P}rompt`, `{CO}ntinual`,
 * `{NEVIS}'22`).
 */
const WORD_JOINERS = "'`^$\u2018\u2019\u02BC\u00B4{}";
// Spaces before the newline exclude it: `\s*\n\s*` could split a run of newlines many ways.
const LINE_BREAK_HYPHEN = /^[-\u2010\u2011][^\S\n]*\n\s*$/;
const SPACED_HYPHEN = /^[-\u2010\u2011] $/;
const ELLIPSIS = /\.\.\.|\u2026/;
/** Google Scholar's BibTeX writes a superscript `E^2` as `E\^{} 2`: the digit after it may belong to the word. */
const EMPTY_CARET = /^\^\{\}\s?$/;
const PRINTABLE_ASCII = /^[\x20-\x7e\t\n\r]*$/;
/** A raw token outside ASCII: letters, digits, marks and in-word joiners (plus TeX when present). */
const UNICODE_TOKEN = lazyRegExp("[\\p{L}\\p{N}\\p{M}'`^$\\u2018\\u2019\\u02BC\\u00B4\\u00AD\\u200B-\\u200D\\u2060\\uFEFF]+", 'gu');
const UNICODE_TEX_TOKEN = lazyRegExp("[\\p{L}\\p{N}\\p{M}'`^$\\\\{}\\u2018\\u2019\\u02BC\\u00B4\\u00AD\\u200B-\\u200D\\u2060\\uFEFF]+", 'gu');
/** Joiners, TeX braces and invisible marks, trimmed from a token's edges. */
const EDGE_JOINER = "['`^$\\u2018\\u2019\\u02BC\\u00B4{}\\u00AD\\u200B-\\u200D\\u2060\\uFEFF]";
const LEADING_JOINERS = new RegExp(`^${EDGE_JOINER}*`);
// The trailing runs start only where a run starts: retried at each joiner of a long run, they were quadratic.
const TRAILING_JOINERS = new RegExp(`(?<!${EDGE_JOINER})${EDGE_JOINER}*$`);
const EDGE_JOINERS = new RegExp(`^${EDGE_JOINER}+|(?<!${EDGE_JOINER})${EDGE_JOINER}+$`, 'g');

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isAsciiAlnum(code: number): boolean {
  return isDigit(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** Raw tokens of `text` in [from, to): [start, end) pairs, joiners trimmed from the edges. */
function rawTokens(text: string, from: number, to: number): number[] {
  const spans: number[] = [];
  const slice = text.slice(from, to);
  if (PRINTABLE_ASCII.test(slice) && !slice.includes('\\')) {
    let start = -1;
    for (let i = from; i < to; i++) {
      if (isAsciiAlnum(text.charCodeAt(i))) {
        if (start < 0) start = i;
        continue;
      }
      if (start < 0) continue;
      // Joiners continue a word only when a letter or digit follows them (`E$^2$-LLM` ends at `2`).
      let next = i;
      while (next < to && WORD_JOINERS.includes(text[next] as string)) next++;
      if (next > i && next < to && isAsciiAlnum(text.charCodeAt(next))) {
        i = next - 1;
        continue;
      }
      spans.push(start, i);
      start = -1;
    }
    if (start >= 0) spans.push(start, to);
    return spans;
  }
  const pattern = slice.includes('\\') ? UNICODE_TEX_TOKEN() : UNICODE_TOKEN();
  pattern.lastIndex = 0;
  for (const match of slice.matchAll(pattern)) {
    const at = from + (match.index ?? 0);
    for (const [partStart, part] of scriptParts(match[0])) {
      let start = at + partStart;
      let end = start + part.length;
      const lead = LEADING_JOINERS.exec(part)?.[0].length ?? 0;
      const trail = TRAILING_JOINERS.exec(part)?.[0].length ?? 0;
      start += lead;
      end -= trail;
      if (end > start) spans.push(start, end);
    }
  }
  return spans;
}

/**
 * Chinese, Japanese and Korean write no space between an English title and the
 * word or particle after it (`Networks는`, `Learning을`, `Transformerの`): a
 * token with both scripts is read as one word per script.
 */
/** Chinese, Japanese and Korean letters, as a character-class body (title-context.ts reads script changes with it too). */
export const CJK_LETTERS = String.raw`\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}`;
const CJK_CHARS = lazyRegExp(`[${CJK_LETTERS}]+`, 'gu');
const HAS_CJK = lazyRegExp(`[${CJK_LETTERS}]`, 'u');
const HAS_LATIN_OR_DIGIT = lazyRegExp(String.raw`[\p{sc=Latin}\p{N}]`, 'u');

function scriptParts(token: string): [number, string][] {
  if (!HAS_CJK().test(token) || !HAS_LATIN_OR_DIGIT().test(token)) return [[0, token]];
  const parts: [number, string][] = [];
  let last = 0;
  for (const match of token.matchAll(CJK_CHARS())) {
    const start = match.index ?? 0;
    if (start > last) parts.push([last, token.slice(last, start)]);
    parts.push([start, match[0]]);
    last = start + match[0].length;
  }
  if (last < token.length) parts.push([last, token.slice(last)]);
  return parts;
}

/**
 * One or two digits alone on a line right after a word: how Chromium's innerText
 * gives an inline MathML superscript or subscript (`E<math>…2…</math>-LLM` reads
 * `E\n2\n-LLM`). The digits may belong to the word before them (`E2`).
 */
const LETTER_DIGIT_OR_SPACE = lazyRegExp(String.raw`[\p{L}\p{N} ]`, 'u');
function isSuperscriptLine(text: string, start: number, end: number): boolean {
  return end - start <= 2 && /^\d+$/.test(text.slice(start, end)) && (end === text.length || !LETTER_DIGIT_OR_SPACE().test(text[end] as string));
}

/**
 * Capitals run into a capitalised word (`INVITED SURVEYModel Compression`):
 * the text of a badge or label styled as a box of its own, which `innerText`
 * joins to the title after it. Split before the word's capital; the pair is
 * also tried as one word (a join), for coined names (`GPTQuant`).
 */
const CAPITALS_INTO_WORD = /[A-Z]{2}(?=[A-Z][a-z]{2})/g;
/**
 * A footnote number run into the word before it (`Supervision</em><sup>3</sup>`
 * reads `Supervision3`): split off up to three digits after a lower-case word,
 * and try the pair as one word too (a join), for names that end in a number
 * (`resnet50`, `llama2`).
 */
const FOOTNOTE_INTO_WORD = /(?<=[a-z]{3})\d{1,3}$/;
const MAY_SPLIT_WORDS = /[A-Z]{3}[a-z]{2}|[a-z]{3}\d/;

/** `spans` with words split after a run of capitals or before a footnote number; `continues` gets the starts of the second halves. */
function splitRunTogetherWords(text: string, spans: number[], continues: Set<number>): number[] {
  const split: number[] = [];
  for (let t = 0; t < spans.length; t += 2) {
    const start = spans[t] as number;
    const end = spans[t + 1] as number;
    let from = start;
    if (end - start >= 4) {
      const raw = text.slice(start, end);
      if (end - start >= 6) {
        CAPITALS_INTO_WORD.lastIndex = 0;
        for (let match = CAPITALS_INTO_WORD.exec(raw); match; match = CAPITALS_INTO_WORD.exec(raw)) {
          const at = start + match.index + 2;
          split.push(from, at);
          continues.add(at);
          from = at;
        }
      }
      const footnote = FOOTNOTE_INTO_WORD.exec(raw);
      if (footnote) {
        const at = start + footnote.index;
        split.push(from, at);
        continues.add(at);
        from = at;
      }
    }
    split.push(from, end);
  }
  return split;
}

/**
 * A suffix set off by an apostrophe, as Turkish writes case endings on names
 * and titles (`… Neural Networks'te`, `… Sequence Learning’ini`), and English
 * its possessive (`Pointer Networks's`): the word before the apostrophe is
 * split off, and the pair is also tried as one word (a join), which keeps
 * `don't` and `Let's` as the digest writes them. Not before a digit: `NEVIS'22`.
 */
const APOSTROPHE_SUFFIX = lazyRegExp(String.raw`(?<=\p{L}{2})['’ʼ](?=\p{L})`, 'u');
const HAS_APOSTROPHE = /['’ʼ]/;

function splitApostropheSuffixes(text: string, spans: number[], continues: Set<number>): number[] {
  const split: number[] = [];
  for (let t = 0; t < spans.length; t += 2) {
    const start = spans[t] as number;
    const end = spans[t + 1] as number;
    const raw = text.slice(start, end);
    const at = HAS_APOSTROPHE.test(raw) ? (APOSTROPHE_SUFFIX().exec(raw)?.index ?? -1) : -1;
    if (at < 0) {
      split.push(start, end);
      continue;
    }
    split.push(start, start + at, start + at + 1, end);
    continues.add(start + at + 1);
  }
  return split;
}

function isLowerStart(text: string, at: number): boolean {
  const ch = text[at] ?? '';
  return ch !== ch.toUpperCase() && ch === ch.toLowerCase();
}

/** Tokenizes text[from, to) into match words with positions, joins and cuts. */
export function tokenize(text: string, from = 0, to = text.length): Tokens {
  const tokens: Tokens = { words: [], starts: [], ends: [], joins: [], cuts: [] };
  const continues = new Set<number>();
  let spans = rawTokens(text, from, to);
  const slice = from === 0 && to === text.length ? text : text.slice(from, to);
  if (MAY_SPLIT_WORDS.test(slice)) spans = splitRunTogetherWords(text, spans, continues);
  if (HAS_APOSTROPHE.test(slice)) spans = splitApostropheSuffixes(text, spans, continues);
  let previousEnd = -1;
  for (let t = 0; t < spans.length; t += 2) {
    const start = spans[t] as number;
    const end = spans[t + 1] as number;
    if (previousEnd >= 0 && !(start - previousEnd === 1 && text.charCodeAt(previousEnd) === 32)) {
      const gap = text.slice(previousEnd, start);
      const last = tokens.words.length - 1;
      if (
        last >= 0 &&
        (LINE_BREAK_HYPHEN.test(gap) ||
          (SPACED_HYPHEN.test(gap) && isLowerStart(text, start)) ||
          (gap === '\n' && isSuperscriptLine(text, start, end)) ||
          (EMPTY_CARET.test(gap) && isDigit(text.charCodeAt(start))))
      ) {
        tokens.joins.push(last);
      }
      if (last >= 0 && ELLIPSIS.test(gap)) tokens.cuts.push(last);
    }
    if (continues.has(start) && tokens.words.length > 0) tokens.joins.push(tokens.words.length - 1);
    const raw = text.slice(start, end);
    let normalized: string;
    if (/^[a-z0-9]+$/.test(raw)) normalized = raw;
    else if (/^[A-Za-z0-9]+$/.test(raw)) normalized = raw.toLowerCase();
    // `$` only delimits TeX math inside a word (`E$^2$`): drop it rather than read half a formula.
    // Braces inside a word only group its letters (`{P}rompt`): drop them, as TeX prints it;
    // after a command they hold its argument (`\emph{Continual`), which normalizeTitle reads.
    else normalized = normalizeTitle(raw.replace(EDGE_JOINERS, '').replace(raw.includes('\\') ? /\$/g : /[${}]/g, ''));
    if (normalized !== '') {
      for (const word of normalized.split(' ')) {
        tokens.words.push(foldWord(word));
        tokens.starts.push(start);
        tokens.ends.push(end);
      }
    }
    previousEnd = end;
  }
  // An ellipsis right after the last word (`... with linear…`).
  if (previousEnd >= 0 && tokens.words.length > 0 && ELLIPSIS.test(text.slice(previousEnd, Math.min(to, previousEnd + 4)))) {
    const last = tokens.words.length - 1;
    if (tokens.cuts[tokens.cuts.length - 1] !== last) tokens.cuts.push(last);
  }
  return tokens;
}
