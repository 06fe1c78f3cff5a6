/** Messages between the options page and its parse worker (parse-worker.ts). */
import type { DigestProblem } from '../shared/types';

export interface ParseRequest {
  name: string;
  /** A picked or dropped file, read in the worker. */
  file?: Blob;
  /** Pasted text. */
  text?: string;
}

export type ParseReply =
  | { type: 'progress'; stage: 'reading' | 'parsing'; fraction: number }
  | {
      type: 'parsed';
      name: string;
      problems: DigestProblem[];
      digestDate: string;
      contentId: string;
      /** Every paper's id and title, in file order (what the preview needs). */
      ids: string[];
      titles: string[];
      /**
       * The papers as UTF-8 JSON, IMPORT_CHUNK_PAPERS a chunk, transferred (not
       * copied) to the page, which decodes one chunk at a time as it sends it:
       * no long structured clone of thousands of papers on the page's main thread.
       */
      chunks: Uint8Array[];
    }
  | { type: 'failed'; message: string };
