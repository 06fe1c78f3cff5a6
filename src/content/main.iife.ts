/**
 * Content script entry: spots digest titles on the page and marks them
 * (page-scanner.ts), shows the hover card on marks (hover-intent.ts, with the
 * card module loaded on first hover), and keeps marks' saved state current.
 * Runs in the isolated world, so page scripts that override Array, Node or
 * MutationObserver cannot reach our copies. It never throws into the page, and
 * once the extension is reloaded or removed it takes its marks and listeners
 * away quietly.
 */
import type { CardController, CardPaper, CreateCard } from '../ui/card/card-api';
import { call, importPackagedModule, onBackgroundNotice, watchForOrphaning } from '../platform/content-runtime';
import { isSavedNotice } from '../shared/protocol';
import { DEFAULT_REST_MS, startHoverIntent, type HoverIntent } from './hover-intent';
import { setSavedMarks } from './marks';
import { startPageScanner, type PageScanner } from './page-scanner';

/** The hover card module, built by the second Vite pass (vite.config.ts, CARD_MODULE_PATH). */
const CARD_MODULE = 'card/card.js';
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

function showSaved(id: string, saved: boolean): void {
  for (const root of scanner?.markRoots() ?? []) setSavedMarks(root, id, saved);
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

async function showSavedStateOf(ids: string[]): Promise<void> {
  const reply = await call('savedState', { ids });
  if (reply.ok) for (const id of reply.value.saved) showSaved(id, true);
}

try {
  scanner = startPageScanner(document, (payload) => call('scan', payload), shutDown, (ids) => void showSavedStateOf(ids));
  cleanups.push(() => scanner?.stop());
  hover = startHoverIntent(document, { card: loadCard, paper: paperForCard, restMs: () => DEFAULT_REST_MS });
  cleanups.push(() => hover?.stop());
  cleanups.push(onBackgroundNotice((notice) => isSavedNotice(notice) && showSaved(notice.id, notice.saved)));
  cleanups.push(watchForOrphaning(shutDown));
} catch {
  shutDown();
}
