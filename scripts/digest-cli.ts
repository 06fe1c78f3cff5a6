/**
 * `npm run digest -- <command>`: tools for maintainers of the digest.
 *
 *   check FILE...   validate digest files; prints `file:line: severity: message`
 *                   for each problem and exits 1 when any file has an error
 *   list            prints `id<TAB>title` for every bundled paper (seeds/*.txt)
 *   related         prints, for every bundled paper, its id then its related paper
 *                   ids in rank order, tab-separated, one paper per line
 *   related --reasons
 *                   one line per neighbour instead: `id<TAB>related id<TAB>score<TAB>reason`
 *
 * list and related read PAPERPEEK_SEEDS_DIR instead of seeds/ when it is set.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { parseDigest } from '../src/shared/digest-parser';
import { computeRelated } from '../src/shared/related';
import { formatProblem } from '../src/shared/types';
import { DEFAULT_SEEDS_DIR, bundleDigests, digestFilesIn, readDigestFile } from './digest-files';

const USAGE = `usage: npm run digest -- check FILE...
       npm run digest -- list
       npm run digest -- related [--reasons]`;

function check(files: string[]): number {
  if (files.length === 0) {
    console.error(`check needs at least one file\n${USAGE}`);
    return 2;
  }
  let failed = false;
  for (const file of files) {
    if (!existsSync(file)) {
      console.error(`${file}:1: error: no such file`);
      failed = true;
      continue;
    }
    const parsed = parseDigest(readDigestFile(file), file);
    for (const problem of parsed.problems) console.error(formatProblem(problem));
    const errors = parsed.problems.filter((p) => p.severity === 'error').length;
    if (errors > 0) failed = true;
    console.log(`${basename(file)}: ${parsed.papers.length} papers, ${errors} error(s), ${parsed.problems.length - errors} warning(s)`);
  }
  return failed ? 1 : 0;
}

function list(): number {
  const bundle = bundleDigests(digestFilesIn(process.env.PAPERPEEK_SEEDS_DIR ?? DEFAULT_SEEDS_DIR));
  for (const problem of bundle.problems) console.error(formatProblem(problem));
  process.stdout.write(bundle.papers.map((paper) => `${paper.id}\t${paper.title}\n`).join(''));
  return bundle.problems.some((p) => p.severity === 'error') ? 1 : 0;
}

function related(args: string[]): number {
  const reasons = args.includes('--reasons');
  const unknown = args.filter((arg) => arg !== '--reasons');
  if (unknown.length > 0) {
    console.error(`related takes no argument ${unknown.join(' ')}\n${USAGE}`);
    return 2;
  }
  const bundle = bundleDigests(digestFilesIn(process.env.PAPERPEEK_SEEDS_DIR ?? DEFAULT_SEEDS_DIR));
  for (const problem of bundle.problems) console.error(formatProblem(problem));
  const table = computeRelated(bundle.papers);
  // `... | head` closes the pipe early; that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  const lines: string[] = [];
  for (const paper of bundle.papers) {
    const neighbours = table.get(paper.id) ?? [];
    if (reasons) for (const n of neighbours) lines.push(`${paper.id}\t${n.id}\t${n.score.toFixed(3)}\t${n.reason}\n`);
    else lines.push(`${[paper.id, ...neighbours.map((n) => n.id)].join('\t')}\n`);
  }
  process.stdout.write(lines.join(''));
  return bundle.problems.some((p) => p.severity === 'error') ? 1 : 0;
}

const [command, ...rest] = process.argv.slice(2);
let exitCode: number;
switch (command) {
  case 'check':
    exitCode = check(rest);
    break;
  case 'list':
    exitCode = list();
    break;
  case 'related':
    exitCode = related(rest);
    break;
  default:
    console.error(command ? `unknown command ${command}\n${USAGE}` : USAGE);
    exitCode = 2;
}
process.exitCode = exitCode;
