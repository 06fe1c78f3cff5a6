/**
 * The message protocol between content scripts / extension pages and the
 * background worker. Every request is declared once here with its payload type,
 * its reply type, a runtime validator and the sender kinds allowed to send it.
 * Content scripts run inside hostile pages: their payloads are untrusted input.
 */
import type { Paper, ReadingStatus, SavedPaper } from './types';
import { isReadingStatus, isSavedPaper, MAX_IMPORT_PAPERS, MAX_NOTE } from './reading-list-io';
import { isArrayOf, isExactObject, isPaperId, isStringWithin, type Guard } from './guards';
import type { ScanHit, ScanUnit } from './title-scanner';
import type { SearchDoc } from './search';
import type { SyncReport } from './sync-state';
import { isSettings, type Settings } from './settings';
import {
  MAX_IMPORT_CHUNK_CHARS,
  MAX_IMPORT_DATE,
  MAX_IMPORT_DIGEST_PAPERS,
  MAX_IMPORT_NAME,
  type ImportSummary,
} from './digest-import';

export type SenderKind = 'content-script' | 'extension-page';

/** Name of the port a content script holds to learn that its extension went away. */
export const LIFELINE_PORT = 'paperpeek-lifeline';

/** Bounds on requests so a hostile page cannot make the worker do unbounded work. */
export const MAX_LOOKUP_KEYS = 2000;
/** Candidate texts per scan request, and normalised characters per candidate. */
export const MAX_SCAN_UNITS = 2000;
export const MAX_UNIT_LENGTH = 2000;
/** Normalised characters per scan request in total (the page sends ~60k; this bounds a hostile one). */
export const MAX_SCAN_CHARS = 200_000;
/** Hyphenation and ellipsis markers per request. */
export const MAX_SCAN_MARKERS = 4096;
/** Raw characters per rendered text of a `scanRendered` request (its total is bounded by MAX_SCAN_CHARS). */
export const MAX_RENDERED_LENGTH = 4000;

/** Numbers per span of a `scanRendered` reply: text index, from, to, and one of the SPAN_ flags. */
export const SPAN_STRIDE = 4;
/** A span to read exactly wherever it stands. */
export const SPAN_ANYWHERE = 0;
/**
 * A span whose title can only be marked where it is set off from the words
 * around it: the page may skip places where every occurrence runs on inside
 * one text node (src/content/rendered-text.ts liesOnlyInRunningText).
 */
export const SPAN_UNLESS_RUNNING_TEXT = 1;

export interface DigestStats {
  papers: number;
  /** The bundled digest's date line as written (`Mar 13`), empty when none. */
  digestDate: string;
  /** Content hash of the bundled digest that the database holds. */
  digestVersion: string;
  saved: number;
  /** Fraction of the bundled digest loaded while a load runs, otherwise null. */
  loadingProgress: number | null;
  /** Papers that imported digests add to the bundled ones (counted in `papers`). */
  importedPapers: number;
  /** Imported digests. */
  imports: number;
}

/**
 * Candidate texts as sent: an array of strings (cheap to serialise from a page
 * with 10,000 links), with the rare hyphenation and ellipsis markers flattened
 * into [text index, word index] pairs.
 */
export interface ScanPayload {
  texts: string[];
  joins: number[];
  cuts: number[];
}

/** Text as the page renders it (innerText), raw: the worker tokenizes it (src/shared/rendered-scan.ts). */
export interface RenderedPayload {
  texts: string[];
}

/** The payload as the scanner reads it: one unit per text, markers attached. */
export function unitsOf(payload: ScanPayload): ScanUnit[] {
  const units: ScanUnit[] = payload.texts.map((text) => ({ text, joins: [], cuts: [] }));
  const attach = (pairs: number[], field: 'joins' | 'cuts') => {
    for (let i = 0; i + 1 < pairs.length; i += 2) units[pairs[i] as number]?.[field]?.push(pairs[i + 1] as number);
  };
  attach(payload.joins, 'joins');
  attach(payload.cuts, 'cuts');
  return units;
}

/** A related paper as the card and the popup list it. */
export interface RelatedPaper {
  id: string;
  title: string;
  /** Why, in terms a reader can check: "both: continual learning, prompts". */
  reason: string;
}

/** What the background pushes to every tab when the reading list changes. */
export interface SavedNotice {
  type: 'saved';
  id: string;
  saved: boolean;
}

export function isSavedNotice(value: unknown): value is SavedNotice {
  return isExactObject<SavedNotice>(value, {
    type: (v): v is 'saved' => v === 'saved',
    id: isPaperId,
    saved: (v): v is boolean => typeof v === 'boolean',
  });
}

/** What the background pushes to every tab when the papers it knows change (a digest imported or removed). */
export interface DigestNotice {
  type: 'digest';
}

export function isDigestNotice(value: unknown): value is DigestNotice {
  return isExactObject<DigestNotice>(value, { type: (v): v is 'digest' => v === 'digest' });
}

/** What the background pushes to every tab when the reader changes a setting. */
export interface SettingsNotice {
  type: 'settings';
  settings: Settings;
}

export function isSettingsNotice(value: unknown): value is SettingsNotice {
  return isExactObject<SettingsNotice>(value, { type: (v): v is 'settings' => v === 'settings', settings: isSettings });
}

export interface Requests {
  /** Finds digest titles in candidate texts the page has normalised (src/shared/tokenize.ts). */
  scan: { payload: ScanPayload; reply: { hits: ScanHit[] } };
  /**
   * Where digest titles may stand in text as the page renders it: flat
   * [text index, from, to, flag] per span (SPAN_STRIDE), character ranges
   * with a SPAN_ flag. Says nothing about which papers; the page sends those
   * places again as candidates (`scan`).
   */
  scanRendered: { payload: RenderedPayload; reply: { spans: number[] } };
  getPaper: { payload: { id: string }; reply: { paper: Paper | null; related: RelatedPaper[] } };
  /** Opens a paper in a full extension page (the hover card's "Open"). */
  openPaper: { payload: { id: string }; reply: { opened: boolean } };
  stats: { payload: Record<string, never>; reply: DigestStats };
  savePaper: { payload: { id: string }; reply: { saved: SavedPaper } };
  unsavePaper: { payload: { id: string }; reply: { removed: boolean } };
  /** Which of these ids are on the reading list (for marks and cards). */
  savedState: { payload: { ids: string[] }; reply: { saved: string[] } };
  listSaved: { payload: Record<string, never>; reply: { papers: SavedPaper[] } };
  /** Sets a saved paper's reading status (extension pages only). */
  setSavedStatus: { payload: { id: string; status: ReadingStatus }; reply: { saved: SavedPaper } };
  /** Sets a saved paper's note (extension pages only). */
  setSavedNote: { payload: { id: string; note: string }; reply: { saved: SavedPaper } };
  /**
   * Merges papers into the reading list in one transaction (a JSON import, or
   * undoing a removal). Papers already on the list keep what the reader has.
   */
  importSaved: { payload: { papers: SavedPaper[] }; reply: { added: number; kept: number } };
  /** A content script reports how many digest papers its page holds (the toolbar badge). */
  reportMarks: { payload: { count: number }; reply: { shown: boolean } };
  getSettings: { payload: Record<string, never>; reply: Settings };
  /** Changes the reader's settings (extension pages only); open tabs follow at once. */
  setSettings: { payload: Settings; reply: Settings };
  /**
   * Imported digests (extension pages only; issue 7). checkImport tells a preview
   * which papers are already known and whether the digest was imported before;
   * an import is then begun, sent in chunks and committed in one transaction
   * (src/background/imports.ts).
   */
  checkImport: { payload: { contentId: string; ids: string[] }; reply: { known: string[]; duplicate: ImportSummary | null } };
  beginImport: { payload: { name: string; digestDate: string; contentId: string; count: number }; reply: { token: string } };
  /** `papers`: a JSON array of at most IMPORT_CHUNK_PAPERS papers, each checked by isImportPaper in the worker. */
  addImportChunk: { payload: { token: string; index: number; papers: string }; reply: { received: number } };
  commitImport: { payload: { token: string }; reply: { digest: ImportSummary } };
  cancelImport: { payload: { token: string }; reply: { cancelled: boolean } };
  listImports: { payload: Record<string, never>; reply: { digests: ImportSummary[] } };
  removeImport: { payload: { id: string }; reply: { removed: boolean } };
  /** The imported papers' search documents, for the popup's search (the bundled ones are packaged). */
  importedSearchDocs: { payload: Record<string, never>; reply: { version: string; docs: SearchDoc[] } };
  /** Reading-list sync through the browser's sync storage (extension pages only; src/background/sync.ts). */
  getSyncStatus: { payload: Record<string, never>; reply: SyncStatus };
  setSyncEnabled: { payload: { enabled: boolean }; reply: SyncStatus };
  syncNow: { payload: Record<string, never>; reply: SyncStatus };
}

/** What the options page shows of sync. */
export interface SyncStatus {
  enabled: boolean;
  lastSyncAt: number;
  /** Papers saved on another device that this device's digests do not hold yet. */
  waiting: number;
  report: SyncReport | null;
  lastError: string;
}

/** The paper count a content script may report, bounded (the badge shows up to 999+). */
export const MAX_REPORTED_MARKS = 100_000;

/**
 * Requests an extension page (the popup) sends to one tab's content script,
 * with `browser.tabs.sendMessage`. The content script answers only our own
 * extension's pages.
 */
export interface PagePaper {
  id: string;
  /** Marks of this paper on the page. */
  count: number;
}
export type TabRequest = { type: 'pagePapers' } | { type: 'revealPaper'; id: string } | { type: 'pageHost' };
export interface TabReplies {
  pagePapers: { papers: PagePaper[] };
  revealPaper: { revealed: boolean };
  /** The page's host name, for the popup's on/off switch (the popup cannot read tab URLs without "tabs"). */
  pageHost: { host: string };
}

export function isTabRequest(value: unknown): value is TabRequest {
  return (
    isExactObject<{ type: 'pagePapers' }>(value, { type: (v): v is 'pagePapers' => v === 'pagePapers' }) ||
    isExactObject<{ type: 'pageHost' }>(value, { type: (v): v is 'pageHost' => v === 'pageHost' }) ||
    isExactObject<{ type: 'revealPaper'; id: string }>(value, { type: (v): v is 'revealPaper' => v === 'revealPaper', id: isPaperId })
  );
}

export type Method = keyof Requests;
export type Payload<M extends Method> = Requests[M]['payload'];
export type Reply<M extends Method> = Requests[M]['reply'];

/** The wire format of one request. */
export interface Envelope<M extends Method = Method> {
  method: M;
  payload: Payload<M>;
}

interface MethodPolicy<M extends Method> {
  allowedSenders: readonly SenderKind[];
  isPayload: (value: unknown) => value is Payload<M>;
}

const isEmpty = (value: unknown): value is Record<string, never> => isExactObject(value, {});
const isIdPayload = (value: unknown): value is { id: string } => isExactObject(value, { id: isPaperId });
const ANY_SENDER = ['content-script', 'extension-page'] as const;
/** An import's token: a UUID the worker handed out. */
const isToken = (value: unknown): value is string => typeof value === 'string' && /^[0-9a-f-]{36}$/.test(value);
const isIndex = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < MAX_UNIT_LENGTH;
const isMarkerPairs: Guard<number[]> = (value): value is number[] =>
  isArrayOf(isIndex, MAX_SCAN_MARKERS * 2)(value) && value.length % 2 === 0;

export const METHOD_POLICIES: { [M in Method]: MethodPolicy<M> } = {
  scan: {
    allowedSenders: ANY_SENDER,
    isPayload: (value): value is ScanPayload =>
      isExactObject<ScanPayload>(value, {
        texts: isArrayOf(isStringWithin(MAX_UNIT_LENGTH), MAX_SCAN_UNITS),
        joins: isMarkerPairs,
        cuts: isMarkerPairs,
      }) && value.texts.reduce((sum, text) => sum + text.length, 0) <= MAX_SCAN_CHARS,
  },
  scanRendered: {
    allowedSenders: ANY_SENDER,
    isPayload: (value): value is RenderedPayload =>
      isExactObject<RenderedPayload>(value, { texts: isArrayOf(isStringWithin(MAX_RENDERED_LENGTH), MAX_SCAN_UNITS) }) &&
      value.texts.reduce((sum, text) => sum + text.length, 0) <= MAX_SCAN_CHARS,
  },
  getPaper: { allowedSenders: ANY_SENDER, isPayload: isIdPayload },
  openPaper: { allowedSenders: ANY_SENDER, isPayload: isIdPayload },
  // Counts include the reading list's size: extension pages only.
  stats: { allowedSenders: ['extension-page'], isPayload: isEmpty },
  savePaper: { allowedSenders: ANY_SENDER, isPayload: isIdPayload },
  // Removing from the reading list is a deletion. A content script (the card's
  // Saved toggle) may only take back a bare save; anything with a note or a
  // reading status is removed from extension pages only (handlers.ts), so a
  // compromised page cannot wipe what a reader wrote (DESIGN.md §4).
  unsavePaper: { allowedSenders: ANY_SENDER, isPayload: isIdPayload },
  savedState: {
    allowedSenders: ANY_SENDER,
    isPayload: (value): value is { ids: string[] } =>
      isExactObject(value, { ids: isArrayOf(isPaperId, MAX_LOOKUP_KEYS) }),
  },
  // The whole reading list is private to extension pages: a content script never needs it.
  listSaved: { allowedSenders: ['extension-page'], isPayload: isEmpty },
  // Changing what a reader wrote, or adding in bulk, is for extension pages only (DESIGN.md §4).
  setSavedStatus: {
    allowedSenders: ['extension-page'],
    isPayload: (value): value is { id: string; status: ReadingStatus } => isExactObject(value, { id: isPaperId, status: isReadingStatus }),
  },
  setSavedNote: {
    allowedSenders: ['extension-page'],
    isPayload: (value): value is { id: string; note: string } => isExactObject(value, { id: isPaperId, note: isStringWithin(MAX_NOTE) }),
  },
  importSaved: {
    allowedSenders: ['extension-page'],
    isPayload: (value): value is { papers: SavedPaper[] } => isExactObject(value, { papers: isArrayOf(isSavedPaper, MAX_IMPORT_PAPERS) }),
  },
  checkImport: {
    allowedSenders: ['extension-page'],
    isPayload: (value): value is { contentId: string; ids: string[] } =>
      isExactObject(value, { contentId: isPaperId, ids: isArrayOf(isPaperId, MAX_IMPORT_DIGEST_PAPERS) }),
  },
  beginImport: {
    allowedSenders: ['extension-page'],
    isPayload: (value): value is Payload<'beginImport'> =>
      isExactObject<Payload<'beginImport'>>(value, {
        name: isStringWithin(MAX_IMPORT_NAME),
        digestDate: isStringWithin(MAX_IMPORT_DATE),
        contentId: isPaperId,
        count: (v): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= MAX_IMPORT_DIGEST_PAPERS,
      }),
  },
  addImportChunk: {
    allowedSenders: ['extension-page'],
    isPayload: (value): value is Payload<'addImportChunk'> =>
      isExactObject<Payload<'addImportChunk'>>(value, {
        token: isToken,
        index: (v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < MAX_IMPORT_DIGEST_PAPERS,
        papers: isStringWithin(MAX_IMPORT_CHUNK_CHARS),
      }),
  },
  commitImport: { allowedSenders: ['extension-page'], isPayload: (value): value is { token: string } => isExactObject(value, { token: isToken }) },
  cancelImport: { allowedSenders: ['extension-page'], isPayload: (value): value is { token: string } => isExactObject(value, { token: isToken }) },
  listImports: { allowedSenders: ['extension-page'], isPayload: isEmpty },
  removeImport: { allowedSenders: ['extension-page'], isPayload: isIdPayload },
  importedSearchDocs: { allowedSenders: ['extension-page'], isPayload: isEmpty },
  getSyncStatus: { allowedSenders: ['extension-page'], isPayload: isEmpty },
  setSyncEnabled: {
    allowedSenders: ['extension-page'],
    isPayload: (value): value is { enabled: boolean } => isExactObject(value, { enabled: (v): v is boolean => typeof v === 'boolean' }),
  },
  syncNow: { allowedSenders: ['extension-page'], isPayload: isEmpty },
  getSettings: { allowedSenders: ANY_SENDER, isPayload: isEmpty },
  setSettings: { allowedSenders: ['extension-page'], isPayload: isSettings },
  // Only a tab's content script reports its page; the badge is set on the sender's tab.
  reportMarks: {
    allowedSenders: ['content-script'],
    isPayload: (value): value is { count: number } =>
      isExactObject(value, {
        count: (v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_REPORTED_MARKS,
      }),
  },
};

export function isMethod(value: unknown): value is Method {
  return typeof value === 'string' && Object.hasOwn(METHOD_POLICIES, value);
}
