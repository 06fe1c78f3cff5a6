/**
 * Drives detection on one document, in two passes, and keeps watching for
 * content added later (infinite scroll, history navigation, expanded threads,
 * open shadow roots).
 *
 * 1. Coarse: the page's text as rendered, read in bulk (rendered-text.ts) and
 *    sent raw (`scanRendered`). The worker answers where a digest title may
 *    stand; lines already sent are never sent again.
 * 2. Exact: only those places are found in the DOM and read node by node
 *    (page-text.ts); their candidates (candidates.ts) go through `scan`, and
 *    the hits that pass the precision rules are marked.
 *
 * Content the coarse pass cannot see is read exactly from the start: elements
 * the browser skips under `content-visibility: auto` (skipped-watch.ts), loose
 * text in shadow roots, and documents that are not HTML.
 *
 * Page cost rules (DESIGN.md §5): no slice runs longer than SLICE_MS, except by
 * the one innerText read it ends on; mutation records are batched per frame;
 * past COARSE_RESCAN_NODES added nodes one coarse rescan replaces the itemised
 * work; a block is read exactly again only when its text changed; our own marks
 * never trigger a rescan; marks are placed together once a round of work is
 * done, because every placement costs the page a style, layout and paint pass.
 */
import type { Result } from '../shared/result';
import { MAX_SCAN_CHARS, MAX_SCAN_MARKERS, MAX_SCAN_UNITS, type RenderedPayload, type ScanPayload } from '../shared/protocol';
import type { ScanHit } from '../shared/title-scanner';
import { acceptHit } from '../shared/title-context';
import { tokenize } from '../shared/tokenize';
import { candidatesOf, tokensOf, type Candidate } from './candidates';
import { MARK_SELECTOR, isOurMark, isVisible, placeMark, rangeOf, removeMarks, styleShadowRoot, wholeElementOf } from './marks';
import { BlockWalker, SHADOW_HOST_QUERY, blockOf, isInSkippedSubtree, type TextBlock } from './page-text';
import {
  NO_TITLES,
  isPending,
  locate,
  locatorsOf,
  planChunks,
  planShadowRoot,
  renderedText,
  unitsOf,
  type Chunk,
  type LineState,
  type Row,
  type Unit,
} from './rendered-text';
import { skippedInside, skippedWatch } from './skipped-watch';

const SLICE_MS = 8;
/**
 * Candidates per scan request, and normalised characters per request: small
 * enough that serialising one message stays well inside a slice, and always
 * under the protocol's own limit (a request over it is refused whole).
 */
const BATCH_UNITS = Math.min(400, MAX_SCAN_UNITS);
const BATCH_CHARS = 60_000;
/**
 * Raw characters per coarse request. Extension messaging serialises several
 * times slower than JSON.stringify: 40k characters keep one send to a few ms.
 */
const RENDERED_BATCH_CHARS = Math.min(40_000, MAX_SCAN_CHARS);
const COARSE_RESCAN_NODES = 1000;
/** Accepted hits wait for the round of work to finish, but never longer than this. */
const MARK_WAIT_MS = 1000;
/** The seen-lines memory is dropped past this many lines (a long-lived feed); lines are then sent again. */
const MAX_SEEN_LINES = 100_000;
/** A shadow host with up to this many light-DOM elements has them read node by node (see planRoot). */
const SMALL_HOST_ELEMENTS = 300;

export interface ScanChannel {
  scan(payload: ScanPayload): Promise<Result<{ hits: ScanHit[] }>>;
  scanRendered(payload: RenderedPayload): Promise<Result<{ spans: number[] }>>;
}

export interface PageScanner {
  /** Stops watching and removes every mark (the extension went away). */
  stop(): void;
  /** The document and every open shadow root still on the page (where marks can be). */
  markRoots(): (Document | ShadowRoot)[];
  /** Whether this scanner placed the mark (pages can write the same attribute themselves). */
  isOurMark(element: Element): boolean;
  /** Resolves when no read, batch, reply or mark is pending (tests, benchmarks, the popup's list). */
  idle(): Promise<void>;
}

function emptyBatch(): { payload: ScanPayload; candidates: Candidate[]; chars: number } {
  return { payload: { texts: [], joins: [], cuts: [] }, candidates: [], chars: 0 };
}

function emptyRenderedBatch(): { texts: string[]; units: Unit[]; chars: number } {
  return { texts: [], units: [], chars: 0 };
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

export function startPageScanner(
  doc: Document,
  channel: ScanChannel,
  onFatal: () => void,
  /** Called with the paper ids of newly placed marks. */
  onMarked: (ids: string[]) => void = () => undefined,
  /** Mark only titles that are a link's text (a reader setting). */
  linksOnly = false,
): PageScanner {
  /** Roots to plan into chunks (the body, changed blocks, shadow roots). */
  const coarseRoots: (Element | ShadowRoot)[] = [];
  /** Chunks to read with innerText. */
  const chunks: Chunk[] = [];
  /** Roots to read node by node from the start (what innerText cannot show). */
  const walkRoots: (Element | ShadowRoot)[] = [];
  /** Places the coarse pass located, to read exactly; the set keeps one entry per place. */
  const exactQueue: Element[] = [];
  const exactQueued = new Set<Element>();
  /** Coarse replies waiting to be located, and exact replies waiting to be judged (both under the slice budget). */
  const spanQueue: { units: readonly Unit[]; spans: readonly number[]; next: number }[] = [];
  const hitQueue: { candidates: readonly Candidate[]; hits: readonly ScanHit[]; next: number }[] = [];
  /** Units read from chunks, waiting to be batched and sent. */
  const unitQueue: Unit[] = [];
  /** Lines sent in the coarse pass, and what came of them. */
  let seen = new Map<string, LineState>();
  const scannedText = new WeakMap<Element, string>();
  /** Marks we placed, and the blocks that hold them (a block that lost its marks is read again). */
  const placedMarks = new WeakSet<Element>();
  const markedBlocks = new WeakSet<Element>();
  const observedShadowRoots = new WeakSet<ShadowRoot>();
  const shadowRoots: ShadowRoot[] = [];
  const watch = skippedWatch();
  let walker: BlockWalker | null = null;
  /** Whether the walk is of a root to read whole (kept on losing its place) or of a located place. */
  let walkerKeepsRoot = false;
  /** Blocks the walker finished, waiting to be turned into candidates (under the slice budget). */
  const readyBlocks: TextBlock[] = [];
  let batch = emptyBatch();
  let renderedBatch = emptyRenderedBatch();
  let inFlight = 0;
  let sliceScheduled = false;
  let frameScheduled = false;
  let stopped = false;
  let idleWaiters: (() => void)[] = [];
  const dirtyNodes = new Set<Node>();
  let addedNodes = 0;

  const observer = new MutationObserver((records) => {
    try {
      collectMutations(records);
    } catch {
      // A broken page must never see our errors.
    }
  });

  function observe(root: Node): void {
    observer.observe(root, { childList: true, subtree: true, characterData: true });
  }

  function onShadowRoot(root: ShadowRoot): void {
    if (observedShadowRoots.has(root)) return;
    observedShadowRoots.add(root);
    // Forget roots whose hosts left the page, so they are neither kept nor counted.
    for (let i = shadowRoots.length - 1; i >= 0; i--) if (!shadowRoots[i]?.host.isConnected) shadowRoots.splice(i, 1);
    shadowRoots.push(root);
    styleShadowRoot(root);
    observe(root);
    coarseRoots.push(root);
    scheduleSlice();
  }

  function busy(): boolean {
    return (
      spanQueue.length > 0 ||
      hitQueue.length > 0 ||
      unitQueue.length > 0 ||
      walker !== null ||
      readyBlocks.length > 0 ||
      exactQueue.length > 0 ||
      walkRoots.length > 0 ||
      chunks.length > 0 ||
      coarseRoots.length > 0
    );
  }

  function scheduleSlice(): void {
    if (sliceScheduled || stopped) return;
    sliceScheduled = true;
    const run = () => {
      sliceScheduled = false;
      runSlice();
    };
    if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 300 });
    else setTimeout(run, 1);
  }

  function runSlice(): void {
    if (stopped) return;
    const startedAt = performance.now();
    const shouldYield = () => performance.now() - startedAt > SLICE_MS;
    try {
      while (!shouldYield()) {
        // Replies first (they lead to marks), one hit or span at a time.
        const hits = hitQueue[0];
        if (hits) {
          judgeNext(hits);
          if (hits.next >= hits.hits.length) hitQueue.shift();
          continue;
        }
        const spans = spanQueue[0];
        if (spans) {
          locateNext(spans);
          if (spans.next + 2 >= spans.spans.length) {
            spanQueue.shift();
            settleLines(spans.units);
          }
          continue;
        }
        if (unitQueue.length > 0) {
          batchUnits();
          continue;
        }
        if (readyBlocks.length > 0) {
          queueBlock(readyBlocks.shift() as TextBlock);
          continue;
        }
        if (walker) {
          stepWalker(shouldYield);
          continue;
        }
        // Located places first: they are what leads to marks.
        const place = exactQueue.shift();
        if (place) {
          exactQueued.delete(place);
          if (place.isConnected) startWalk(place, false);
          continue;
        }
        const root = walkRoots.shift();
        if (root) {
          if (root.isConnected) startWalk(root, true);
          continue;
        }
        const chunk = chunks.shift();
        if (chunk) {
          readChunk(chunk);
          continue;
        }
        const coarse = coarseRoots.shift();
        if (coarse) {
          planRoot(coarse);
          continue;
        }
        break;
      }
      if (!busy()) {
        flushRendered();
        flush();
      }
    } catch {
      walker = null; // the page pulled the DOM from under the walk; the observer brings us back
    }
    if (busy()) scheduleSlice();
    else settleIfIdle();
  }

  function startWalk(root: Element | ShadowRoot, keepsRoot: boolean): void {
    walker = new BlockWalker(root, onShadowRoot);
    walkerKeepsRoot = keepsRoot;
  }

  function stepWalker(shouldYield: () => boolean): void {
    const current = walker as BlockWalker;
    if (current.lostItsPlace()) {
      // The page removed the node the walk paused on: walk the root again
      // (unchanged blocks are skipped) rather than stop early.
      if (walkerKeepsRoot) walkRoots.unshift(current.root);
      else if (current.root instanceof Element) exactQueue.unshift(current.root);
      walker = null;
      return;
    }
    const more = current.step(shouldYield);
    readyBlocks.push(...current.takeBlocks(!more));
    if (!more) walker = null;
  }

  // ---------------------------------------------------------------------------
  // Coarse pass

  function planRoot(root: Element | ShadowRoot): void {
    if (!root.isConnected) return;
    // Shadow roots are not in innerText: find their hosts here, they become roots of their own.
    for (const host of root.querySelectorAll(SHADOW_HOST_QUERY)) {
      const shadow = host.shadowRoot;
      if (!shadow) continue;
      onShadowRoot(shadow);
      // Light content slotted into a shadow root loses the spaces between slots in
      // innerText (`...ModelsSlotted from`): a small host's light DOM is read node by node.
      if (host.firstChild && host.getElementsByTagName('*').length <= SMALL_HOST_ELEMENTS) walkRoots.push(host);
    }
    if (root instanceof ShadowRoot) planShadowRoot(root, chunks, walkRoots);
    else planChunks(root, chunks, walkRoots as Element[]);
    // What the browser skips rendering is not in innerText: read it node by node.
    for (const element of skippedInside(watch, root)) walkRoots.push(element);
  }

  function readChunk(chunk: Chunk): void {
    if (!chunk.isConnected) return;
    if (seen.size > MAX_SEEN_LINES) seen = new Map();
    unitQueue.push(...unitsOf(chunk, renderedText(chunk), seen, locateWords));
  }

  /** Moves units into the coarse batch, and sends it once full: one send per step, under the clock. */
  function batchUnits(): void {
    while (unitQueue.length > 0) {
      const unit = unitQueue.shift() as Unit;
      renderedBatch.texts.push(unit.text);
      renderedBatch.units.push(unit);
      renderedBatch.chars += unit.text.length;
      if (renderedBatch.chars >= RENDERED_BATCH_CHARS || renderedBatch.texts.length >= MAX_SCAN_UNITS) {
        flushRendered();
        return;
      }
    }
  }

  function flushRendered(): void {
    if (renderedBatch.texts.length === 0) return;
    const { texts, units } = renderedBatch;
    renderedBatch = emptyRenderedBatch();
    inFlight++;
    void channel
      .scanRendered({ texts })
      .then((reply) => {
        if (stopped) return;
        if (!reply.ok) {
          if (reply.error.code === 'forbidden') onFatal(); // the extension went away under us
          forget(units);
          return;
        }
        spanQueue.push({ units, spans: reply.value.spans, next: 0 });
      })
      .catch(() => forget(units))
      .finally(() => {
        inFlight--;
        if (busy()) scheduleSlice();
        settleIfIdle();
      });
  }

  /** Lines whose reply never came are forgotten, so they are sent again when seen again. */
  function forget(units: readonly Unit[]): void {
    for (const unit of units) for (const part of unit.parts) if (part.fresh) seen.delete(part.line);
  }

  /** Locates the next span of a coarse reply. */
  function locateNext(entry: { units: readonly Unit[]; spans: readonly number[]; next: number }): void {
    const { units, spans } = entry;
    const at = entry.next;
    entry.next += 3;
    const unit = units[spans[at] as number];
    const from = spans[at + 1] as number;
    const to = spans[at + 2] as number;
    if (!unit || !(from >= 0 && from < to && to <= unit.text.length)) return;
    for (const { part, word } of locatorsOf(unit, from, to)) {
      locateWords(unit.chunk, [word], { row: part.row, rows: unit.rows, line: part.line });
      const state = seen.get(part.line);
      if (part.fresh && state && isPending(state) && !state.words.includes(word)) state.words.push(word);
    }
  }

  /** Each line learns what it holds once every unit that carried it has answered. */
  function settleLines(units: readonly Unit[]): void {
    for (const unit of units) {
      for (const part of unit.parts) {
        const state = seen.get(part.line);
        if (!part.fresh || !state || !isPending(state) || --state.outstanding > 0) continue;
        const words = state.words.length > 0 ? state.words : NO_TITLES;
        seen.set(part.line, words);
        if (words.length > 0) for (const { chunk, row } of state.waiting) locateWords(chunk, words, row);
      }
    }
  }

  function locateWords(chunk: Chunk, words: readonly string[], row: Row | null): void {
    if (!chunk.isConnected) return;
    const found = new Set<Element>();
    for (const word of words) locate(chunk, word, row, found);
    for (const place of found) {
      if (exactQueued.has(place)) continue;
      exactQueued.add(place);
      exactQueue.push(place);
    }
    if (found.size > 0) scheduleSlice();
  }

  // ---------------------------------------------------------------------------
  // Exact pass

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
    if (batch.payload.texts.length === 0) return;
    const { payload, candidates } = batch;
    batch = emptyBatch();
    inFlight++;
    void channel
      .scan(payload)
      .then((reply) => {
        if (stopped) return;
        if (!reply.ok) {
          if (reply.error.code === 'forbidden') onFatal(); // the extension went away under us
          return;
        }
        if (reply.value.hits.length > 0) hitQueue.push({ candidates, hits: reply.value.hits, next: 0 });
      })
      .catch(() => undefined)
      .finally(() => {
        inFlight--;
        if (busy()) scheduleSlice();
        settleIfIdle();
      });
  }

  /**
   * Accepted hits wait here until the round of work is done (or MARK_WAIT_MS
   * passed): each placement round costs the page a style, layout and pre-paint
   * pass (a visibility check forces one, and a changed underline repaints), and
   * on a page of 10,000 links one such pass costs about as much as placing every
   * mark at once.
   */
  const pendingMarks = new Map<TextBlock, Accepted[]>();
  let marksTimer: ReturnType<typeof setTimeout> | undefined;

  /** Judges the next hit of an exact reply; an accepted one waits with its block for placing. */
  function judgeNext(entry: { candidates: readonly Candidate[]; hits: readonly ScanHit[]; next: number }): void {
    const hit = entry.hits[entry.next++] as ScanHit;
    const candidate = entry.candidates[hit.unit];
    if (!candidate || hit.start < 0 || hit.end > tokensOf(candidate).words.length || hit.start >= hit.end) return;
    const accepted = judge(candidate, hit);
    if (!accepted) return;
    const list = pendingMarks.get(candidate.block) ?? [];
    list.push(accepted);
    pendingMarks.set(candidate.block, list);
    if (marksTimer === undefined) marksTimer = setTimeout(placePendingMarks, MARK_WAIT_MS);
  }

  function placePendingMarks(): void {
    clearTimeout(marksTimer);
    marksTimer = undefined;
    if (stopped || pendingMarks.size === 0) return;
    const batches = [...pendingMarks];
    pendingMarks.clear();
    // Every check before any change: one style and layout pass for the whole batch.
    const visible = batches.map(([block, list]) => ({
      block,
      list: list.filter((item) => {
        if (item.range.toString().replace(/\s+/g, '') !== item.asWritten) return false; // the page changed it meanwhile
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
    for (const { block, list } of visible) {
      // Longest first, no overlaps; then place from the end of the block backwards so
      // splitting a text node never shifts a range still to be placed.
      list.sort((a, b) => b.end - b.start - (a.end - a.start));
      const kept: Accepted[] = [];
      for (const item of list) if (!kept.some((k) => k.start < item.end && item.start < k.end)) kept.push(item);
      kept.sort((a, b) => b.start - a.start);
      for (const item of kept) {
        try {
          const mark = placeMark(item.range, item.element, item.id);
          if (mark) {
            placed.add(item.id);
            placedMarks.add(mark);
            markedBlocks.add(block.element);
          }
        } catch {
          // The page changed this spot meanwhile: skip it, the observer will bring it back.
        }
      }
    }
    // Our own DOM changes are not page changes.
    observer.takeRecords();
    if (placed.size > 0) onMarked([...placed]);
    settleIfIdle();
  }

  function judge(candidate: Candidate, hit: ScanHit): Accepted | null {
    const { block } = candidate;
    const tokens = tokensOf(candidate);
    const start = tokens.starts[hit.start] as number;
    const end = tokens.ends[hit.end - 1] as number;
    const asWritten = block.text.slice(start, end);
    const range = rangeOf(block, start, end);
    // The text changed since it was read? (Line breaks we inserted have no node: compare without spaces.)
    if (!range || range.toString().replace(/\s+/g, '') !== asWritten.replace(/\s+/g, '')) return null;
    const words = tokens.words.slice(hit.start, hit.end).join(' ');
    const element = wholeElementOf(range, block, (text) => tokenize(text).words.join(' ') === words);
    const accepted = acceptHit({
      kind: hit.kind,
      distinctive: hit.distinctive,
      title: hit.title,
      asWritten,
      before: block.text.slice(candidate.lineStart, start),
      after: block.text.slice(end, candidate.lineEnd),
      wholeElement: element !== null,
    });
    if (!accepted) return null;
    if (linksOnly) {
      const link = (element ?? range.startContainer.parentElement)?.closest('a[href]');
      if (!link || !link.contains(range.endContainer)) return null;
    }
    return { start, end, id: hit.id, range, element, asWritten: asWritten.replace(/\s+/g, '') };
  }

  // ---------------------------------------------------------------------------
  // Changes to the page

  function collectMutations(records: MutationRecord[]): void {
    for (const record of records) {
      if (record.type === 'characterData') {
        dirtyNodes.add(record.target);
        continue;
      }
      for (const node of record.addedNodes) {
        if (isOurMark(node)) continue;
        addedNodes++;
        dirtyNodes.add(node);
      }
    }
    if (dirtyNodes.size > 0) scheduleFrame();
  }

  function scheduleFrame(): void {
    if (frameScheduled || stopped) return;
    frameScheduled = true;
    const run = () => {
      if (!frameScheduled) return;
      frameScheduled = false;
      processMutations();
    };
    // Hidden tabs get no animation frames: fall back to a timer there.
    if (doc.visibilityState === 'visible') requestAnimationFrame(run);
    setTimeout(run, doc.visibilityState === 'visible' ? 250 : 100);
  }

  function processMutations(): void {
    try {
      if (addedNodes > COARSE_RESCAN_NODES && doc.body) {
        // Past this, itemising costs more than one read that skips lines already sent.
        coarseRoots.push(doc.body);
      } else {
        const blocks = new Set<Element>();
        for (const node of dirtyNodes) {
          if (!node.isConnected || isInSkippedSubtree(node)) continue;
          const block = blockOf(node);
          if (block) blocks.add(block);
        }
        for (const block of blocks) {
          let covered = false;
          for (const other of blocks) if (other !== block && other.contains(block)) covered = true;
          if (!covered) coarseRoots.push(block);
        }
      }
    } finally {
      dirtyNodes.clear();
      addedNodes = 0;
    }
    scheduleSlice();
  }

  function onToggle(event: Event): void {
    if (!event.isTrusted || !(event.target instanceof Element)) return;
    dirtyNodes.add(event.target);
    scheduleFrame();
  }

  function settleIfIdle(): void {
    if (busy() || inFlight > 0 || sliceScheduled || frameScheduled) return;
    if (batch.payload.texts.length > 0 || renderedBatch.texts.length > 0) return;
    // The round of work is done: place its marks together.
    if (pendingMarks.size > 0) {
      placePendingMarks();
      return; // placing calls back here
    }
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  doc.addEventListener('toggle', onToggle, true);
  observe(doc);
  if (doc.body) coarseRoots.push(doc.body);
  else if (doc.documentElement) coarseRoots.push(doc.documentElement);
  if (watch) {
    // An element added off-screen is skipped before its text was ever rendered: read it node by node.
    watch.onNewlySkipped = (element) => {
      if (stopped || isInSkippedSubtree(element)) return;
      walkRoots.push(element);
      scheduleSlice();
    };
  }
  scheduleSlice();

  return {
    stop() {
      if (stopped) return;
      stopped = true;
      if (watch) watch.onNewlySkipped = null;
      for (const queue of [spanQueue, hitQueue, unitQueue, coarseRoots, chunks, walkRoots, exactQueue, readyBlocks]) queue.length = 0;
      walker = null;
      batch = emptyBatch();
      renderedBatch = emptyRenderedBatch();
      clearTimeout(marksTimer);
      marksTimer = undefined;
      pendingMarks.clear();
      observer.disconnect();
      doc.removeEventListener('toggle', onToggle, true);
      removeMarks(doc);
      for (const root of shadowRoots) removeMarks(root);
      settleIfIdle();
    },
    markRoots: () => [doc, ...shadowRoots.filter((root) => root.host.isConnected)],
    isOurMark: (element) => placedMarks.has(element),
    idle() {
      return new Promise((resolve) => {
        idleWaiters.push(resolve);
        settleIfIdle();
      });
    },
  };
}
