/**
 * Reads and parses digest files from disk: shared by the build plugin and the
 * command line so both report problems the same way.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { parseDigest } from '../src/shared/digest-parser';
import { TITLE_INDEX_FORMAT } from '../src/shared/title-index';
import { normalizeTitle } from '../src/shared/normalize';
import type { DigestProblem, IndexedPaper } from '../src/shared/types';

export const DEFAULT_SEEDS_DIR = resolve(import.meta.dirname, '..', 'seeds');

export interface DigestBundle {
  papers: IndexedPaper[];
  problems: DigestProblem[];
  /** The newest digest's date line (files are read in name order, oldest first). */
  digestDate: string;
  /** Content hash of the papers: changes exactly when what we ship changes. */
  version: string;
  files: string[];
}

/** Decodes bytes as UTF-8, keeping invalid bytes visible (U+FFFD) for the binary check. */
export function readDigestFile(path: string): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(readFileSync(path));
}

export function digestFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.txt') && statSync(join(dir, name)).isFile())
    .sort()
    .map((name) => join(dir, name));
}

/**
 * Parses every file and merges them. A paper listed again in a later digest keeps
 * its id (ids come from the title) and takes the later text.
 */
export function bundleDigests(paths: string[]): DigestBundle {
  const byId = new Map<string, IndexedPaper>();
  const problems: DigestProblem[] = [];
  let digestDate = '';
  for (const path of paths) {
    const parsed = parseDigest(readDigestFile(path), basename(path));
    problems.push(...parsed.problems);
    if (parsed.digestDate) digestDate = parsed.digestDate;
    for (const paper of parsed.papers) byId.set(paper.id, { ...paper, key: normalizeTitle(paper.title) });
  }
  const papers = [...byId.values()];
  // The index format is part of the version: a new matcher reloads an unchanged digest.
  const version = createHash('sha256')
    .update(`index-format-${TITLE_INDEX_FORMAT}\n`)
    .update(JSON.stringify(papers))
    .digest('hex')
    .slice(0, 16);
  return { papers, problems, digestDate, version, files: paths.map((p) => basename(p)) };
}
