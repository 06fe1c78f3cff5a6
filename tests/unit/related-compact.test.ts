import { describe, expect, it } from 'vitest';
import {
  buildRelated,
  indexOfPaper,
  packedFromJson,
  packedSize,
  packedToJson,
  packRelated,
  readNeighbours,
  RELATED_FORMAT,
  toTable,
} from '../../src/shared/related';
import { formatDigest, generatePapers } from '../../scripts/synthetic-digest';
import { parseDigest } from '../../src/shared/digest-parser';

const papers = parseDigest(formatDigest(generatePapers(600)), 'synthetic.txt').papers;
const result = buildRelated(papers);
const table = toTable(result);
const pack = packRelated(result);

describe('packRelated / readNeighbours', () => {
  it('round-trips every paper: same neighbours in the same order, same reasons, scores to 1/255', () => {
    for (const paper of papers) {
      const read = readNeighbours(pack, paper.id)!;
      const expected = table.get(paper.id)!;
      expect(read.map((n) => n.id)).toEqual(expected.map((n) => n.id));
      expect(read.map((n) => n.reason)).toEqual(expected.map((n) => n.reason));
      read.forEach((n, i) => expect(Math.abs(n.score - expected[i]!.score)).toBeLessThanOrEqual(0.5 / 255 + 1e-9));
    }
  });

  it('stores ids sorted so a paper is found by binary search', () => {
    expect(pack.format).toBe(RELATED_FORMAT);
    expect(pack.ids).toEqual([...pack.ids].sort());
    expect(pack.offsets.length).toBe(papers.length + 1);
    for (const paper of papers.slice(0, 50)) expect(pack.ids[indexOfPaper(pack, paper.id)]).toBe(paper.id);
  });

  it('answers undefined for an unknown paper and [] for a paper without neighbours', () => {
    expect(readNeighbours(pack, 'no-such-id')).toBeUndefined();
    expect(readNeighbours(pack, '')).toBeUndefined();
    const lonely = packRelated(buildRelated([{ id: 'only', title: 'Alone', abstract: 'Nothing to share.' }]));
    expect(readNeighbours(lonely, 'only')).toEqual([]);
  });

  it('is compact: a few bytes per neighbour, and the most used reason terms get the smallest indexes', () => {
    const neighbours = papers.length * result.k;
    expect(pack.data.length / neighbours).toBeLessThan(12);
    expect(packedSize(pack)).toBeLessThan(papers.length * 200);
    const uses = new Map<string, number>();
    for (const paper of papers) for (const n of readNeighbours(pack, paper.id)!) for (const t of n.reason.slice(6).split(', ')) uses.set(t, (uses.get(t) ?? 0) + 1);
    expect(uses.get(pack.terms[0]!)).toBe(Math.max(...uses.values()));
  });

  it('is deterministic: the same result packs to the same bytes', () => {
    const again = packRelated(buildRelated(papers));
    expect(again.ids).toEqual(pack.ids);
    expect(again.terms).toEqual(pack.terms);
    expect(Buffer.from(again.data).equals(Buffer.from(pack.data))).toBe(true);
    expect(Buffer.from(again.offsets.buffer).equals(Buffer.from(pack.offsets.buffer))).toBe(true);
  });
});

describe('packedToJson / packedFromJson', () => {
  it('round-trips through JSON text', () => {
    const json = JSON.parse(JSON.stringify(packedToJson(pack)));
    const back = packedFromJson(json);
    expect(back.ids).toEqual(pack.ids);
    expect(Array.from(back.offsets)).toEqual(Array.from(pack.offsets));
    expect(Array.from(back.data)).toEqual(Array.from(pack.data));
    for (const paper of papers.slice(0, 100)) expect(readNeighbours(back, paper.id)).toEqual(readNeighbours(pack, paper.id));
  });

  it('rejects another format and inconsistent parts', () => {
    const json = packedToJson(pack);
    expect(() => packedFromJson({ ...json, format: 'other' as typeof RELATED_FORMAT })).toThrow(/format/);
    expect(() => packedFromJson({ ...json, ids: json.ids.slice(1) })).toThrow(/offsets/);
    expect(() => packedFromJson({ ...json, data: packedToJson({ ...pack, data: pack.data.subarray(1) }).data })).toThrow(/data length/);
  });
});
