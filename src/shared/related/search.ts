/**
 * Top-k most similar papers for every paper, without the N x N similarity
 * matrix. Two stages:
 *
 * 1. Candidates: an inverted index (term -> papers) over each paper's
 *    `indexTerms` heaviest terms; for each paper, a score accumulator over the
 *    papers reached through its own heaviest terms. A term most papers share would
 *    make this quadratic, so each posting list is capped to the `maxPostings`
 *    papers where the term weighs most (a paper where a common word weighs little
 *    is a poor neighbour on that word's account anyway).
 * 2. Rescoring: the `k x rescoreFactor` best candidates get their exact cosine
 *    (sorted merge of the two full vectors), and the top k of those are kept.
 *
 * When nothing is pruned (every term indexed, no list capped) stage 1 is already
 * exact and stage 2 is skipped: the bundled digest gets the exact answer.
 * Memory: vectors (papers x maxTerms) + postings (papers x indexTerms) + one
 * reusable accumulator of N floats: linear in N.
 */
import type { TermVectors } from './vectors';

export interface SearchOptions {
  /** Neighbours per paper. */
  k: number;
  /** Heaviest terms per paper that go into the inverted index and drive the candidate search. */
  indexTerms: number;
  /** Longest posting list kept per term (papers where the term weighs most). */
  maxPostings: number;
  /** Candidates rescored exactly, as a multiple of k, when any posting list was capped. */
  rescoreFactor: number;
}

export interface NeighbourLists {
  count: number;
  k: number;
  /** Row p holds paper p's neighbours, best first; -1 pads a row with fewer than k. */
  neighbours: Int32Array;
  scores: Float32Array;
}

interface Postings {
  offsets: Uint32Array;
  papers: Uint32Array;
  weights: Float32Array;
  capped: boolean;
}

/**
 * Marks, per paper, the entries of its vector that are among its `indexTerms`
 * heaviest (ties: lower term id). Returns the marks and whether any was left out.
 */
function indexedEntries(vectors: TermVectors, indexTerms: number): { marks: Uint8Array; pruned: boolean } {
  const marks = new Uint8Array(vectors.terms.length);
  let pruned = false;
  const order: number[] = [];
  for (let p = 0; p < vectors.count; p++) {
    const start = vectors.offsets[p] as number;
    const end = vectors.offsets[p + 1] as number;
    if (end - start <= indexTerms) {
      marks.fill(1, start, end);
      continue;
    }
    pruned = true;
    order.length = 0;
    for (let i = start; i < end; i++) order.push(i);
    // Entries are sorted by term id, so index order breaks weight ties by term id.
    order.sort((a, b) => (vectors.weights[b] as number) - (vectors.weights[a] as number) || a - b);
    for (let i = 0; i < indexTerms; i++) marks[order[i] as number] = 1;
  }
  return { marks, pruned };
}

function buildPostings(vectors: TermVectors, marks: Uint8Array, maxPostings: number): Postings {
  const termCount = vectors.keys.length;
  const lengths = new Uint32Array(termCount);
  let entries = 0;
  for (let i = 0; i < vectors.terms.length; i++) {
    if (marks[i]) {
      const t = vectors.terms[i] as number;
      lengths[t] = (lengths[t] as number) + 1;
      entries++;
    }
  }
  const full = new Uint32Array(termCount + 1);
  for (let t = 0; t < termCount; t++) full[t + 1] = (full[t] as number) + (lengths[t] as number);
  const papers = new Uint32Array(entries);
  const weights = new Float32Array(entries);
  const fill = full.slice(0, termCount);
  for (let p = 0; p < vectors.count; p++) {
    for (let i = vectors.offsets[p] as number; i < (vectors.offsets[p + 1] as number); i++) {
      if (!marks[i]) continue;
      const t = vectors.terms[i] as number;
      const at = fill[t] as number;
      papers[at] = p;
      weights[at] = vectors.weights[i] as number;
      fill[t] = at + 1;
    }
  }
  let capped = false;
  for (let t = 0; t < termCount; t++) if ((lengths[t] as number) > maxPostings) capped = true;
  if (!capped) return { offsets: full, papers, weights, capped };

  // Keep the maxPostings heaviest entries of each long list (ties: lower paper index).
  const offsets = new Uint32Array(termCount + 1);
  for (let t = 0; t < termCount; t++) offsets[t + 1] = (offsets[t] as number) + Math.min(lengths[t] as number, maxPostings);
  const keptPapers = new Uint32Array(offsets[termCount] as number);
  const keptWeights = new Float32Array(keptPapers.length);
  for (let t = 0; t < termCount; t++) {
    const start = full[t] as number;
    const length = lengths[t] as number;
    const out = offsets[t] as number;
    if (length <= maxPostings) {
      keptPapers.set(papers.subarray(start, start + length), out);
      keptWeights.set(weights.subarray(start, start + length), out);
      continue;
    }
    const order = Array.from({ length }, (_, i) => start + i);
    order.sort((a, b) => (weights[b] as number) - (weights[a] as number) || (papers[a] as number) - (papers[b] as number));
    for (let i = 0; i < maxPostings; i++) {
      keptPapers[out + i] = papers[order[i] as number] as number;
      keptWeights[out + i] = weights[order[i] as number] as number;
    }
  }
  return { offsets, papers: keptPapers, weights: keptWeights, capped };
}

/**
 * A bounded min-heap of (score, paper): keeps the `size` best seen. Better means
 * higher score, then lower paper index, so results never depend on visiting order.
 */
class TopHeap {
  readonly scores: Float64Array;
  readonly papers: Int32Array;
  length = 0;
  constructor(readonly size: number) {
    this.scores = new Float64Array(size);
    this.papers = new Int32Array(size);
  }

  private worse(i: number, j: number): boolean {
    const a = this.scores[i] as number;
    const b = this.scores[j] as number;
    return a < b || (a === b && (this.papers[i] as number) > (this.papers[j] as number));
  }

  offer(score: number, paper: number): void {
    if (this.length < this.size) {
      this.scores[this.length] = score;
      this.papers[this.length] = paper;
      this.up(this.length++);
      return;
    }
    const rootScore = this.scores[0] as number;
    if (score < rootScore || (score === rootScore && paper > (this.papers[0] as number))) return;
    this.scores[0] = score;
    this.papers[0] = paper;
    this.down(0);
  }

  /** Empties the heap into `papers` / `scores` (best first) and returns how many were written. */
  drainInto(papers: Int32Array, scores: Float64Array): number {
    const count = this.length;
    for (let i = count - 1; i >= 0; i--) {
      papers[i] = this.papers[0] as number;
      scores[i] = this.scores[0] as number;
      this.length--;
      this.swap(0, this.length);
      this.down(0);
    }
    this.length = 0;
    return count;
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.worse(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.length && this.worse(l, m)) m = l;
      if (r < this.length && this.worse(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  private swap(i: number, j: number): void {
    const s = this.scores[i] as number;
    this.scores[i] = this.scores[j] as number;
    this.scores[j] = s;
    const p = this.papers[i] as number;
    this.papers[i] = this.papers[j] as number;
    this.papers[j] = p;
  }
}

export function nearestNeighbours(vectors: TermVectors, options: SearchOptions): NeighbourLists {
  const n = vectors.count;
  const k = options.k;
  const { marks, pruned } = indexedEntries(vectors, options.indexTerms);
  const postings = buildPostings(vectors, marks, options.maxPostings);
  const rescore = pruned || postings.capped;
  const neighbours = new Int32Array(n * k).fill(-1);
  const scores = new Float32Array(n * k);
  // Float32: half the cache footprint of the array touched at random; scores are rescored or compared only.
  const accumulator = new Float32Array(n);
  const touched = new Int32Array(n);
  const candidates = new TopHeap(rescore ? Math.max(k, k * options.rescoreFactor) : k);
  const final = new TopHeap(k);
  // Rescoring scatters paper p's full vector into a dense array once, so each
  // candidate's exact dot product is one pass over the candidate's own terms.
  const dense = new Float64Array(rescore ? vectors.keys.length : 0);
  // Reused for every paper: the hot loop allocates nothing.
  const bestPapers = new Int32Array(candidates.size);
  const bestScores = new Float64Array(candidates.size);

  for (let p = 0; p < n; p++) {
    let touchedCount = 0;
    for (let i = vectors.offsets[p] as number; i < (vectors.offsets[p + 1] as number); i++) {
      if (!marks[i]) continue;
      const t = vectors.terms[i] as number;
      const w = vectors.weights[i] as number;
      const end = postings.offsets[t + 1] as number;
      for (let j = postings.offsets[t] as number; j < end; j++) {
        const other = postings.papers[j] as number;
        const before = accumulator[other] as number;
        if (before === 0) touched[touchedCount++] = other;
        accumulator[other] = before + w * (postings.weights[j] as number);
      }
    }
    // p reached itself through each of its terms: drop it here rather than test every posting.
    accumulator[p] = 0;
    for (let i = 0; i < touchedCount; i++) {
      const other = touched[i] as number;
      const score = accumulator[other] as number;
      accumulator[other] = 0;
      // Most candidates lose to the heap's worst: skip the call for them.
      if (score > 0 && (candidates.length < candidates.size || score >= (candidates.scores[0] as number))) candidates.offer(score, other);
    }
    let found = candidates.drainInto(bestPapers, bestScores);
    if (rescore) {
      const start = vectors.offsets[p] as number;
      const end = vectors.offsets[p + 1] as number;
      for (let i = start; i < end; i++) dense[vectors.terms[i] as number] = vectors.weights[i] as number;
      for (let c = 0; c < found; c++) {
        const other = bestPapers[c] as number;
        let sum = 0;
        for (let i = vectors.offsets[other] as number; i < (vectors.offsets[other + 1] as number); i++) {
          sum += (dense[vectors.terms[i] as number] as number) * (vectors.weights[i] as number);
        }
        final.offer(sum, other);
      }
      for (let i = start; i < end; i++) dense[vectors.terms[i] as number] = 0;
      found = final.drainInto(bestPapers, bestScores);
    }
    for (let i = 0; i < found && i < k; i++) {
      neighbours[p * k + i] = bestPapers[i] as number;
      scores[p * k + i] = bestScores[i] as number;
    }
  }
  return { count: n, k, neighbours, scores };
}

