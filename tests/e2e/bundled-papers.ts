/**
 * The papers of the bundled digest (seeds/), as tests, benchmarks and the demo
 * name them: by title, failing loudly when a title is not in the digest.
 */
import { DEFAULT_SEEDS_DIR, bundleDigests, digestFilesIn } from '../../scripts/digest-files';
import type { IndexedPaper } from '../../src/shared/types';

export const BUNDLED_PAPERS: readonly IndexedPaper[] = bundleDigests(digestFilesIn(DEFAULT_SEEDS_DIR)).papers;

export function bundledPaper(title: string): IndexedPaper {
  const found = BUNDLED_PAPERS.find((p) => p.title === title);
  if (!found) throw new Error(`not a bundled paper: ${title}`);
  return found;
}
