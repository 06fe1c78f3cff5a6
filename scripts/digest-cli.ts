/**
 * `npm run digest -- <command>`: tools for maintainers of the digest.
 *
 *   check FILE...   validate digest files; prints `file:line: severity: message`
 *                   for each problem and exits 1 when any file has an error
 *   list            prints `id<TAB>title` for every bundled paper (seeds/*.txt)
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { parseDigest } from '../src/shared/digest-parser';
import { formatProblem } from '../src/shared/types';
import { DEFAULT_SEEDS_DIR, bundleDigests, digestFilesIn, readDigestFile } from './digest-files';

const USAGE = `usage: npm run digest -- check FILE...
       npm run digest -- list`;

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

const [command, ...rest] = process.argv.slice(2);
let exitCode: number;
switch (command) {
  case 'check':
    exitCode = check(rest);
    break;
  case 'list':
    exitCode = list();
    break;
  default:
    console.error(command ? `unknown command ${command}\n${USAGE}` : USAGE);
    exitCode = 2;
}
process.exitCode = exitCode;
