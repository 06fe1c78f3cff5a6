/**
 * The hover card module (loaded lazily by the content script): rendering,
 * focus behaviour inside the card, and positioning. Hover intent, messaging
 * and marks stay in the content script; see card-api.ts for the contract.
 */
import { render } from 'preact';
import type { CardCallbacks, CardController, CardPaper, CreateCard } from './card-api';
import { CARD_CSS } from './card-styles';
import { CardView, TITLE_ID, type CardViewActions } from './card-view';
import { followAnchor } from './position';
import { createShadowHost } from './shadow-host';

export interface CardOptions {
  /**
   * Tests only: accept untrusted (script-dispatched) events. happy-dom cannot
   * create trusted events. The content script never sets this, so on a real page
   * synthetic clicks, keys and pointer events from page scripts do nothing.
   */
  allowUntrustedEvents?: boolean;
}

/** How many papers deep related-paper navigation remembers. */
const MAX_HISTORY = 20;

interface CardState {
  /** Papers navigated through; the last one is shown. Never empty while open. */
  history: CardPaper[];
  expanded: boolean;
  loadingId: string | null;
  savePending: Set<string>;
  notice: string;
}

function mountCard(callbacks: CardCallbacks, options: CardOptions = {}): CardController {
  const shadow = createShadowHost(CARD_CSS);
  const { host, root, mount } = shadow;
  const trusted = (event: Event) => event.isTrusted || options.allowUntrustedEvents === true;

  let state: CardState | null = null;
  let anchor: Element | null = null;
  let stopFollowing: (() => void) | null = null;
  let destroyed = false;
  /** Bumped whenever what the card shows changes, so a late loadPaper answer cannot paint over it. */
  let generation = 0;
  /** True while Preact re-renders: removing the focused button then is not "focus left the card". */
  let rendering = false;

  const current = () => state?.history[state.history.length - 1] ?? null;
  const focusIsInside = () => root.activeElement !== null;
  const contains = (node: Node | null) => node !== null && (node === host || root.contains(node));

  function paint() {
    const paper = current();
    if (!state || !paper) return;
    rendering = true;
    try {
      render(
        <CardView
          state={{
            paper,
            canGoBack: state.history.length > 1,
            expanded: state.expanded,
            loadingId: state.loadingId,
            savePending: state.savePending.has(paper.id),
            notice: state.notice,
          }}
          actions={actions}
        />,
        mount,
      );
    } finally {
      rendering = false;
    }
  }

  /** After navigation the clicked button is gone: put keyboard users on the new title. */
  function paintAndKeepFocus() {
    const hadFocus = focusIsInside();
    paint();
    if (hadFocus) root.getElementById(TITLE_ID)?.focus();
  }

  /** Wraps an event handler so it runs only for trusted events while the card is open. */
  function onTrusted(handler: () => void) {
    return (event: Event) => {
      if (!trusted(event) || !state) return;
      handler();
    };
  }

  async function navigateTo(id: string) {
    if (!state || state.loadingId !== null) return;
    const token = ++generation;
    state.loadingId = id;
    state.notice = '';
    paint();
    let next: CardPaper | null = null;
    try {
      next = await callbacks.loadPaper(id);
    } catch {
      next = null;
    }
    if (token !== generation || !state) return;
    state.loadingId = null;
    if (next) {
      state.history = [...state.history, next].slice(-MAX_HISTORY);
      state.expanded = false;
    } else {
      state.notice = 'That paper could not be loaded.';
    }
    paintAndKeepFocus();
  }

  async function toggleSaved() {
    const paper = current();
    if (!state || !paper || state.savePending.has(paper.id)) return;
    const pending = state.savePending;
    pending.add(paper.id);
    paint();
    let saved = paper.saved;
    try {
      saved = await callbacks.setSaved(paper.id, !paper.saved);
    } catch {
      // Resolves "unchanged" below.
    }
    pending.delete(paper.id);
    if (state?.savePending !== pending) return; // The card was hidden or reset meanwhile.
    state.notice = saved === paper.saved ? 'Saving failed. Try again.' : '';
    applySaved(paper.id, saved);
  }

  function applySaved(id: string, saved: boolean) {
    if (!state) return;
    state.history = state.history.map((paper) => (paper.id === id && paper.saved !== saved ? { ...paper, saved } : paper));
    paint();
  }

  const actions: CardViewActions = {
    back: onTrusted(() => {
      if (!state || state.history.length < 2) return;
      generation++;
      state.history = state.history.slice(0, -1);
      state.expanded = false;
      state.loadingId = null;
      state.notice = '';
      paintAndKeepFocus();
    }),
    toggleAbstract: onTrusted(() => {
      if (!state) return;
      state.expanded = !state.expanded;
      paint();
    }),
    openRelated: (id) => onTrusted(() => void navigateTo(id)),
    toggleSaved: onTrusted(() => void toggleSaved()),
    open: onTrusted(() => {
      const paper = current();
      if (paper) callbacks.openPaper(paper.id);
    }),
  };

  // Pointer and keyboard listeners live on the host and its shadow root, for the card's lifetime.
  host.addEventListener('pointerenter', (event) => {
    if (state && trusted(event)) callbacks.pointerEntered();
  });
  host.addEventListener('pointerleave', (event) => {
    if (state && trusted(event)) callbacks.pointerLeft();
  });
  root.addEventListener('keydown', (event) => {
    if (!state || (event as KeyboardEvent).key !== 'Escape' || !trusted(event)) return;
    // The card consumes its Escape: a page dialog underneath should not close too.
    event.stopPropagation();
    callbacks.closeRequested();
  });
  root.addEventListener('focusout', (event) => {
    if (!state || rendering || !trusted(event)) return;
    const next = (event as FocusEvent).relatedTarget as Node | null;
    if (next && (contains(next) || anchor?.contains(next))) return;
    // No new target and a blurred document: the window lost focus (tab or app switch); keep the card.
    if (!next && !document.hasFocus()) return;
    callbacks.closeRequested();
  });

  /** Whether the card has its first position (before that it is invisible, so unfocusable). */
  let placed = false;
  /** focusFirst() came before the first placement: focus once the card is visible. */
  let focusWhenPlaced = false;

  function startFollowing(target: Element) {
    stopFollowing?.();
    shadow.conceal();
    placed = false;
    const placement = {
      setMaxHeight: shadow.setMaxHeight,
      moveTo(x: number, y: number) {
        shadow.moveTo(x, y);
        placed = true;
        if (focusWhenPlaced) {
          focusWhenPlaced = false;
          focusFirstElement();
        }
      },
    };
    stopFollowing = followAnchor(target, host, placement, () => {
      if (anchor === target) callbacks.closeRequested();
    });
  }

  function focusFirstElement() {
    mount.querySelector<HTMLElement>('button:not([disabled]), a[href]')?.focus();
  }

  function focusFirst() {
    if (!state) return;
    focusFirstElement();
    focusWhenPlaced = !placed && !focusIsInside();
  }

  function hide() {
    if (!state) return;
    // A keyboard user closing the card (Escape) goes back to the title they came from, not to <body>.
    const returnFocusTo = focusIsInside() ? anchor : null;
    generation++;
    state = null;
    anchor = null;
    focusWhenPlaced = false;
    stopFollowing?.();
    stopFollowing = null;
    render(null, mount);
    host.remove();
    shadow.conceal();
    if (returnFocusTo instanceof HTMLElement || returnFocusTo instanceof SVGElement) returnFocusTo.focus({ preventScroll: true });
  }

  return {
    show(target, paper) {
      if (destroyed) return;
      // The same paper on the same anchor again (the pointer came back): keep the reader's place.
      const same = state !== null && anchor === target && state.history[0]?.id === paper.id;
      if (same && state) {
        state.history = [paper, ...state.history.slice(1)];
      } else {
        generation++;
        state = { history: [paper], expanded: false, loadingId: null, savePending: new Set(), notice: '' };
      }
      if (!host.isConnected) document.documentElement.append(host);
      paint();
      if (anchor !== target || !stopFollowing) {
        anchor = target;
        startFollowing(target);
      }
    },
    hide,
    isOpen: () => state !== null,
    contains,
    focusFirst,
    currentPaperId: () => current()?.id ?? null,
    setSavedState(id, saved) {
      applySaved(id, saved);
    },
    destroy() {
      hide();
      destroyed = true;
      host.remove();
    },
  };
}

/** The module's single export for the content script (the options parameter is for tests only). */
export const createCard = mountCard satisfies CreateCard;
