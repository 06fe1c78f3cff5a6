/**
 * The bundled digest's paper buckets as the database stores them: each bucket's
 * papers as raw-DEFLATE-compressed JSON, not as objects.
 *
 * Why: writing 100k papers (156 MB of objects, mostly abstracts) into IndexedDB
 * took ~6.7 s in Chromium here, and the time follows the bytes, not the row
 * count or the structured clone (the same data as JSON strings took as long;
 * smaller rows took longer). The same buckets compressed are 46 MB and took
 * 2.6 s, and the loader writes the bytes the build made without parsing them.
 *
 * Reading a paper inflates its bucket (~100 KB of JSON at 100k papers) with the
 * platform's DecompressionStream, fed through its own writer: about 1 ms warm,
 * 5-15 ms the first time in a fresh worker. (fflate, a JavaScript inflater, took
 * 7-28 ms for each of its first calls until V8 optimised it, and a worker that
 * serves a few cards never gets there; wrapping the bytes in a Blob and a
 * Response cost 5-20 ms.) Ids and titles stay plain beside the packed bytes
 * (~10% more), because what reads most buckets needs only those: a card's
 * related papers are five titles from up to five other buckets.
 *
 * Buckets the worker builds itself (the imported layer) stay plain objects;
 * readers go through papersOf, which takes either form, so a database written
 * before this format still reads.
 */
import type { PaperBucket } from './paper-buckets';
import type { IndexedPaper } from './types';

export interface PackedPaperBucket {
  bucket: number;
  /** The bucket's papers' ids and titles, in the order of `packed`. */
  ids: string[];
  titles: string[];
  /** Raw DEFLATE of the JSON array of the bucket's papers. */
  packed: Uint8Array;
}

/** A paper bucket row: plain (the imported layer, older databases) or packed (the bundled digest). */
export type StoredPaperBucket = PaperBucket | PackedPaperBucket;

/** Packs a bucket as the build packages it. */
export async function packBucket({ bucket, papers }: PaperBucket): Promise<PackedPaperBucket> {
  return {
    bucket,
    ids: papers.map((paper) => paper.id),
    titles: papers.map((paper) => paper.title),
    packed: await throughStream(new TextEncoder().encode(JSON.stringify(papers)), new CompressionStream('deflate-raw')),
  };
}

/** The papers of a bucket row, inflating a packed one. Rejects on a corrupt one, naming its bucket. */
export async function papersOf(row: StoredPaperBucket): Promise<IndexedPaper[]> {
  if ('papers' in row) return row.papers;
  let papers: unknown;
  try {
    papers = JSON.parse(new TextDecoder().decode(await throughStream(row.packed, new DecompressionStream('deflate-raw'))));
  } catch (error) {
    throw new Error(`paper bucket ${row.bucket} is corrupt: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!Array.isArray(papers) || papers.length !== row.ids.length) throw new Error(`paper bucket ${row.bucket} does not hold its ${row.ids.length} papers`);
  return papers as IndexedPaper[];
}

/** The ids and titles of a bucket row, never inflating it. */
export function titlesOf(row: StoredPaperBucket): { id: string; title: string }[] {
  if ('papers' in row) return row.papers;
  return row.ids.map((id, i) => ({ id, title: row.titles[i] ?? '' }));
}

export function paperCountOf(row: StoredPaperBucket): number {
  return 'papers' in row ? row.papers.length : row.ids.length;
}

/** Runs bytes through a (de)compression stream, writing and reading it directly. */
async function throughStream(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  // The writes settle as the reader drains; a corrupt input rejects them and the read alike.
  writer.write(bytes as Uint8Array<ArrayBuffer>).catch(() => undefined);
  writer.close().catch(() => undefined);
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const joined = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    joined.set(chunk, at);
    at += chunk.length;
  }
  return joined;
}
