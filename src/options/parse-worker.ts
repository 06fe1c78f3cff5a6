/**
 * Reads and parses a digest off the options page's main thread, so a large file
 * never freezes the page: the same parser as the build (src/shared/digest-parser.ts),
 * with progress, and the digest's content id for the duplicate check.
 */
import { IMPORT_CHUNK_PAPERS, digestContentId } from '../shared/digest-import';
import { parseDigest } from '../shared/digest-parser';
import type { ParseReply, ParseRequest } from './parse-protocol';

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<ParseRequest>) => void) | null;
  postMessage(reply: ParseReply, transfer?: Transferable[]): void;
};

scope.onmessage = (event) => {
  void (async () => {
    const request = event.data;
    try {
      scope.postMessage({ type: 'progress', stage: 'reading', fraction: 0 });
      // Invalid UTF-8 becomes U+FFFD, which the parser's binary check counts.
      const text = request.file ? new TextDecoder('utf-8', { fatal: false }).decode(await request.file.arrayBuffer()) : (request.text ?? '');
      const parsed = parseDigest(text, request.name, {
        onProgress: (fraction) => scope.postMessage({ type: 'progress', stage: 'parsing', fraction }),
      });
      const { papers, problems, digestDate } = parsed;
      const encoder = new TextEncoder();
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < papers.length; i += IMPORT_CHUNK_PAPERS) chunks.push(encoder.encode(JSON.stringify(papers.slice(i, i + IMPORT_CHUNK_PAPERS))));
      scope.postMessage(
        {
          type: 'parsed',
          name: request.name,
          problems,
          digestDate,
          contentId: digestContentId(papers),
          ids: papers.map((p) => p.id),
          titles: papers.map((p) => p.title),
          chunks,
        },
        chunks.map((chunk) => chunk.buffer as ArrayBuffer),
      );
    } catch (error) {
      scope.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  })();
};
