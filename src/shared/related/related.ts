/**
 * Related papers (issue 6): each paper's top-k most similar papers, from titles
 * and abstracts only, offline, with a short reason per neighbour.
 *
 * The method, chosen by measurement (`npm run eval:related -- --ablate`, against
 * tests/fixtures/related-judgements.json): cosine similarity of BM25-weighted
 * vectors over single words and two-word phrases, with a tempered idf, the title
 * counted twice, abstract boilerplate dropped and generic field words damped;
 * each vector is pruned to its strongest terms so the search scales (search.ts).
 * The floor it is compared against, TFIDF_BASELINE, is a plain TF-IDF cosine over
 * title + abstract (scikit-learn TfidfVectorizer defaults, English stopwords).
 *
 * Not adopted, after measuring: second-order similarity (re-ranking by shared
 * neighbours) lowered P@5; phrases weighted x2 and title x3 did not help; a
 * sentence-embedding model would need weights from a model hub (issue 6 forbids
 * downloads) or an npm package shipping them, and none fits a browser extension.
 */
import { formatReason, MAX_REASON_TERMS, reasonTerms } from './reasons';
import { nearestNeighbours, type NeighbourLists, type SearchOptions } from './search';
import { buildTermVectors, type RelatedPaperText, type TermVectors, type VectorOptions } from './vectors';

export type { RelatedPaperText } from './vectors';

export interface RelatedOptions extends VectorOptions, SearchOptions {
  /** Terms per reason. */
  reasonTerms: number;
}

/** One related paper, as shown: its id, the similarity (0..1) and why. */
export interface RelatedNeighbour {
  id: string;
  score: number;
  /** "both: continual learning, prompts" */
  reason: string;
}

/** Per paper id, its neighbours best first (never itself; at most k). */
export type RelatedTable = Map<string, RelatedNeighbour[]>;

/** Default neighbours stored per paper: the card shows about 5, the popup can show more. */
export const DEFAULT_K = 8;

/**
 * The method PaperPeek ships. Each choice against its own absence on the bundled
 * digest (76 judged papers; mean P@5, method 0.48 vs TF-IDF baseline 0.43; a
 * difference of 0.01 is ~4 hits, so small ones are noise):
 * - phrases: "continual learning", "knowledge distillation", "in-context learning"
 *   name a topic far better than their words apart (without: -0.05);
 * - idfPower 0.5: in a dot product a term counts idf^2, so a word two papers share
 *   by chance (`slow`, `assignment`) outweighed the topic phrase they share with a
 *   dozen others (idf^1: -0.04);
 * - bm25: saturating tf and length normalisation; abstract length varies 3x
 *   (tf-idf weights: -0.03);
 * - title and abstract both (abstract only: -0.03), title counted twice (neutral
 *   here, kept as the usual BM25F field boost: the title is the authors' summary);
 * - scholarly stopwords: "propose / novel / experiments / interestingly" tie
 *   unrelated papers together and make useless reasons (without: -0.02);
 * - genericWeight 0.3 for "learning / model / network" (neutral here: idf already
 *   lowers them in a digest of ML papers; kept for small or mixed digests);
 * - stem: within noise here (without: +0.01; 11 papers better, 6 worse), kept
 *   because a digest we have not seen will spell a topic "prompt" in one abstract
 *   and "prompting" in the next, and so reasons do not say "LLM, LLMs";
 * - maxTerms 96, indexTerms 48, maxPostings 1000, rescoreFactor 4: pruning for
 *   100k papers (search.ts); on the bundled digest it changes nothing measurable
 *   (no pruning at all: same P@5), on 100k synthetic papers the search finds ~90%
 *   of the exact top k, with 99.6% of their total score (scripts/bench-related.ts).
 */
export const RELATED_DEFAULTS: RelatedOptions = {
  weighting: 'bm25',
  stem: true,
  scholarlyStopwords: true,
  phrases: true,
  useTitle: true,
  useAbstract: true,
  titleWeight: 2,
  genericWeight: 0.3,
  phraseWeight: 1,
  idfPower: 0.5,
  maxTerms: 96,
  indexTerms: 48,
  normalize: 'kept',
  k: DEFAULT_K,
  maxPostings: 1000,
  rescoreFactor: 4,
  reasonTerms: MAX_REASON_TERMS,
};

/**
 * The floor of issue 6: TF-IDF cosine over title + abstract, single words, English
 * stopwords, no stemming, exact search (nothing pruned: for evaluation on small
 * digests, it is quadratic).
 */
export const TFIDF_BASELINE: RelatedOptions = {
  weighting: 'tfidf',
  stem: false,
  scholarlyStopwords: false,
  phrases: false,
  useTitle: true,
  useAbstract: true,
  titleWeight: 1,
  genericWeight: 1,
  phraseWeight: 1,
  idfPower: 1,
  maxTerms: Number.POSITIVE_INFINITY,
  indexTerms: Number.POSITIVE_INFINITY,
  normalize: 'all',
  k: DEFAULT_K,
  maxPostings: Number.POSITIVE_INFINITY,
  rescoreFactor: 4,
  reasonTerms: MAX_REASON_TERMS,
};

/**
 * The whole result in typed arrays, for large digests and for packing
 * (compact.ts): paper p's neighbours are rows p*k .. p*k+k-1.
 */
export interface RelatedResult {
  k: number;
  /** Paper ids in input order. */
  ids: string[];
  /** Neighbour paper indexes (into ids), best first; -1 pads short rows. */
  neighbours: Int32Array;
  scores: Float32Array;
  /** Reason terms per neighbour: rows of `reasonWidth` term indexes into `terms`, -1 padded. */
  reasonWidth: number;
  reasons: Int32Array;
  /** Display form of each reason term. */
  terms: string[];
}

/** Computes every paper's neighbours and reasons; the scalable core of computeRelated. */
export function buildRelated(papers: readonly RelatedPaperText[], options: Partial<RelatedOptions> = {}): RelatedResult {
  const o: RelatedOptions = { ...RELATED_DEFAULTS, ...options };
  if (!Number.isInteger(o.k) || o.k < 1) throw new RangeError(`k must be a positive integer, got ${o.k}`);
  const vectors = buildTermVectors(papers, o);
  const lists = nearestNeighbours(vectors, o);
  return explainNeighbours(papers, vectors, lists, o);
}

/** The last step of buildRelated, exported for benchmarks that time each step: reasons for found neighbours. */
export function explainNeighbours(
  papers: readonly RelatedPaperText[],
  vectors: TermVectors,
  { neighbours, scores }: NeighbourLists,
  o: RelatedOptions,
): RelatedResult {
  const width = Math.max(1, o.reasonTerms);
  if (!Number.isInteger(o.k) || neighbours.length !== vectors.count * o.k) throw new RangeError('related: neighbour lists do not match k');
  const reasons = new Int32Array(neighbours.length * width).fill(-1);
  // Only terms that appear in some reason are kept, renumbered densely.
  const termIndex = new Map<number, number>();
  const terms: string[] = [];
  for (let p = 0; p < vectors.count; p++) {
    for (let i = 0; i < o.k; i++) {
      const other = neighbours[p * o.k + i] as number;
      if (other < 0) break;
      const chosen = reasonTerms(vectors, p, other, width);
      for (let r = 0; r < chosen.length; r++) {
        const term = chosen[r] as number;
        let index = termIndex.get(term);
        if (index === undefined) {
          index = terms.length;
          termIndex.set(term, index);
          terms.push(vectors.surfaces[term] as string);
        }
        reasons[(p * o.k + i) * width + r] = index;
      }
    }
  }
  return { k: o.k, ids: papers.map((p) => p.id), neighbours, scores, reasonWidth: width, reasons, terms };
}

/** Neighbour i of paper p as shown to a reader, or undefined past the end of its row. */
export function neighbourAt(result: RelatedResult, p: number, i: number): RelatedNeighbour | undefined {
  const row = p * result.k + i;
  const other = result.neighbours[row] as number;
  if (i >= result.k || other < 0) return undefined;
  const surfaces: string[] = [];
  for (let r = 0; r < result.reasonWidth; r++) {
    const term = result.reasons[row * result.reasonWidth + r] as number;
    if (term >= 0) surfaces.push(result.terms[term] as string);
  }
  return { id: result.ids[other] as string, score: result.scores[row] as number, reason: formatReason(surfaces) };
}

/** The result as a Map from paper id to its neighbours (fine for thousands of papers; use pack for 100k). */
export function toTable(result: RelatedResult): RelatedTable {
  const table: RelatedTable = new Map();
  result.ids.forEach((id, p) => {
    const row: RelatedNeighbour[] = [];
    for (let i = 0; i < result.k; i++) {
      const neighbour = neighbourAt(result, p, i);
      if (!neighbour) break;
      row.push(neighbour);
    }
    table.set(id, row);
  });
  return table;
}

/**
 * Each paper's top-k related papers with reasons, by PaperPeek's method.
 * Papers need an id, a title and an abstract; ids should be unique (a later
 * duplicate is a separate paper with the same id, as the caller gave it).
 */
export function computeRelated(papers: readonly RelatedPaperText[], options: Partial<RelatedOptions> = {}): RelatedTable {
  return toTable(buildRelated(papers, options));
}

/** The same computation with the TF-IDF cosine baseline (for evaluation and comparison). */
export function computeTfidfBaseline(papers: readonly RelatedPaperText[], options: Partial<RelatedOptions> = {}): RelatedTable {
  return computeRelated(papers, { ...TFIDF_BASELINE, ...options });
}
