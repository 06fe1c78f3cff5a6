/**
 * The first, coarse look at a page: its text as the browser renders it
 * (`innerText`), sent raw. The worker splits it into words with the same
 * tokenizer the page uses for candidates (src/shared/tokenize.ts), looks the
 * words up like any candidate, and answers only *where* a digest title may
 * stand, as character ranges of the texts it was sent. The page then reads just
 * those places exactly and sends their candidates as an ordinary `scan`.
 *
 * Tokenizing here rather than in the page moves the per-word work of a page of
 * 10,000 links out of the page's main thread, which is what the page pays for.
 */
import type { ScanHit, ScanUnit } from './title-scanner';
import { MAX_RENDERED_LENGTH, SPAN_ANYWHERE, SPAN_UNLESS_RUNNING_TEXT } from './protocol';
import { betweenScripts, introducedByVerb, mayVouchForWeakTitle, namesInFull, opensTitle } from './title-context';
import { tokenize, type Tokens } from './tokenize';
import { lazyRegExp } from './lazy-regexp';

/**
 * Words of one rendered text past which the rest is dropped: as many as it may
 * have characters (MAX_RENDERED_LENGTH), so only text that normalisation
 * multiplied is cut. A page could otherwise fill a request with characters
 * like U+FDFA, which NFKC turns into four words each.
 */
export const MAX_RENDERED_WORDS = MAX_RENDERED_LENGTH;

/** The rendered texts as scan units, with the tokens that map words back to characters. */
export function renderedUnits(texts: readonly string[]): { units: ScanUnit[]; tokens: Tokens[] } {
  const tokens = texts.map((text) => capWords(tokenize(text), MAX_RENDERED_WORDS));
  const units = tokens.map((t) => ({ text: t.words.join(' '), joins: t.joins, cuts: t.cuts }));
  return { units, tokens };
}

function capWords(tokens: Tokens, max: number): Tokens {
  if (tokens.words.length <= max) return tokens;
  return {
    words: tokens.words.slice(0, max),
    starts: tokens.starts.slice(0, max),
    ends: tokens.ends.slice(0, max),
    // A join pairs word i with word i + 1; both must be kept.
    joins: tokens.joins.filter((i) => i + 1 < max),
    cuts: tokens.cuts.filter((i) => i < max),
  };
}

/** Characters of context read around a weak hit: a citation, a quote, `the … paper`. */
const CONTEXT_CHARS = 120;

/** A word, then spaces on the same line, right before a match; and the same right after it. */
const WORD_RIGHT_BEFORE = lazyRegExp(String.raw`[\p{L}\p{N}][^\S\n]+$`, 'u');
const WORD_RIGHT_AFTER = lazyRegExp(String.raw`^[^\S\n]+[\p{L}\p{N}]`, 'u');

/**
 * Hits as flat [text index, from, to, flag] character ranges: SPAN_STRIDE
 * numbers per hit, cheap to send. A short or generic main title (a weak
 * alias, `Learning to Relax`) is only sent where its context can vouch for it
 * (title-context.ts acceptHit), or where the same request names its paper in
 * full: on pages of paper-like text such phrases are everywhere, and each span
 * sent costs the page an exact read.
 *
 * A hit that acceptHit takes only when it stands apart (any main title or
 * truncation, a generic full title) and that has a word right beside it here,
 * with no quote, citation or "the … paper" to vouch for it, is flagged
 * SPAN_UNLESS_RUNNING_TEXT: rendered text hides element boundaries, so the page
 * still reads it where a link or emphasis may set it off, but not where the
 * word runs on in the same text node (`Learning Pointer Networks for Graphs`,
 * one of the 280 of 301 spans that a 10k-link page sent for 20 marks).
 */
export function spansOf(hits: readonly ScanHit[], tokens: readonly Tokens[], texts: readonly string[]): number[] {
  const spans: number[] = [];
  // Papers these texts name in full: a weak alias of one may stand for it where it stands as a title.
  const named = new Set(hits.filter(namesInFull).map((hit) => hit.id));
  for (const hit of hits) {
    const unit = tokens[hit.unit];
    const from = unit?.starts[hit.start];
    const to = unit?.ends[hit.end - 1];
    if (from === undefined || to === undefined || to <= from) continue;
    // A weak main title is one of these too: taken only standing apart, and only where vouched for.
    const takenOnlyApart = hit.kind !== 'full' || !hit.distinctive;
    const weak = hit.kind === 'main' && !hit.distinctive;
    let flag = SPAN_ANYWHERE;
    if (takenOnlyApart) {
      const text = texts[hit.unit] ?? '';
      const before = text.slice(Math.max(0, from - CONTEXT_CHARS), from);
      const after = text.slice(to, to + CONTEXT_CHARS);
      // A verb that reads or cites vouches for a full title, not for a short main title.
      const vouched = mayVouchForWeakTitle(before, after) || (hit.kind === 'full' && introducedByVerb(before));
      if (weak && !vouched && !named.has(hit.id)) continue;
      // (A word before that opens the line as a title, a chapter's `27:30`, does not run on.)
      const wordBefore = WORD_RIGHT_BEFORE().test(before) && !opensTitle(before.slice(before.lastIndexOf('\n') + 1));
      // (Nor does a distinctive title set apart from Chinese, Japanese or Korean text.)
      const apartFromScript = hit.distinctive && betweenScripts(before, after);
      if (!vouched && !apartFromScript && (wordBefore || WORD_RIGHT_AFTER().test(after))) flag = SPAN_UNLESS_RUNNING_TEXT;
    }
    spans.push(hit.unit, from, to, flag);
  }
  return spans;
}
