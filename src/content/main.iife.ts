/**
 * Content script entry: spots digest titles on the page and marks them
 * (page-scanner.ts), shows the hover card on marks (hover-intent.ts, with the
 * card module loaded on first hover), and keeps marks' saved state current.
 *
 * What every page compiles is kept small: the settings, the coarse pass over
 * the rendered text, and the tab requests. The exact half (exact.ts: reading
 * places node by node, marking, hover intent) is a packaged module imported
 * only once the coarse pass found a place to read, the way the card is.
 * Runs in the isolated world, so page scripts that override Array, Node or
 * MutationObserver cannot reach our copies. It never throws into the page, and
 * once the extension is reloaded or removed it takes its marks and listeners
 * away quietly.
 */
import type { CardController, CardPaper, CreateCard } from '../ui/card/card-api';
import { call, importPackagedModule, onBackgroundNotice, onExtensionPageRequest, watchForOrphaning } from '../platform/content-runtime';
import { isDigestNotice, isSavedNotice, isSettingsNotice, isTabRequest, type PagePaper, type RenderedPayload, type ScanPayload, type TabRequest } from '../shared/protocol';
import { DEFAULT_SETTINGS, isActiveOn, type Settings } from '../shared/settings';
import type * as ExactModule from './exact';
import type { HoverIntent } from './hover-intent';
import { MARK_ATTRIBUTE, MARK_SELECTOR, partsOf, setMarkStyle } from './marks';
import { startPageScanner, type PageScanner } from './page-scanner';

/** The hover card module, built by the second Vite pass (vite.config.ts, CARD_MODULE_PATH). */
const CARD_MODULE = 'card/card.js';
/** The exact half of the content script, built by the third pass (vite.config.ts, EXACT_MODULE_PATH). */
const EXACT_MODULE = 'exact/exact.js';
/** How long the popup's "On this tab" waits for a scan still running before it answers with what is there. */
const PAGE_PAPERS_WAIT_MS = 3000;
/** Related papers a card lists: the closest few; the full page shows them all. */
const CARD_RELATED = 3;

let scanner: PageScanner | null = null;
let hover: HoverIntent | null = null;
let card: Promise<CardController> | null = null;
const cleanups: (() => void)[] = [];

function shutDown(): void {
  for (const cleanup of cleanups.splice(0)) {
    try {
      cleanup();
    } catch {
      // Nothing left to protect: the page keeps working either way.
    }
  }
}

/**
 * A paper was saved or unsaved (here or in another tab): the card follows. Marks
 * do not show it: a page can read its own DOM and computed styles, so a saved
 * state on marks would hand the reading list to any site that lists titles.
 */
function showSaved(id: string, saved: boolean): void {
  void card?.then((controller) => controller.setSavedState(id, saved)).catch(() => undefined);
}

async function paperForCard(id: string): Promise<CardPaper | null> {
  const [paper, saved] = await Promise.all([call('getPaper', { id }), call('savedState', { ids: [id] })]);
  if (!paper.ok || !paper.value.paper) return null;
  const { title, abstract, links, digestDate } = paper.value.paper;
  return { id, title, abstract, links, digestDate, related: paper.value.related.slice(0, CARD_RELATED), saved: saved.ok && saved.value.saved.includes(id) };
}

async function setSaved(id: string, saved: boolean): Promise<boolean> {
  const reply = saved ? await call('savePaper', { id }) : await call('unsavePaper', { id });
  if (!reply.ok) return !saved;
  showSaved(id, saved);
  return saved;
}

function loadCard(): Promise<CardController> {
  card ??= importPackagedModule<{ createCard: CreateCard }>(CARD_MODULE).then(({ createCard }) => {
    const controller = createCard({
      loadPaper: paperForCard,
      setSaved,
      openPaper: (id) => void call('openPaper', { id }),
      pointerEntered: () => hover?.cardPointerEntered(),
      pointerLeft: () => hover?.cardPointerLeft(),
      closeRequested: () => hover?.closeRequested(),
    });
    cleanups.push(() => controller.destroy());
    return controller;
  });
  // A failed load (the extension went away) is retried on the next hover.
  card.catch(() => (card = null));
  return card;
}

/**
 * Every mark this script placed and still on the page, the document's first, then
 * each shadow root's, in tree order. Elements the page itself gives a
 * `data-paperpeek-id` are not ours and are never counted.
 */
function allMarks(): Element[] {
  return (scanner?.markRoots() ?? []).flatMap((root) =>
    [...root.querySelectorAll(MARK_SELECTOR)].filter((element) => scanner?.isOurMark(element)),
  );
}

/** The popup's "On this tab": papers in the order they first appear, with their mark counts. */
function pagePapers(): PagePaper[] {
  const counts = new Map<string, number>();
  for (const mark of allMarks()) {
    const id = mark.getAttribute(MARK_ATTRIBUTE);
    if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return [...counts].map(([id, count]) => ({ id, count }));
}

/** Set for a moment on the mark the popup revealed (its outline comes from an animation, not page CSS). */
const REVEALED_ATTRIBUTE = 'data-paperpeek-revealed';
const REVEAL_MS = 1600;

function reveal(id: string): boolean {
  const mark = allMarks().find((element) => element.getAttribute(MARK_ATTRIBUTE) === id);
  if (!mark) return false;
  mark.scrollIntoView({ block: 'center' });
  mark.setAttribute(REVEALED_ATTRIBUTE, '');
  // A title marked over several elements is outlined in all its pieces.
  for (const piece of [mark, ...partsOf(mark)]) {
    piece.animate?.(
      [{ outline: '3px solid #f59e0b', outlineOffset: '2px' }, { outline: '3px solid rgba(245, 158, 11, 0)', outlineOffset: '2px' }],
      { duration: REVEAL_MS, easing: 'ease-in' },
    );
  }
  setTimeout(() => mark.removeAttribute(REVEALED_ATTRIBUTE), REVEAL_MS);
  return true;
}

async function answerTab(request: TabRequest): Promise<unknown> {
  if (request.type === 'pageHost') return { host: location.hostname };
  if (request.type === 'revealPaper') return { revealed: reveal(request.id) };
  // Marks are placed when a round of scanning is done: a popup opened meanwhile waits for it.
  if (scanner) await Promise.race([scanner.idle(), new Promise((resolve) => setTimeout(resolve, PAGE_PAPERS_WAIT_MS))]);
  return { papers: pagePapers() };
}

/** The toolbar badge: papers on this page, reported shortly after marks settle. */
let reportTimer: ReturnType<typeof setTimeout> | undefined;
let reported = -1;
function reportMarksSoon(): void {
  clearTimeout(reportTimer);
  reportTimer = setTimeout(() => {
    const count = pagePapers().length;
    // A page that never held a paper sends nothing (no worker wake-up for it; a navigation resets the badge).
    if (count !== reported && (count > 0 || reported > 0)) void call('reportMarks', { count }).then((reply) => reply.ok && (reported = count));
  }, 250);
}

/**
 * Settings decide whether this page is scanned at all (a global pause, sites
 * the reader turned PaperPeek off on) and the hover delay. They are read once at
 * start, before any scanning, and changes pushed by the worker apply at once:
 * turning a site off takes the marks away from tabs already open.
 */
let restMs = DEFAULT_SETTINGS.hoverDelayMs;
let linksOnly = false;

/** The lifeline port to the worker is opened once there may be marks to take away (content-runtime.ts). */
let lifeline: (() => void) | null = null;

function startDetection(): void {
  if (scanner) return;
  const channel = { scan: (payload: ScanPayload) => call('scan', payload), scanRendered: (payload: RenderedPayload) => call('scanRendered', payload) };
  const loadExact = () => importPackagedModule<typeof ExactModule>(EXACT_MODULE);
  const started = startPageScanner(document, channel, shutDown, reportMarksSoon, linksOnly, loadExact);
  scanner = started;
  void started.loaded().then((module) => {
    if (scanner !== started) return; // stopped meanwhile
    hover = module.startHoverIntent(document, { card: loadCard, paper: paperForCard, restMs: () => restMs });
    if (!lifeline) {
      lifeline = watchForOrphaning(shutDown);
      cleanups.push(lifeline);
    }
  }).catch(() => {
    // No hover card on this page then; its marks stay, and the page never sees our error.
  });
}

function stopDetection(): void {
  hover?.stop();
  scanner?.stop();
  hover = null;
  scanner = null;
  card = null; // hover.stop() destroyed it
  clearTimeout(reportTimer);
  if (reported > 0) void call('reportMarks', { count: 0 }).then((reply) => reply.ok && (reported = 0));
}

function applySettings(settings: Settings): void {
  restMs = settings.hoverDelayMs;
  setMarkStyle(document, settings.markStyle);
  if (settings.markWhere === 'links' !== linksOnly) {
    // Where marks go changed: mark the page again under the new rule.
    linksOnly = settings.markWhere === 'links';
    stopDetection();
  }
  if (isActiveOn(settings, location.hostname)) startDetection();
  else stopDetection();
}

function onNotice(notice: unknown): void {
  if (isSavedNotice(notice)) showSaved(notice.id, notice.saved);
  else if (isSettingsNotice(notice)) applySettings(notice.settings);
  else if (isDigestNotice(notice) && scanner) {
    // Papers were imported or removed: mark the page again against what the worker knows now.
    stopDetection();
    startDetection();
  }
}

try {
  cleanups.push(stopDetection);
  cleanups.push(onExtensionPageRequest((request) => (isTabRequest(request) ? answerTab(request) : null)));
  cleanups.push(onBackgroundNotice(onNotice));
  void call('getSettings', {}).then((reply) => {
    if (reply.ok) applySettings(reply.value);
    else if (reply.error.code === 'forbidden') shutDown(); // the extension went away
    else startDetection(); // settings unreadable: behave as by default
  });
} catch {
  shutDown();
}
