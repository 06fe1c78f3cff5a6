/** Modules generated at build time by scripts/vite-digest-plugin.ts. */
declare module 'virtual:paperpeek-digest' {
  export const bundledDigest: {
    /** Content hash of the bundled papers. */
    version: string;
    digestDate: string;
    count: number;
    /** Path of the packaged JSON file holding the papers, relative to the extension root. */
    assetPath: string;
  };
}
