/**
 * Parse benchmark (issue 2, §9): how long parseDigest takes on synthetic digests.
 *
 *   npx tsx scripts/bench-parse.ts [COUNT...]     default 1000 10000 100000
 *
 * Goal: 100k papers parse in under 1 s.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDigest } from '../src/shared/digest-parser';
import { generateDigest } from './synthetic-digest';
import { formatTable, median } from './bench-format';

export interface ParseBenchRow {
  count: number;
  /** UTF-8 size of the digest text. */
  bytes: number;
  /** Median wall time of RUNS parses, in milliseconds. */
  parseMs: number;
  /** Time to generate the digest (not part of the goal; shown for context). */
  generateMs: number;
  papers: number;
  problems: number;
}

export const PARSE_GOAL_MS = 1000;
const RUNS = 3;

export function benchParse(counts: number[], options: { seed?: number } = {}): ParseBenchRow[] {
  const rows: ParseBenchRow[] = [];
  for (const count of counts) {
    const started = performance.now();
    const text = generateDigest(count, { seed: options.seed });
    const generateMs = performance.now() - started;
    const times: number[] = [];
    let papers = 0;
    let problems = 0;
    for (let run = 0; run < RUNS; run++) {
      const start = performance.now();
      const parsed = parseDigest(text, `synthetic_${count}.txt`);
      times.push(performance.now() - start);
      papers = parsed.papers.length;
      problems = parsed.problems.length;
    }
    rows.push({ count, bytes: Buffer.byteLength(text), parseMs: median(times), generateMs, papers, problems });
  }
  return rows;
}

export function formatParseTable(rows: ParseBenchRow[]): string {
  const header = ['papers', 'MB', 'parse ms (median of 3)', 'generate ms', 'parsed', 'problems', `< ${PARSE_GOAL_MS} ms`];
  const lines = rows.map((row) => [
    String(row.count),
    (row.bytes / 1e6).toFixed(1),
    row.parseMs.toFixed(0),
    row.generateMs.toFixed(0),
    String(row.papers),
    String(row.problems),
    row.count >= 100_000 ? (row.parseMs < PARSE_GOAL_MS ? 'yes' : 'NO') : '',
  ]);
  return formatTable(header, lines);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2).map(Number);
  const counts = args.length > 0 ? args : [1_000, 10_000, 100_000];
  if (counts.some((n) => !Number.isInteger(n) || n < 0)) {
    console.error('usage: npx tsx scripts/bench-parse.ts [COUNT...]');
    process.exitCode = 2;
  } else {
    console.log(formatParseTable(benchParse(counts)));
  }
}
