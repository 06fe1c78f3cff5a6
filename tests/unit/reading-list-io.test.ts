import { describe, expect, it } from 'vitest';
import {
  EXPORT_FORMAT,
  MAX_IMPORT_PAPERS,
  citationOf,
  exportList,
  isSavedPaper,
  parseBibtex,
  parseCsv,
  parseCsvRecords,
  parseImport,
  parseMarkdown,
} from '../../src/shared/reading-list-io';
import type { SavedPaper } from '../../src/shared/types';

const list: SavedPaper[] = [
  {
    id: 'abc123',
    title: 'Attention Is All You *Need*: [a] #1 {study} & 100% of_it',
    abstract: 'We propose "the Transformer", a model, with commas,\nand lines.',
    links: ['https://github.com/x/y', 'https://example.org/p?q=1&r=2'],
    digestDate: 'Mar 13',
    savedAt: Date.UTC(2026, 10, 27, 12, 30),
    status: 'reading',
    note: 'Tricky: "quotes", commas, {braces}, back\\slash ~ ^\n> not a quote\n\nthird line',
  },
  { id: 'x-y_z', title: '=SUM(A1) formula-looking title', abstract: '', links: [], digestDate: '', savedAt: 0, status: 'read', note: '' },
  { id: 'plain', title: 'Plain', abstract: 'a', links: [], digestDate: 'Jan 1', savedAt: 1, status: 'to-read', note: '-leading dash' },
];

describe('exports read back as the same list', () => {
  it('JSON keeps everything', () => {
    expect(parseImport(exportList('json', list))).toEqual({ ok: true, papers: list });
  });

  it('CSV keeps everything, quoting what needs it (and cells that spreadsheets would run as formulas)', () => {
    const csv = exportList('csv', list);
    expect(parseCsv(csv)).toEqual(list);
    expect(csv).toContain('"=SUM(A1) formula-looking title"');
    expect(parseCsvRecords('a,"b,""c"""\r\n1,2\r\n')).toEqual([
      ['a', 'b,"c"'],
      ['1', '2'],
    ]);
  });

  it('Markdown keeps all but the abstract, escaping Markdown syntax', () => {
    const md = exportList('markdown', list);
    expect(md).toContain('## Attention Is All You \\*Need\\*');
    expect(parseMarkdown(md)).toEqual(list.map(({ abstract: _a, ...rest }) => rest));
  });

  it('BibTeX writes @misc entries with escaped fields and reads back id, title, status and note', () => {
    const bib = exportList('bibtex', list);
    expect(bib.match(/@misc\{/g)).toHaveLength(3);
    expect(bib).toContain('100\\% of\\_it');
    expect(bib).toContain('url = {https://github.com/x/y}');
    expect(parseBibtex(bib)).toEqual(list.map(({ id, title, status, note }) => ({ id, title, status, note })));
  });

  it('an empty list exports and reads back as empty', () => {
    expect(parseImport(exportList('json', []))).toEqual({ ok: true, papers: [] });
    expect(parseCsv(exportList('csv', []))).toEqual([]);
    expect(parseMarkdown(exportList('markdown', []))).toEqual([]);
    expect(parseBibtex(exportList('bibtex', []))).toEqual([]);
  });

  it('a citation is one @misc entry with what the digest knows', () => {
    const citation = citationOf(list[0] as SavedPaper);
    expect(citation).toMatch(/^@misc\{paperpeek:abc123,\n {2}title = \{\{Attention/);
    expect(citation).toContain('note = {PaperPeek digest Mar 13}');
  });
});

describe('import validation', () => {
  const wrap = (papers: unknown) => JSON.stringify({ format: EXPORT_FORMAT, version: 1, papers });

  it('accepts a bare array and fills defaults', () => {
    expect(parseImport(JSON.stringify([{ id: 'abc', title: 'T' }]), 42)).toEqual({
      ok: true,
      papers: [{ id: 'abc', title: 'T', abstract: '', links: [], digestDate: '', savedAt: 42, status: 'to-read', note: '' }],
    });
  });

  it.each([
    ['not JSON', '{"papers": [', /not valid JSON/],
    ['another format', JSON.stringify({ format: 'zotero', papers: [] }), /not a PaperPeek reading list/],
    ['a newer version', JSON.stringify({ format: EXPORT_FORMAT, version: 2, papers: [] }), /Unsupported reading list version 2/],
    ['no list', JSON.stringify({ format: EXPORT_FORMAT, version: 1 }), /Expected a list of papers/],
    ['a string item', wrap(['x']), /Paper 1: must be an object/],
    ['a bad id', wrap([{ id: 'Bad Id!', title: 'T' }]), /Paper 1 \(“T”\): id must be/],
    ['an empty title', wrap([{ id: 'a', title: '  ' }]), /title must be a non-empty text/],
    ['a bad status', wrap([{ id: 'a', title: 'T' }, { id: 'b', title: 'U', status: 'done' }]), /Paper 2 \(“U”\): status must be one of to-read, reading, read/],
    ['a javascript: link', wrap([{ id: 'a', title: 'T', links: ['javascript:alert(1)'] }]), /links must be http\(s\) addresses/],
    ['a bad time', wrap([{ id: 'a', title: 'T', savedAt: 'yesterday' }]), /savedAt must be a time/],
    ['an unknown field', wrap([{ id: 'a', title: 'T', __proto__x: 1 }]), /unknown field "__proto__x"/],
    ['a duplicate', wrap([{ id: 'a', title: 'T' }, { id: 'a', title: 'T' }]), /the id a appears twice/],
    ['too long a note', wrap([{ id: 'a', title: 'T', note: 'x'.repeat(10_001) }]), /note must be a text of at most 10000/],
  ])('refuses %s with a clear message', (_name, text, message) => {
    const result = parseImport(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });

  it('refuses too many papers', () => {
    const many = Array.from({ length: MAX_IMPORT_PAPERS + 1 }, (_, i) => ({ id: `p${i}`, title: 'T' }));
    const result = parseImport(JSON.stringify(many));
    expect(result.ok).toBe(false);
  });

  it('the protocol guard wants exactly a complete saved paper', () => {
    expect(isSavedPaper(list[0])).toBe(true);
    expect(isSavedPaper({ id: 'a', title: 'T' })).toBe(false);
    expect(isSavedPaper({ ...list[0], extra: 1 })).toBe(false);
    expect(isSavedPaper({ ...list[0], status: 'done' })).toBe(false);
    expect(isSavedPaper(Object.assign(Object.create({ polluted: true }) as object, list[0]))).toBe(false);
  });
});
