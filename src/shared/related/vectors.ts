/**
 * Papers -> sparse, L2-normalised term vectors, pruned to each paper's
 * strongest terms. Two passes over the text, so memory stays linear in the
 * number of papers and never holds every term of every paper at once:
 *
 * 1. document frequencies, counted in a count-min sketch (two hashed rows, the
 *    smaller count wins) over numeric term ids (see PHRASE_BASE). A digest of 100k real abstracts has millions of distinct
 *    two-word phrases; a Map of them all would cost hundreds of MB, while the
 *    sketch is a fixed 2 x 4 MiB. Over-counts from collisions only lower a term's
 *    weight a little, and a collision-free count is likely for any term that
 *    matters (4M cells per row).
 * 2. per paper, weight every term, keep the top `maxTerms` (terms with df = 1 are
 *    skipped: they cannot be shared with anyone), normalise, and only then intern
 *    the kept terms into the dictionary.
 */
import { PHRASE_BASE, surfaceOf, Tokenizer, type TokenOptions } from './text';

export interface RelatedPaperText {
  id: string;
  title: string;
  abstract: string;
}

export type Weighting = 'tfidf' | 'bm25';

export interface VectorOptions extends TokenOptions {
  /**
   * `tfidf`: raw term count x smooth idf, ln((1+N)/(1+df)) + 1 (scikit-learn's
   * TfidfVectorizer defaults; the floor of issue 6).
   * `bm25`: BM25's saturating term frequency with length normalisation and its idf,
   * ln(1 + (N - df + 0.5)/(df + 0.5)): repeating a word ten times is not ten times
   * the evidence, and long abstracts do not win by length.
   */
  weighting: Weighting;
  /** Each title occurrence counts this many abstract occurrences (BM25F-style field weight). */
  titleWeight: number;
  /** Count the abstract at all (false: title only). */
  useAbstract: boolean;
  /** Count the title at all (false: abstract only). */
  useTitle: boolean;
  /** Multiplier for generic field terms (see GENERIC_FIELD_STEMS); 1 leaves them alone. */
  genericWeight: number;
  /**
   * Exponent applied to idf (1 = as defined). Below 1 tempers rare words: in a
   * dot product a term counts idf^2, so a word two papers share by chance (df = 2)
   * can otherwise outweigh the topic words they share with a dozen others.
   */
  idfPower: number;
  /** Multiplier for two-word phrases relative to single words. */
  phraseWeight: number;
  /** Terms kept per paper (the vector is pruned to its strongest terms). */
  maxTerms: number;
  /**
   * What the vector is normalised over: `all` its terms (true cosine of the full
   * vectors, the baseline's definition; pruned terms then only lower the score), or
   * the `kept` terms (cosine of the pruned vectors).
   */
  normalize: 'all' | 'kept';
}

/** BM25 constants: the usual k1 and b. */
const K1 = 1.2;
const B = 0.75;
const SKETCH_BITS = 22;
const SKETCH_MASK = (1 << SKETCH_BITS) - 1;

export interface TermVectors {
  /** Papers in input order. */
  count: number;
  /** Vector of paper p: terms[offsets[p] .. offsets[p+1]), sorted by term id, with weights alongside. */
  offsets: Uint32Array;
  terms: Uint32Array;
  weights: Float32Array;
  /** Term id -> key (stemmed; phrases hold one space). */
  keys: string[];
  /** Term id -> how the text most often wrote it (majority vote over occurrences kept). */
  surfaces: string[];
  /** Term id -> the term counts as generic (all its words are generic field words). */
  generic: Uint8Array;
  /**
   * Term id -> its words as word ids: words[2t] and words[2t+1] (-1 for a single
   * word), and whether each is a generic field word (genericWords[2t], [2t+1]).
   * Reasons compare phrases with words through these, without splitting strings.
   */
  words: Int32Array;
  genericWords: Uint8Array;
}

/** Count-min sketch of document frequencies, over numeric terms (see PHRASE_BASE). */
class DfSketch {
  private readonly rowA = new Uint32Array(1 << SKETCH_BITS);
  private readonly rowB = new Uint32Array(1 << SKETCH_BITS);
  private a = 0;
  private b = 0;

  /** Two independent cells for a term: murmur3's 32-bit finaliser over its two halves. */
  private cells(term: number): void {
    const high = Math.floor(term / PHRASE_BASE);
    const low = term - high * PHRASE_BASE;
    let h = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    let g = Math.imul(high ^ Math.imul(low + 0x7f4a7c15, 0x27d4eb2f), 0x165667b1);
    g ^= g >>> 15;
    g = Math.imul(g, 0x85ebca77);
    g ^= g >>> 13;
    this.a = h & SKETCH_MASK;
    this.b = g & SKETCH_MASK;
  }

  add(term: number): void {
    this.cells(term);
    this.rowA[this.a] = (this.rowA[this.a] as number) + 1;
    this.rowB[this.b] = (this.rowB[this.b] as number) + 1;
  }

  get(term: number): number {
    this.cells(term);
    return Math.min(this.rowA[this.a] as number, this.rowB[this.b] as number);
  }
}

/**
 * Term counts of one paper, in reusable slots (a digest of 100k papers would
 * otherwise allocate tens of millions of small objects): key -> slot, and per slot
 * the weighted count and the words as first written.
 */
class PaperCounts {
  readonly slots = new Map<number, number>();
  tf: number[] = [];
  first: string[] = [];
  second: (string | undefined)[] = [];
  /** Sum of single-word counts: the paper length BM25 normalises by (phrases would double it). */
  length = 0;

  constructor(
    private readonly tokenizer: Tokenizer,
    private readonly options: VectorOptions,
  ) {}

  count(paper: RelatedPaperText): void {
    this.slots.clear();
    this.length = 0;
    if (this.options.useTitle) this.add(paper.title, this.options.titleWeight);
    if (this.options.useAbstract) this.add(paper.abstract, 1);
  }

  private add(text: string, weight: number): void {
    this.tokenizer.scan(text, (term, first, second) => {
      if (second === undefined) this.length += weight;
      const slot = this.slots.get(term);
      if (slot !== undefined) {
        this.tf[slot] = (this.tf[slot] as number) + weight;
        return;
      }
      const next = this.slots.size;
      this.slots.set(term, next);
      this.tf[next] = weight;
      this.first[next] = first;
      this.second[next] = second;
    });
  }
}

export function buildTermVectors(papers: readonly RelatedPaperText[], options: VectorOptions): TermVectors {
  const n = papers.length;
  const tokenizer = new Tokenizer(options);
  const counts = new PaperCounts(tokenizer, options);
  // Pass 1: document frequencies and the average length.
  const sketch = new DfSketch();
  let totalLength = 0;
  for (const paper of papers) {
    counts.count(paper);
    totalLength += counts.length;
    for (const term of counts.slots.keys()) sketch.add(term);
  }
  const averageLength = n > 0 ? Math.max(1, totalLength / n) : 1;

  // Pass 2: weights, pruning, interning.
  const dictionary = new Map<number, number>();
  const keys: string[] = [];
  const surfaces: string[] = [];
  const votes: number[] = [];
  const generic: number[] = [];
  const words: number[] = [];
  const genericWords: number[] = [];
  const offsets = new Uint32Array(n + 1);
  let terms = new Uint32Array(Math.max(16, n * Math.min(options.maxTerms, 64)));
  let weights = new Float32Array(terms.length);
  let used = 0;

  const candidateTerms: number[] = [];
  const candidateSlots: number[] = [];
  let candidateWeights = new Float64Array(256);
  const order: number[] = [];
  for (let p = 0; p < n; p++) {
    counts.count(papers[p] as RelatedPaperText);
    const lengthRatio = counts.length / averageLength;
    candidateTerms.length = 0;
    candidateSlots.length = 0;
    if (candidateWeights.length < counts.slots.size) candidateWeights = new Float64Array(counts.slots.size * 2);
    // Weights of terms no other paper has (df = 1): they count only in a norm over all terms.
    let unsharedNorm = 0;
    for (const [term, slot] of counts.slots) {
      const tf = counts.tf[slot] as number;
      const df = sketch.get(term);
      let weight: number;
      if (options.weighting === 'bm25') {
        const saturated = (tf * (K1 + 1)) / (tf + K1 * (1 - B + B * lengthRatio));
        weight = saturated * Math.log(1 + (n - df + 0.5) / (df + 0.5)) ** options.idfPower;
      } else {
        weight = tf * (Math.log((1 + n) / (1 + df)) + 1) ** options.idfPower;
      }
      if (options.genericWeight !== 1 && tokenizer.isGeneric(term)) weight *= options.genericWeight;
      if (options.phraseWeight !== 1 && term >= PHRASE_BASE) weight *= options.phraseWeight;
      // A term of this paper only (df = 1) can never be shared: it only counts in the norm.
      if (df < 2) {
        if (options.normalize === 'all') unsharedNorm += weight * weight;
      } else if (weight > 0) {
        candidateWeights[candidateTerms.length] = weight;
        candidateTerms.push(term);
        candidateSlots.push(slot);
      }
    }
    // Keep the maxTerms strongest; ties at the cut by term, so the result never
    // depends on Map order. A numeric typed-array sort finds the cut weight; only
    // the kept terms are then ordered.
    const total = candidateTerms.length;
    let cut = -1;
    if (total > options.maxTerms) {
      const sorted = candidateWeights.slice(0, total).sort();
      cut = sorted[total - options.maxTerms] as number;
    }
    order.length = 0;
    const ties: number[] = [];
    for (let i = 0; i < total; i++) {
      const w = candidateWeights[i] as number;
      if (w > cut) order.push(i);
      else if (w === cut) ties.push(i);
    }
    if (ties.length > 0) {
      ties.sort((a, b) => (candidateTerms[a] as number) - (candidateTerms[b] as number));
      for (let i = 0; order.length < options.maxTerms && i < ties.length; i++) order.push(ties[i] as number);
    }
    const kept = order.length;
    let norm = unsharedNorm;
    if (options.normalize === 'all') for (let i = 0; i < total; i++) norm += (candidateWeights[i] as number) ** 2;
    else for (let i = 0; i < kept; i++) norm += (candidateWeights[order[i] as number] as number) ** 2;
    norm = Math.sqrt(norm) || 1;

    if (used + kept > terms.length) {
      const grown = new Uint32Array(Math.max(terms.length * 2, used + kept));
      grown.set(terms);
      terms = grown;
      const grownWeights = new Float32Array(grown.length);
      grownWeights.set(weights);
      weights = grownWeights;
    }
    const start = used;
    for (let i = 0; i < kept; i++) {
      const c = order[i] as number;
      const term = candidateTerms[c] as number;
      const slot = candidateSlots[c] as number;
      let id = dictionary.get(term);
      if (id === undefined) {
        id = keys.length;
        dictionary.set(term, id);
        keys.push(tokenizer.keyOf(term));
        surfaces.push(surfaceOf(counts.first[slot] as string, counts.second[slot]));
        votes.push(1);
        generic.push(tokenizer.isGeneric(term) ? 1 : 0);
        const [first, second] = tokenizer.wordsOf(term);
        words.push(first, second);
        genericWords.push(tokenizer.isGeneric(first) ? 1 : 0, second >= 0 && tokenizer.isGeneric(second) ? 1 : 0);
      } else {
        // Boyer-Moore majority vote over the papers that keep the term: O(1) memory
        // per term, and it finds the usual spelling (`LLMs`, `prompts`).
        const surface = surfaceOf(counts.first[slot] as string, counts.second[slot]);
        if (surfaces[id] === surface) votes[id] = (votes[id] as number) + 1;
        else if (votes[id] === 0) {
          surfaces[id] = surface;
          votes[id] = 1;
        } else votes[id] = (votes[id] as number) - 1;
      }
      terms[used] = id;
      weights[used] = (candidateWeights[c] as number) / norm;
      used++;
    }
    sortSlice(terms, weights, start, used);
    offsets[p + 1] = used;
  }
  return {
    count: n,
    offsets,
    terms: terms.slice(0, used),
    weights: weights.slice(0, used),
    keys,
    surfaces,
    generic: Uint8Array.from(generic),
    words: Int32Array.from(words),
    genericWords: Uint8Array.from(genericWords),
  };
}

/** Sorts terms[start..end) ascending (insertion sort: slices are short), carrying weights along. */
function sortSlice(terms: Uint32Array, weights: Float32Array, start: number, end: number): void {
  for (let i = start + 1; i < end; i++) {
    const t = terms[i] as number;
    const w = weights[i] as number;
    let j = i - 1;
    while (j >= start && (terms[j] as number) > t) {
      terms[j + 1] = terms[j] as number;
      weights[j + 1] = weights[j] as number;
      j--;
    }
    terms[j + 1] = t;
    weights[j + 1] = w;
  }
}

/** Dot product of two papers' pruned vectors (both sorted by term id). */
export function dot(vectors: TermVectors, a: number, b: number): number {
  const { offsets, terms, weights } = vectors;
  let i = offsets[a] as number;
  const iEnd = offsets[a + 1] as number;
  let j = offsets[b] as number;
  const jEnd = offsets[b + 1] as number;
  let sum = 0;
  while (i < iEnd && j < jEnd) {
    const ti = terms[i] as number;
    const tj = terms[j] as number;
    if (ti === tj) sum += (weights[i++] as number) * (weights[j++] as number);
    else if (ti < tj) i++;
    else j++;
  }
  return sum;
}
