/**
 * Related-papers benchmark (issue 6): time and memory to compute every paper's
 * neighbours for synthetic digests, size of the compact form, and the time to
 * read one paper's neighbours from it.
 *
 *   npx tsx scripts/bench-related.ts [--sizes 1000,10000,100000]
 *
 * Goals: 100k papers within minutes and memory linear in N (no N x N matrix);
 * reading one paper's neighbours <= 5 ms.
 *
 * Each size runs in its own Node process, so "peak RSS" is that size's own peak
 * (papers in memory + the computation), not the largest size seen so far. "RSS
 * before" is the same process with the parsed papers loaded and garbage
 * collected: the difference is what the computation adds. "heap peak" is the V8
 * heap sampled after each step (vectors, search, reasons, pack), without
 * collecting in between.
 *
 * "recall vs exact": the search prunes (each paper's heaviest terms drive it,
 * long posting lists are capped), so for 50 sampled papers the exact top k (by the
 * same vectors, brute force over all papers) is computed and the share found by
 * the search is reported. On the bundled digest nothing is pruned.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseDigest } from '../src/shared/digest-parser';
import { packedFromJson, packedSize, packedToJson, packRelated, readNeighbours, RELATED_DEFAULTS } from '../src/shared/related';
import { explainNeighbours } from '../src/shared/related/related';
import { nearestNeighbours } from '../src/shared/related/search';
import { buildTermVectors, type TermVectors } from '../src/shared/related/vectors';
import { formatTable, median } from './bench-format';
import { formatDigest, generatePapers } from './synthetic-digest';

const ROOT = resolve(import.meta.dirname, '..');
const THIS_FILE = fileURLToPath(import.meta.url);
export const READ_GOAL_MS = 5;
const READS = 2001;
const RECALL_SAMPLE = 50;

export interface RelatedBenchRow {
  papers: number;
  vectorsMs: number;
  searchMs: number;
  reasonsMs: number;
  packMs: number;
  totalMs: number;
  rssBeforeMb: number;
  peakRssMb: number;
  heapPeakMb: number;
  packBytes: number;
  /** JSON form of the pack -> PackedRelated (base64 decode), once per load. */
  openMs: number;
  /** Median and 99th percentile of readNeighbours(pack, id) over READS papers, after the first. */
  readMs: number;
  p99ReadMs: number;
  /** The first read of the process (includes compiling the reader). */
  firstReadMs: number;
  recallVsExact: number;
  /** Sum of the found neighbours' scores over the exact top k's: near 1 when the misses are near-ties. */
  scoreVsExact: number;
}

const mb = (bytes: number) => bytes / 1e6;

/** Runs one size in this process (the child side). */
function runOne(count: number): RelatedBenchRow {
  // Papers as the build sees them: synthetic digest text through the real parser.
  let text: string | undefined = formatDigest(generatePapers(count));
  const papers = parseDigest(text, `synthetic_${count}.txt`).papers.map(({ id, title, abstract }) => ({ id, title, abstract }));
  text = undefined;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const rssBeforeMb = mb(process.memoryUsage().rss);
  let heapPeak = process.memoryUsage().heapUsed;
  const sampleHeap = () => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed));

  // PAPERPEEK_RELATED_OPTIONS (JSON) overrides defaults, for trying pruning settings.
  const options = { ...RELATED_DEFAULTS, ...(JSON.parse(process.env.PAPERPEEK_RELATED_OPTIONS ?? '{}') as object) };
  let t = performance.now();
  const vectors = buildTermVectors(papers, options);
  const vectorsMs = performance.now() - t;
  sampleHeap();
  t = performance.now();
  const lists = nearestNeighbours(vectors, options);
  const searchMs = performance.now() - t;
  sampleHeap();
  t = performance.now();
  const result = explainNeighbours(papers, vectors, lists, options);
  const reasonsMs = performance.now() - t;
  sampleHeap();
  t = performance.now();
  const pack = packRelated(result);
  const packMs = performance.now() - t;
  sampleHeap();
  const peakRssMb = process.resourceUsage().maxRSS / 1024;

  const json = JSON.stringify(packedToJson(pack));
  t = performance.now();
  const opened = packedFromJson(JSON.parse(json));
  const openMs = performance.now() - t;

  // Reads in a fixed pseudo-random order (no Math.random: same papers every run).
  // The very first read includes compiling readNeighbours: reported on its own,
  // after a collection so that a pause owed to the JSON parse above is not billed to it.
  gc?.();
  const reads: number[] = [];
  let found = 0;
  let firstReadMs = 0;
  for (let i = 0; i <= READS; i++) {
    const id = papers[(i * 7919 + 13) % papers.length]?.id as string;
    const start = performance.now();
    const neighbours = readNeighbours(opened, id);
    const elapsed = performance.now() - start;
    if (i === 0) firstReadMs = elapsed;
    else reads.push(elapsed);
    if (neighbours && neighbours.length > 0) found++;
  }
  if (found !== READS + 1) throw new Error(`bench-related: ${READS + 1 - found} reads found no neighbours`);
  reads.sort((a, b) => a - b);

  return {
    papers: count,
    vectorsMs,
    searchMs,
    reasonsMs,
    packMs,
    totalMs: vectorsMs + searchMs + reasonsMs + packMs,
    rssBeforeMb,
    peakRssMb,
    heapPeakMb: mb(heapPeak),
    packBytes: packedSize(pack),
    openMs,
    readMs: median(reads),
    p99ReadMs: reads[Math.floor(reads.length * 0.99)] as number,
    firstReadMs,
    ...agreementWithExact(vectors, lists.neighbours, lists.scores, lists.k),
  };
}

/**
 * Over a sample of papers: the share of the exact top k (brute force over every
 * paper, same vectors) that the search found, and how its found scores compare.
 */
function agreementWithExact(
  vectors: TermVectors,
  neighbours: Int32Array,
  scores: Float32Array,
  k: number,
): { recallVsExact: number; scoreVsExact: number } {
  const n = vectors.count;
  const sample = Math.min(RECALL_SAMPLE, n);
  const dense = new Float64Array(vectors.keys.length);
  let hits = 0;
  let total = 0;
  let foundScore = 0;
  let exactScore = 0;
  for (let s = 0; s < sample; s++) {
    const p = Math.floor((s * n) / sample);
    for (let i = vectors.offsets[p] as number; i < (vectors.offsets[p + 1] as number); i++) dense[vectors.terms[i] as number] = vectors.weights[i] as number;
    const scored: [number, number][] = [];
    for (let q = 0; q < n; q++) {
      if (q === p) continue;
      let sum = 0;
      for (let i = vectors.offsets[q] as number; i < (vectors.offsets[q + 1] as number); i++) {
        sum += (dense[vectors.terms[i] as number] as number) * (vectors.weights[i] as number);
      }
      if (sum > 0) scored.push([sum, q]);
    }
    for (let i = vectors.offsets[p] as number; i < (vectors.offsets[p + 1] as number); i++) dense[vectors.terms[i] as number] = 0;
    scored.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    const exact = scored.slice(0, k);
    const got = new Set(Array.from(neighbours.subarray(p * k, p * k + k)));
    hits += exact.filter(([, q]) => got.has(q)).length;
    total += exact.length;
    for (const [score] of exact) exactScore += score;
    for (const score of scores.subarray(p * k, p * k + k)) foundScore += score;
  }
  return { recallVsExact: total > 0 ? hits / total : 1, scoreVsExact: exactScore > 0 ? foundScore / exactScore : 1 };
}

/** Runs each size in a fresh Node process and returns the printed table. */
export async function benchRelated(sizes: number[]): Promise<string> {
  const rows: RelatedBenchRow[] = [];
  for (const size of sizes) {
    if (!Number.isInteger(size) || size < 2) throw new RangeError(`bench-related: size must be an integer >= 2, got ${size}`);
    const out = execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', '--import', 'tsx', THIS_FILE, '--child', String(size)], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 1 << 20,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    rows.push(JSON.parse(out) as RelatedBenchRow);
  }
  return formatRelatedTable(rows);
}

export function formatRelatedTable(rows: RelatedBenchRow[]): string {
  const header = [
    'papers',
    'total s',
    'vectors s',
    'search s',
    'reasons s',
    'RSS before MB',
    'peak RSS MB',
    'heap peak MB',
    'pack MB',
    'open pack ms',
    'read one ms (median)',
    'p99',
    'first read',
    `<= ${READ_GOAL_MS} ms`,
    'recall vs exact',
    'score vs exact',
  ];
  const lines = rows.map((r) => [
    String(r.papers),
    (r.totalMs / 1000).toFixed(1),
    (r.vectorsMs / 1000).toFixed(1),
    (r.searchMs / 1000).toFixed(1),
    ((r.reasonsMs + r.packMs) / 1000).toFixed(1),
    r.rssBeforeMb.toFixed(0),
    r.peakRssMb.toFixed(0),
    r.heapPeakMb.toFixed(0),
    mb(r.packBytes).toFixed(1),
    r.openMs.toFixed(0),
    r.readMs.toFixed(3),
    r.p99ReadMs.toFixed(3),
    r.firstReadMs.toFixed(2),
    Math.max(r.p99ReadMs, r.firstReadMs) <= READ_GOAL_MS ? 'yes' : 'NO',
    r.recallVsExact.toFixed(2),
    r.scoreVsExact.toFixed(3),
  ]);
  return formatTable(header, lines);
}

if (process.argv[1] && resolve(process.argv[1]) === THIS_FILE) {
  const { values } = parseArgs({ options: { sizes: { type: 'string' }, child: { type: 'string' } } });
  if (values.child !== undefined) {
    process.stdout.write(JSON.stringify(runOne(Number(values.child))));
  } else {
    const sizes = (values.sizes ?? '1000,10000,100000').split(',').map(Number);
    console.log(`Related papers (Node, synthetic digests, k = ${RELATED_DEFAULTS.k}; goals: 100k within minutes, memory linear, read one <= ${READ_GOAL_MS} ms)`);
    console.log(await benchRelated(sizes));
  }
}
