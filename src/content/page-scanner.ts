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
import {
  MAX_RENDERED_LENGTH,
  MAX_SCAN_CHARS,
  MAX_SCAN_UNITS,
  SPAN_STRIDE,
  SPAN_UNLESS_RUNNING_TEXT,
  type RenderedPayload,
  type ScanPayload,
} from '../shared/protocol';
import type { ScanHit } from '../shared/title-scanner';
import type { ExactReader } from './exact-reader';
import type * as ExactModule from './exact';
import { MARK_ATTRIBUTE, MARK_SELECTOR, isOurMark as isMarkElement } from './marks';
import { SHADOW_HOST_QUERY, blockOf, isInSkippedSubtree, isSkippedElement } from './page-text';
import {
  forgetChildCounts,
  liesOnlyInRunningText,
  locate,
  locatorsOf,
  planChunks,
  planShadowRoot,
  renderedText,
  unitsOf,
  type Chunk,
  type Plan,
  type Row,
  type Unit,
} from './rendered-text';
import { skippedInside, skippedWatch } from './skipped-watch';

const SLICE_MS = 8;
/**
 * Raw characters per coarse request. Extension messaging serialises several
 * times slower than JSON.stringify: 40k characters keep one send to a few ms.
 */
const RENDERED_BATCH_CHARS = Math.min(40_000, MAX_SCAN_CHARS);
const COARSE_RESCAN_NODES = 1000;
/** Lines remembered to hold titles, past which the older half is forgotten (a long-lived feed). */
const MAX_TITLE_LINES = 10_000;
/** A shadow host with up to this many light-DOM elements has them read node by node (see adoptShadowRoot). */
const SMALL_HOST_ELEMENTS = 300;
/**
 * Attributes whose change can bring content that was not rendered into view
 * without adding a node: a "...more" that sets a class on the description, a
 * tab panel losing `hidden`, an accordion's inline `display`, `<dialog open>`.
 */
const REVEALING_ATTRIBUTES = ['class', 'style', 'hidden', 'open', 'aria-hidden'];
/**
 * How long after a click (a pointer's, or a key activating a control) those
 * attributes are watched. Pages reveal content that way in answer to the
 * reader; watched all the time, a page animating classes would cost 60-100 ms
 * of our work a second (300 class changes a frame, measured).
 */
const WATCH_ATTRIBUTES_AFTER_CLICK_MS = 3000;
/** A block whose attributes changed is read again at most this often: pages animate classes and styles. */
const RESTYLED_READ_INTERVAL_MS = 1000;
/**
 * Past this many elements a restyled block is not read again: a page's large
 * containers change classes with scrolling and layout state, and content they
 * reveal is usually shown by changing its own attributes.
 */
const RESTYLED_MAX_ELEMENTS = 4000;
/** Past this many restyled blocks in a frame (a list filtered item by item), their chunks are read again instead. */
const RESTYLED_ITEMISED = 50;

export interface ScanChannel {
  scan(payload: ScanPayload): Promise<Result<{ hits: ScanHit[] }>>;
  scanRendered(payload: RenderedPayload): Promise<Result<{ spans: number[] }>>;
}

/** Imports the exact half (exact.ts) on first need: a packaged module in the extension, the module itself in tests. */
export type LoadExact = () => Promise<typeof ExactModule>;

export interface PageScanner {
  /** Stops watching and removes every mark (the extension went away). */
  stop(): void;
  /** The document and every open shadow root still on the page (where marks can be). */
  markRoots(): (Document | ShadowRoot)[];
  /** Whether this scanner placed the mark (pages can write the same attribute themselves). */
  isOurMark(element: Element): boolean;
  /** Resolves when no read, batch, reply or mark is pending (tests, benchmarks, the popup's list). */
  idle(): Promise<void>;
  /** Resolves with the exact half once the scanner needed it (the hover card starts with it). */
  loaded(): Promise<typeof ExactModule>;
}

/** A line remembered to hold a title, found again in a chunk read again. */
interface KnownTitle {
  words: readonly string[];
  row: Row;
}

function emptyRenderedBatch(): { texts: string[]; units: Unit[]; chars: number } {
  return { texts: [], units: [], chars: 0 };
}

export function startPageScanner(
  doc: Document,
  channel: ScanChannel,
  onFatal: () => void,
  /** Called with the paper ids of newly placed marks. */
  onMarked: (ids: string[]) => void,
  /** Mark only titles that are a link's text (a reader setting). */
  linksOnly: boolean,
  loadExact: LoadExact,
): PageScanner {
  /** Roots to plan into chunks (the body, changed blocks, shadow roots). */
  const coarseRoots: (Element | ShadowRoot)[] = [];
  /** Blocks of roots too large to read whole, and the rest of their children, planned one per step. */
  const blocksToPlan: Plan[] = [];
  /** Chunks to read with innerText. */
  const chunks: Chunk[] = [];
  /** Units read from chunks, waiting to be batched and sent. */
  const unitQueue: Unit[] = [];
  /** Coarse replies waiting to be located (under the slice budget). */
  const spanQueue: { units: readonly Unit[]; spans: readonly number[]; next: number }[] = [];
  /** Remembered title lines of chunks read again, waiting to be located again (relocateIfMarksLost). */
  const relocations: (KnownTitle & { chunk: Chunk })[] = [];
  /** What to read node by node, waiting for the exact half to load: places located, and roots innerText cannot show. */
  const forExact: { root: Element | ShadowRoot; keepsRoot: boolean }[] = [];
  /**
   * What the coarse pass remembers: each chunk's text when last read (a chunk
   * read again sends only lines that were not there), and the lines that held
   * titles, with the words that locate them (located again when they show again).
   */
  const chunkTexts = new WeakMap<Chunk, string>();
  const titleLines = new Map<string, string[]>();
  const observedShadowRoots = new WeakSet<ShadowRoot>();
  const shadowRoots: ShadowRoot[] = [];
  const watch = skippedWatch();
  let renderedBatch = emptyRenderedBatch();
  let inFlight = 0;
  let exact: ExactReader | null = null;
  let exactModule: Promise<typeof ExactModule> | null = null;
  let announceLoaded: (module: typeof ExactModule) => void = () => undefined;
  const loaded = new Promise<typeof ExactModule>((resolve) => (announceLoaded = resolve));
  let sliceScheduled = false;
  let frameScheduled = false;
  let stopped = false;
  let idleWaiters: (() => void)[] = [];
  const dirtyNodes = new Set<Node>();
  /** Elements whose revealing attributes changed (REVEALING_ATTRIBUTES), and when each block was last read for that. */
  const restyled = new Set<Element>();
  const restyledReads = new WeakMap<Element, number>();
  /** Restyled elements whose block was read too recently: looked at again once the interval is over. */
  const heldBack = new Set<Element>();
  let restyledTimer: ReturnType<typeof setTimeout> | undefined;
  let addedNodes = 0;

  const observer = new MutationObserver((records) => {
    try {
      collectMutations(records);
    } catch {
      // A broken page must never see our errors.
    }
  });

  /** Attribute changes, watched only for a while after each click (WATCH_ATTRIBUTES_AFTER_CLICK_MS). */
  const attributeObserver = new MutationObserver((records) => {
    try {
      collectMutations(records);
    } catch {
      // A broken page must never see our errors.
    }
  });
  let attributeWatchTimer: ReturnType<typeof setTimeout> | undefined;

  function observe(root: Node): void {
    observer.observe(root, { childList: true, subtree: true, characterData: true });
    if (attributeWatchTimer !== undefined) observeAttributes(root);
  }

  function onShadowRoot(root: ShadowRoot): void {
    if (observedShadowRoots.has(root)) return;
    observedShadowRoots.add(root);
    // Forget roots whose hosts left the page, so they are neither kept nor counted.
    for (let i = shadowRoots.length - 1; i >= 0; i--) if (!shadowRoots[i]?.host.isConnected) shadowRoots.splice(i, 1);
    shadowRoots.push(root);
    observe(root);
    coarseRoots.push(root);
    scheduleSlice();
  }

  /** Work for a slice of our own (the exact half keeps its own list). */
  function hasWork(): boolean {
    return (
      spanQueue.length > 0 ||
      relocations.length > 0 ||
      unitQueue.length > 0 ||
      chunks.length > 0 ||
      blocksToPlan.length > 0 ||
      coarseRoots.length > 0 ||
      (exact !== null && (forExact.length > 0 || exact.hasWork()))
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
        // Replies first (they lead to marks).
        const spans = spanQueue[0];
        if (spans) {
          locateNext(spans);
          if (spans.next + SPAN_STRIDE > spans.spans.length) spanQueue.shift();
          continue;
        }
        const relocation = relocations.shift();
        if (relocation) {
          locateWords(relocation.chunk, relocation.words, relocation.row);
          continue;
        }
        if (exact) {
          const next = forExact.shift();
          if (next) exact.read(next.root, next.keepsRoot);
          if (next || exact.step(shouldYield)) continue;
        }
        if (unitQueue.length > 0) {
          batchUnits();
          continue;
        }
        const chunk = chunks.shift();
        if (chunk) {
          readChunk(chunk);
          continue;
        }
        const block = blocksToPlan.shift();
        if (block) {
          planBlock(block);
          continue;
        }
        const coarse = coarseRoots.shift();
        if (coarse) {
          planRoot(coarse);
          continue;
        }
        break;
      }
      if (!hasWork()) {
        flushRendered();
        exact?.flush();
      }
    } catch {
      // The page pulled the DOM from under us; the observer brings us back.
    }
    if (hasWork()) scheduleSlice();
    else settleIfIdle();
  }

  /** Hands a root or place to the exact half, loading it first if need be. */
  function readExactly(root: Element | ShadowRoot, keepsRoot: boolean): void {
    forExact.push({ root, keepsRoot });
    if (exact) {
      scheduleSlice();
      return;
    }
    exactModule ??= loadExact();
    exactModule
      .then((module) => {
        if (stopped || exact) return;
        exact = module.createExactReader({
          scan: channel.scan,
          onFatal,
          onMarked,
          linksOnly,
          onShadowRoot,
          forgetOwnChanges: () => observer.takeRecords(),
          wake: scheduleSlice,
          settle: settleIfIdle,
        });
        announceLoaded(module);
        scheduleSlice();
      })
      .catch(() => {
        // The extension went away or its package is broken: marks cannot be placed.
        forExact.length = 0;
        exactModule = null;
        settleIfIdle();
      });
  }

  // ---------------------------------------------------------------------------
  // Coarse pass

  function planRoot(root: Element | ShadowRoot): void {
    if (!root.isConnected) return;
    const walk: (Element | ShadowRoot)[] = [];
    if (root instanceof ShadowRoot) planShadowRoot(root, chunks, walk, blocksToPlan);
    else planChunks(root, chunks, walk as Element[], blocksToPlan);
    // What the browser skips rendering is not in innerText: read it node by node.
    walk.push(...skippedInside(watch, root));
    for (const element of walk) readExactly(element, true);
  }

  /** One step of planning a large root: chunks to read, blocks and children for later steps, or a subtree to walk. */
  function planBlock(plan: Plan): void {
    const walk: Element[] = [];
    if (plan instanceof Element) {
      if (!plan.isConnected || isSkippedElement(plan)) return;
      planChunks(plan, chunks, walk, blocksToPlan);
    } else {
      if (!plan.root.isConnected) return;
      planChunks(plan.root, chunks, walk, blocksToPlan, plan);
    }
    for (const element of walk) readExactly(element, true);
  }

  function readChunk(chunk: Chunk): void {
    if (!chunk.isConnected) return;
    findShadowRoots(chunk);
    const text = renderedText(chunk);
    const previous = chunkTexts.get(chunk) ?? enclosingChunkText(chunk);
    if (text !== previous) {
      chunkTexts.set(chunk, text);
      if (titleLines.size > MAX_TITLE_LINES) forgetOldestTitleLines();
    }
    // Only lines not there before are sent (nothing is scanned twice); lines that held
    // titles come back, since the page may have re-rendered them and taken our marks.
    const known: KnownTitle[] = [];
    unitQueue.push(...unitsOf(chunk, text, previous, titleLines, (words, row) => known.push({ words, row })));
    relocateIfMarksLost(chunk, known);
  }


  /**
   * What the nearest chunk around `element` read last, for a block read for the
   * first time inside one (content revealed or added in it): its lines seen
   * there are not sent again. Null when none around it was read.
   */
  function enclosingChunkText(element: Element): string | null {
    const around = enclosingChunk(element);
    return around ? (chunkTexts.get(around) ?? null) : null;
  }

  /** The nearest chunk read before that holds `element`, if any. */
  function enclosingChunk(element: Element): Element | null {
    for (let around = element.parentElement; around; around = around.parentElement) if (chunkTexts.has(around)) return around;
    return null;
  }

  /**
   * Shadow roots are not in innerText: their hosts in a chunk become roots of
   * their own. Searched chunk by chunk, so that one slice runs one bounded query
   * (a chunk is at most CHUNK_MAX_ELEMENTS), and on every read of the chunk,
   * since a host added later leaves the chunk's innerText as it was. What is read
   * node by node instead finds its shadow roots as it walks (page-text.ts).
   */
  function findShadowRoots(chunk: Chunk): void {
    const own = chunk.shadowRoot;
    if (own) adoptShadowRoot(chunk, own);
    for (const host of chunk.querySelectorAll(SHADOW_HOST_QUERY)) {
      const shadow = host.shadowRoot;
      if (shadow) adoptShadowRoot(host, shadow);
    }
  }

  function adoptShadowRoot(host: Element, shadow: ShadowRoot): void {
    onShadowRoot(shadow); // once per root: it is observed from then on
    // Light content slotted into a shadow root loses the spaces between slots in
    // innerText (`...ModelsSlotted from`): a small host's light DOM is read node by node.
    if (host.firstChild && host.getElementsByTagName('*').length <= SMALL_HOST_ELEMENTS) readExactly(host, true);
  }

  /**
   * Queues the lines of a chunk read again that held titles (still there, or
   * the whole text unchanged) to be located again, when the chunk now holds
   * fewer marks than such lines: the page re-rendered them in new nodes. Counting
   * first keeps a feed whose marks are intact from paying a locate per title on
   * every append; a line the precision rules turned down counts too, and costs a
   * read of its place only, since the exact half rereads a block only when its
   * marks are gone. Located in slices (runSlice), not here.
   */
  function relocateIfMarksLost(chunk: Chunk, known: readonly KnownTitle[]): void {
    if (known.length === 0) return;
    const marks = chunk.querySelectorAll(MARK_SELECTOR).length + (chunk.hasAttribute(MARK_ATTRIBUTE) ? 1 : 0);
    if (marks >= known.length) return;
    for (const title of known) relocations.push({ chunk, ...title });
  }

  /**
   * Forgets the older half of the remembered title lines (a Map keeps insertion
   * order). Forgetting all at once would let a line seen before, when shown
   * again, go neither sent (its text is not new) nor located again.
   */
  function forgetOldestTitleLines(): void {
    for (const line of titleLines.keys()) {
      if (titleLines.size <= MAX_TITLE_LINES / 2) return;
      titleLines.delete(line);
    }
  }

  /** Moves units into the coarse batch, and sends it once full: one send per step, under the clock. */
  function batchUnits(): void {
    while (unitQueue.length > 0) {
      const unit = unitQueue.shift() as Unit;
      // Units are cut to fit (rendered-text.ts); one that did not would have the worker refuse the whole batch.
      if (unit.text.length > MAX_RENDERED_LENGTH) unit.text = unit.text.slice(0, MAX_RENDERED_LENGTH);
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
        if (hasWork()) scheduleSlice();
        settleIfIdle();
      });
  }

  /** A chunk whose reply never came is read whole again next time. */
  function forget(units: readonly Unit[]): void {
    for (const unit of units) chunkTexts.delete(unit.chunk);
  }

  /** Locates the next span of a coarse reply. */
  function locateNext(entry: { units: readonly Unit[]; spans: readonly number[]; next: number }): void {
    const { units, spans } = entry;
    const at = entry.next;
    entry.next += SPAN_STRIDE;
    const unit = units[spans[at] as number];
    const from = spans[at + 1] as number;
    const to = spans[at + 2] as number;
    if (!unit || !(from >= 0 && from < to && to <= unit.text.length)) return;
    const locators = locatorsOf(unit, from, to);
    // Within one line, a title the worker says is taken only standing apart is not read where it runs on.
    let unless: ((place: Element) => boolean) | undefined;
    if (spans[at + 3] === SPAN_UNLESS_RUNNING_TEXT && locators.length === 1) {
      const title = unit.text.slice(from, to);
      unless = (place) => liesOnlyInRunningText(place, title);
    }
    for (const { line, word } of locators) {
      // A line with nothing read is not remembered for reading again either.
      if (locateWords(unit.chunk, [word], { row: line.row, rows: unit.rowCount, line: line.text }, unless)) rememberTitleLine(line.text, word);
    }
  }

  /** Remembered for the line, to locate it again when its chunk is read again. */
  function rememberTitleLine(line: string, word: string): void {
    const words = titleLines.get(line);
    if (!words) titleLines.set(line, [word]);
    else if (!words.includes(word)) words.push(word);
  }

  /** Reads exactly the places that hold `words`, except those `unless` rules out; whether any was read. */
  function locateWords(chunk: Chunk, words: readonly string[], row: Row | null, unless?: (place: Element) => boolean): boolean {
    if (!chunk.isConnected) return false;
    const found = new Set<Element>();
    for (const word of words) locate(chunk, word, row, found);
    let read = false;
    for (const place of found) {
      if (unless?.(place)) continue;
      readExactly(place, false);
      read = true;
    }
    return read;
  }

  // ---------------------------------------------------------------------------
  // Changes to the page

  function collectMutations(records: MutationRecord[]): void {
    forgetChildCounts();
    for (const record of records) {
      if (record.type === 'characterData') {
        // The page wrote a text node a mark was cut from: the old text split off it goes.
        exact?.takeBackSplitText(record.target);
        dirtyNodes.add(record.target);
        continue;
      }
      if (record.type === 'attributes') {
        if (record.target instanceof Element) restyled.add(record.target);
        continue;
      }
      // A text node a mark was cut from, removed: so goes what was split off it.
      // (Before the exact half is loaded no mark was cut from anything.)
      if (exact) for (const node of record.removedNodes) if (exact.takeBackSplitText(node) && record.target.isConnected) dirtyNodes.add(record.target);
      for (const node of record.addedNodes) {
        if (isMarkElement(node)) continue; // ours
        addedNodes++;
        dirtyNodes.add(node);
      }
    }
    if (dirtyNodes.size > 0 || restyled.size > 0) scheduleFrame();
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
    if (stopped) return;
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
        for (const block of restyledBlocks()) blocks.add(block);
        for (const block of blocks) {
          let covered = false;
          for (const other of blocks) if (other !== block && other.contains(block)) covered = true;
          if (!covered) coarseRoots.push(block);
        }
      }
    } finally {
      dirtyNodes.clear();
      restyled.clear();
      addedNodes = 0;
    }
    scheduleSlice();
  }

  /**
   * The blocks to read again for elements whose revealing attributes changed,
   * each at most once per RESTYLED_READ_INTERVAL_MS (a later change is held
   * back until then, so the last state is read). Reading one again sends only
   * lines its chunk did not show before. Not the root elements or large
   * containers, whose classes follow scrolling and themes, and not what is
   * hidden now.
   */
  function restyledBlocks(): Element[] {
    const now = performance.now();
    const due = (block: Element) => {
      const last = restyledReads.get(block);
      if (last !== undefined && now - last < RESTYLED_READ_INTERVAL_MS) return false;
      restyledReads.set(block, now);
      return true;
    };
    let blocks: Element[] = [];
    if (restyled.size > COARSE_RESCAN_NODES && doc.body) {
      // Changed all over the page: one coarse read of it, as for as many added nodes.
      if (due(doc.body)) return [doc.body];
      for (const element of restyled) heldBack.add(element);
      restyled.clear();
    }
    for (const element of restyled) {
      if (element === doc.documentElement || element === doc.body || !element.isConnected) continue;
      if (isInSkippedSubtree(element) || element.checkVisibility?.() === false) continue;
      const block = blockOf(element);
      if (!block || block.getElementsByTagName('*').length > RESTYLED_MAX_ELEMENTS) continue;
      if (due(block)) blocks.push(block);
      else heldBack.add(element);
    }
    // Many at once (a filter showing list items): one read per chunk, not per item.
    if (blocks.length > RESTYLED_ITEMISED) blocks = [...new Set(blocks.map((block) => enclosingChunk(block) ?? block))];
    if (heldBack.size > 0 && restyledTimer === undefined) {
      restyledTimer = setTimeout(() => {
        restyledTimer = undefined;
        if (stopped) return;
        for (const element of heldBack) restyled.add(element);
        heldBack.clear();
        scheduleFrame();
      }, RESTYLED_READ_INTERVAL_MS);
    }
    return blocks;
  }

  function observeAttributes(root: Node): void {
    attributeObserver.observe(root, { subtree: true, attributes: true, attributeFilter: REVEALING_ATTRIBUTES });
  }

  /** A click may reveal content (a "...more", a tab, an accordion): watch attributes for a while. */
  function onClick(): void {
    if (stopped) return;
    if (attributeWatchTimer === undefined) for (const root of [doc, ...shadowRoots]) observeAttributes(root);
    clearTimeout(attributeWatchTimer);
    attributeWatchTimer = setTimeout(stopWatchingAttributes, WATCH_ATTRIBUTES_AFTER_CLICK_MS);
  }

  function stopWatchingAttributes(): void {
    clearTimeout(attributeWatchTimer);
    attributeWatchTimer = undefined;
    const pending = attributeObserver.takeRecords();
    attributeObserver.disconnect();
    if (!stopped && pending.length > 0) collectMutations(pending);
  }

  function onToggle(event: Event): void {
    if (!event.isTrusted || !(event.target instanceof Element)) return;
    dirtyNodes.add(event.target);
    scheduleFrame();
  }

  function settleIfIdle(): void {
    if (stopped) {
      // Nothing more will be done: whoever waits (the popup's list) gets its answer now.
      resolveIdleWaiters();
      return;
    }
    if (hasWork() || inFlight > 0 || sliceScheduled || frameScheduled || renderedBatch.texts.length > 0) return;
    if (forExact.length > 0 && !stopped) return; // the exact half is still loading
    if (exact && (exact.hasWork() || exact.waiting())) return;
    // The round of work is done: place its marks together (placing calls back here).
    if (exact?.placeMarks()) return;
    resolveIdleWaiters();
  }

  function resolveIdleWaiters(): void {
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  doc.addEventListener('toggle', onToggle, true);
  doc.addEventListener('click', onClick, { capture: true, passive: true });
  observe(doc);
  if (doc.body) coarseRoots.push(doc.body);
  else if (doc.documentElement) coarseRoots.push(doc.documentElement);
  if (watch) {
    // An element added off-screen is skipped before its text was ever rendered: read it node by node.
    watch.onNewlySkipped = (element) => {
      if (!stopped && !isInSkippedSubtree(element)) readExactly(element, true);
    };
  }
  scheduleSlice();

  return {
    stop() {
      if (stopped) return;
      stopped = true;
      if (watch) watch.onNewlySkipped = null;
      for (const queue of [spanQueue, relocations, unitQueue, coarseRoots, blocksToPlan, chunks, forExact]) queue.length = 0;
      renderedBatch = emptyRenderedBatch();
      frameScheduled = false;
      dirtyNodes.clear();
      restyled.clear();
      heldBack.clear();
      clearTimeout(restyledTimer);
      observer.disconnect();
      stopWatchingAttributes();
      doc.removeEventListener('toggle', onToggle, true);
      doc.removeEventListener('click', onClick, { capture: true });
      exact?.stop([doc, ...shadowRoots]);
      settleIfIdle();
    },
    markRoots: () => [doc, ...shadowRoots.filter((root) => root.host.isConnected)],
    isOurMark: (element) => exact?.isOurMark(element) ?? false,
    idle() {
      return new Promise((resolve) => {
        idleWaiters.push(resolve);
        settleIfIdle();
      });
    },
    loaded: () => loaded,
  };
}
