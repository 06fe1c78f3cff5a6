/**
 * The digest parser: the one implementation behind the build, the command line
 * and the import screen. Pure TypeScript, no DOM.
 *
 * Format (see DESIGN.md §1): a short header (`new`, `Subscribe`, ...), a date line
 * (`Mar 13`), then papers as paragraphs separated by blank lines: a title line,
 * then an abstract line. A file may hold several days, each opened by its own
 * date line.
 *
 * The parser never throws: every defect becomes a problem with its file and line,
 * and the valid papers around a broken one are still returned.
 */
import { absoluteUrl, splitUrls } from './links';
import { latexToText } from './latex';
import { normalizeTitle, paperIdForKey } from './normalize';
import type { DigestProblem, Paper, ProblemSeverity } from './types';

export interface ParsedDigest {
  papers: Paper[];
  problems: DigestProblem[];
  /** The first date line of the file, as written; empty when there was none. */
  digestDate: string;
}

/** Titles on arXiv-style listings stay well below this; longer means a missing line break. */
export const MAX_TITLE_LENGTH = 400;
/** Real abstracts are under ~3,000 characters; this bounds memory on garbage input. */
export const MAX_ABSTRACT_LENGTH = 20_000;
/** Stop listing problems past this many; a file this broken is not a digest. */
const MAX_PROBLEMS = 200;

const MONTHS = 'jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec';
const MONTH_NAMES = 'january|february|march|april|june|july|august|september|october|november|december';
const DATE_LINE = new RegExp(
  `^(?:(?:${MONTHS}|${MONTH_NAMES})\\.?\\s+\\d{1,2}(?:,?\\s+\\d{4})?|\\d{4}-\\d{2}-\\d{2})$`,
  'i',
);
/** Lines of the listing page's chrome that precede the date line. */
const HEADER_LINES = [/^new$/i, /^get trending papers in your email inbox!?$/i, /^subscribe$/i, /^by\s*ak\b.*$/i];

interface Paragraph {
  /** 1-based line number of the paragraph's first line. */
  line: number;
  lines: string[];
}

export interface ParseOptions {
  /** Called now and then with the fraction of the file read (0..1), for a progress bar on large files. */
  onProgress?: (fraction: number) => void;
}

/** Paragraphs between two progress calls. */
const PROGRESS_EVERY = 2000;

export function parseDigest(input: string, file: string, options: ParseOptions = {}): ParsedDigest {
  const problems: DigestProblem[] = [];
  const report = (line: number, message: string, severity: ProblemSeverity = 'error') => {
    if (problems.length < MAX_PROBLEMS) problems.push({ file, line, severity, message });
    else if (problems.length === MAX_PROBLEMS) {
      problems.push({ file, line, severity: 'error', message: 'too many problems; stopped listing them' });
    }
  };
  const result: ParsedDigest = { papers: [], problems, digestDate: '' };

  try {
    const text = typeof input === 'string' ? input.replace(/^\uFEFF/, '') : '';
    if (text.trim() === '') {
      report(1, 'the file is empty; a digest starts with a date line such as "Mar 13" followed by papers');
      return result;
    }
    const binaryLine = findBinaryLine(text);
    if (binaryLine !== 0) {
      report(binaryLine, 'the file looks binary (it contains NUL or control bytes), not a text digest');
      return result;
    }
    const paragraphs = splitParagraphs(text);
    readPapers(paragraphs, file, result, report, options.onProgress);
  } catch (error) {
    // A parser bug must still surface as a problem, never as an exception in the UI.
    report(1, `internal parser error: ${error instanceof Error ? error.message : String(error)}`);
  }
  return result;
}

/** Returns the 1-based line of the first binary-looking byte in the first 64 KiB, or 0. */
function findBinaryLine(text: string): number {
  const sample = text.slice(0, 65_536);
  let controls = 0;
  for (let i = 0; i < sample.length; i++) {
    const code = sample.charCodeAt(i);
    const isControl = (code < 32 && code !== 9 && code !== 10 && code !== 13) || code === 0xfffd;
    if (code === 0 || (isControl && ++controls > 8)) {
      return lineOf(sample, i);
    }
  }
  return 0;
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function splitParagraphs(text: string): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  let current: Paragraph | null = null;
  // Plain '\n' split is several times faster than a regex on large files; the
  // '\r' of CRLF is removed by trim(). Only old-Mac lone '\r' needs the regex.
  const lines = text.includes('\r') && /\r(?!\n)/.test(text) ? text.split(/\r\n|\r|\n/) : text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') {
      current = null;
    } else if (current) {
      current.lines.push(line);
    } else {
      current = { line: i + 1, lines: [line] };
      paragraphs.push(current);
    }
  }
  return paragraphs;
}

/** A title is one short line that does not end like a sentence. */
function isTitleShaped(text: string): boolean {
  return text.length <= MAX_TITLE_LENGTH && !/\.$/.test(text) && !DATE_LINE.test(text);
}

function preview(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

function readPapers(
  paragraphs: Paragraph[],
  file: string,
  result: ParsedDigest,
  report: (line: number, message: string, severity?: ProblemSeverity) => void,
  onProgress?: (fraction: number) => void,
): void {
  let index = 0;
  let nextProgress = PROGRESS_EVERY;
  // Header: everything before the first date line must be known listing chrome.
  const firstDate = paragraphs.findIndex((p) => p.lines.length === 1 && DATE_LINE.test(p.lines[0] ?? ''));
  if (firstDate === -1) {
    while (index < paragraphs.length && isHeader(paragraphs[index])) index++;
  } else {
    for (; index < firstDate; index++) {
      const p = paragraphs[index];
      if (p && !isHeader(p)) report(p.line, `unexpected text before the date line: ${preview(p.lines.join(' '))}`);
    }
  }

  let digestDate = '';
  const firstSeen = new Map<string, number>();
  while (index < paragraphs.length) {
    if (onProgress && index >= nextProgress) {
      onProgress(index / paragraphs.length);
      nextProgress = index + PROGRESS_EVERY;
    }
    const paragraph = paragraphs[index] as Paragraph;
    const first = paragraph.lines[0] ?? '';
    if (paragraph.lines.length === 1 && DATE_LINE.test(first)) {
      digestDate = first;
      if (result.digestDate === '') result.digestDate = first;
      index++;
      continue;
    }
    if (!isTitleShaped(first)) {
      report(
        paragraph.line,
        `expected a paper title, found ${first.length > MAX_TITLE_LENGTH ? `${first.length} characters` : 'a sentence'} ${preview(first)}; is the title above it missing?`,
      );
      index++;
      continue;
    }
    let title = first;
    let abstractLines: string[];
    let abstractLine: number;
    if (paragraph.lines.length > 1) {
      // No blank line between title and abstract: still readable, worth fixing.
      abstractLines = paragraph.lines.slice(1);
      abstractLine = paragraph.line + 1;
      report(paragraph.line, `no blank line between the title ${preview(title)} and its abstract`, 'warning');
      index++;
    } else {
      const next = paragraphs[index + 1];
      const nextFirst = next?.lines[0] ?? '';
      if (!next || (next.lines.length === 1 && DATE_LINE.test(nextFirst))) {
        report(paragraph.line, `the title ${preview(title)} has no abstract after it`);
        index++;
        continue;
      }
      if (next.lines.length === 1 && isTitleShaped(nextFirst) && startsPaper(paragraphs, index + 1)) {
        report(
          paragraph.line,
          `the title ${preview(title)} has no abstract: the next paragraph (line ${next.line}) is another title`,
        );
        index++;
        continue;
      }
      abstractLines = next.lines;
      abstractLine = next.line;
      index += 2;
      if (next.lines.length === 1 && isTitleShaped(nextFirst)) {
        // Real abstracts are long and end with a period. This is either a very short
        // abstract or a title whose abstract is missing (two titles at the end of the
        // file, three in a row); say so rather than bundle a title as an abstract.
        report(
          next.line,
          `the abstract of ${preview(title)} (line ${paragraph.line}) looks like a title: one short line without a closing period; is an abstract missing?`,
          'warning',
        );
      }
    }
    const rawAbstract = abstractLines.join(' ');
    if (rawAbstract.length > MAX_ABSTRACT_LENGTH) {
      report(
        abstractLine,
        `the abstract of ${preview(title)} is ${rawAbstract.length} characters long (at most ${MAX_ABSTRACT_LENGTH}); paper skipped`,
      );
      continue;
    }
    title = title.replace(/\s+/g, ' ');
    const key = normalizeTitle(title);
    if (key === '') {
      report(paragraph.line, `the title ${preview(title)} has no letters or digits`);
      continue;
    }
    const id = paperIdForKey(key);
    const earlier = firstSeen.get(id);
    if (earlier !== undefined) {
      report(paragraph.line, `duplicate paper ${preview(title)}: the same title is at line ${earlier}; kept the first`);
      continue;
    }
    firstSeen.set(id, paragraph.line);
    const { abstract, links } = cleanAbstract(rawAbstract);
    result.papers.push({ id, title, abstract, links, digestDate, source: file });
  }
  if (result.papers.length === 0) {
    // A file with broken papers already says why; a header-only file (with or
    // without a date line) gets this one problem instead of "no date line".
    if (!result.problems.some((p) => p.severity === 'error')) {
      report(paragraphs.at(-1)?.line ?? 1, 'the file has no papers (only a header or date lines)');
    }
  } else if (firstDate === -1) {
    // Only papers need a date; first in the list, as it concerns the top of the file.
    result.problems.unshift({
      file,
      line: paragraphs[0]?.line ?? 1,
      severity: 'error',
      message: 'no date line (such as "Mar 13") found; papers get no digest date',
    });
  }
}

function isHeader(paragraph: Paragraph | undefined): boolean {
  return !!paragraph && paragraph.lines.length === 1 && HEADER_LINES.some((re) => re.test(paragraph.lines[0] ?? ''));
}

/**
 * Whether paragraphs[at] begins a well-formed paper (a title followed by a
 * non-title). Decides "two titles in a row" without mistaking a short abstract
 * for a title.
 */
function startsPaper(paragraphs: Paragraph[], at: number): boolean {
  const following = paragraphs[at + 1];
  if (!following) return false;
  const text = following.lines[0] ?? '';
  return !isTitleShaped(text) || following.lines.length > 1;
}

/** Display text and links of an abstract; URLs are kept verbatim, prose is de-TeXed. */
export function cleanAbstract(raw: string): { abstract: string; links: string[] } {
  const links: string[] = [];
  let abstract = '';
  // Most abstracts have no URL and no TeX: they are already display text, and at
  // 100k papers every extra pass over them shows in the parse time.
  if (!raw.includes('://') && !raw.includes('www.')) {
    const text = latexToText(raw);
    // Untouched text is returned as is: stray double spaces or tabs inside a line
    // are harmless, since the UI renders abstracts with collapsed whitespace.
    if (text === raw) return { abstract: raw, links };
    abstract = text;
  } else {
    for (const segment of splitUrls(raw)) {
      if (segment.kind === 'url') {
        const url = absoluteUrl(segment.url);
        if (!links.includes(url)) links.push(url);
        // `README.md{here.}` and `\href{url}{code}` are `\href` residue: the braced
        // text is a separate word.
        const gap = /^\}?\{/.test(segment.trailing) ? ' ' : '';
        abstract += segment.url + gap + latexToText(segment.trailing);
      } else {
        abstract += latexToText(segment.text);
      }
    }
  }
  abstract = abstract.replace(/\s{2,}|[^\S ]/g, ' ').replace(/ +([.,;:!?])/g, '$1');
  return { abstract: abstract.trim(), links };
}
