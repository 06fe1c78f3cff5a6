/** Modules generated at build time by scripts/vite-digest-plugin.ts. */
declare module 'virtual:paperpeek-digest' {
  export const bundledDigest: {
    /** Content hash of the bundled papers. */
    version: string;
    digestDate: string;
    count: number;
    /** Hash buckets per bucket store (see src/shared/paper-buckets.ts). */
    bucketCount: number;
    /**
     * Packaged gzipped JSON of each part (its key buckets, and where its packed
     * paper buckets lie in the matching `papersPaths` file), relative to the extension root.
     * Several small files instead of one: each parses without blocking the worker
     * for long, and the next one is read while the last one is written.
     */
    partPaths: string[];
    /** Each part's paper buckets, packed (src/shared/packed-buckets.ts) end to end, as the part's JSON places them. */
    papersPaths: string[];
    /** Packaged gzipped JSON of every paper's related papers (src/shared/related, packedToJson). */
    relatedPath: string;
  };
}
