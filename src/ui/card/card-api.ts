/**
 * The contract between the content script (which owns hover intent, messaging
 * and marks) and the hover card module (which owns rendering and positioning).
 * The card module is loaded lazily, on the first hover, so pages that are never
 * hovered pay nothing for Preact and the positioning library.
 */

/** A related paper as the card lists it. */
export interface CardRelated {
  id: string;
  title: string;
  /** Why it is related, checkable by the reader: "both: continual learning, prompts". */
  reason: string;
}

/** Everything the card shows about one paper. */
export interface CardPaper {
  id: string;
  title: string;
  /** Clean text, never HTML. */
  abstract: string;
  /** Code and project links found in the abstract (absolute http(s) URLs). */
  links: string[];
  /** The digest's date line as written (`Mar 13`), empty when unknown. */
  digestDate: string;
  related: CardRelated[];
  saved: boolean;
}

export interface CardCallbacks {
  /** Loads another paper (a related one the reader clicked). Null when unknown. */
  loadPaper(id: string): Promise<CardPaper | null>;
  /** Saves or unsaves; resolves with the resulting state (unchanged when it failed). */
  setSaved(id: string, saved: boolean): Promise<boolean>;
  /** Shows the paper in a full extension page. */
  openPaper(id: string): void;
  /** The pointer entered or left the card (hover intent keeps the card open meanwhile). */
  pointerEntered(): void;
  pointerLeft(): void;
  /** The reader asked to close the card from inside it (Escape, or focus left it). */
  closeRequested(): void;
}

export interface CardController {
  /** Shows `paper` next to `anchor` (never covering it), replacing whatever was shown. */
  show(anchor: Element, paper: CardPaper): void;
  hide(): void;
  isOpen(): boolean;
  /** Whether a node is part of the card (events from inside it). */
  contains(node: Node | null): boolean;
  /** Moves keyboard focus into the card (Tab from the mark). */
  focusFirst(): void;
  /** The paper shown now (after related-paper navigation), or null. */
  currentPaperId(): string | null;
  /** Updates the saved state shown for a paper, if it is the one shown. */
  setSavedState(id: string, saved: boolean): void;
  /** Removes the card from the page for good. */
  destroy(): void;
}

/** The card module's single export, as the content script imports it. */
export type CreateCard = (callbacks: CardCallbacks) => CardController;
