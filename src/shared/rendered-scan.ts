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
import { tokenize, type Tokens } from './tokenize';

/** The rendered texts as scan units, with the tokens that map words back to characters. */
export function renderedUnits(texts: readonly string[]): { units: ScanUnit[]; tokens: Tokens[] } {
  const tokens = texts.map((text) => tokenize(text));
  const units = tokens.map((t) => ({ text: t.words.join(' '), joins: t.joins, cuts: t.cuts }));
  return { units, tokens };
}

/** Hits as flat [text index, from, to) character ranges: three numbers per hit, cheap to send. */
export function spansOf(hits: readonly ScanHit[], tokens: readonly Tokens[]): number[] {
  const spans: number[] = [];
  for (const hit of hits) {
    const unit = tokens[hit.unit];
    const from = unit?.starts[hit.start];
    const to = unit?.ends[hit.end - 1];
    if (from === undefined || to === undefined || to <= from) continue;
    spans.push(hit.unit, from, to);
  }
  return spans;
}
