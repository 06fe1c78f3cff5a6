/**
 * Vite plugin that parses the digest files at build time, fails the build on any
 * error with the parser's `file:line: message`, emits the papers as a packaged
 * JSON file and exposes its version to the worker as `virtual:paperpeek-digest`.
 */
import type { Plugin } from 'vite';
import { formatProblem } from '../src/shared/types';
import { bundleDigests, digestFilesIn, type DigestBundle } from './digest-files';

const VIRTUAL_ID = 'virtual:paperpeek-digest';
const RESOLVED_ID = `\0${VIRTUAL_ID}`;
/** Papers per packaged file: ~7 MB of JSON, parsed in well under 100 ms. */
export const PAPERS_PER_CHUNK = 5000;
export const digestChunkPath = (index: number): string => `digest/papers-${String(index).padStart(3, '0')}.json`;

function chunkCount(papers: number): number {
  return Math.max(1, Math.ceil(papers / PAPERS_PER_CHUNK));
}

export function digestPlugin(seedsDir: string): Plugin {
  let bundle: DigestBundle | undefined;
  return {
    name: 'paperpeek-digest',
    buildStart() {
      const files = digestFilesIn(seedsDir);
      if (files.length === 0) this.error(`no digest files (*.txt) in ${seedsDir}`);
      bundle = bundleDigests(files);
      for (const problem of bundle.problems) this.warn(formatProblem(problem));
      const errors = bundle.problems.filter((p) => p.severity === 'error');
      if (errors.length > 0) {
        this.error(`the digest has ${errors.length} error(s):\n${errors.map(formatProblem).join('\n')}`);
      }
      for (const file of files) this.addWatchFile(file);
    },
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : null;
    },
    load(id) {
      if (id !== RESOLVED_ID || !bundle) return null;
      const info = {
        version: bundle.version,
        digestDate: bundle.digestDate,
        count: bundle.papers.length,
        chunkPaths: Array.from({ length: chunkCount(bundle.papers.length) }, (_, i) => digestChunkPath(i)),
      };
      return `export const bundledDigest = ${JSON.stringify(info)};`;
    },
    generateBundle() {
      if (!bundle) return;
      for (let i = 0; i < chunkCount(bundle.papers.length); i++) {
        const papers = bundle.papers.slice(i * PAPERS_PER_CHUNK, (i + 1) * PAPERS_PER_CHUNK);
        this.emitFile({
          type: 'asset',
          fileName: digestChunkPath(i),
          source: JSON.stringify({ version: bundle.version, digestDate: bundle.digestDate, papers }),
        });
      }
    },
  };
}
