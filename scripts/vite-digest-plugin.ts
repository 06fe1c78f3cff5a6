/**
 * Vite plugin that parses the digest files at build time, fails the build on any
 * error with the parser's `file:line: message`, emits the papers as packaged
 * parts (bucketed, the papers packed) and exposes their paths and version to the
 * worker as `virtual:paperpeek-digest`.
 */
import type { Plugin } from 'vite';
import { formatProblem } from '../src/shared/types';
import { bundleDigests, digestFilesIn, type DigestBundle } from './digest-files';
import { bucketCountFor, bucketize } from '../src/shared/paper-buckets';
import { packBucket } from '../src/shared/packed-buckets';
import { buildRelated, packRelated, packedToJson } from '../src/shared/related';
import { gzipSync } from 'node:zlib';
import { packageSearchIndex } from '../src/shared/search-indexer';
import { isCompressed } from '../src/shared/search-postings';

const VIRTUAL_ID = 'virtual:paperpeek-digest';
const RESOLVED_ID = `\0${VIRTUAL_ID}`;
/** Buckets per packaged part: ~5,000 papers; the part's JSON (~1 MB: key buckets, ids and titles) parses in well under 100 ms. */
export const BUCKETS_PER_PART = 80;
/**
 * A packaged part's JSON (its key buckets, and where each of its packed paper
 * buckets lies), gzip-compressed: reading an extension file runs at ~20-30 MB/s
 * here; the worker gunzips with the browser's native DecompressionStream.
 */
export const digestPartPath = (index: number): string => `digest/part-${String(index).padStart(3, '0')}.json.gz`;
/**
 * A part's paper buckets, each packed as src/shared/packed-buckets.ts reads it
 * (raw DEFLATE of its papers' JSON), end to end in the order the part's JSON
 * lists them. The worker stores these bytes as they are.
 */
export const digestPapersPath = (index: number): string => `digest/papers-${String(index).padStart(3, '0')}.bin`;
/** Every paper's related papers, computed at build time (src/shared/related); gzipped like the parts (13 MB of JSON at 100k). */
export const RELATED_PATH = 'digest/related.json.gz';

/** The related-papers pack of the bundle, as packaged JSON (with the digest version, checked on load). */
function packageRelated(bundle: DigestBundle): string {
  const pack = packRelated(buildRelated(bundle.papers));
  return JSON.stringify({ version: bundle.version, related: packedToJson(pack) });
}

/**
 * The popup's full-text index (FlexSearch postings in shards of neighbouring
 * terms, src/shared/search-indexer.ts), built here so the popup only reads the
 * files a query needs. Carries the digest version like the parts.
 */
function packageSearch(bundle: DigestBundle): { path: string; source: string }[] {
  return packageSearchIndex(
    bundle.papers.map(({ id, title, abstract, digestDate }) => ({ id, title, abstract, digestDate })),
    bundle.version,
  );
}

/**
 * The bundled digest as the worker writes it: papers already grouped into the
 * buckets of src/shared/paper-buckets.ts, split into parts of BUCKETS_PER_PART.
 */
async function packageParts(bundle: DigestBundle): Promise<Packaged> {
  const bucketCount = bucketCountFor(bundle.papers.length);
  const { paperBuckets, keyBuckets } = bucketize(bundle.papers, bucketCount);
  const parts: Packaged['parts'] = [];
  for (let start = 0; start < bucketCount; start += BUCKETS_PER_PART) {
    const packed = await Promise.all(paperBuckets.slice(start, start + BUCKETS_PER_PART).map(packBucket));
    parts.push({
      json: JSON.stringify({
        version: bundle.version,
        bucketCount,
        paperBuckets: packed.map(({ bucket, ids, titles, packed: bytes }) => ({ bucket, length: bytes.length, ids, titles })),
        keyBuckets: keyBuckets.slice(start, start + BUCKETS_PER_PART),
      }),
      papers: Buffer.concat(packed.map(({ packed: bytes }) => bytes)),
    });
  }
  return { bucketCount, parts };
}

interface Packaged {
  bucketCount: number;
  /** Per part: its JSON, and its paper buckets packed end to end. */
  parts: { json: string; papers: Buffer }[];
}

export function digestPlugin(seedsDir: string): Plugin {
  let bundle: DigestBundle | undefined;
  let packaged: Packaged | undefined;
  let related: string | undefined;
  let searchFiles: { path: string; source: string }[] = [];
  return {
    name: 'paperpeek-digest',
    async buildStart() {
      const files = digestFilesIn(seedsDir);
      if (files.length === 0) this.error(`no digest files (*.txt) in ${seedsDir}`);
      bundle = bundleDigests(files);
      for (const problem of bundle.problems) this.warn(formatProblem(problem));
      const errors = bundle.problems.filter((p) => p.severity === 'error');
      if (errors.length > 0) {
        this.error(`the digest has ${errors.length} error(s):\n${errors.map(formatProblem).join('\n')}`);
      }
      packaged = await packageParts(bundle);
      related = packageRelated(bundle);
      searchFiles = packageSearch(bundle);
      for (const file of files) this.addWatchFile(file);
    },
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : null;
    },
    load(id) {
      if (id !== RESOLVED_ID || !bundle || !packaged) return null;
      const info = {
        version: bundle.version,
        digestDate: bundle.digestDate,
        count: bundle.papers.length,
        bucketCount: packaged.bucketCount,
        partPaths: packaged.parts.map((_, i) => digestPartPath(i)),
        papersPaths: packaged.parts.map((_, i) => digestPapersPath(i)),
        relatedPath: RELATED_PATH,
      };
      return `export const bundledDigest = ${JSON.stringify(info)};`;
    },
    generateBundle() {
      packaged?.parts.forEach(({ json, papers }, i) => {
        this.emitFile({ type: 'asset', fileName: digestPartPath(i), source: gzipSync(json) });
        this.emitFile({ type: 'asset', fileName: digestPapersPath(i), source: papers });
      });
      if (related) this.emitFile({ type: 'asset', fileName: RELATED_PATH, source: gzipSync(related) });
      for (const { path, source } of searchFiles) this.emitFile({ type: 'asset', fileName: path, source: isCompressed(path) ? gzipSync(source) : source });
    },
  };
}
