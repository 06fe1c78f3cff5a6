/** Messages between the options page and its parse worker (parse-worker.ts). */
import type { DigestProblem, Paper } from '../shared/types';

export interface ParseRequest {
  name: string;
  /** A picked or dropped file, read in the worker. */
  file?: Blob;
  /** Pasted text. */
  text?: string;
}

export type ParseReply =
  | { type: 'progress'; stage: 'reading' | 'parsing'; fraction: number }
  | { type: 'parsed'; name: string; papers: Paper[]; problems: DigestProblem[]; digestDate: string; contentId: string }
  | { type: 'failed'; message: string };
