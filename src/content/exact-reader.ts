/**
 * The exact pass: reads a root or a located place node by node (page-text.ts),
 * sends its candidates (candidates.ts) as `scan`, judges the hits with the
 * precision rules, and places the accepted marks together when the scanner
 * says a round of work is done.
 *
 * Part of the module the content script imports on demand (exact.ts): pages
 * where the coarse pass finds nothing never compile it.
 */
import type { Result } from '../shared/result';
import { MAX_SCAN_MARKERS, MAX_SCAN_UNITS, type ScanPayload } from '../shared/protocol';
import type { ScanHit } from '../shared/title-scanner';
import { acceptHit, namesInFull } from '../shared/title-context';
import { candidatesOf, matchWords, tokensOf, type Candidate } from './candidates';
import { MARK_SELECTOR, isVisible, placeMark, rangeOf, removeMarks, shownInShadowHostAfter, sidesInTitleElement, styleShadowRoot, takeBackSplitText, wholeElementOf } from './marks';
import { BlockWalker, codeListingOf, textNow, type TextBlock } from './page-text';

/**
 * Candidates per scan request, and normalised characters per request: small
 * enough that serialising one message stays well inside a slice, and always
 * under the protocol's own limit (a request over it is refused whole).
 */
const BATCH_UNITS = Math.min(400, MAX_SCAN_UNITS);
const BATCH_CHARS = 60_000;
/** Accepted hits wait for the round of work to finish, but never longer than this. */
const MARK_WAIT_MS = 1000;
/** Text between two titles named together: `and`, `or`, `&`, a comma, a slash. */
const JOINS_TITLES = /^\s*(?:,\s*)?(?:and|or|&|\/|,)\s*$/iu;
/** The same, opening the rest of the line: only then is the next hit looked for. */
const JOIN_AFTER = /^\s*(?:,\s*)?(?:and|or|&|\/|,)\s/iu;

/** A short or generic main title, taken only where something vouches for it (title-context.ts). */
function isWeakAlias(hit: ScanHit): boolean {
  return hit.kind === 'main' && !hit.distinctive;
}

/** The hit of the same candidate text that starts first at or after `hit` ends, if any. */
function nextHitOf(hits: readonly ScanHit[], hit: ScanHit): ScanHit | null {
  let next: ScanHit | null = null;
  for (const other of hits) {
    if (other.unit === hit.unit && other.start >= hit.end && (!next || other.start < next.start)) next = other;
  }
  return next;
}

export interface ExactReaderDeps {
  scan(payload: ScanPayload): Promise<Result<{ hits: ScanHit[] }>>;
  /** The extension went away. */
  onFatal(): void;
  /** Paper ids of newly placed marks. */
  onMarked(ids: string[]): void;
  /** Mark only titles that are a link's text (a reader setting). */
  linksOnly: boolean;
  /** An open shadow root met on the way. */
  onShadowRoot(root: ShadowRoot): void;
  /** Our own DOM changes are not page changes: drop the observer's records. */
  forgetOwnChanges(): void;
  /** There is work for the next slice. */
  wake(): void;
  /** A reply arrived or marks were placed: the scanner may have settled. */
  settle(): void;
}

export interface ExactReader {
  /** Reads `root` node by node: a place to read once, or a root to walk again if the page moves it. */
  read(root: Element | ShadowRoot, keepsRoot: boolean): void;
  /** Does the next piece of work; false when there is none. */
  step(shouldYield: () => boolean): boolean;
  /** Sends the candidates gathered so far. */
  flush(): void;
  /** Whether there is reading or judging left for a slice. */
  hasWork(): boolean;
  /** Whether candidates wait to be sent or a reply is pending. */
  waiting(): boolean;
  /** Places the accepted marks, if any; true when it did. */
  placeMarks(): boolean;
  /** Takes every mark away. */
  stop(roots: readonly (Document | ShadowRoot)[]): void;
  isOurMark(element: Element): boolean;
  /**
   * The page wrote or removed a text node a mark was cut from: takes back what
   * was split off it (marks.ts takeBackSplitText, whose record lives in this
   * module's copy of marks.ts). True when anything went.
   */
  takeBackSplitText(node: Node): boolean;
}

interface Accepted {
  start: number;
  end: number;
  id: string;
  range: Range;
  element: Element | null;
  /** The matched text without spaces, to notice a page change before placing. */
  asWritten: string;
}

function emptyBatch(): { payload: ScanPayload; candidates: Candidate[]; chars: number } {
  return { payload: { texts: [], joins: [], cuts: [] }, candidates: [], chars: 0 };
}

export function createExactReader(deps: ExactReaderDeps): ExactReader {
  const queue: { root: Element | ShadowRoot; keepsRoot: boolean }[] = [];
  const queued = new Set<Element | ShadowRoot>();
  let walker: BlockWalker | null = null;
  let walkerKeepsRoot = false;
  /** Blocks the walker finished, waiting to be turned into candidates (under the slice budget). */
  const readyBlocks: TextBlock[] = [];
  const hitQueue: { candidates: readonly Candidate[]; hits: readonly ScanHit[]; next: number }[] = [];
  /** Papers this page names in full where marked: a short main title standing as a title may stand for them. */
  const namedIds = new Set<string>();
  let batch = emptyBatch();
  let inFlight = 0;
  let stopped = false;
  const scannedText = new WeakMap<Element, string>();
  /** Marks we placed, and the blocks that hold them (a block that lost its marks is read again). */
  const placedMarks = new WeakSet<Element>();
  const markedBlocks = new WeakSet<Element>();
  const styledRoots = new WeakSet<ShadowRoot>();
  /**
   * Accepted hits wait here until the round of work is done (or MARK_WAIT_MS
   * passed): each placement round costs the page a style, layout and pre-paint
   * pass (a visibility check forces one, and a changed underline repaints), and
   * on a page of 10,000 links one such pass costs about as much as placing every
   * mark at once.
   */
  const pendingMarks = new Map<TextBlock, Accepted[]>();
  let marksTimer: ReturnType<typeof setTimeout> | undefined;

  function step(shouldYield: () => boolean): boolean {
    // Replies first (they lead to marks), one hit at a time.
    const hits = hitQueue[0];
    if (hits) {
      judgeNext(hits);
      if (hits.next >= hits.hits.length) hitQueue.shift();
      return true;
    }
    const block = readyBlocks.shift();
    if (block) {
      queueBlock(block);
      return true;
    }
    if (walker) {
      stepWalker(shouldYield);
      return true;
    }
    const next = queue.shift();
    if (next) {
      queued.delete(next.root);
      if (next.root.isConnected) {
        walker = new BlockWalker(next.root, deps.onShadowRoot);
        walkerKeepsRoot = next.keepsRoot;
      }
      return true;
    }
    return false;
  }

  function stepWalker(shouldYield: () => boolean): void {
    const current = walker as BlockWalker;
    if (current.lostItsPlace()) {
      // The page removed the node the walk paused on: walk the root again
      // (unchanged blocks are skipped) rather than stop early; a place is located again.
      if (walkerKeepsRoot) queue.unshift({ root: current.root, keepsRoot: true });
      walker = null;
      return;
    }
    const more = current.step(shouldYield);
    readyBlocks.push(...current.takeBlocks(!more));
    if (!more) walker = null;
  }

  function queueBlock(block: TextBlock): void {
    // Unchanged text is not read twice, unless the page re-rendered it and took our
    // marks with it (frameworks replace nodes with the same text all the time).
    const unchanged = scannedText.get(block.element) === block.text;
    if (unchanged && !(markedBlocks.has(block.element) && !block.element.querySelector(MARK_SELECTOR))) return;
    scannedText.set(block.element, block.text);
    for (const candidate of candidatesOf(block)) {
      const unit = batch.payload.texts.length;
      batch.payload.texts.push(candidate.text);
      batch.candidates.push(candidate);
      batch.chars += candidate.text.length;
      for (const join of candidate.tokens?.joins ?? []) batch.payload.joins.push(unit, join);
      for (const cut of candidate.tokens?.cuts ?? []) batch.payload.cuts.push(unit, cut);
      const full =
        batch.payload.texts.length >= BATCH_UNITS ||
        batch.chars >= BATCH_CHARS ||
        Math.max(batch.payload.joins.length, batch.payload.cuts.length) >= MAX_SCAN_MARKERS; // pairs: half the limit
      if (full) flush();
    }
  }

  function flush(): void {
    if (batch.payload.texts.length === 0 || stopped) return;
    const { payload, candidates } = batch;
    batch = emptyBatch();
    inFlight++;
    void deps
      .scan(payload)
      .then((reply) => {
        if (stopped) return;
        if (!reply.ok) {
          if (reply.error.code === 'forbidden') deps.onFatal(); // the extension went away under us
          return;
        }
        if (reply.value.hits.length > 0) {
          // Weak aliases last: one may stand for a paper this reply names in full (namedIds).
          const hits = [...reply.value.hits].sort((a, b) => Number(isWeakAlias(a)) - Number(isWeakAlias(b)));
          hitQueue.push({ candidates, hits, next: 0 });
          deps.wake();
        }
      })
      .catch(() => undefined)
      .finally(() => {
        inFlight--;
        deps.settle();
      });
  }

  /** Judges the next hit of a reply; an accepted one waits with its block for placing. */
  function judgeNext(entry: { candidates: readonly Candidate[]; hits: readonly ScanHit[]; next: number }): void {
    const hit = entry.hits[entry.next++] as ScanHit;
    const candidate = entry.candidates[hit.unit];
    if (!candidate || hit.start < 0 || hit.end > tokensOf(candidate).words.length || hit.start >= hit.end) return;
    const accepted = judge(candidate, hit, () => nextHitOf(entry.hits, hit));
    if (!accepted) return;
    if (namesInFull(hit)) namedIds.add(hit.id);
    const list = pendingMarks.get(candidate.block) ?? [];
    list.push(accepted);
    pendingMarks.set(candidate.block, list);
    if (marksTimer === undefined) marksTimer = setTimeout(placeMarks, MARK_WAIT_MS);
  }

  function judge(candidate: Candidate, hit: ScanHit, nextHit: () => ScanHit | null): Accepted | null {
    const { block } = candidate;
    const tokens = tokensOf(candidate);
    const start = tokens.starts[hit.start] as number;
    const end = tokens.ends[hit.end - 1] as number;
    // Another title right after, joined by `and` or a comma, ends this one's line (`CLUTR: … and Bidirectional …`).
    // (Looked for only after such a joiner: a reply can hold hundreds of hits.)
    const next = JOIN_AFTER.test(block.text.slice(end, end + 8)) ? nextHit() : null;
    const nextStart = next ? (tokens.starts[next.start] as number) : undefined;
    const lineEnd = nextStart !== undefined && nextStart >= end && JOINS_TITLES.test(block.text.slice(end, nextStart)) ? nextStart : candidate.lineEnd;
    const asWritten = block.text.slice(start, end);
    const range = rangeOf(block, start, end);
    // The text changed since it was read? (Line breaks we inserted have no node: compare without spaces.)
    if (!range || textNow(block, start, end).replace(/\s+/g, '') !== asWritten.replace(/\s+/g, '')) return null;
    const words = tokens.words.slice(hit.start, hit.end).join(' ');
    const element = wholeElementOf(range, block, (text) => matchWords(text) === words);
    const accepted = acceptHit({
      kind: hit.kind,
      distinctive: hit.distinctive,
      title: hit.title,
      asWritten,
      before: block.text.slice(candidate.lineStart, start),
      after: block.text.slice(end, lineEnd),
      wholeElement: element !== null,
      // Only asked when the line alone does not decide (a DOM read).
      inElement: () => sidesInTitleElement(range, block),
      shownAfter: () => shownInShadowHostAfter(range),
      namedOnPage: namedIds.has(hit.id),
    });
    if (!accepted) return null;
    if (deps.linksOnly) {
      const link = (element ?? range.startContainer.parentElement)?.closest('a[href]');
      if (!link || !link.contains(range.endContainer)) return null;
    }
    return { start, end, id: hit.id, range, element, asWritten: asWritten.replace(/\s+/g, '') };
  }

  function placeMarks(): boolean {
    clearTimeout(marksTimer);
    marksTimer = undefined;
    if (stopped || pendingMarks.size === 0) return false;
    const batches = [...pendingMarks];
    pendingMarks.clear();
    // Every check before any change: one style and layout pass for the whole batch.
    const visible = batches.map(([block, list]) => ({
      block,
      list: list.filter((item) => {
        if (textNow(block, item.start, item.end).replace(/\s+/g, '') !== item.asWritten) return false; // the page changed it meanwhile
        const target = item.element ?? item.range.startContainer.parentElement;
        if (target && !isVisible(target)) {
          // Hidden now (a closed <details>, a collapsed thread): read it again once it changes.
          scannedText.delete(block.element);
          return false;
        }
        return true;
      }),
    }));
    const placed = new Set<string>();
    // A shadow host's light text is read both in its chunk and on its own (page-scanner's
    // adoptShadowRoot), as two blocks: once one is marked, the other's live range has
    // collapsed beside that mark, or (spanning nodes) may hold it. Only ranges over
    // several nodes are compared with the marks placed so far: one text node holds no mark.
    const placedNow: Element[] = [];
    const holdsPlacedMark = (range: Range) => range.startContainer !== range.endContainer && placedNow.some((mark) => range.intersectsNode(mark));
    for (const { block, list } of visible) {
      // Longest first, no overlaps; then place from the end of the block backwards so
      // splitting a text node never shifts a range still to be placed.
      list.sort((a, b) => b.end - b.start - (a.end - a.start));
      const kept: Accepted[] = [];
      for (const item of list) if (!kept.some((k) => k.start < item.end && item.start < k.end)) kept.push(item);
      kept.sort((a, b) => b.start - a.start);
      const root = block.element.getRootNode();
      // The manifest's marks.css reaches the document only.
      if (root instanceof ShadowRoot && !styledRoots.has(root)) {
        styledRoots.add(root);
        styleShadowRoot(root);
      }
      for (const item of kept) {
        try {
          if (item.range.collapsed || holdsPlacedMark(item.range)) continue;
          const mark = placeMark(item.range, item.element, item.id);
          if (mark) {
            placedNow.push(mark);
            placed.add(item.id);
            placedMarks.add(mark);
            markedBlocks.add(block.element);
          }
        } catch {
          // The page changed this spot meanwhile: skip it, the observer will bring it back.
        }
      }
    }
    deps.forgetOwnChanges();
    if (placed.size > 0) deps.onMarked([...placed]);
    deps.settle();
    return true;
  }

  return {
    read(place, keepsRoot) {
      // A located row of a code listing is read with its whole table: a title may wrap onto the next row.
      const root = (place instanceof Element && codeListingOf(place)) || place;
      if (stopped || queued.has(root)) return;
      queued.add(root);
      queue.push({ root, keepsRoot });
      deps.wake();
    },
    step,
    flush,
    hasWork: () => walker !== null || queue.length > 0 || readyBlocks.length > 0 || hitQueue.length > 0,
    waiting: () => inFlight > 0 || batch.payload.texts.length > 0,
    placeMarks,
    stop(roots) {
      if (stopped) return;
      stopped = true;
      clearTimeout(marksTimer);
      marksTimer = undefined;
      pendingMarks.clear();
      queue.length = 0;
      readyBlocks.length = 0;
      hitQueue.length = 0;
      walker = null;
      batch = emptyBatch();
      for (const root of roots) removeMarks(root);
    },
    isOurMark: (element) => placedMarks.has(element),
    takeBackSplitText,
  };
}
