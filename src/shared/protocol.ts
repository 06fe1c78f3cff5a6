/**
 * The message protocol between content scripts / extension pages and the
 * background worker. Every request is declared once here with its payload type,
 * its reply type, a runtime validator and the sender kinds allowed to send it.
 * Content scripts run inside hostile pages: their payloads are untrusted input.
 */
import type { Paper, SavedPaper } from './types';
import { isArrayOf, isExactObject, isPaperId, isStringWithin, type Guard } from './guards';
import type { ScanHit, ScanUnit } from './title-scanner';

export type SenderKind = 'content-script' | 'extension-page';

/** Name of the port a content script holds to learn that its extension went away. */
export const LIFELINE_PORT = 'paperpeek-lifeline';

/** Bounds on requests so a hostile page cannot make the worker do unbounded work. */
export const MAX_LOOKUP_KEYS = 2000;
/** Candidate texts per scan request, and normalised characters per candidate. */
export const MAX_SCAN_UNITS = 2000;
export const MAX_UNIT_LENGTH = 2000;
/** Hyphenation and ellipsis markers per candidate. */
export const MAX_UNIT_MARKERS = 64;

export interface DigestStats {
  papers: number;
  /** The bundled digest's date line as written (`Mar 13`), empty when none. */
  digestDate: string;
  /** Content hash of the bundled digest that the database holds. */
  digestVersion: string;
  saved: number;
  /** Fraction of the bundled digest loaded while a load runs, otherwise null. */
  loadingProgress: number | null;
}

/** A candidate text as sent: every field present (the guard accepts exact shapes only). */
export type ScanRequestUnit = Required<ScanUnit>;

export interface Requests {
  /** Finds digest titles in candidate texts the page has normalised (src/shared/tokenize.ts). */
  scan: { payload: { units: ScanRequestUnit[] }; reply: { hits: ScanHit[] } };
  getPaper: { payload: { id: string }; reply: { paper: Paper | null } };
  stats: { payload: Record<string, never>; reply: DigestStats };
  savePaper: { payload: { id: string }; reply: { saved: SavedPaper } };
  unsavePaper: { payload: { id: string }; reply: { removed: boolean } };
  /** Which of these ids are on the reading list (for marks and cards). */
  savedState: { payload: { ids: string[] }; reply: { saved: string[] } };
  listSaved: { payload: Record<string, never>; reply: { papers: SavedPaper[] } };
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
const isWordIndex = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < MAX_UNIT_LENGTH;
const isScanUnit: Guard<ScanRequestUnit> = (value): value is ScanRequestUnit =>
  isExactObject<ScanRequestUnit>(value, {
    text: isStringWithin(MAX_UNIT_LENGTH),
    joins: isArrayOf(isWordIndex, MAX_UNIT_MARKERS),
    cuts: isArrayOf(isWordIndex, MAX_UNIT_MARKERS),
  });

export const METHOD_POLICIES: { [M in Method]: MethodPolicy<M> } = {
  scan: {
    allowedSenders: ANY_SENDER,
    isPayload: (value): value is { units: ScanRequestUnit[] } =>
      isExactObject(value, { units: isArrayOf(isScanUnit, MAX_SCAN_UNITS) }),
  },
  getPaper: { allowedSenders: ANY_SENDER, isPayload: isIdPayload },
  stats: { allowedSenders: ANY_SENDER, isPayload: isEmpty },
  savePaper: { allowedSenders: ANY_SENDER, isPayload: isIdPayload },
  // Removing from the reading list is a deletion: extension pages only (DESIGN.md §4),
  // so a compromised page cannot empty the list by sending every public paper id.
  unsavePaper: { allowedSenders: ['extension-page'], isPayload: isIdPayload },
  savedState: {
    allowedSenders: ANY_SENDER,
    isPayload: (value): value is { ids: string[] } =>
      isExactObject(value, { ids: isArrayOf(isPaperId, MAX_LOOKUP_KEYS) }),
  },
  // The whole reading list is private to extension pages: a content script never needs it.
  listSaved: { allowedSenders: ['extension-page'], isPayload: isEmpty },
};

export function isMethod(value: unknown): value is Method {
  return typeof value === 'string' && Object.hasOwn(METHOD_POLICIES, value);
}
