/**
 * Hover intent for marks (DESIGN.md §6, from Wikipedia Page Previews): work
 * starts after the pointer rests on a mark for `restMs`; the card shows no
 * earlier than SHOW_NOT_BEFORE_MS after the hover began, so the delay feels the
 * same whether the data is warm or not; it hides HIDE_AFTER_MS after the pointer
 * has left both the mark and the card. Keyboard focus opens the card at once,
 * blur and Escape close it, Tab moves into it.
 *
 * Every hover gets a token: an answer for an older hover never paints over a
 * newer one. Only trusted events count: a page cannot open the card (or save
 * from it) by dispatching synthetic events.
 */
import type { CardController, CardPaper } from '../ui/card/card-api';
import { DEFAULT_SETTINGS } from '../shared/settings';
import { markOf } from './marks';
import { READ_ONLY_TEXT_AREA } from './page-text';

/** The rest delay until settings are read (the setting's own default). */
export const DEFAULT_REST_MS = DEFAULT_SETTINGS.hoverDelayMs;
/**
 * User-timing marks of one hover, for the latency benchmark and DevTools'
 * Performance panel: intent fired, data and card module ready, card shown,
 * first frame painted after it.
 */
export const TIMING_MARKS = { intent: 'paperpeek:intent', ready: 'paperpeek:ready', show: 'paperpeek:show', painted: 'paperpeek:painted' };
export const SHOW_NOT_BEFORE_MS = 500;
export const HIDE_AFTER_MS = 300;

export interface HoverIntentDeps {
  /** Loads the card module (once) and creates the card. */
  card(): Promise<CardController>;
  /** Fetches what the card shows; null when the paper is unknown. */
  paper(id: string): Promise<CardPaper | null>;
  /** Rest delay before work starts (a setting). */
  restMs(): number;
}

export interface HoverIntent {
  stop(): void;
  /** The card's pointer and close callbacks land here. */
  cardPointerEntered(): void;
  cardPointerLeft(): void;
  closeRequested(): void;
}

export function startHoverIntent(doc: Document, deps: HoverIntentDeps): HoverIntent {
  let token = 0;
  let current: Element | null = null; // the mark being hovered or shown
  let shown = false;
  let card: CardController | null = null;
  let restTimer: ReturnType<typeof setTimeout> | undefined;
  let hideTimer: ReturnType<typeof setTimeout> | undefined;
  let suppressedTitle: { element: Element; title: string } | null = null;

  /** The event's real target: listeners on the document see a shadow host, not the mark inside it. */
  const origin = (event: Event): EventTarget | null => event.composedPath()[0] ?? event.target;
  const inCard = (node: EventTarget | null) => card !== null && node instanceof Node && card.contains(node);

  function cancelTimers(): void {
    clearTimeout(restTimer);
    clearTimeout(hideTimer);
  }

  /** Starts a hover of `mark`; `keyboard` skips the rest delay and the minimum show time. */
  function begin(mark: Element, keyboard: boolean): void {
    cancelTimers();
    if (current === mark && shown) return;
    hide();
    current = mark;
    const mine = ++token;
    const startedAt = performance.now();
    const cardReady = deps.card().catch(() => null); // start loading the module right away
    const work = async () => {
      const id = mark.getAttribute('data-paperpeek-id');
      if (!id) return;
      performance.mark(TIMING_MARKS.intent);
      const [paper, controller] = await Promise.all([deps.paper(id), cardReady]);
      if (mine !== token || !paper || !controller) return; // a newer hover took over
      performance.mark(TIMING_MARKS.ready);
      const wait = keyboard ? 0 : SHOW_NOT_BEFORE_MS - (performance.now() - startedAt);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (mine !== token || !mark.isConnected) return;
      card = controller;
      suppressTitle(mark);
      performance.mark(TIMING_MARKS.show);
      controller.show(mark, paper);
      shown = true;
      // The next rendering update paints the card: its animation-frame callbacks run
      // right before that paint (as Element Timing reports render time).
      requestAnimationFrame(() => performance.mark(TIMING_MARKS.painted));
    };
    restTimer = setTimeout(() => void work().catch(() => undefined), keyboard ? 0 : deps.restMs());
  }

  /** The link's own tooltip would cover the card: hold its `title` while the card shows. */
  function suppressTitle(mark: Element): void {
    const holder = mark.closest('[title]');
    if (!holder) return;
    suppressedTitle = { element: holder, title: holder.getAttribute('title') ?? '' };
    holder.removeAttribute('title');
  }

  function hide(): void {
    token++;
    cancelTimers();
    if (suppressedTitle) {
      suppressedTitle.element.setAttribute('title', suppressedTitle.title);
      suppressedTitle = null;
    }
    if (shown) card?.hide();
    shown = false;
    current = null;
  }

  function scheduleHide(): void {
    clearTimeout(hideTimer);
    if (!shown) {
      hide(); // nothing shown yet: just drop the pending hover
      return;
    }
    hideTimer = setTimeout(hide, HIDE_AFTER_MS);
  }

  const onPointerOver = (event: PointerEvent) => {
    if (!event.isTrusted || event.pointerType === 'touch') return;
    const mark = markOf(origin(event));
    if (mark) {
      if (mark === current) clearTimeout(hideTimer);
      else begin(mark, false);
    }
  };

  /**
   * A read-only text area laid over the drawn copy of its text (GitHub's code
   * view, page-text.ts's DRAWN_COPY) takes the pointer, so the marks beneath it
   * see no pointer events: while the pointer moves on such a text area, the mark
   * under it is looked up, once a frame, and hovered as if the pointer were on it.
   */
  const isOverlay = (target: EventTarget | null): boolean => target instanceof HTMLTextAreaElement && target.matches(READ_ONLY_TEXT_AREA);
  let hoveredThroughOverlay = false;
  let overlayPoint: { x: number; y: number } | null = null;
  let overlayFrame = 0;

  function hoverUnderOverlay(): void {
    overlayFrame = 0;
    if (!overlayPoint) return;
    const under = doc.elementsFromPoint(overlayPoint.x, overlayPoint.y);
    let mark: Element | null = null;
    for (const element of under) if ((mark = markOf(element))) break;
    if (mark) {
      hoveredThroughOverlay = true;
      if (mark === current) clearTimeout(hideTimer);
      else begin(mark, false);
    } else if (hoveredThroughOverlay && current) {
      hoveredThroughOverlay = false;
      scheduleHide();
    }
  }

  const onPointerMove = (event: PointerEvent) => {
    if (!event.isTrusted || event.pointerType === 'touch' || !isOverlay(origin(event))) return;
    overlayPoint = { x: event.clientX, y: event.clientY };
    if (!overlayFrame) overlayFrame = requestAnimationFrame(hoverUnderOverlay);
  };

  const onPointerOut = (event: PointerEvent) => {
    if (!event.isTrusted || !current) return;
    if (hoveredThroughOverlay && isOverlay(origin(event))) {
      overlayPoint = null;
      const to = event.relatedTarget;
      if (markOf(to) === current || inCard(to)) return;
      hoveredThroughOverlay = false;
      scheduleHide();
      return;
    }
    const from = markOf(origin(event));
    if (from !== current) return;
    const to = event.relatedTarget;
    if (markOf(to) === current || inCard(to)) return;
    scheduleHide();
  };

  const onFocusIn = (event: FocusEvent) => {
    if (!event.isTrusted) return;
    const mark = markOf(origin(event));
    if (mark && !inCard(event.target)) begin(mark, true);
  };

  const onFocusOut = (event: FocusEvent) => {
    if (!event.isTrusted || !current) return;
    const to = event.relatedTarget;
    if (inCard(to) || markOf(to) === current) return;
    if (markOf(origin(event)) === current) hide();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (!event.isTrusted || !current) return;
    if (event.key === 'Escape') {
      const focusWasInCard = inCard(doc.activeElement) || inCard(event.target);
      const mark = current;
      hide();
      if (focusWasInCard && mark instanceof HTMLElement) mark.focus();
    } else if (event.key === 'Tab' && !event.shiftKey && shown && markOf(origin(event)) === current && card) {
      // Tab from the mark goes into its card, not to the next link on the page.
      event.preventDefault();
      card.focusFirst();
    }
  };

  const listeners: [string, EventListener][] = [
    ['pointerover', onPointerOver as EventListener],
    ['pointerout', onPointerOut as EventListener],
    ['pointermove', onPointerMove as EventListener],
    ['focusin', onFocusIn as EventListener],
    ['focusout', onFocusOut as EventListener],
    ['keydown', onKeyDown as EventListener],
  ];
  for (const [type, listener] of listeners) doc.addEventListener(type, listener, true);

  return {
    stop() {
      hide();
      cancelAnimationFrame(overlayFrame);
      for (const [type, listener] of listeners) doc.removeEventListener(type, listener, true);
      card?.destroy();
      card = null;
    },
    cardPointerEntered() {
      clearTimeout(hideTimer);
    },
    cardPointerLeft() {
      if (shown) scheduleHide();
    },
    closeRequested() {
      const mark = current;
      const focusWasInCard = inCard(doc.activeElement);
      hide();
      if (focusWasInCard && mark instanceof HTMLElement) mark.focus();
    },
  };
}
