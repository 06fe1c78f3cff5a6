/**
 * Reader settings: the hover delay (issue 4: "the delay is a setting"), a global
 * pause, the sites PaperPeek stays off, where marks go and how they look. Kept in the worker's IndexedDB and
 * pushed to open tabs when they change, so a tab follows at once.
 */
import { isArrayOf, isExactObject } from './guards';

export interface Settings {
  /** How long the pointer rests on a mark before the card's work starts (DESIGN.md §6: 150 ms). */
  hoverDelayMs: number;
  /** Off everywhere: no scanning, no marks. */
  paused: boolean;
  /** Host names where PaperPeek stays off (`arxiv.org`, `127.0.0.1`). */
  disabledSites: string[];
  /** Where titles get marks: anywhere they stand as a title, or only as a link's text. */
  markWhere: MarkWhere;
  /** How marks look: a dotted underline, or a soft highlight. */
  markStyle: MarkStyle;
}

export const MARK_WHERE = ['everywhere', 'links'] as const;
export const MARK_STYLES = ['underline', 'highlight'] as const;
export type MarkWhere = (typeof MARK_WHERE)[number];
export type MarkStyle = (typeof MARK_STYLES)[number];

export const DEFAULT_SETTINGS: Settings = {
  hoverDelayMs: 150,
  paused: false,
  disabledSites: [],
  markWhere: 'everywhere',
  markStyle: 'underline',
};
const isMarkWhere = (value: unknown): value is MarkWhere => MARK_WHERE.includes(value as MarkWhere);
const isMarkStyle = (value: unknown): value is MarkStyle => MARK_STYLES.includes(value as MarkStyle);
export const MAX_HOVER_DELAY_MS = 2000;
export const MAX_DISABLED_SITES = 1000;

const isHoverDelay = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_HOVER_DELAY_MS;
/** A host name as `location.hostname` gives it (lower case; IPv6 in brackets). */
const HOST_NAME = /^(?:[a-z0-9-]{1,63}\.)*[a-z0-9-]{1,63}$|^\[[0-9a-f:.]+\]$/;
export const isHostName = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= 253 && HOST_NAME.test(value);

export function isSettings(value: unknown): value is Settings {
  return isExactObject<Settings>(value, {
    hoverDelayMs: isHoverDelay,
    paused: (v): v is boolean => typeof v === 'boolean',
    disabledSites: isArrayOf(isHostName, MAX_DISABLED_SITES),
    markWhere: isMarkWhere,
    markStyle: isMarkStyle,
  });
}

/**
 * Stored settings over the defaults. Each field is checked on its own, so a
 * setting saved by an older version (only the hover delay) keeps its value and
 * gains the new fields' defaults; anything malformed falls back to its default.
 */
export function settingsFrom(stored: unknown): Settings {
  const value = (typeof stored === 'object' && stored !== null ? stored : {}) as Partial<Record<keyof Settings, unknown>>;
  return {
    hoverDelayMs: isHoverDelay(value.hoverDelayMs) ? value.hoverDelayMs : DEFAULT_SETTINGS.hoverDelayMs,
    paused: typeof value.paused === 'boolean' ? value.paused : DEFAULT_SETTINGS.paused,
    disabledSites: isArrayOf(isHostName, MAX_DISABLED_SITES)(value.disabledSites) ? [...value.disabledSites] : [],
    markWhere: isMarkWhere(value.markWhere) ? value.markWhere : DEFAULT_SETTINGS.markWhere,
    markStyle: isMarkStyle(value.markStyle) ? value.markStyle : DEFAULT_SETTINGS.markStyle,
  };
}

/** Whether PaperPeek runs on a page of this host. */
export function isActiveOn(settings: Settings, hostname: string): boolean {
  return !settings.paused && !settings.disabledSites.includes(hostname.toLowerCase());
}
