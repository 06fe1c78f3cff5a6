/** Domain types shared by every context. */

/** One paper of a digest, as bundled and stored. Text fields are display-ready text. */
export interface Paper {
  /** Stable id derived from the normalised title (see paperIdForTitle). */
  id: string;
  /** The title as the digest spells it. */
  title: string;
  /** Abstract as clean display text (LaTeX residue turned into text). */
  abstract: string;
  /** Code and project links found in the abstract, trimmed of trailing punctuation. */
  links: string[];
  /** The digest's date line as written, e.g. `Mar 13`; empty when the file had none. */
  digestDate: string;
  /** The digest file this paper came from, e.g. `000_c65d2d98e23c96f3.txt`. */
  source: string;
}

/** A paper with its precomputed match key, as the background indexes it. */
export interface IndexedPaper extends Paper {
  /** normalizeTitle(title). */
  key: string;
}

export type ReadingStatus = 'to-read' | 'reading' | 'read';

/**
 * A paper on the reading list. It keeps its own copy of the paper's text so it
 * survives the paper disappearing from, or changing in, a later digest.
 */
export interface SavedPaper {
  id: string;
  title: string;
  abstract: string;
  links: string[];
  digestDate: string;
  savedAt: number;
  status: ReadingStatus;
  note: string;
}

export type ProblemSeverity = 'error' | 'warning';

/** Something wrong with a digest file, pointing at the line a maintainer must fix. */
export interface DigestProblem {
  file: string;
  /** 1-based line number. */
  line: number;
  severity: ProblemSeverity;
  message: string;
}

export function formatProblem(problem: DigestProblem): string {
  return `${problem.file}:${problem.line}: ${problem.severity}: ${problem.message}`;
}
