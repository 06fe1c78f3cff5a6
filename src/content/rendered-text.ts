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
import { lazyRegExp } from '../shared/lazy-regexp';
import { isInlineElement, isSkippedElement, shadowHostRightAfter } from './page-text';

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
/**
 * Blank characters between two rows past which a unit ends: a unit is then at
 * most about 2 × UNIT_CHARS + MAX_GAP long, under the protocol's MAX_RENDERED_LENGTH.
 */
const MAX_GAP = 200;
/** A located word in more places than this is too common to narrow anything down. */
const MAX_LOCATED = 12;
/** A subtree this small is read whole rather than searched. */
const LOCATE_WHOLE_ELEMENTS = 48;

export type Chunk = Element;

/** Children of one large root looked at per planning step (each costs a wrapper). */
const PLAN_CHILDREN_PER_STEP = 1000;

/** The children of a large root not looked at yet, from `next` on. */
export interface PlanRest {
  root: Element;
  next: ChildNode;
  /** The root's element count, as the first step counted it. */
  count: number;
}

/** What is left to plan: a block, or the rest of a root's children. */
export type Plan = Element | PlanRest;

/**
 * Splits `root` into chunks to read with innerText. Subtrees that mix inline
 * text with large blocks and are too big to read at once go to `walk` (read
 * node by node, the old way); so do roots that are not HTML elements.
 *
 * With `later`, one step at a time: the blocks of a root too large to read
 * whole go there to be planned in later steps, and so does the rest of its
 * children past PLAN_CHILDREN_PER_STEP (`rest` resumes it). The scanner runs
 * one step per turn under its clock: a feed of 10,000 posts is 10,000 blocks.
 */
export function planChunks(root: Element, chunks: Chunk[], walk: Element[], later?: Plan[], rest?: PlanRest): void {
  let count: number;
  let first: ChildNode | null;
  if (rest && rest.next.parentNode === root) {
    count = rest.count;
    first = rest.next;
  } else {
    if (!hasInnerText(root)) {
      walk.push(root);
      return;
    }
    count = root.getElementsByTagName('*').length;
    if (count <= CHUNK_ELEMENTS || (root.childElementCount >= WHOLE_LIST_CHILDREN && count <= CHUNK_MAX_ELEMENTS)) {
      chunks.push(root);
      return;
    }
    // (A rest whose next child left the root starts over: blocks planned twice read the same text, which is not sent again.)
    first = root.firstChild;
  }
  const blocks: Element[] = [];
  let looked = 0;
  for (let child = first; child; child = child.nextSibling) {
    if (later && ++looked > PLAN_CHILDREN_PER_STEP) {
      later.push(...blocks, { root, next: child, count });
      return;
    }
    if (child.nodeType === Node.TEXT_NODE) {
      if (isBlank((child as Text).data)) continue;
    } else if (child.nodeType !== Node.ELEMENT_NODE) continue;
    else if (!isInlineElement(child as Element)) {
      // Whether a block is skipped (hidden, ours) is asked when it is planned: on
      // a feed of 10,000 posts, asking here made one step of 40 ms.
      blocks.push(child as Element);
      continue;
    } else if (isSkippedElement(child as Element)) continue;
    // Inline text among large blocks: innerText of the whole would be one long task.
    // (Blocks an earlier step queued are read as well then; the exact half marks a title once.)
    if (count <= CHUNK_MAX_ELEMENTS) chunks.push(root);
    else walk.push(root);
    return;
  }
  if (later) later.push(...blocks);
  else for (const block of blocks) if (!isSkippedElement(block)) planChunks(block, chunks, walk);
}

/** The chunks of a shadow root: its element children; loose text in it is read the old way. */
export function planShadowRoot(root: ShadowRoot, chunks: Chunk[], walk: (Element | ShadowRoot)[], later?: Plan[]): void {
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
  if (later) later.push(...blocks);
  else for (const block of blocks) planChunks(block, chunks, walk as Element[]);
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

/**
 * Text sent to the worker: a slice of one chunk's rendered text that starts at
 * the start of row `firstRow` (rows: the chunk's non-empty lines), or inside
 * it at `rowFrom` when a single row was too long to send whole.
 */
export interface Unit {
  chunk: Chunk;
  text: string;
  firstRow: number;
  rowFrom: number;
  /** The chunk's count of rows: with one row per child element, row i is child i. */
  rowCount: number;
  /** Its lines, made once a reply points into it. */
  lines?: Line[];
}

/** Where a line stands in its chunk: row `row` of `rows` rows. */
export interface Row {
  row: number;
  rows: number;
  line: string;
}

/**
 * Cuts a chunk's rendered text into units. Read for the first time, all of it
 * goes, cut at row ends, each unit opening with the last row of the one before
 * so that a title across the cut is whole in one of them; this loop looks at
 * characters only, it makes no string per row. Read again (`previous`: its text
 * last time), only runs of lines that were not there before go, each with the
 * line before and after as context, and lines seen before that held titles
 * (`titles`) are handed to `knownTitles` to be located again, also when the
 * text did not change at all.
 */
export function unitsOf(
  chunk: Chunk,
  text: string,
  previous: string | null,
  titles: ReadonlyMap<string, readonly string[]>,
  knownTitles: (words: readonly string[], row: Row) => void,
): Unit[] {
  if (previous === null) return allUnits(chunk, text);
  if (previous === text) {
    // Nothing is new; its title lines still go, for a page that re-rendered them in new nodes.
    for (const { words, row } of titleRowsOf(text, titles)) knownTitles(words, row);
    return [];
  }
  return changedUnits(chunk, text, previous, titles, knownTitles);
}

function allUnits(chunk: Chunk, text: string): Unit[] {
  const units: Unit[] = [];
  let unitStart = -1;
  let unitRow = 0;
  let lastStart = -1;
  let lastEnd = -1;
  let row = -1;
  for (let rowStart = 0; rowStart < text.length; ) {
    let rowEnd = text.indexOf('\n', rowStart);
    if (rowEnd < 0) rowEnd = text.length;
    let start = rowStart;
    let end = rowEnd;
    rowStart = rowEnd + 1;
    while (start < end && isSpace(text.charCodeAt(start))) start++;
    while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
    if (start === end) continue;
    row++;
    if (lastStart >= 0 && start - lastEnd > MAX_GAP) {
      // A long run of blank lines (<br>s, empty <pre> lines) holds no title across
      // it, and carried in a unit it could push the unit past what the worker takes.
      if (unitStart >= 0) units.push({ chunk, text: text.slice(unitStart, lastEnd), firstRow: unitRow, rowFrom: 0, rowCount: 0 });
      unitStart = -1;
      lastStart = -1;
    }
    if (end - start > UNIT_CHARS) {
      // A row too long to send whole (a paragraph): in overlapping pieces, after what came before it.
      if (unitStart >= 0) units.push({ chunk, text: text.slice(unitStart, lastEnd), firstRow: unitRow, rowFrom: 0, rowCount: 0 });
      units.push(...pieces(chunk, text.slice(start, end), row));
      unitStart = -1;
      lastStart = -1;
      continue;
    }
    if (unitStart < 0) {
      // Open with the row before: the last of the previous unit, so a title across the cut is whole here.
      unitStart = lastStart >= 0 ? lastStart : start;
      unitRow = lastStart >= 0 ? row - 1 : row;
    }
    lastStart = start;
    lastEnd = end;
    if (end - unitStart >= UNIT_CHARS) {
      units.push({ chunk, text: text.slice(unitStart, end), firstRow: unitRow, rowFrom: 0, rowCount: 0 });
      unitStart = -1;
    }
  }
  if (unitStart >= 0) units.push({ chunk, text: text.slice(unitStart, lastEnd), firstRow: unitRow, rowFrom: 0, rowCount: 0 });
  for (const unit of units) unit.rowCount = row + 1;
  return units;
}

function pieces(chunk: Chunk, line: string, row: number): Unit[] {
  const made: Unit[] = [];
  for (let from = 0; ; ) {
    const to = Math.min(line.length, from + UNIT_CHARS);
    made.push({ chunk, text: line.slice(from, to), firstRow: row, rowFrom: from, rowCount: 0 });
    if (to === line.length) return made;
    from = to - PIECE_OVERLAP;
  }
}

/** One line (a row, or a table cell of it) of a text, where it stands. */
export interface Line {
  text: string;
  /** Where it starts in the text it came from. */
  at: number;
  row: number;
}

/** The lines of a text: its non-empty rows, split at table cells (titles do not run across cells). */
export function linesOf(text: string, firstRow = 0): Line[] {
  const lines: Line[] = [];
  let row = firstRow - 1;
  /** The next tab at or after the current cell (searched again only once passed: indexOf has no end bound). */
  let tab = text.indexOf('\t');
  for (let rowStart = 0; rowStart < text.length; ) {
    let rowEnd = text.indexOf('\n', rowStart);
    if (rowEnd < 0) rowEnd = text.length;
    const at = rowStart;
    rowStart = rowEnd + 1;
    let blank = true;
    for (let i = at; i < rowEnd && blank; i++) blank = isSpace(text.charCodeAt(i));
    if (blank) continue;
    row++;
    for (let cellStart = at; cellStart <= rowEnd; ) {
      if (tab >= 0 && tab < cellStart) tab = text.indexOf('\t', cellStart);
      const cellEnd = tab >= 0 && tab < rowEnd ? tab : rowEnd;
      let start = cellStart;
      let end = cellEnd;
      cellStart = cellEnd + 1;
      while (start < end && isSpace(text.charCodeAt(start))) start++;
      while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
      if (end - start >= MIN_LINE) lines.push({ text: text.slice(start, end), at: start, row });
    }
  }
  return lines;
}

function changedUnits(
  chunk: Chunk,
  text: string,
  previous: string,
  titles: ReadonlyMap<string, readonly string[]>,
  knownTitles: (words: readonly string[], row: Row) => void,
): Unit[] {
  const before = new Set(linesOf(previous).map((line) => line.text));
  const lines = linesOf(text);
  const rowCount = (lines[lines.length - 1]?.row ?? -1) + 1;
  const units: Unit[] = [];
  const send = (from: number, to: number) => {
    // Lines [from, to) of `lines` are new; one line of context on either side.
    const first = lines[Math.max(0, from - 1)] as Line;
    const last = lines[Math.min(lines.length, to + 1) - 1] as Line;
    const slice = text.slice(first.at, last.at + last.text.length);
    if (slice.length <= UNIT_CHARS * 2) units.push({ chunk, text: slice, firstRow: first.row, rowFrom: 0, rowCount });
    // A long run goes as the first read would send it (its rows are counted from its start).
    else for (const unit of allUnits(chunk, slice)) units.push({ ...unit, firstRow: unit.firstRow + first.row, rowCount });
  };
  let runStart = -1;
  lines.forEach((line, i) => {
    if (!before.has(line.text)) {
      if (runStart < 0) runStart = i;
      return;
    }
    if (runStart >= 0) send(runStart, i);
    runStart = -1;
    const words = titles.get(line.text);
    if (words) knownTitles(words, { row: line.row, rows: rowCount, line: line.text });
  });
  if (runStart >= 0) send(runStart, lines.length);
  return units;
}

/** The lines of a text remembered to have held titles, where they stand (a chunk read again unchanged). */
function titleRowsOf(text: string, titles: ReadonlyMap<string, readonly string[]>): { words: readonly string[]; row: Row }[] {
  if (titles.size === 0) return [];
  const lines = linesOf(text);
  const rows = (lines[lines.length - 1]?.row ?? -1) + 1;
  const found: { words: readonly string[]; row: Row }[] = [];
  for (const line of lines) {
    const words = titles.get(line.text);
    if (words) found.push({ words, row: { row: line.row, rows, line: line.text } });
  }
  return found;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 12 || code === 160;
}

const ASCII_WORD = /[A-Za-z0-9]+/g;
/** Non-ASCII text needs Unicode letters, a pattern built only on pages that need it (lazy-regexp.ts). */
const UNICODE_WORD = lazyRegExp(String.raw`[\p{L}\p{N}]+`, 'gu');

/**
 * The words to find a span of a unit by: per line it touches, the longest word
 * of that line's part of the span, lower-cased. (Per line, because a title read
 * across two lines may stand in two blocks.)
 */
export function locatorsOf(unit: Unit, from: number, to: number): { line: Line; word: string }[] {
  const found: { line: Line; word: string }[] = [];
  for (const line of (unit.lines ??= linesOf(unit.text, unit.firstRow))) {
    const start = Math.max(from, line.at);
    const end = Math.min(to, line.at + line.text.length);
    if (start >= end) continue;
    const text = line.text.slice(start - line.at, end - line.at);
    const pattern = /[^\x00-\x7f]/.test(text) ? UNICODE_WORD() : ASCII_WORD;
    let word = '';
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) if (match[0].length > word.length) word = match[0];
    if (word !== '') found.push({ line, word: word.toLowerCase() });
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
export function locate(start: Element, word: string, row: Row | null, found: Set<Element>): void {
  // A wrapper around a single block (`<body><div id="app">`) holds the same rows: look inside it.
  let container = start;
  for (let only = soleBlockChild(container); only; only = soleBlockChild(container)) container = only;
  // One row per child: checked first, it costs one read (this runs for every span of a page).
  if (row && row.row >= 0 && row.row < row.rows && row.rows === childElementCount(container)) {
    const child = container.children[row.row];
    if (child && holdsLine(child, row.line)) {
      take(container, child, word, found);
      return;
    }
  }
  const childCount = container.childNodes.length;
  if (childCount <= 1 || container.getElementsByTagName('*').length <= LOCATE_WHOLE_ELEMENTS) {
    found.add(container);
    return;
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

/**
 * An element's count of child elements, remembered: the browser counts them on
 * every read, and a reply can point into the same list of 500 items 30 times.
 * The scanner forgets them whenever the page changes (forgetChildCounts).
 */
let childCounts = new WeakMap<Element, number>();
function childElementCount(element: Element): number {
  let count = childCounts.get(element);
  if (count === undefined) {
    count = element.childElementCount;
    childCounts.set(element, count);
  }
  return count;
}

export function forgetChildCounts(): void {
  childCounts = new WeakMap();
}

/** The one block child of an element whose other children are blank text, if that is what it has. */
function soleBlockChild(element: Element): Element | null {
  // first === last, not childElementCount: that counts the children on every call.
  const child = element.firstElementChild;
  if (!child || child !== element.lastElementChild) return null;
  if (isInlineElement(child) || isSkippedElement(child)) return null;
  for (let node = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === Node.TEXT_NODE && !isBlank((node as Text).data)) return null;
  }
  return child;
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
  if (text.includes(line)) return true;
  return collapseSpaces(text).toLowerCase().includes(collapseSpaces(line).toLowerCase());
}

/** A letter or digit then a space at the end; a space then a letter or digit at the start (text with spacing collapsed). */
const WORD_THEN_SPACE = lazyRegExp(String.raw`[\p{L}\p{N}] $`, 'u');
const SPACE_THEN_WORD = lazyRegExp(String.raw`^ [\p{L}\p{N}]`, 'u');

/**
 * Whether every occurrence of `title` (as the page rendered it, any case) in
 * `place` runs on inside one text node, with a word right before or right
 * after it there (`Learning Pointer Networks for Graphs`). No link, emphasis or
 * line can then set it apart, nor a shadow host's citation right after it, so
 * a title that is only taken standing apart (SPAN_UNLESS_RUNNING_TEXT) cannot
 * be marked there and the exact read is saved. An occurrence that crosses
 * nodes, or none found, answers false: the place is read.
 */
export function liesOnlyInRunningText(place: Element, title: string): boolean {
  const wanted = collapseSpaces(title).toLowerCase();
  if (wanted === '') return false;
  const total = occurrences(collapseSpaces(place.textContent ?? '').toLowerCase(), wanted).length;
  if (total === 0) return false;
  let runningOn = 0;
  const walker = (place.ownerDocument ?? document).createTreeWalker(place, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const data = (node as Text).data;
    if (data.length < wanted.length) continue;
    const text = collapseSpaces(data).toLowerCase();
    for (const at of occurrences(text, wanted)) {
      const before = text.slice(Math.max(0, at - 2), at);
      const after = text.slice(at + wanted.length, at + wanted.length + 2);
      if (!WORD_THEN_SPACE().test(before) && !SPACE_THEN_WORD().test(after)) return false;
      // A citation element right after may set it off (`from Title<d-cite>` showing `[3]`).
      if (!/\S/.test(text.slice(at + wanted.length)) && shadowHostRightAfter(node)) return false;
      runningOn++;
    }
  }
  return runningOn === total;
}

/** Spacing other than single plain spaces: most text has none, and replacing every space costs a copy. */
const UNCOLLAPSED = /[^\S ]| {2}/;

function collapseSpaces(text: string): string {
  return UNCOLLAPSED.test(text) ? text.replace(/\s+/g, ' ') : text;
}

function occurrences(text: string, wanted: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(wanted); at >= 0; at = text.indexOf(wanted, at + 1)) found.push(at);
  return found;
}
