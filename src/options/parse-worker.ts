/**
 * Reads and parses a digest off the options page's main thread, so a large file
 * never freezes the page: the same parser as the build (src/shared/digest-parser.ts),
 * with progress, and the digest's content id for the duplicate check.
 */
import { digestContentId } from '../shared/digest-import';
import { parseDigest } from '../shared/digest-parser';
import type { ParseReply, ParseRequest } from './parse-protocol';

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<ParseRequest>) => void) | null;
  postMessage(reply: ParseReply): void;
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
      scope.postMessage({ type: 'parsed', name: request.name, ...parsed, contentId: digestContentId(parsed.papers) });
    } catch (error) {
      scope.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  })();
};
