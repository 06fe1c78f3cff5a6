/**
 * FlexSearch indexing of papers into the postings of src/shared/search-postings.ts:
 * at build time for the whole digest (`packageSearchIndex`, from
 * scripts/vite-digest-plugin.ts), at run time for papers added to the popup's
 * search (search.ts imports this module only then, so the popup does not load
 * FlexSearch otherwise).
 *
 * Pure: no DOM, no browser API.
 */
import { Index } from 'flexsearch';
import {
  ABSTRACT_SLOTS,
  META_PATH,
  PAPERS_PER_SHARD,
  SHARD_BYTES,
  TITLE_SLOTS,
  abstractShardPath,
  paperShardPath,
  titleShardPath,
  wordsOf,
  type Field,
  type Postings,
  type SearchMeta,
  type Slots,
} from './search-postings';

/** A FlexSearch index for one field, configured the same at build time and at run time. */
export function fieldIndex(field: Field): Index {
  return new Index({ tokenize: 'strict', resolution: field === 'title' ? TITLE_SLOTS : ABSTRACT_SLOTS, encode: wordsOf });
}

/** The postings of a FlexSearch index, through its own export (the chunks `import` would read back). */
export function postingsOf(index: Index): Postings {
  const postings: Postings = new Map();
  index.export((key: string, data: string) => {
    if (!key.endsWith('.map')) return;
    for (const [term, slots] of JSON.parse(data) as [string, Slots][]) postings.set(term, slots);
  });
  return postings;
}

/** A paper as the packaged search index needs it. */
export interface IndexedPaper {
  id: string;
  title: string;
  abstract: string;
  digestDate: string;
}

const oneLine = (text: string) => text.replace(/[\t\r\n]+/g, ' ');

/** Splits one field's postings into shards of neighbouring terms. */
function shard(postings: Postings, terms: readonly string[], bytes: number): { files: string[]; starts: number[]; df: number[] } {
  const files: string[] = [];
  const starts: number[] = [];
  const df = new Array<number>(terms.length).fill(0);
  let chunk: string[] = [];
  let size = 0;
  terms.forEach((term, i) => {
    const slots = postings.get(term);
    if (!slots) return;
    const entry = JSON.stringify([term, slots]);
    if (chunk.length > 0 && size + entry.length > bytes) {
      files.push(`[${chunk.join(',')}]`);
      chunk = [];
      size = 0;
    }
    if (chunk.length === 0) starts.push(i);
    chunk.push(entry);
    size += entry.length + 1;
    df[i] = slots.reduce((n, ids) => n + (ids?.length ?? 0), 0);
  });
  if (chunk.length > 0) files.push(`[${chunk.join(',')}]`);
  return { files, starts, df };
}

/** Builds the packaged search index: every file under SEARCH_DIR, with its text (to gzip where `isCompressed`). */
export function packageSearchIndex(papers: readonly IndexedPaper[], version: string, shardBytes: Partial<Record<Field, number>> = {}): { path: string; source: string }[] {
  const titles = fieldIndex('title');
  const abstracts = fieldIndex('abstract');
  papers.forEach((paper, n) => {
    titles.add(n, paper.title);
    abstracts.add(n, paper.abstract);
  });
  const titlePostings = postingsOf(titles);
  const abstractPostings = postingsOf(abstracts);
  const terms = [...new Set([...titlePostings.keys(), ...abstractPostings.keys()])].sort();
  const t = shard(titlePostings, terms, shardBytes.title ?? SHARD_BYTES.title);
  const a = shard(abstractPostings, terms, shardBytes.abstract ?? SHARD_BYTES.abstract);
  const meta: SearchMeta = {
    version,
    count: papers.length,
    terms: terms.join('\n'),
    titleDf: t.df,
    abstractDf: a.df,
    titleShards: t.starts,
    abstractShards: a.starts,
  };
  const paperFiles: { path: string; source: string }[] = [];
  for (let start = 0; start < papers.length; start += PAPERS_PER_SHARD) {
    const lines = papers.slice(start, start + PAPERS_PER_SHARD).map((p) => `${oneLine(p.id)}\t${oneLine(p.title)}\t${oneLine(p.digestDate)}`);
    paperFiles.push({ path: paperShardPath(start / PAPERS_PER_SHARD), source: lines.join('\n') });
  }
  return [
    { path: META_PATH, source: JSON.stringify(meta) },
    ...paperFiles,
    ...t.files.map((source, i) => ({ path: titleShardPath(i), source })),
    ...a.files.map((source, i) => ({ path: abstractShardPath(i), source })),
  ];
}
