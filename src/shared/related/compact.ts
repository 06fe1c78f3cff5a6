/**
 * The stored form of related papers: ids plus top-k, compact, and readable one
 * paper at a time without decoding the rest.
 *
 *   ids      all paper ids, sorted by code unit: a reader finds a paper by binary
 *            search, with no map to build first (100k papers: ~17 string compares)
 *   terms    reason vocabulary (display forms), most used first
 *   offsets  Uint32Array(ids.length + 1): paper i's record is data[offsets[i] .. offsets[i+1])
 *   data     Uint8Array of records. A record is, per neighbour, best first:
 *              varint  neighbour's index in ids
 *              byte    score x 255 (cosine in 0..1, rounded)
 *              byte    number of reason terms r
 *              varint  x r  term indexes into terms
 *
 * Varints are LEB128 (7 bits a byte): indexes under 128 take one byte, under
 * 16,384 two, under 2M three. 100k papers x 8 neighbours take ~8 MB.
 * IndexedDB stores the typed arrays as they are (structured clone); for a JSON
 * file (the build's bundled part) packedToJson turns them into base64 strings
 * (offsets in the platform's byte order: little-endian on every browser we target).
 */
import { formatReason } from './reasons';
import type { RelatedNeighbour, RelatedResult } from './related';

export const RELATED_FORMAT = 'paperpeek-related/1';

export interface PackedRelated {
  format: typeof RELATED_FORMAT;
  /** Neighbours per paper at most. */
  k: number;
  ids: string[];
  terms: string[];
  offsets: Uint32Array;
  data: Uint8Array;
}

/** PackedRelated with the typed arrays as base64, for JSON. */
export interface PackedRelatedJson {
  format: typeof RELATED_FORMAT;
  k: number;
  ids: string[];
  terms: string[];
  offsets: string;
  data: string;
}

class ByteWriter {
  bytes = new Uint8Array(1 << 16);
  length = 0;

  private reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  byte(value: number): void {
    this.reserve(1);
    this.bytes[this.length++] = value;
  }

  varint(value: number): void {
    this.reserve(5);
    let v = value >>> 0;
    while (v >= 0x80) {
      this.bytes[this.length++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.bytes[this.length++] = v;
  }
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Packs a computed result (see buildRelated). Deterministic: same result, same bytes. */
export function packRelated(result: RelatedResult): PackedRelated {
  const n = result.ids.length;
  // Sorted ids, and where each input paper lands in them.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => compareIds(result.ids[a] as string, result.ids[b] as string) || a - b);
  const position = new Uint32Array(n);
  order.forEach((paper, at) => (position[paper] = at));

  // Reason terms by use, most used first, so the common ones get one-byte indexes.
  const uses = new Uint32Array(result.terms.length);
  for (const term of result.reasons) if (term >= 0) uses[term] = (uses[term] as number) + 1;
  const termOrder = Array.from({ length: result.terms.length }, (_, i) => i)
    .filter((t) => (uses[t] as number) > 0)
    .sort((a, b) => (uses[b] as number) - (uses[a] as number) || compareIds(result.terms[a] as string, result.terms[b] as string));
  const termIndex = new Int32Array(result.terms.length).fill(-1);
  termOrder.forEach((term, at) => (termIndex[term] = at));

  const writer = new ByteWriter();
  const offsets = new Uint32Array(n + 1);
  const { k, reasonWidth } = result;
  for (let at = 0; at < n; at++) {
    const paper = order[at] as number;
    for (let i = 0; i < k; i++) {
      const row = paper * k + i;
      const other = result.neighbours[row] as number;
      if (other < 0) break;
      writer.varint(position[other] as number);
      writer.byte(Math.round(Math.min(1, Math.max(0, result.scores[row] as number)) * 255));
      let count = 0;
      while (count < reasonWidth && (result.reasons[row * reasonWidth + count] as number) >= 0) count++;
      writer.byte(count);
      for (let r = 0; r < count; r++) writer.varint(termIndex[result.reasons[row * reasonWidth + r] as number] as number);
    }
    offsets[at + 1] = writer.length;
  }
  return {
    format: RELATED_FORMAT,
    k,
    ids: order.map((paper) => result.ids[paper] as string),
    terms: termOrder.map((term) => result.terms[term] as string),
    offsets,
    data: writer.bytes.slice(0, writer.length),
  };
}

/** Index of `id` in the sorted ids, or -1. */
export function indexOfPaper(pack: PackedRelated, id: string): number {
  let low = 0;
  let high = pack.ids.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const c = compareIds(pack.ids[mid] as string, id);
    if (c === 0) return mid;
    if (c < 0) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

/**
 * One paper's neighbours, best first, decoded from the pack: O(log N + k), no
 * setup. Undefined when the pack has no such paper (an empty list when it has the
 * paper but no neighbour for it).
 */
export function readNeighbours(pack: PackedRelated, id: string): RelatedNeighbour[] | undefined {
  const at = indexOfPaper(pack, id);
  if (at < 0) return undefined;
  const { data } = pack;
  let pos = pack.offsets[at] as number;
  const end = pack.offsets[at + 1] as number;
  const varint = (): number => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const b = data[pos++] as number;
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return value;
      shift += 7;
    }
  };
  const out: RelatedNeighbour[] = [];
  while (pos < end) {
    const other = varint();
    const score = (data[pos++] as number) / 255;
    const count = data[pos++] as number;
    const surfaces: string[] = [];
    for (let r = 0; r < count; r++) surfaces.push(pack.terms[varint()] as string);
    out.push({ id: pack.ids[other] as string, score, reason: formatReason(surfaces) });
  }
  return out;
}

export function packedToJson(pack: PackedRelated): PackedRelatedJson {
  return {
    format: pack.format,
    k: pack.k,
    ids: pack.ids,
    terms: pack.terms,
    offsets: bytesToBase64(new Uint8Array(pack.offsets.buffer, pack.offsets.byteOffset, pack.offsets.byteLength)),
    data: bytesToBase64(pack.data),
  };
}

/** The inverse of packedToJson; throws on a pack of another format or with inconsistent parts. */
export function packedFromJson(json: PackedRelatedJson): PackedRelated {
  if (json.format !== RELATED_FORMAT) throw new Error(`related: unknown format ${String(json.format)}`);
  const offsetBytes = base64ToBytes(json.offsets);
  if (offsetBytes.length !== (json.ids.length + 1) * 4) throw new Error('related: offsets do not match ids');
  // Copy into an aligned buffer: Uint32Array needs a 4-byte-aligned offset.
  const offsets = new Uint32Array(offsetBytes.buffer.slice(offsetBytes.byteOffset, offsetBytes.byteOffset + offsetBytes.byteLength));
  const data = base64ToBytes(json.data);
  if ((offsets[json.ids.length] as number) !== data.length) throw new Error('related: data length does not match offsets');
  return { format: RELATED_FORMAT, k: json.k, ids: json.ids, terms: json.terms, offsets, data };
}

/** The pack's size in bytes as stored (ids and terms as UTF-8 JSON, arrays raw). */
export function packedSize(pack: PackedRelated): number {
  return new TextEncoder().encode(JSON.stringify([pack.ids, pack.terms])).length + pack.offsets.byteLength + pack.data.byteLength;
}

// btoa/atob exist in Node 16+, browsers and workers; they take "binary strings"
// (one char per byte), built in chunks to stay under argument-count limits.
function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
