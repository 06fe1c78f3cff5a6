/**
 * `npm run eval:related`: how well related papers agree with a researcher's
 * judgements (tests/fixtures/related-judgements.json) on the bundled digest.
 *
 *   npm run eval:related                  baseline vs PaperPeek's method
 *   npm run eval:related -- --ablate      also each choice of the method taken away, and alternatives
 *
 * For every judged paper, its ranked neighbours are compared with the papers
 * judged related: precision@3 and @5 (share of the top 3 / 5 that are related),
 * recall@5 (share of the related found in the top 5) and nDCG@5 (position-aware:
 * a related paper at rank 1 counts more than at rank 5; normalised by the best
 * ranking possible for that paper). Means over judged papers.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { computeRelated, RELATED_DEFAULTS, TFIDF_BASELINE, type RelatedOptions, type RelatedTable } from '../src/shared/related';
import type { RelatedPaperText } from '../src/shared/related';
import { formatTable } from './bench-format';
import { DEFAULT_SEEDS_DIR, bundleDigests, digestFilesIn } from './digest-files';

export const JUDGEMENTS_FILE = resolve(import.meta.dirname, '..', 'tests', 'fixtures', 'related-judgements.json');

export interface Judgement {
  id: string;
  title: string;
  related: string[];
}

export interface Scores {
  precisionAt3: number;
  precisionAt5: number;
  recallAt5: number;
  ndcgAt5: number;
  judged: number;
}

export function readJudgements(path: string = JUDGEMENTS_FILE): Judgement[] {
  const file = JSON.parse(readFileSync(path, 'utf8')) as { judgements: Judgement[] };
  return file.judgements;
}

/** Mean metrics of `table` over the judged papers (a paper missing from the table scores 0). */
export function score(table: RelatedTable, judgements: readonly Judgement[]): Scores {
  let p3 = 0;
  let p5 = 0;
  let r5 = 0;
  let ndcg = 0;
  for (const judgement of judgements) {
    const relevant = new Set(judgement.related);
    const ranked = (table.get(judgement.id) ?? []).map((n) => n.id);
    const hits = (k: number) => ranked.slice(0, k).filter((id) => relevant.has(id)).length;
    p3 += hits(3) / 3;
    p5 += hits(5) / 5;
    r5 += relevant.size > 0 ? hits(5) / relevant.size : 0;
    let dcg = 0;
    let ideal = 0;
    for (let i = 0; i < 5; i++) {
      if (relevant.has(ranked[i] as string)) dcg += 1 / Math.log2(i + 2);
      if (i < relevant.size) ideal += 1 / Math.log2(i + 2);
    }
    ndcg += ideal > 0 ? dcg / ideal : 0;
  }
  const n = judgements.length || 1;
  return { precisionAt3: p3 / n, precisionAt5: p5 / n, recallAt5: r5 / n, ndcgAt5: ndcg / n, judged: judgements.length };
}

/** Variants measured with --ablate: each is RELATED_DEFAULTS with one change (or the baseline with one addition). */
export const VARIANTS: [name: string, options: Partial<RelatedOptions>][] = [
  ['baseline + stemming', { ...TFIDF_BASELINE, stem: true }],
  ['baseline + phrases', { ...TFIDF_BASELINE, phrases: true }],
  ['baseline + scholarly stopwords', { ...TFIDF_BASELINE, scholarlyStopwords: true }],
  ['baseline, bm25 weights', { ...TFIDF_BASELINE, weighting: 'bm25' }],
  ['method, tf-idf weights', { weighting: 'tfidf' }],
  ['method, no phrases', { phrases: false }],
  ['method, no stemming', { stem: false }],
  ['method, no scholarly stopwords', { scholarlyStopwords: false }],
  ['method, no generic damping', { genericWeight: 1 }],
  ['method, generic words dropped', { genericWeight: 0 }],
  ['method, title weight 1', { titleWeight: 1 }],
  ['method, title weight 3', { titleWeight: 3 }],
  ['method, abstract only', { useTitle: false }],
  ['method, title only', { useAbstract: false }],
  ['method, phrases x2', { phraseWeight: 2 }],
  ['method, normalised over all terms', { normalize: 'all' }],
  ['method, idf^1', { idfPower: 1 }],
  ['method, idf^0.75', { idfPower: 0.75 }],
  ['method, 48 terms kept', { maxTerms: 48 }],
  ['method, all terms kept', { maxTerms: Number.POSITIVE_INFINITY }],
  ['method, 16 terms indexed', { indexTerms: 16 }],
  ['method, all terms indexed', { indexTerms: Number.POSITIVE_INFINITY }],
];

function row(name: string, s: Scores): string[] {
  return [name, s.precisionAt3.toFixed(3), s.precisionAt5.toFixed(3), s.recallAt5.toFixed(3), s.ndcgAt5.toFixed(3)];
}

/**
 * Paired view: on how many judged papers the method's top 5 holds more / as many /
 * fewer related papers than the baseline's. With ~80 papers, a difference of
 * 0.01 in mean P@5 is a handful of hits; this shows whether a gain is broad.
 */
export function paired(method: RelatedTable, baseline: RelatedTable, judgements: readonly Judgement[]): { better: number; same: number; worse: number } {
  const out = { better: 0, same: 0, worse: 0 };
  for (const judgement of judgements) {
    const relevant = new Set(judgement.related);
    const hits = (table: RelatedTable) => (table.get(judgement.id) ?? []).slice(0, 5).filter((n) => relevant.has(n.id)).length;
    const diff = hits(method) - hits(baseline);
    if (diff > 0) out.better++;
    else if (diff < 0) out.worse++;
    else out.same++;
  }
  return out;
}

export function evaluate(papers: readonly RelatedPaperText[], judgements: readonly Judgement[], ablate: boolean): string {
  const baseline = computeRelated(papers, TFIDF_BASELINE);
  const method = computeRelated(papers, RELATED_DEFAULTS);
  const rows: string[][] = [row('TF-IDF cosine (baseline)', score(baseline, judgements)), row('PaperPeek (BM25 + phrases)', score(method, judgements))];
  if (ablate) for (const [name, options] of VARIANTS) rows.push(row(name, score(computeRelated(papers, options), judgements)));
  const { better, same, worse } = paired(method, baseline, judgements);
  return `${formatTable(['method', 'P@3', 'P@5', 'R@5', 'nDCG@5'], rows)}

Per judged paper, hits in the top 5, PaperPeek vs baseline: better on ${better}, same on ${same}, worse on ${worse}.`;
}

function main(): void {
  const { values } = parseArgs({ options: { ablate: { type: 'boolean', default: false } } });
  const bundle = bundleDigests(digestFilesIn(process.env.PAPERPEEK_SEEDS_DIR ?? DEFAULT_SEEDS_DIR));
  const judgements = readJudgements();
  const known = new Set(bundle.papers.map((p) => p.id));
  const usable = judgements.filter((j) => known.has(j.id));
  if (usable.length < judgements.length) console.warn(`${judgements.length - usable.length} judged paper(s) are not in the digest and were skipped`);
  console.log(`Related papers vs ${usable.length} judged papers of ${bundle.papers.length} (${JUDGEMENTS_FILE.replace(`${resolve(import.meta.dirname, '..')}/`, '')})\n`);
  console.log(evaluate(bundle.papers, usable, values.ablate ?? false));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
