/**
 * The reading list's export formats (Markdown, CSV, JSON, BibTeX), their
 * parsers (so an export can be checked to read back as the same list), and the
 * validator for JSON imports. Pure: no DOM, no browser API.
 */
import { isPaperId } from './guards';
import type { ReadingStatus, SavedPaper } from './types';

export const READING_STATUSES: readonly ReadingStatus[] = ['to-read', 'reading', 'read'];
export const STATUS_LABELS: Record<ReadingStatus, string> = { 'to-read': 'To read', reading: 'Reading', read: 'Read' };
export const isReadingStatus = (value: unknown): value is ReadingStatus =>
  typeof value === 'string' && (READING_STATUSES as readonly string[]).includes(value);

/** Limits on one imported paper and on a whole import. */
export const MAX_IMPORT_PAPERS = 5000;
export const MAX_TITLE = 2000;
export const MAX_ABSTRACT = 20_000;
export const MAX_NOTE = 10_000;
export const MAX_LINKS = 50;
export const MAX_LINK = 2000;
export const MAX_DIGEST_DATE = 64;

export const EXPORT_FORMAT = 'paperpeek-reading-list';
export type ExportKind = 'markdown' | 'csv' | 'json' | 'bibtex';

export const EXPORT_FILES: Record<ExportKind, { extension: string; mime: string; label: string }> = {
  markdown: { extension: 'md', mime: 'text/markdown', label: 'Markdown' },
  csv: { extension: 'csv', mime: 'text/csv', label: 'CSV' },
  json: { extension: 'json', mime: 'application/json', label: 'JSON' },
  bibtex: { extension: 'bib', mime: 'application/x-bibtex', label: 'BibTeX' },
};

export function exportList(kind: ExportKind, papers: readonly SavedPaper[]): string {
  switch (kind) {
    case 'markdown':
      return toMarkdown(papers);
    case 'csv':
      return toCsv(papers);
    case 'json':
      return toJson(papers);
    case 'bibtex':
      return toBibtex(papers);
  }
}

// ---------------------------------------------------------------- JSON

export function toJson(papers: readonly SavedPaper[]): string {
  return `${JSON.stringify({ format: EXPORT_FORMAT, version: 1, papers: papers.map(canonical) }, null, 2)}\n`;
}

/** A saved paper with its fields in a fixed order and nothing else. */
function canonical(p: SavedPaper): SavedPaper {
  return { id: p.id, title: p.title, abstract: p.abstract, links: [...p.links], digestDate: p.digestDate, savedAt: p.savedAt, status: p.status, note: p.note };
}

export type ImportResult = { ok: true; papers: SavedPaper[] } | { ok: false; error: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates a JSON import: PaperPeek's own export (`{format, version, papers}`)
 * or a bare array of papers. Only `id` and `title` are required; other fields
 * default (status to-read, empty note, savedAt now). The first problem found is
 * reported with the paper's position, and nothing is imported.
 */
export function parseImport(text: string, now: number = Date.now()): ImportResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `This file is not valid JSON (${error instanceof Error ? error.message : String(error)}).` };
  }
  let list: unknown = data;
  if (isRecord(data)) {
    if (data.format !== EXPORT_FORMAT) return { ok: false, error: `This is not a PaperPeek reading list: expected "format": "${EXPORT_FORMAT}".` };
    if (data.version !== 1) return { ok: false, error: `Unsupported reading list version ${JSON.stringify(data.version)}: this PaperPeek reads version 1.` };
    list = data.papers;
  }
  if (!Array.isArray(list)) return { ok: false, error: 'Expected a list of papers ("papers": [...]).' };
  if (list.length > MAX_IMPORT_PAPERS) return { ok: false, error: `Too many papers: ${list.length} (at most ${MAX_IMPORT_PAPERS}).` };
  const papers: SavedPaper[] = [];
  const seen = new Set<string>();
  for (const [i, item] of list.entries()) {
    const checked = checkPaper(item, now);
    const where = `Paper ${i + 1}${isRecord(item) && typeof item.title === 'string' ? ` (“${item.title.slice(0, 60)}”)` : ''}`;
    if (typeof checked === 'string') return { ok: false, error: `${where}: ${checked}.` };
    if (seen.has(checked.id)) return { ok: false, error: `${where}: the id ${checked.id} appears twice.` };
    seen.add(checked.id);
    papers.push(checked);
  }
  return { ok: true, papers };
}

const KNOWN_FIELDS = new Set(['id', 'title', 'abstract', 'links', 'digestDate', 'savedAt', 'status', 'note']);

function checkPaper(item: unknown, now: number): SavedPaper | string {
  if (!isRecord(item)) return 'must be an object';
  const extra = Object.keys(item).find((key) => !KNOWN_FIELDS.has(key));
  if (extra !== undefined) return `unknown field "${extra.slice(0, 40)}"`;
  const { id, title, abstract = '', links = [], digestDate = '', savedAt = now, status = 'to-read', note = '' } = item;
  if (!isPaperId(id)) return 'id must be a PaperPeek paper id (lower-case letters, digits, - and _)';
  if (typeof title !== 'string' || title.trim() === '' || title.length > MAX_TITLE) return `title must be a non-empty text of at most ${MAX_TITLE} characters`;
  if (typeof abstract !== 'string' || abstract.length > MAX_ABSTRACT) return `abstract must be a text of at most ${MAX_ABSTRACT} characters`;
  if (!Array.isArray(links) || links.length > MAX_LINKS) return `links must be a list of at most ${MAX_LINKS} addresses`;
  if (!links.every((l): l is string => typeof l === 'string' && l.length <= MAX_LINK && /^https?:\/\/\S+$/.test(l))) return 'links must be http(s) addresses';
  if (typeof digestDate !== 'string' || digestDate.length > MAX_DIGEST_DATE) return 'digestDate must be a short text';
  // 8.64e15 ms is the latest time a Date can hold; past it every export would throw.
  if (typeof savedAt !== 'number' || !Number.isFinite(savedAt) || savedAt < 0 || savedAt > 8.64e15) return 'savedAt must be a time in milliseconds';
  if (!isReadingStatus(status)) return `status must be one of ${READING_STATUSES.join(', ')}`;
  if (typeof note !== 'string' || note.length > MAX_NOTE) return `note must be a text of at most ${MAX_NOTE} characters`;
  return { id, title, abstract, links: [...links], digestDate, savedAt, status, note };
}

/** The protocol's guard for one imported paper (exactly the SavedPaper fields, bounded). */
export function isSavedPaper(value: unknown): value is SavedPaper {
  if (!isRecord(value) || Object.getPrototypeOf(value) !== Object.prototype) return false;
  if (Object.keys(value).length !== KNOWN_FIELDS.size) return false;
  const checked = checkPaper(value, 0);
  return typeof checked !== 'string' && Object.hasOwn(value, 'savedAt');
}

// ---------------------------------------------------------------- CSV

export const CSV_COLUMNS = ['id', 'title', 'status', 'note', 'savedAt', 'digestDate', 'links', 'abstract'] as const;

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) || /^[=+\-@\t]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsv(papers: readonly SavedPaper[]): string {
  const rows = papers.map((p) =>
    [p.id, p.title, p.status, p.note, new Date(p.savedAt).toISOString(), p.digestDate, p.links.join(' '), p.abstract].map(csvCell).join(','),
  );
  return `${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}

/** RFC 4180 records (quoted fields may hold commas, quotes and line breaks). */
export function parseCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  const endRecord = () => {
    record.push(field);
    records.push(record);
    record = [];
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
    } else field += c;
  }
  if (field !== '' || record.length > 0) endRecord();
  return records;
}

export function parseCsv(text: string): SavedPaper[] {
  const [header, ...rows] = parseCsvRecords(text);
  if (!header || header.join(',') !== CSV_COLUMNS.join(',')) throw new Error('not a PaperPeek CSV export');
  return rows.map((cells) => {
    const [id = '', title = '', status = '', note = '', savedAt = '', digestDate = '', links = '', abstract = ''] = cells;
    if (!isReadingStatus(status)) throw new Error(`bad status ${status}`);
    return { id, title, abstract, links: links ? links.split(' ') : [], digestDate, savedAt: Date.parse(savedAt), status, note };
  });
}

// ---------------------------------------------------------------- Markdown

const MD_SPECIAL = /[\\`*_{}[\]()#+\-.!|<>~]/g;
const mdEscape = (text: string) => text.replace(MD_SPECIAL, (c) => `\\${c}`);
const mdUnescape = (text: string) => text.replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, '$1');

/**
 * One `##` section per paper, with its fields as a list and the note as a quote:
 * readable as is, pasted into notes apps, and parseable back (parseMarkdown).
 */
export function toMarkdown(papers: readonly SavedPaper[]): string {
  const parts = ['# PaperPeek reading list', ''];
  for (const p of papers) {
    parts.push(`## ${mdEscape(p.title)}`, '');
    parts.push(`- Status: ${STATUS_LABELS[p.status]}`);
    parts.push(`- Saved: ${new Date(p.savedAt).toISOString()}`);
    if (p.digestDate) parts.push(`- Digest: ${mdEscape(p.digestDate)}`);
    for (const link of p.links) parts.push(`- Link: <${link}>`);
    parts.push(`- PaperPeek id: \`${p.id}\``);
    if (p.note) parts.push('', ...p.note.split('\n').map((line) => (line ? `> ${mdEscape(line)}` : '>')));
    parts.push('');
  }
  return parts.join('\n');
}

/** What a Markdown export keeps: everything but the abstract. */
export function parseMarkdown(text: string): Omit<SavedPaper, 'abstract'>[] {
  const papers: Omit<SavedPaper, 'abstract'>[] = [];
  let current: Omit<SavedPaper, 'abstract'> | null = null;
  const noteLines: string[] = [];
  const flush = () => {
    if (current) papers.push({ ...current, note: noteLines.join('\n') });
    noteLines.length = 0;
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('## ')) {
      flush();
      current = { id: '', title: mdUnescape(line.slice(3)), links: [], digestDate: '', savedAt: 0, status: 'to-read', note: '' };
    } else if (current && line.startsWith('- Status: ')) {
      const label = line.slice(10);
      current.status = READING_STATUSES.find((s) => STATUS_LABELS[s] === label) ?? 'to-read';
    } else if (current && line.startsWith('- Saved: ')) current.savedAt = Date.parse(line.slice(9));
    else if (current && line.startsWith('- Digest: ')) current.digestDate = mdUnescape(line.slice(10));
    else if (current && line.startsWith('- Link: <')) current.links.push(line.slice(9, -1));
    else if (current && line.startsWith('- PaperPeek id: `')) current.id = line.slice(17, -1);
    else if (current && (line === '>' || line.startsWith('> '))) noteLines.push(mdUnescape(line.slice(2)));
  }
  flush();
  return papers;
}

// ---------------------------------------------------------------- BibTeX

const BIB_ESCAPES: Record<string, string> = { '\\': '\\textbackslash{}', '{': '\\{', '}': '\\}', '&': '\\&', '%': '\\%', $: '\\$', '#': '\\#', _: '\\_', '~': '\\textasciitilde{}', '^': '\\textasciicircum{}' };
const bibEscape = (text: string) => text.replace(/[\\{}&%$#_~^]/g, (c) => BIB_ESCAPES[c] ?? c);
const bibUnescape = (text: string) =>
  text.replace(/\\textbackslash\{\}|\\textasciitilde\{\}|\\textasciicircum\{\}|\\[{}&%$#_]/g, (seq) =>
    seq === '\\textbackslash{}' ? '\\' : seq === '\\textasciitilde{}' ? '~' : seq === '\\textasciicircum{}' ? '^' : seq.slice(1),
  );

/** `@misc` entries with what the digest knows: title, abstract, code links, digest date, plus status and note. */
export function toBibtex(papers: readonly SavedPaper[]): string {
  return papers
    .map((p) => {
      const fields: [string, string][] = [['title', `{${bibEscape(p.title)}}`]];
      if (p.abstract) fields.push(['abstract', bibEscape(p.abstract)]);
      if (p.links[0]) fields.push(['url', bibEscape(p.links[0])]);
      if (p.links.length > 1) fields.push(['howpublished', bibEscape(p.links.slice(1).join(' '))]);
      if (p.digestDate) fields.push(['note', bibEscape(`PaperPeek digest ${p.digestDate}`)]);
      fields.push(['keywords', p.status]);
      if (p.note) fields.push(['annote', bibEscape(p.note)]);
      fields.push(['urldate', new Date(p.savedAt).toISOString().slice(0, 10)]);
      return `@misc{paperpeek:${p.id},\n${fields.map(([k, v]) => `  ${k} = {${v}}`).join(',\n')}\n}\n`;
    })
    .join('\n');
}

/** Reads back a BibTeX export: key → id, title, status (keywords) and note (annote). */
export function parseBibtex(text: string): { id: string; title: string; status: ReadingStatus; note: string }[] {
  const entries: { id: string; title: string; status: ReadingStatus; note: string }[] = [];
  const entryRe = /@misc\{paperpeek:([a-z0-9_-]+),\n([\s\S]*?)\n\}\n/g;
  for (const entry of text.matchAll(entryRe)) {
    const fields = new Map<string, string>();
    for (const field of (entry[2] ?? '').matchAll(/^ {2}(\w+) = \{([\s\S]*?)\},?$(?=\n {2}\w+ = \{|(?![\s\S]))/gm)) {
      fields.set(field[1] ?? '', field[2] ?? '');
    }
    const title = (fields.get('title') ?? '').replace(/^\{([\s\S]*)\}$/, '$1');
    const status = fields.get('keywords') ?? '';
    entries.push({
      id: entry[1] ?? '',
      title: bibUnescape(title),
      status: isReadingStatus(status) ? status : 'to-read',
      note: bibUnescape(fields.get('annote') ?? ''),
    });
  }
  return entries;
}

/** One paper as a BibTeX `@misc` citation with what the digest knows (the paper view's "Copy citation"). */
export function citationOf(paper: Pick<SavedPaper, 'id' | 'title' | 'abstract' | 'links' | 'digestDate'>): string {
  const fields: [string, string][] = [['title', `{${bibEscape(paper.title)}}`]];
  if (paper.links[0]) fields.push(['url', bibEscape(paper.links[0])]);
  if (paper.digestDate) fields.push(['note', bibEscape(`PaperPeek digest ${paper.digestDate}`)]);
  if (paper.abstract) fields.push(['abstract', bibEscape(paper.abstract)]);
  return `@misc{paperpeek:${paper.id},\n${fields.map(([k, v]) => `  ${k} = {${v}}`).join(',\n')}\n}\n`;
}
