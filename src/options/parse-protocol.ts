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
       * The papers as JSON, IMPORT_CHUNK_PAPERS a chunk, ready to send: strings
       * cross to the page and on to the worker without a long structured clone
       * of thousands of objects on the page's main thread.
       */
      chunks: string[];
    }
  | { type: 'failed'; message: string };
