/**
 * The coarse pass over a page: its text as the browser renders it, read in bulk.
 *
 * Why: every DOM node a content script touches gets a JavaScript wrapper in the
 * isolated world, and creating one there costs about 2 µs (several times the
 * main world's, which stores wrappers inline). A walk over the 40,000 nodes of a
 * page of 10,000 links costs 80 ms before any text is looked at. `innerText` of a
 * few large subtrees returns the same text with its line structure (blocks,
 * `<br>`, table cells) in one native call each, and creates no wrappers.
 *
 * So the page is read in *chunks*: subtrees of bounded size (planChunks). Their
 * rendered lines are grouped into units and sent raw to the worker
 * (`scanRendered`), which answers where a title may stand. Only those places
 * are then found in the DOM (locate: a binary search over a chunk's children
 * with Range.toString, again without wrappers per node) and read exactly by the
 * block walker (page-text.ts), whose candidates go through the ordinary `scan`.
 *
 * What innerText leaves out is never marked anyway (display: none, closed
 * `<details>`, visibility: hidden), with one exception the scanner handles:
 * content the browser skips under `content-visibility: auto` (skipped-watch.ts).
 * Shadow roots are not in innerText either; they are found and read as roots of
 * their own.
 */
import { isInlineElement, isSkippedElement } from './page-text';

/** A subtree up to this many elements is read with one innerText call. */
const CHUNK_ELEMENTS = 4000;
/**
 * A larger subtree whose children are this many or more (a long flat list) is
 * still read whole, up to CHUNK_MAX_ELEMENTS: reading 10,000 list items one by
 * one would create the wrappers this pass exists to avoid.
 */
const WHOLE_LIST_CHILDREN = 200;
const CHUNK_MAX_ELEMENTS = 30_000;
/** Lines shorter than this hold no title (as in candidates.ts). */
const MIN_LINE = 4;
/** Raw characters per unit sent: lines are grouped up to about this length. */
const UNIT_CHARS = 1500;
/** A line longer than UNIT_CHARS is sent in pieces overlapping by this much, more than any title. */
const PIECE_OVERLAP = 400;
/** Lines sent around a run of new lines, so a title across the edge of the run is still seen. */
const CONTEXT_LINE_MAX = 600;
/** A located word in more places than this is too common to narrow anything down. */
const MAX_LOCATED = 12;
/** A subtree this small is read whole rather than searched. */
const LOCATE_WHOLE_ELEMENTS = 48;

export type Chunk = Element;

/**
 * Splits `root` into chunks to read with innerText. Subtrees that mix inline
 * text with large blocks and are too big to read at once go to `walk` (read
 * node by node, the old way); so do roots that are not HTML elements.
 */
export function planChunks(root: Element, chunks: Chunk[], walk: Element[]): void {
  if (!hasInnerText(root)) {
    walk.push(root);
    return;
  }
  const count = root.getElementsByTagName('*').length;
  if (count <= CHUNK_ELEMENTS || (root.childElementCount >= WHOLE_LIST_CHILDREN && count <= CHUNK_MAX_ELEMENTS)) {
    chunks.push(root);
    return;
  }
  const blocks: Element[] = [];
  for (let child = root.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === Node.TEXT_NODE) {
      if (isBlank((child as Text).data)) continue;
    } else if (child.nodeType !== Node.ELEMENT_NODE) continue;
    else if (isSkippedElement(child as Element)) continue;
    else if (!isInlineElement(child as Element)) {
      blocks.push(child as Element);
      continue;
    }
    // Inline text among large blocks: innerText of the whole would be one long task.
    if (count <= CHUNK_MAX_ELEMENTS) chunks.push(root);
    else walk.push(root);
    return;
  }
  for (const block of blocks) planChunks(block, chunks, walk);
}

/** The chunks of a shadow root: its element children; loose text in it is read the old way. */
export function planShadowRoot(root: ShadowRoot, chunks: Chunk[], walk: (Element | ShadowRoot)[]): void {
  const blocks: Element[] = [];
  for (let child = root.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === Node.TEXT_NODE && isBlank((child as Text).data)) continue;
    if (child.nodeType === Node.ELEMENT_NODE && isSkippedElement(child as Element)) continue;
    if (child.nodeType === Node.ELEMENT_NODE && !isInlineElement(child as Element)) blocks.push(child as Element);
    else if (child.nodeType === Node.TEXT_NODE || child.nodeType === Node.ELEMENT_NODE) {
      walk.push(root);
      return;
    }
  }
  for (const block of blocks) planChunks(block, chunks, walk as Element[]);
}

function hasInnerText(element: Element): element is HTMLElement {
  // `in`, not a read: reading innerText would lay out and read the whole subtree.
  return 'innerText' in element;
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 32 && code !== 10 && code !== 9 && code !== 13 && code !== 12) return false;
  }
  return true;
}

/** The rendered text of a chunk (empty when the chunk is not rendered). */
export function renderedText(chunk: Chunk): string {
  return hasInnerText(chunk) ? chunk.innerText : '';
}

/** Where one piece of a unit comes from: a line of a chunk, from `lineFrom` on. */
export interface UnitPart {
  /** Offset of this part in the unit text. */
  at: number;
  line: string;
  lineFrom: number;
  length: number;
  /** First sent in this unit (not context repeated from a line sent before). */
  fresh: boolean;
  /** Which of the chunk's non-empty rendered rows (text between line breaks) holds the line. */
  row: number;
}

export interface Unit {
  chunk: Chunk;
  text: string;
  parts: UnitPart[];
  /** The chunk's count of non-empty rows: with one row per child element, row i is child i. */
  rows: number;
}

/**
 * What the scanner remembers of a line it has sent: the reply is pending (for
 * how many units, with the locating words found so far and the other chunks
 * that showed the same line meanwhile), or the words that locate its titles
 * (none: the line holds no title).
 */
export interface PendingLine {
  outstanding: number;
  words: string[];
  waiting: { chunk: Chunk; row: Row }[];
}

/** Where a line stands in its chunk: row `row` of `rows` non-empty rows (-1: not known). */
export interface Row {
  row: number;
  rows: number;
  line: string;
}
export type LineState = PendingLine | readonly string[];
export const NO_TITLES: readonly string[] = Object.freeze([]);

export function isPending(state: LineState): state is PendingLine {
  return !Array.isArray(state);
}

/**
 * Splits a chunk's rendered text into units of new lines. Lines seen before are
 * not sent again: a line known to hold titles is handed to `knownTitles` to be
 * located in this chunk too; one still pending takes this chunk on its waiting
 * list. Each unit opens with the line before it and a run of new lines closes
 * with the line after it, so a title across those edges is still whole.
 */
export function unitsOf(
  chunk: Chunk,
  text: string,
  seen: Map<string, LineState>,
  knownTitles: (chunk: Chunk, words: readonly string[], row: Row) => void,
): Unit[] {
  const units: Unit[] = [];
  let parts: UnitPart[] = [];
  let unitText = '';
  let fresh = false;
  let last: { line: string; row: number } | null = null;
  let row = -1;
  /** Row hints handed out before the chunk's row count is known. */
  const hints: Row[] = [];
  const known: { words: readonly string[]; row: Row }[] = [];
  const hint = (at: number, line: string): Row => {
    const made = { row: at, rows: -1, line };
    hints.push(made);
    return made;
  };
  const add = (line: string, lineRow: number, isFresh: boolean, lineFrom = 0, length = line.length) => {
    if (unitText !== '') unitText += '\n';
    parts.push({ at: unitText.length, line, lineFrom, length, fresh: isFresh, row: lineRow });
    unitText += length === line.length ? line : line.slice(lineFrom, lineFrom + length);
    if (isFresh) {
      fresh = true;
      (seen.get(line) as PendingLine).outstanding++;
    }
  };
  const close = () => {
    if (fresh) units.push({ chunk, text: unitText, parts, rows: 0 });
    parts = [];
    unitText = '';
    fresh = false;
  };
  const rows = text.split('\n');
  for (const rowText of rows) {
    if (rowText.trim() === '') continue;
    row++;
    // Table cells of a row are lines of their own: titles do not run across cells.
    for (const cell of rowText.includes('\t') ? rowText.split('\t') : [rowText]) {
      const line = cell.trim();
      if (line.length < MIN_LINE) continue;
      const state = seen.get(line);
      if (state !== undefined) {
        // The same new line twice in one unit is sent once.
        if (isPending(state) && parts.some((part) => part.fresh && part.line === line)) continue;
        if (isPending(state)) state.waiting.push({ chunk, row: hint(row, line) });
        else if (state.length > 0) known.push({ words: state, row: hint(row, line) });
        if (fresh && line.length <= CONTEXT_LINE_MAX) add(line, row, false);
        close();
        last = { line, row };
        continue;
      }
      seen.set(line, { outstanding: 0, words: [], waiting: [] });
      if (line.length > UNIT_CHARS) {
        close();
        for (let from = 0; ; ) {
          const end = Math.min(line.length, from + UNIT_CHARS);
          add(line, row, true, from, end - from);
          close();
          if (end === line.length) break;
          from = end - PIECE_OVERLAP;
        }
        last = null;
        continue;
      }
      if (parts.length === 0 && last !== null && last.line.length <= CONTEXT_LINE_MAX) add(last.line, last.row, false);
      add(line, row, true);
      last = { line, row };
      // The next unit opens with this line again (as `last`), so a title across the cut is whole.
      if (unitText.length >= UNIT_CHARS) close();
    }
  }
  close();
  // Row hints count every row of the chunk, known only now.
  for (const unit of units) unit.rows = row + 1;
  for (const made of hints) made.rows = row + 1;
  for (const { words, row: at } of known) knownTitles(chunk, words, at);
  return units;
}

const ASCII_WORD = /[A-Za-z0-9]+/g;
let unicodeWord: RegExp | null = null;

/**
 * The words to find a span of a unit by: per line it touches, the longest word
 * of that line's part of the span, lower-cased. (Per line, because a title read
 * across two lines may stand in two blocks.)
 */
export function locatorsOf(unit: Unit, from: number, to: number): { part: UnitPart; word: string }[] {
  const found: { part: UnitPart; word: string }[] = [];
  for (const part of unit.parts) {
    const start = Math.max(from, part.at);
    const end = Math.min(to, part.at + part.length);
    if (start >= end) continue;
    const text = part.line.slice(part.lineFrom + start - part.at, part.lineFrom + end - part.at);
    // Non-ASCII text needs Unicode letters; compiling that pattern is saved for pages that need it.
    const pattern = /[^\x00-\x7f]/.test(text) ? (unicodeWord ??= /[\p{L}\p{N}]+/gu) : ASCII_WORD;
    let word = '';
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) if (match[0].length > word.length) word = match[0];
    if (word !== '') found.push({ part, word: word.toLowerCase() });
  }
  return found;
}

/**
 * The elements to read exactly for `word` inside `container`, down through
 * block children to the smallest blocks that hold it; text or inline content
 * that holds it belongs to the container's own block.
 *
 * A container with one child element per rendered row (a list, a table body)
 * has row i in child i: checked, that costs one read. Otherwise a binary search
 * over its child nodes by their text (Range.toString creates no wrappers). A
 * word in more than MAX_LOCATED places names the container itself.
 */
export function locate(container: Element, word: string, row: Row | null, found: Set<Element>): void {
  const childCount = container.childNodes.length;
  if (childCount <= 1 || container.getElementsByTagName('*').length <= LOCATE_WHOLE_ELEMENTS) {
    found.add(container);
    return;
  }
  if (row && row.rows === container.childElementCount && row.row >= 0 && row.row < row.rows) {
    const child = container.children[row.row];
    if (child && holdsLine(child, row.line)) {
      take(container, child, word, found);
      return;
    }
  }
  const range = (container.ownerDocument ?? document).createRange();
  const indexes: number[] = [];
  const search = (low: number, high: number): void => {
    if (indexes.length > MAX_LOCATED) return;
    range.setStart(container, low);
    range.setEnd(container, high);
    if (!range.toString().toLowerCase().includes(word)) return;
    if (high - low === 1) {
      indexes.push(low);
      return;
    }
    const middle = (low + high) >> 1;
    search(low, middle);
    search(middle, high);
  };
  const middle = childCount >> 1;
  search(0, middle);
  search(middle, childCount);
  range.detach();
  if (indexes.length === 0 || indexes.length > MAX_LOCATED) {
    // Not found as written (the page changed meanwhile) or everywhere: read the container.
    found.add(container);
    return;
  }
  const children = container.childNodes;
  for (const index of indexes) {
    const child = children[index];
    if (child) take(container, child, word, found);
  }
}

function take(container: Element, child: Node, word: string, found: Set<Element>): void {
  if (child.nodeType === Node.ELEMENT_NODE && !isInlineElement(child as Element)) {
    if (!isSkippedElement(child as Element)) locate(child as Element, word, null, found);
  } else found.add(container);
}

/** Whether an element's text holds a rendered line, give or take spacing and case. */
function holdsLine(element: Element, line: string): boolean {
  const text = element.textContent ?? '';
  if (text.length < line.length) return false;
  return text.replace(/\s+/g, ' ').toLowerCase().includes(line.replace(/\s+/g, ' ').toLowerCase());
}
