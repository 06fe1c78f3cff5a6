/**
 * Picks the candidate texts of a block: the places a title can stand. A short
 * line (a link, heading, list item, cell, reference entry, a line of BibTeX) is
 * one candidate whole; the background finds any title inside it. A long line is
 * running prose: only its links and emphasis, quoted phrases, title-cased runs,
 * what comes before the word `paper` and its lead are candidates, so a megabyte of prose costs the page a few
 * regular-expression passes, not a lookup of every word.
 */
import { MAX_UNIT_LENGTH } from '../shared/protocol';
import { foldWords } from '../shared/spelling';
import { tokenize, type Tokens } from '../shared/tokenize';
import { TITLE_CARRIER_TAGS, type TextBlock } from './page-text';
import { lazyRegExp } from '../shared/lazy-regexp';

/** Lines up to this long are candidates whole: reference entries run to a few hundred characters. */
const SHORT_LINE = 600;
/** The lead of a long line: where a list item or paragraph opens with a title. */
const LEAD_LENGTH = 300;
/**
 * A title-cased run: capitalised words (or digits), joined by spaces, hyphens,
 * colons, dashes or question marks, with lower-case function words allowed
 * between them. `In Sequence to Sequence Learning with Neural Networks, we` yields
 * `In Sequence to Sequence Learning with Neural Networks`.
 */
// A capitalised word keeps its lower-case parts after a hyphen: `Attention-based`,
// `Pre-trained` and `Rehearsal-free` sit inside titles, and a run cut there lost them.
const CAPITALISED = String.raw`[\p{Lu}\d][\p{L}\p{N}'’^$]*(?:[-‐‑]\p{Ll}[\p{L}\p{N}]*)*`;
// The words title case leaves in lower case: articles, conjunctions, prepositions
// and a few short verbs and pronouns (`Challenging Common Assumptions about …`).
const CONNECTOR = String.raw`(?:a|an|the|of|for|in|on|with|to|and|or|nor|but|via|by|from|under|at|is|are|be|as|not|vs|into|onto|over|without|towards?|through|between|using|do|does|can|its|it|we|you|all|about|across|against|after|before|beyond|within|among|upon|than|when|what|how|why|per|so)`;
const JOIN = String.raw`(?:[ \t\r\n\u00A0]+|[ \t]*[-‐‑–—:?,][ \t\r\n]*)`;
/**
 * A run starts only at the first capital or digit of a word: from a later one in
 * the same word it fails exactly when it does from the first, and retrying at
 * each was quadratic (a 50,000-digit line took 7 s).
 */
const RUN_START = String.raw`(?=[\p{Lu}\d])(?<![\p{Lu}\d][\p{L}\p{N}'’^$]*?)`;
const TITLE_CASED_RUN = lazyRegExp(`${RUN_START}${CAPITALISED}(?:${JOIN}(?:${CAPITALISED}|${CONNECTOR}(?=${JOIN})))+`, 'gu');
const MIN_RUN_CAPITALISED = 3;
/** A word of the run that opens with a capital or digit, counted against MIN_RUN_CAPITALISED. */
const CAPITALISED_WORD_START = lazyRegExp(String.raw`(?:^|[\s\-‐‑–—:?,])[\p{Lu}\d]`, 'gu');
/** `the … paper` in prose (title-context.ts namedAsPaper): the text before the word is read, this far back. */
const PAPER_WORD = /\s(?:paper|preprint)\b/giu;
const NAMED_PAPER_LENGTH = 250;
/** A numbered reference's marker inside a long line: `[3] Vinyals et al. Pointer Networks. …`. */
const REFERENCE_NUMBER = /\[\d{1,3}\]\s/g;
/** Phrases in double or angle quotes (single quotes are too often apostrophes). */
const QUOTED = /["“„«]([^"“”„«»\n]{8,400})["”»]/gu;

export interface Candidate {
  block: TextBlock;
  /** The line the candidate lies in, [lineStart, lineEnd): context for the precision rules. */
  lineStart: number;
  lineEnd: number;
  start: number;
  end: number;
  /** Normalised words joined by spaces: what is sent. */
  text: string;
  /** Words with positions; computed up front only when the text needs it (see plainWords). */
  tokens: Tokens | null;
}

/** The candidate's words with positions (computed again on demand for a hit). */
export function tokensOf(candidate: Candidate): Tokens {
  candidate.tokens ??= tokenize(candidate.block.text, candidate.start, candidate.end);
  return candidate.tokens;
}

/**
 * Characters that need the full tokenizer: anything outside printable ASCII,
 * in-word joiners and TeX (`'`, `^`, `$`, `\`, backtick), an ellipsis or a
 * hyphen that may split a word. Most link texts have none of them.
 */
const NEEDS_TOKENIZER = /[^\x20-\x7e]|['^$\\`]|\.\.\.|-\s|[A-Z]{3}[a-z]{2}|[a-z]{3}\d/;

/**
 * The match text of plain ASCII: lower case, runs of letters and digits. The same
 * words tokenize() gives for such text, in one native replace instead of a loop
 * per character, which is what a page of 10,000 links can afford.
 */
function plainWords(text: string): string {
  return foldWords(text.toLowerCase().replace(NOT_ALNUM, ' ').trim());
}

const NOT_ALNUM = /[^a-z0-9]+/g;

/** A text's match words joined by spaces: one native replace when the text is plain ASCII, else the tokenizer. */
export function matchWords(text: string): string {
  return NEEDS_TOKENIZER.test(text) ? tokenize(text).words.join(' ') : plainWords(text);
}

/** The lines of a block: its text split at `<br>` and preformatted newlines, trimmed. */
function linesOf(block: TextBlock): [number, number][] {
  const lines: [number, number][] = [];
  const { text } = block;
  // Breaks are recorded in text order already; most blocks have none.
  const cuts = block.breaks.length === 0 ? [text.length] : [...block.breaks, text.length];
  let start = 0;
  for (const cut of cuts) {
    let from = start;
    let to = cut;
    while (from < to && isSpace(text.charCodeAt(from))) from++;
    while (to > from && isSpace(text.charCodeAt(to - 1))) to--;
    if (to - from >= 4) lines.push([from, to]);
    start = cut + 1;
  }
  return lines;
}

/** Whitespace as HTML lays it out (space, tab, newlines, form feed) plus no-break space. */
function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 9 || code === 13 || code === 12 || code === 160;
}

/** Ranges of carrier elements (links, emphasis, quotes) inside [from, to) of a block. */
function carrierRanges(block: TextBlock, from: number, to: number): [number, number][] {
  const ranges = new Map<Element, [number, number]>();
  block.nodes.forEach((node, i) => {
    const start = block.offsets[i] as number;
    const end = start + node.data.length;
    if (end <= from || start >= to) return;
    for (let element = node.parentElement; element && element !== block.element; element = element.parentElement) {
      if (!TITLE_CARRIER_TAGS.has(element.tagName.toUpperCase())) continue;
      const range = ranges.get(element);
      if (range) range[1] = Math.max(range[1], end);
      else ranges.set(element, [Math.max(start, from), Math.min(end, to)]);
    }
  });
  return [...ranges.values()];
}

/** Windows of a long line worth sending: carriers, quotes, title-cased runs and the lead. */
function windowsOfLongLine(block: TextBlock, from: number, to: number): [number, number][] {
  const line = block.text.slice(from, to);
  const windows = carrierRanges(block, from, to);
  for (const match of line.matchAll(QUOTED)) {
    const start = from + (match.index ?? 0) + 1;
    windows.push([start, start + (match[1]?.length ?? 0)]);
  }
  for (const match of line.matchAll(TITLE_CASED_RUN())) {
    const capitalised = match[0].match(CAPITALISED_WORD_START())?.length ?? 0;
    if (capitalised < MIN_RUN_CAPITALISED) continue;
    const start = from + (match.index ?? 0);
    windows.push([start, start + match[0].length]);
  }
  // `the symbolic discovery of optimization algorithms paper`: what comes before the word paper.
  for (const match of line.matchAll(PAPER_WORD)) {
    const end = from + (match.index ?? 0);
    windows.push([Math.max(from, end - NAMED_PAPER_LENGTH), end]);
  }
  // A reference list run into one line (a slide's transcript, a copied PDF page):
  // each `[n] …` entry up to the next is a candidate whole, as its own line would be.
  let entryStart = -1;
  for (const match of line.matchAll(REFERENCE_NUMBER)) {
    const at = from + (match.index ?? 0);
    if (entryStart >= 0 && at - entryStart <= SHORT_LINE) windows.push([entryStart, at]);
    entryStart = at + match[0].length;
  }
  if (entryStart >= 0 && to - entryStart <= SHORT_LINE) windows.push([entryStart, to]);
  const sentenceEnd = line.slice(20, LEAD_LENGTH).search(/[.!?]\s/);
  windows.push([from, from + (sentenceEnd >= 0 ? 20 + sentenceEnd + 1 : Math.min(line.length, LEAD_LENGTH))]);
  return windows;
}

export function candidatesOf(block: TextBlock): Candidate[] {
  const candidates: Candidate[] = [];
  const seen = new Set<string>();
  const lines = linesOf(block);
  // A title may run over a line break (`Sequence to Sequence<br>Learning with...`):
  // two or three short neighbouring lines are also read as one (a narrow column,
  // a PDF's text layer, breaks a reference's title over three).
  const spans: [number, number][] = [...lines];
  for (const across of [1, 2]) {
    for (let i = 0; i + across < lines.length; i++) {
      const [start] = lines[i] as [number, number];
      const [, end] = lines[i + across] as [number, number];
      if (end - start <= SHORT_LINE) spans.push([start, end]);
    }
  }
  for (const [lineStart, lineEnd] of spans) {
    const windows: [number, number][] =
      lineEnd - lineStart <= SHORT_LINE ? [[lineStart, lineEnd]] : windowsOfLongLine(block, lineStart, lineEnd);
    for (const [start, end] of windows) {
      const place = `${start}:${end}`;
      if (end - start < 4 || seen.has(place)) continue;
      seen.add(place);
      const raw = block.text.slice(start, end);
      let tokens: Tokens | null = null;
      let text: string;
      if (NEEDS_TOKENIZER.test(raw)) {
        tokens = tokenize(block.text, start, end);
        text = tokens.words.join(' ');
      } else text = plainWords(raw);
      if (text === '' || text.length > MAX_UNIT_LENGTH) continue;
      candidates.push({ block, lineStart, lineEnd, start, end, text, tokens });
    }
  }
  return candidates;
}
