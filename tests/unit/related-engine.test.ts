import { describe, expect, it } from 'vitest';
import {
  buildRelated,
  computeRelated,
  computeTfidfBaseline,
  RELATED_DEFAULTS,
  termsOf,
  toTable,
  type RelatedPaperText,
  type RelatedTable,
} from '../../src/shared/related';
import { buildTermVectors } from '../../src/shared/related/vectors';
import { bundleDigests, digestFilesIn, DEFAULT_SEEDS_DIR } from '../../scripts/digest-files';
import { formatDigest, generatePapers } from '../../scripts/synthetic-digest';
import { parseDigest } from '../../src/shared/digest-parser';

/** Three small topics a reader would group at a glance; no paper shares its topic words with another topic. */
const CORPUS: RelatedPaperText[] = [
  {
    id: 'cl-prompts',
    title: 'Prompting for Rehearsal-Free Continual Learning',
    abstract: 'Continual learning suffers from catastrophic forgetting. We learn prompts for a frozen vision transformer, without rehearsal of old data.',
  },
  {
    id: 'cl-replay',
    title: 'Experience Replay Against Catastrophic Forgetting',
    abstract: 'A replay buffer of old examples reduces catastrophic forgetting in continual learning across a sequence of tasks.',
  },
  {
    id: 'cl-regularise',
    title: 'Regularisation Is Enough for Continual Learning',
    abstract: 'Parameter regularisation avoids catastrophic forgetting in class-incremental continual learning without a replay buffer.',
  },
  {
    id: 'ir-dense',
    title: 'Dense Passage Retrieval with Contrastive Training',
    abstract: 'Dense retrievers encode queries and passages; contrastive training of the dual encoder improves passage retrieval over BM25.',
  },
  {
    id: 'ir-rerank',
    title: 'Cross-Encoder Reranking of Retrieved Passages',
    abstract: 'A cross-encoder reranks passages retrieved by a dual encoder, improving passage retrieval precision for open-domain questions.',
  },
  {
    id: 'ir-distil',
    title: 'Distilling Cross-Encoders into Dense Retrievers',
    abstract: 'Knowledge distillation from a cross-encoder teacher makes a dense retriever better at passage retrieval.',
  },
  {
    id: 'seq-lstm',
    title: 'Sequence to Sequence Learning with LSTM Decoders',
    abstract: 'An LSTM encoder reads the source sentence and an LSTM decoder writes the translation, one token at a time.',
  },
  {
    id: 'seq-beam',
    title: 'Diverse Beam Search for Sequence Decoders',
    abstract: 'Beam search decoding of sequence models returns near-identical translations; a diversity term spreads the beam.',
  },
];
const TOPIC = (id: string) => id.split('-')[0];

function expectWellFormed(table: RelatedTable, ids: string[], k: number): void {
  expect([...table.keys()].sort()).toEqual([...ids].sort());
  for (const [id, neighbours] of table) {
    expect(neighbours.length).toBeLessThanOrEqual(k);
    expect(neighbours.map((n) => n.id)).not.toContain(id);
    expect(new Set(neighbours.map((n) => n.id)).size).toBe(neighbours.length);
    for (let i = 1; i < neighbours.length; i++) expect(neighbours[i - 1]!.score).toBeGreaterThanOrEqual(neighbours[i]!.score);
    for (const n of neighbours) {
      expect(n.score).toBeGreaterThan(0);
      expect(n.score).toBeLessThanOrEqual(1 + 1e-6);
    }
  }
}

describe('computeRelated on a tiny hand-made corpus', () => {
  const table = computeRelated(CORPUS, { k: 3 });

  it('lists at most k distinct neighbours per paper, best first, never the paper itself', () => {
    expectWellFormed(table, CORPUS.map((p) => p.id), 3);
  });

  it('puts every paper nearest to a paper of its own topic', () => {
    for (const paper of CORPUS) expect(TOPIC(table.get(paper.id)![0]!.id)).toBe(TOPIC(paper.id));
  });

  it('ranks topic mates above every other topic (the continual-learning trio)', () => {
    for (const id of ['cl-prompts', 'cl-replay', 'cl-regularise']) {
      expect(table.get(id)!.slice(0, 2).map((n) => TOPIC(n.id))).toEqual(['cl', 'cl']);
    }
  });

  it('is symmetric-ish: a paper is in the top 2 of its own nearest neighbour', () => {
    for (const [id, neighbours] of table) {
      const nearest = neighbours[0]!.id;
      expect(table.get(nearest)!.slice(0, 2).map((n) => n.id)).toContain(id);
    }
  });

  it('gives the same score both ways (cosine is symmetric when nothing is pruned)', () => {
    for (const [id, neighbours] of table) {
      for (const n of neighbours) {
        const back = table.get(n.id)!.find((m) => m.id === id);
        if (back) expect(back.score).toBeCloseTo(n.score, 5);
      }
    }
  });

  it('explains each neighbour only with terms both papers contain', () => {
    const options = { stem: RELATED_DEFAULTS.stem, scholarlyStopwords: RELATED_DEFAULTS.scholarlyStopwords, phrases: RELATED_DEFAULTS.phrases };
    const keysOf = (paper: RelatedPaperText) => new Set(termsOf(`${paper.title}. ${paper.abstract}`, options).map((t) => t.key));
    const byId = new Map(CORPUS.map((p) => [p.id, p]));
    let reasons = 0;
    for (const [id, neighbours] of table) {
      for (const n of neighbours) {
        expect(n.reason).toMatch(/^both: \S/);
        for (const surface of n.reason.slice('both: '.length).split(', ')) {
          // The key of the shown term: the phrase for two words, else the word.
          const terms = termsOf(surface, options);
          const key = terms[terms.length - 1]!.key;
          expect(keysOf(byId.get(id)!)).toContain(key);
          expect(keysOf(byId.get(n.id)!)).toContain(key);
          reasons++;
        }
      }
    }
    expect(reasons).toBeGreaterThan(CORPUS.length);
  });

  it('names the shared topic phrase in the reason', () => {
    const reason = table.get('cl-replay')!.find((n) => TOPIC(n.id) === 'cl')!.reason;
    expect(reason).toMatch(/catastrophic forgetting|continual learning|replay buffer/);
    // A phrase is not repeated by its own words.
    expect(reason).not.toMatch(/\bcatastrophic forgetting\b.*\bforgetting, |\bcontinual, /);
  });

  it('is deterministic', () => {
    expect(computeRelated(CORPUS, { k: 3 })).toEqual(table);
    expect(buildRelated(CORPUS)).toEqual(buildRelated(CORPUS));
  });

  it('has a baseline with the same guarantees', () => {
    const baseline = computeTfidfBaseline(CORPUS, { k: 3 });
    expectWellFormed(baseline, CORPUS.map((p) => p.id), 3);
    for (const paper of CORPUS) expect(TOPIC(baseline.get(paper.id)![0]!.id)).toBe(TOPIC(paper.id));
  });

  it('handles degenerate input: no papers, one paper, papers sharing nothing', () => {
    expect(computeRelated([]).size).toBe(0);
    expect(computeRelated([CORPUS[0]!]).get('cl-prompts')).toEqual([]);
    const apart = computeRelated([
      { id: 'a', title: 'Alpha', abstract: 'Apples ripen.' },
      { id: 'b', title: 'Beta', abstract: 'Bicycles rust.' },
    ]);
    expect(apart.get('a')).toEqual([]);
    expect(() => computeRelated(CORPUS, { k: 0 })).toThrow(RangeError);
  });
});

describe('term weighting', () => {
  const vectorsOf = (papers: RelatedPaperText[], options = {}) => buildTermVectors(papers, { ...RELATED_DEFAULTS, ...options });
  const weightOf = (papers: RelatedPaperText[], paper: number, key: string, options = {}) => {
    const v = vectorsOf(papers, options);
    for (let i = v.offsets[paper]!; i < v.offsets[paper + 1]!; i++) if (v.keys[v.terms[i]!] === key) return v.weights[i]!;
    return 0;
  };
  const filler = (i: number) => ({ id: `f${i}`, title: `Filler ${i}`, abstract: `Unrelated words about gardens number ${i} and replay.` });

  it('normalises each vector to unit length', () => {
    const v = vectorsOf(CORPUS);
    for (let p = 0; p < v.count; p++) {
      let sum = 0;
      for (let i = v.offsets[p]!; i < v.offsets[p + 1]!; i++) sum += v.weights[i]! ** 2;
      if (v.offsets[p + 1]! > v.offsets[p]!) expect(sum).toBeCloseTo(1, 5);
    }
  });

  it('drops terms no other paper has (they cannot be shared)', () => {
    const v = vectorsOf(CORPUS);
    expect(v.keys).not.toContain('bicycl');
    expect(v.keys).not.toContain('diversity');
  });

  it('saturates repeated words (BM25): ten mentions weigh less than ten times one', () => {
    const once = { id: 'a', title: 'T', abstract: 'replay memory consolidation sleep' };
    const often = { id: 'b', title: 'T', abstract: `${'replay '.repeat(10)}memory consolidation sleep` };
    const papers = [once, often, filler(1), filler(2)];
    const raw = (p: number) => weightOf(papers, p, 'replay', { maxTerms: 1000, normalize: 'kept' });
    expect(raw(1)).toBeGreaterThan(raw(0));
    const tfidf = (p: number) => weightOf(papers, p, 'replay', { weighting: 'tfidf', maxTerms: 1000 });
    // TF-IDF grows linearly with the count, BM25 does not.
    expect(raw(1) / raw(0)).toBeLessThan(tfidf(1) / tfidf(0));
  });

  it('counts title words more than abstract words (titleWeight)', () => {
    const inTitle = { id: 'a', title: 'Replay', abstract: 'memory consolidation during sleep' };
    const inAbstract = { id: 'b', title: 'Memory', abstract: 'replay consolidation during sleep' };
    const papers = [inTitle, inAbstract, filler(1), filler(2)];
    expect(weightOf(papers, 0, 'replay')).toBeGreaterThan(weightOf(papers, 1, 'replay'));
    expect(weightOf(papers, 0, 'replay', { titleWeight: 1 })).toBeCloseTo(weightOf(papers, 1, 'replay', { titleWeight: 1 }), 5);
  });

  it('damps generic field words (genericWeight) but not topic words', () => {
    const papers = [
      { id: 'a', title: 'T', abstract: 'learning prompts' },
      { id: 'b', title: 'U', abstract: 'learning prompts' },
      filler(1),
    ];
    const ratio = (options: object) => weightOf(papers, 0, 'learn', options) / weightOf(papers, 0, 'prompt', options);
    expect(ratio({ genericWeight: 0.3 })).toBeCloseTo(0.3 * ratio({ genericWeight: 1 }), 5);
  });

  it('keeps at most maxTerms terms per paper, the heaviest ones', () => {
    const v = vectorsOf(CORPUS, { maxTerms: 3 });
    for (let p = 0; p < v.count; p++) expect(v.offsets[p + 1]! - v.offsets[p]!).toBeLessThanOrEqual(3);
  });
});

describe('the bundled digest', () => {
  const papers = bundleDigests(digestFilesIn(DEFAULT_SEEDS_DIR)).papers;
  const table = computeRelated(papers);

  it('has neighbours for every paper, none listing itself', () => {
    expectWellFormed(table, papers.map((p) => p.id), RELATED_DEFAULTS.k);
    for (const paper of papers) expect(table.get(paper.id)!.length).toBe(RELATED_DEFAULTS.k);
  });
});

describe('pruned search on a larger synthetic digest', () => {
  const papers = parseDigest(formatDigest(generatePapers(1500)), 'synthetic.txt').papers;
  // Force every pruning path: few indexed terms, short posting lists.
  const options = { indexTerms: 8, maxPostings: 40, rescoreFactor: 2 };
  const result = buildRelated(papers, options);

  it('still gives k neighbours per paper, never itself, deterministically', () => {
    expectWellFormed(toTable(result), papers.map((p) => p.id), RELATED_DEFAULTS.k);
    for (let p = 0; p < papers.length; p++) {
      for (let i = 0; i < result.k; i++) expect(result.neighbours[p * result.k + i]).not.toBe(p);
    }
    expect(buildRelated(papers, options)).toEqual(result);
  });

  it('agrees with the exact search (nothing pruned): mostly with the defaults, roughly even when starved', () => {
    const exact = buildRelated(papers, { indexTerms: Number.POSITIVE_INFINITY, maxPostings: Number.POSITIVE_INFINITY });
    const agreement = (approximate: typeof result) => {
      let same = 0;
      for (let p = 0; p < papers.length; p++) {
        const mine = new Set(approximate.neighbours.subarray(p * approximate.k, (p + 1) * approximate.k));
        for (const q of exact.neighbours.subarray(p * exact.k, (p + 1) * exact.k)) if (mine.has(q)) same++;
      }
      return same / (papers.length * exact.k);
    };
    expect(agreement(buildRelated(papers))).toBeGreaterThan(0.85);
    expect(agreement(result)).toBeGreaterThan(0.35);
  });
});
