/**
 * Importing a digest from the options page (issue 7 §1-2): the limits, the
 * identity of an imported digest, and the checks the worker runs on papers an
 * extension page sends. The text itself goes through the one digest parser
 * (digest-parser.ts), as the build's seeds do. Pure: no DOM, no browser API.
 */
import { isArrayOf, isExactObject, isPaperId, isStringWithin } from './guards';
import { hashToBase36 } from './hash';
import { MAX_ABSTRACT_LENGTH, MAX_TITLE_LENGTH } from './digest-parser';
import { normalizeTitle, paperIdForKey } from './normalize';
import type { Paper } from './types';

/**
 * The largest digest file read. A day's digest is ~100 KB; 25 MB is ~18,000
 * papers. Past that the page would hold the whole text, its parse and a copy
 * on its way to the worker at once: split such a file instead.
 */
export const MAX_IMPORT_BYTES = 25 * 1024 * 1024;
/** Papers in one imported digest at most (25 MB of the densest real text stays below this). */
export const MAX_IMPORT_DIGEST_PAPERS = 50_000;
/**
 * Papers per message and per stored row while an import is written. An extension
 * message is serialised on the sender's main thread: 1,000 papers (~1.4 MB) took
 * 40-90 ms there, 250 stay near 10-20 ms, so the options page never blocks long.
 */
export const IMPORT_CHUNK_PAPERS = 250;
/** Characters of one chunk's JSON at most (a chunk of the longest papers the parser lets through). */
export const MAX_IMPORT_CHUNK_CHARS = IMPORT_CHUNK_PAPERS * (MAX_TITLE_LENGTH + MAX_ABSTRACT_LENGTH + 4096);
/** A digest's display name (its file name) at most. */
export const MAX_IMPORT_NAME = 200;
export const MAX_IMPORT_LINKS = 50;
export const MAX_IMPORT_LINK = 2000;
export const MAX_IMPORT_DATE = 64;

/** An imported digest as the options page lists it. */
export interface ImportSummary {
  /** digestContentId of its papers: the same digest imported twice has the same id. */
  id: string;
  /** The file name, or "Pasted text". */
  name: string;
  /** The digest's first date line as written (`Mar 13`), empty when none. */
  digestDate: string;
  importedAt: number;
  /** Papers in the file. */
  count: number;
  /** Papers that were new when it was imported (not in the bundled digest or an earlier import). */
  added: number;
}

/** Name given to a digest pasted as text rather than picked as a file. */
export const PASTED_NAME = 'Pasted text';

const formatMegabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** Why a file cannot be imported before it is even read, or null when it may be. */
export function fileProblem(name: string, size: number): string | null {
  if (size === 0) return `${name} is empty: a digest starts with a date line such as "Mar 13" followed by papers.`;
  if (size > MAX_IMPORT_BYTES) {
    return `${name} is ${formatMegabytes(size)}: PaperPeek imports digests of up to ${formatMegabytes(MAX_IMPORT_BYTES)}. Split it into smaller files and import each.`;
  }
  return null;
}

/**
 * The identity of a digest's content: a hash of every paper's text, in order.
 * The same file imported twice, or renamed, has the same id; any change to a
 * title or an abstract makes another digest.
 */
export function digestContentId(papers: readonly Paper[]): string {
  const perPaper = papers.map((p) => hashToBase36(`${p.id}\n${p.title}\n${p.abstract}\n${p.links.join(' ')}\n${p.digestDate}`));
  return `d${hashToBase36(perPaper.join(','))}`;
}

/** The papers of one chunk's JSON, or why they cannot be imported. */
export function parseImportChunk(json: string): { ok: true; papers: Paper[] } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { ok: false, error: 'a chunk of the import is not valid JSON' };
  }
  if (!Array.isArray(value) || value.length > IMPORT_CHUNK_PAPERS) return { ok: false, error: `a chunk of the import is not a list of at most ${IMPORT_CHUNK_PAPERS} papers` };
  const bad = value.findIndex((paper) => !isImportPaper(paper));
  if (bad >= 0) return { ok: false, error: `paper ${bad + 1} of a chunk is malformed (fields, lengths, links or an id that does not match its title)` };
  return { ok: true, papers: value as Paper[] };
}

const isLink = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= MAX_IMPORT_LINK && /^https?:\/\/\S+$/.test(value);

/**
 * A paper an extension page sends for import, checked field by field, with its
 * id recomputed from its title: a page cannot file text under another paper's id.
 */
export function isImportPaper(value: unknown): value is Paper {
  if (
    !isExactObject<Paper>(value, {
      id: isPaperId,
      title: isStringWithin(MAX_TITLE_LENGTH),
      abstract: isStringWithin(MAX_ABSTRACT_LENGTH),
      links: isArrayOf(isLink, MAX_IMPORT_LINKS),
      digestDate: isStringWithin(MAX_IMPORT_DATE),
      source: isStringWithin(MAX_IMPORT_NAME),
    })
  ) {
    return false;
  }
  const key = normalizeTitle(value.title);
  return key !== '' && paperIdForKey(key) === value.id;
}
