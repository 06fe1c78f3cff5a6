/**
 * Drives detection on one document: walks it in idle-time slices, sends candidate
 * texts to the background in batches, marks the titles that pass the precision
 * rules, and keeps watching for content added later (infinite scroll, history
 * navigation, expanded threads, open shadow roots).
 *
 * Page cost rules (DESIGN.md §5): no slice runs longer than SLICE_MS; mutation
 * records are batched per frame; past COARSE_RESCAN_NODES added nodes one
 * coarse rescan replaces the itemised work; a block is scanned again only when
 * its text changed; our own marks never trigger a rescan.
 */
import type { Result } from '../shared/result';
import { MAX_SCAN_MARKERS, MAX_SCAN_UNITS, type ScanPayload } from '../shared/protocol';
import type { ScanHit } from '../shared/title-scanner';
import { acceptHit } from '../shared/title-context';
import { tokenize } from '../shared/tokenize';
import { candidatesOf, tokensOf, type Candidate } from './candidates';
import { MARK_SELECTOR, isOurMark, isVisible, placeMark, rangeOf, removeMarks, styleShadowRoot, wholeElementOf } from './marks';
import { BlockWalker, blockOf, isInSkippedSubtree, type TextBlock } from './page-text';

const SLICE_MS = 8;
/**
 * Candidates per scan request, and normalised characters per request: small
 * enough that serialising one message stays well inside a slice, and always
 * under the protocol's own limit (a request over it is refused whole).
 */
const BATCH_UNITS = Math.min(400, MAX_SCAN_UNITS);
const BATCH_CHARS = 60_000;
const COARSE_RESCAN_NODES = 1000;
/** Accepted hits are placed together at most this often (see placePendingMarks). */
const MARK_BATCH_MS = 120;

export type ScanRequest = (payload: ScanPayload) => Promise<Result<{ hits: ScanHit[] }>>;

export interface PageScanner {
  /** Stops watching and removes every mark (the extension went away). */
  stop(): void;
  /** The document and every open shadow root still on the page (where marks can be). */
  markRoots(): (Document | ShadowRoot)[];
  /** Whether this scanner placed the mark (pages can write the same attribute themselves). */
  isOurMark(element: Element): boolean;
  /** Resolves when no walk, batch or reply is pending (tests and benchmarks). */
  idle(): Promise<void>;
}

function emptyBatch(): { payload: ScanPayload; candidates: Candidate[]; chars: number } {
  return { payload: { texts: [], joins: [], cuts: [] }, candidates: [], chars: 0 };
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
  sendScan: ScanRequest,
  onFatal: () => void,
  /** Called with the paper ids of newly placed marks. */
  onMarked: (ids: string[]) => void = () => undefined,
  /** Mark only titles that are a link's text (a reader setting). */
  linksOnly = false,
): PageScanner {
  const roots: (Element | ShadowRoot)[] = [];
  const scannedText = new WeakMap<Element, string>();
  /** Marks we placed, and the blocks that hold them (a block that lost its marks is read again). */
  const placedMarks = new WeakSet<Element>();
  const markedBlocks = new WeakSet<Element>();
  const observedShadowRoots = new WeakSet<ShadowRoot>();
  const shadowRoots: ShadowRoot[] = [];
  let walker: BlockWalker | null = null;
  /** Blocks the walker finished, waiting to be turned into candidates (under the slice budget). */
  const readyBlocks: TextBlock[] = [];
  let batch = emptyBatch();
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
    roots.push(root);
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
        if (readyBlocks.length > 0) {
          queueBlock(readyBlocks.shift() as TextBlock);
          continue;
        }
        if (!walker) {
          const root = roots.shift();
          if (!root) break;
          if (!root.isConnected) continue;
          walker = new BlockWalker(root, onShadowRoot);
        }
        if (walker.lostItsPlace()) {
          // The page removed the node the walk paused on: walk the root again
          // (unchanged blocks are skipped) rather than stop early.
          roots.unshift(walker.root);
          walker = null;
          continue;
        }
        const more = walker.step(shouldYield);
        readyBlocks.push(...walker.takeBlocks(!more));
        if (!more) walker = null;
      }
      if (!walker && roots.length === 0 && readyBlocks.length === 0) flush();
    } catch {
      walker = null; // the page pulled the DOM from under the walk; the observer brings us back
    }
    if (walker || roots.length > 0 || readyBlocks.length > 0) scheduleSlice();
    else settleIfIdle();
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
    if (batch.payload.texts.length === 0) return;
    const { payload, candidates } = batch;
    batch = emptyBatch();
    inFlight++;
    void sendScan(payload)
      .then((reply) => {
        if (stopped) return;
        if (!reply.ok) {
          if (reply.error.code === 'forbidden') onFatal(); // the extension went away under us
          return;
        }
        markHits(candidates, reply.value.hits);
      })
      .catch(() => undefined)
      .finally(() => {
        inFlight--;
        settleIfIdle();
      });
  }

  /**
   * Accepted hits wait here and are placed together at most every MARK_BATCH_MS:
   * each placement round costs the page a style, layout and pre-paint pass (a
   * visibility check forces one), so on a page of 10,000 links placing per reply
   * costs several full passes where one will do.
   */
  const pendingMarks = new Map<TextBlock, Accepted[]>();
  let marksTimer: ReturnType<typeof setTimeout> | undefined;

  function markHits(candidates: readonly Candidate[], hits: readonly ScanHit[]): void {
    for (const hit of hits) {
      const candidate = candidates[hit.unit];
      if (!candidate || hit.start < 0 || hit.end > tokensOf(candidate).words.length || hit.start >= hit.end) continue;
      const accepted = judge(candidate, hit);
      if (!accepted) continue;
      const list = pendingMarks.get(candidate.block) ?? [];
      list.push(accepted);
      pendingMarks.set(candidate.block, list);
    }
    if (pendingMarks.size > 0 && marksTimer === undefined) marksTimer = setTimeout(placePendingMarks, MARK_BATCH_MS);
  }

  function placePendingMarks(): void {
    marksTimer = undefined;
    if (stopped) return;
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
        // Past this, itemising costs more than one walk that skips unchanged blocks.
        roots.push(doc.body);
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
          if (!covered) roots.push(block);
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
    if (walker || roots.length > 0 || readyBlocks.length > 0 || inFlight > 0 || sliceScheduled || frameScheduled) return;
    if (marksTimer !== undefined) return;
    if (batch.payload.texts.length > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  doc.addEventListener('toggle', onToggle, true);
  observe(doc);
  if (doc.body) roots.push(doc.body);
  else if (doc.documentElement) roots.push(doc.documentElement);
  scheduleSlice();

  return {
    stop() {
      if (stopped) return;
      stopped = true;
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
