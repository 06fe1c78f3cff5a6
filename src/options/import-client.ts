/**
 * The options page's side of importing a digest: parse it in a worker, ask the
 * background what is already known, then send it in chunks and commit it
 * (src/background/imports.ts). Nothing is written until the reader confirms the
 * preview, and a failed import is cancelled so it leaves nothing behind.
 */
import { call } from '../platform/extension-api';
import { fileProblem, type ImportSummary } from '../shared/digest-import';
import type { Result } from '../shared/result';
import { fail, ok } from '../shared/result';
import type { DigestProblem } from '../shared/types';
import type { ParseReply, ParseRequest } from './parse-protocol';

export interface DigestPreview {
  name: string;
  digestDate: string;
  /** Papers in the file. */
  count: number;
  problems: DigestProblem[];
  contentId: string;
  /** The papers as UTF-8 JSON chunks (parse-protocol.ts), decoded one at a time as they are sent. */
  chunks: Uint8Array[];
  /** Titles of the papers the extension does not know yet, in file order. */
  freshTitles: string[];
  /** How many of the digest's papers are already known (bundled or imported). */
  knownCount: number;
  /** The earlier import of the same digest, if any. */
  duplicate: ImportSummary | null;
}

export type ImportProgress =
  | { stage: 'reading' | 'parsing'; fraction: number }
  | { stage: 'checking' }
  | { stage: 'writing'; done: number; total: number }
  | { stage: 'indexing' };

/** Parses a file or pasted text in a worker and builds the preview; nothing is written. */
export async function previewDigest(source: { file: File } | { text: string; name: string }, onProgress: (p: ImportProgress) => void): Promise<Result<DigestPreview>> {
  if ('file' in source) {
    const problem = fileProblem(source.file.name, source.file.size);
    if (problem) return fail('invalid-request', problem);
  }
  const request: ParseRequest = 'file' in source ? { name: source.file.name, file: source.file } : { name: source.name, text: source.text };
  const parsed = await parseInWorker(request, onProgress);
  if (parsed.type === 'failed') return fail('internal', `The file could not be read: ${parsed.message}`);
  onProgress({ stage: 'checking' });
  const reply = await call('checkImport', { contentId: parsed.contentId, ids: parsed.ids });
  if (!reply.ok) return reply;
  const known = new Set(reply.value.known);
  return ok({
    name: parsed.name,
    digestDate: parsed.digestDate,
    count: parsed.ids.length,
    problems: parsed.problems,
    contentId: parsed.contentId,
    chunks: parsed.chunks,
    freshTitles: parsed.titles.filter((_, i) => !known.has(parsed.ids[i] as string)),
    knownCount: known.size,
    duplicate: reply.value.duplicate,
  });
}

function parseInWorker(request: ParseRequest, onProgress: (p: ImportProgress) => void): Promise<Exclude<ParseReply, { type: 'progress' }>> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./parse-worker.ts', import.meta.url), { type: 'module' });
    const finish = (reply: Exclude<ParseReply, { type: 'progress' }>) => {
      worker.terminate();
      resolve(reply);
    };
    worker.onmessage = (event: MessageEvent<ParseReply>) => {
      const reply = event.data;
      if (reply.type === 'progress') onProgress({ stage: reply.stage, fraction: reply.fraction });
      else finish(reply);
    };
    worker.onerror = (event) => finish({ type: 'failed', message: event.message || 'the parser stopped' });
    worker.postMessage(request);
  });
}

/** Whether a preview may be imported, and if not, why (shown beside the disabled button). */
export function importBlocker(preview: DigestPreview): string | null {
  const errors = preview.problems.filter((p) => p.severity === 'error').length;
  if (preview.duplicate) {
    return `This digest was already imported on ${new Date(preview.duplicate.importedAt).toLocaleString()} as “${preview.duplicate.name}”.`;
  }
  if (errors > 0) return `${errors === 1 ? 'One problem stops' : `${errors} problems stop`} this import: fix ${errors === 1 ? 'it' : 'them'} in the file and try again.`;
  if (preview.count === 0) return 'The file holds no papers.';
  if (preview.freshTitles.length === 0) return 'Every paper in this digest is already known: there is nothing to add.';
  return null;
}

/** Writes a previewed digest: begin, chunks (with progress), commit. Cancels on any failure. */
export async function commitDigest(preview: DigestPreview, onProgress: (p: ImportProgress) => void): Promise<Result<ImportSummary>> {
  const begun = await call('beginImport', {
    name: preview.name,
    digestDate: preview.digestDate,
    contentId: preview.contentId,
    count: preview.count,
  });
  if (!begun.ok) return begun;
  const { token } = begun.value;
  const total = preview.count;
  onProgress({ stage: 'writing', done: 0, total });
  const decoder = new TextDecoder();
  for (const [index, chunk] of preview.chunks.entries()) {
    const sent = await call('addImportChunk', { token, index, papers: decoder.decode(chunk) });
    if (!sent.ok) {
      await call('cancelImport', { token });
      return sent;
    }
    onProgress({ stage: 'writing', done: sent.value.received, total });
  }
  onProgress({ stage: 'indexing' });
  const committed = await call('commitImport', { token });
  if (!committed.ok) {
    await call('cancelImport', { token });
    return committed;
  }
  return ok(committed.value.digest);
}
