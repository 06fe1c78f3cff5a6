/**
 * Reader settings. Only the hover delay for now (issue 4: "the delay is a
 * setting"); the options issue adds per-site control and mark style. Kept in the
 * worker's IndexedDB and pushed to open tabs when they change.
 */
import { isExactObject } from './guards';

export interface Settings {
  /** How long the pointer rests on a mark before the card's work starts (DESIGN.md §6: 150 ms). */
  hoverDelayMs: number;
}

export const DEFAULT_SETTINGS: Settings = { hoverDelayMs: 150 };
export const MAX_HOVER_DELAY_MS = 2000;

const isHoverDelay = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_HOVER_DELAY_MS;

export function isSettings(value: unknown): value is Settings {
  return isExactObject<Settings>(value, { hoverDelayMs: isHoverDelay });
}

/** Stored settings merged over the defaults; anything malformed falls back to the default. */
export function settingsFrom(stored: unknown): Settings {
  return isSettings(stored) ? stored : { ...DEFAULT_SETTINGS };
}
