/**
 * The detection evaluation's reusable parts: fixture pages and their labels,
 * rendering a page in real Chromium until marking settles, collecting the marks
 * (also inside open shadow roots), checking the test contract and scoring.
 * Used by `scripts/eval-detect.ts` (npm run eval:detect) and by
 * `tests/e2e/detect-fixtures.test.ts`.
 *
 * Fixtures live in tests/fixtures/detect/:
 *   real/       markdown documents written by others + labels.json (code-point offsets)
 *   synthetic/  hand-written HTML pages in the shapes readers meet + labels.json
 *
 * Test contract (issue 3 §8): a marked occurrence is an element carrying
 * `data-paperpeek-id="<paper id>"`; a title over several text nodes goes on in
 * parts (`data-paperpeek-part` = its `data-paperpeek-occurrence`), its text read
 * from the mark to its last part; marks never nest; marking leaves the page's
 * text unchanged. The text is compared with the same page rendered, with the same
 * actions, in a browser without the extension.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, ROOT, startFixtureServer, type ExtensionSession, type FixtureServer } from '../tests/e2e/harness';

export const DETECT_FIXTURES_DIR = join(ROOT, 'tests', 'fixtures', 'detect');
export const REAL_DIR = join(DETECT_FIXTURES_DIR, 'real');
export const SYNTHETIC_DIR = join(DETECT_FIXTURES_DIR, 'synthetic');
export const MARK_ATTRIBUTE = 'data-paperpeek-id';
export const OCCURRENCE_ATTRIBUTE = 'data-paperpeek-occurrence';
export const PART_ATTRIBUTE = 'data-paperpeek-part';

/** Targets of issue 3 §4, checked by `eval:detect -- --check`. */
export const TARGETS = { recall: 0.95, precision: 0.98 } as const;

// ---------------------------------------------------------------------------
// The digest: ids exactly as `npm run digest -- list` prints them.

export interface Digest {
  idByTitle: Map<string, string>;
  titleById: Map<string, string>;
}

export function loadDigest(): Digest {
  const out = execFileSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/digest-cli.ts', 'list'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const idByTitle = new Map<string, string>();
  const titleById = new Map<string, string>();
  for (const line of out.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const id = line.slice(0, tab);
    const title = line.slice(tab + 1);
    idByTitle.set(title, id);
    titleById.set(id, title);
  }
  if (idByTitle.size === 0) throw new Error('npm run digest -- list printed no papers');
  return { idByTitle, titleById };
}

// ---------------------------------------------------------------------------
// Fixture pages and labels.

/** Something the driver does after load, identically with and without the extension. */
export type PageAction =
  | { scrollToBottom: number } // scroll to the bottom N times, 500 ms apart (infinite feeds)
  | { click: string } // click the element matching this CSS selector
  | { wait: number }; // wait N ms

export interface Label {
  title: string;
  id: string;
  asWritten: string;
  /** Only inside a URL or file name (a slug): not visible text, not scored. */
  inUrl: boolean;
  /** Synthetic labels: text near the occurrence, to tell apart two labels written alike. */
  near?: string;
  /** For reports: where the occurrence is (real documents: the source line). */
  where?: string;
  /**
   * An occurrence PaperPeek is known to miss, and why: scored as a miss like any
   * other, reported as known, and not failing the e2e test (which still fails if
   * anything else is missed). When detection learns it, the mark pairs with it.
   */
  knownMiss?: string;
}

export interface FixturePage {
  kind: 'real' | 'synthetic';
  /** e.g. `real/feifeiobama` or `synthetic/arxiv-listing`. */
  name: string;
  /** Path on the fixture server. */
  urlPath: string;
  html: string;
  labels: Label[];
  actions: PageAction[];
  notes: string;
  /** Marks PaperPeek is known to place wrongly (labels.json `known_false`, with why): scored as false marks, not failing the e2e test. */
  knownFalse: { id: string; asWritten: string; why: string }[];
}

interface RawMatch {
  title: string;
  as_written: string;
  offset?: number;
  in_url?: boolean;
  near?: string;
  known_miss?: string;
}

function labelFor(digest: Digest, where: string, match: RawMatch): Label {
  const id = digest.idByTitle.get(match.title);
  if (!id) throw new Error(`${where}: label title is not a bundled paper (npm run digest -- list): ${JSON.stringify(match.title)}`);
  if (typeof match.as_written !== 'string' || match.as_written.length === 0) throw new Error(`${where}: label without as_written`);
  const label: Label = { title: match.title, id, asWritten: match.as_written, inUrl: match.in_url === true };
  if (match.near) {
    label.near = match.near;
    label.where = `near ${JSON.stringify(match.near)}`;
  }
  if (match.known_miss !== undefined) {
    if (typeof match.known_miss !== 'string' || match.known_miss.trim() === '') throw new Error(`${where}: known_miss must say why`);
    label.knownMiss = match.known_miss;
  }
  return label;
}

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Splits YAML front matter (`---` ... `---` at the very top) from the body. */
export function splitFrontMatter(markdown: string): { frontMatter: string | null; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(markdown);
  if (!match) return { frontMatter: null, body: markdown };
  return { frontMatter: match[1] ?? '', body: markdown.slice(match[0].length) };
}

const unquoteYaml = (value: string): string => {
  const v = value.trim();
  if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))) return v.slice(1, -1);
  return v;
};

/**
 * Front matter as GitHub shows it above a .md file: a table, here one row per key
 * (key | value), a list value as a nested one-column table. Only the flat YAML
 * these documents use (scalars and `- item` lists) is understood.
 */
export function renderFrontMatter(yaml: string): string {
  const rows: { key: string; value: string; items: string[] }[] = [];
  for (const line of yaml.split(/\r?\n/)) {
    const item = /^\s*-\s+(.*)$/.exec(line);
    const last = rows[rows.length - 1];
    if (item && last) {
      last.items.push(unquoteYaml(item[1] ?? ''));
      continue;
    }
    const pair = /^([^\s:#][^:]*):\s*(.*)$/.exec(line);
    if (pair) rows.push({ key: (pair[1] ?? '').trim(), value: unquoteYaml(pair[2] ?? ''), items: [] });
  }
  const cell = (row: (typeof rows)[number]): string =>
    row.items.length > 0
      ? `<table><tbody>${row.items.map((i) => `<tr><td>${escapeHtml(i)}</td></tr>`).join('')}</tbody></table>`
      : `<div>${escapeHtml(row.value)}</div>`;
  return `<table class="front-matter" data-table-type="yaml-metadata">\n<tbody>\n${rows
    .map((row) => `<tr><th>${escapeHtml(row.key)}</th><td>${cell(row)}</td></tr>`)
    .join('\n')}\n</tbody>\n</table>\n`;
}

const GITHUB_LIKE_CSS = `
body { margin: 0; font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; background: #fff; }
.app-header { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 16px 32px; font-size: 14px; }
.app-header a { color: #0969da; text-decoration: none; font-weight: 600; }
main { max-width: 1012px; margin: 24px auto; padding: 0 16px; }
.file-box { border: 1px solid #d1d9e0; border-radius: 6px; }
.file-box > .file-header { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px; font-size: 12px; font-weight: 600; }
.markdown-body { padding: 32px; font-size: 16px; line-height: 1.5; word-wrap: break-word; }
.markdown-body h1, .markdown-body h2 { border-bottom: 1px solid #d1d9e0b3; padding-bottom: .3em; }
.markdown-body a { color: #0969da; text-decoration: none; }
.markdown-body code, .markdown-body pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f6f8fa; border-radius: 6px; }
.markdown-body pre { padding: 16px; overflow: auto; }
.markdown-body table { border-collapse: collapse; display: block; overflow: auto; margin: 0 0 16px; }
.markdown-body th, .markdown-body td { border: 1px solid #d1d9e0; padding: 6px 13px; }
.markdown-body img { max-width: 100%; }
.markdown-body blockquote { color: #59636e; border-left: .25em solid #d1d9e0; margin: 0; padding: 0 1em; }
`;

const markdown = new MarkdownIt({ html: true, linkify: true, typographer: false });

/** A markdown document rendered the way GitHub shows a .md file in a repository. */
export function renderMarkdownDocument(source: string, meta: { fileName: string; repo: string | null }): string {
  const { frontMatter, body } = splitFrontMatter(source);
  const repo = meta.repo ?? 'unknown/repository';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(repo)}</title>
<style>${GITHUB_LIKE_CSS}</style>
</head>
<body>
<header class="app-header"><a href="/${escapeHtml(repo)}">${escapeHtml(repo)}</a></header>
<main>
<div class="file-box">
<div class="file-header">${escapeHtml(meta.fileName)}</div>
<article class="markdown-body entry-content container-lg" itemprop="text">
${frontMatter !== null ? renderFrontMatter(frontMatter) : ''}${markdown.render(body)}
</article>
</div>
</main>
</body>
</html>
`;
}

interface RealLabelsFile {
  about: string;
  documents: { file: string; repo: string | null; path: string | null; notes?: string; matches: RawMatch[] }[];
}

/** Checks every label's `as_written` against the file at its code-point offset; throws on any mismatch. */
export function validateOffsets(file: string, source: string, matches: RawMatch[]): void {
  const codePoints = Array.from(source);
  const problems: string[] = [];
  for (const m of matches) {
    if (typeof m.offset !== 'number') {
      problems.push(`no offset for ${JSON.stringify(m.as_written)}`);
      continue;
    }
    const length = Array.from(m.as_written).length;
    const found = codePoints.slice(m.offset, m.offset + length).join('');
    if (found !== m.as_written) {
      problems.push(`offset ${m.offset}: expected ${JSON.stringify(m.as_written)}, file has ${JSON.stringify(found)}`);
    }
  }
  if (problems.length > 0) throw new Error(`labels.json does not match ${file}:\n  ${problems.join('\n  ')}`);
}

/** `line N: text` of the line holding a code-point offset, shortened. */
function sourceLine(source: string, offset: number): string {
  const before = Array.from(source).slice(0, offset).join('');
  const lineNo = before.split('\n').length;
  const line = (source.split('\n')[lineNo - 1] ?? '').trim();
  return `line ${lineNo}: ${line.length > 140 ? `${line.slice(0, 140)}…` : line}`;
}

export function loadRealPages(digest: Digest, dir = REAL_DIR): FixturePage[] {
  const labels = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')) as RealLabelsFile;
  return labels.documents.map((doc) => {
    const source = readFileSync(join(dir, doc.file), 'utf8');
    validateOffsets(doc.file, source, doc.matches);
    const name = basename(doc.file, '.md');
    return {
      kind: 'real' as const,
      name: `real/${name}`,
      urlPath: `/real/${name}.html`,
      // The header names the fixture file, not the original path: a path can be a title slug
      // (zettel notes), and labels only cover the document itself.
      html: renderMarkdownDocument(source, { fileName: doc.file, repo: doc.repo }),
      labels: doc.matches.map((m) => ({ ...labelFor(digest, `real/labels.json ${doc.file}`, m), where: sourceLine(source, m.offset ?? 0) })),
      actions: [],
      notes: doc.notes ?? '',
      knownFalse: [],
    };
  });
}

interface SyntheticLabelsFile {
  about: string;
  pages: { file: string; notes: string; actions?: PageAction[]; matches: RawMatch[]; known_false?: { title: string; as_written: string; why: string }[] }[];
}

export function loadSyntheticPages(digest: Digest, dir = SYNTHETIC_DIR): FixturePage[] {
  const labels = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')) as SyntheticLabelsFile;
  return labels.pages.map((entry) => {
    const name = basename(entry.file, '.html');
    return {
      kind: 'synthetic' as const,
      name: `synthetic/${name}`,
      urlPath: `/synthetic/${entry.file}`,
      html: readFileSync(join(dir, entry.file), 'utf8'),
      labels: entry.matches.map((m) => labelFor(digest, `synthetic/labels.json ${entry.file}`, m)),
      actions: entry.actions ?? [],
      notes: entry.notes,
      knownFalse: (entry.known_false ?? []).map((k) => {
        const where = `synthetic/labels.json ${entry.file} known_false`;
        if (typeof k.why !== 'string' || k.why.trim() === '') throw new Error(`${where}: each entry must say why`);
        return { id: labelFor(digest, where, { title: k.title, as_written: k.as_written }).id, asWritten: k.as_written, why: k.why };
      }),
    };
  });
}

export function loadAllFixturePages(digest: Digest): FixturePage[] {
  return [...loadRealPages(digest), ...loadSyntheticPages(digest)];
}

/** Labelled visible occurrences per paper id (in-URL slugs excluded). */
export function expectedCounts(fixture: FixturePage): Map<string, number> {
  const counts = new Map<string, number>();
  for (const label of fixture.labels) if (!label.inUrl) counts.set(label.id, (counts.get(label.id) ?? 0) + 1);
  return counts;
}

// ---------------------------------------------------------------------------
// Serving and rendering.

export const WARM_UP_PATH = '/__warm-up';

export async function serveFixturePages(pages: FixturePage[], digest: Digest): Promise<FixtureServer> {
  const routes: Record<string, string> = {};
  for (const page of pages) routes[page.urlPath] = page.html;
  const title = digest.titleById.values().next().value as string;
  const warmTitle = digest.idByTitle.has('Pointer Networks') ? 'Pointer Networks' : title;
  routes[WARM_UP_PATH] = `<!doctype html><title>warm-up</title><h2>${escapeHtml(warmTitle)}</h2><ul><li><a href="/x">${escapeHtml(warmTitle)}</a></li></ul>`;
  return startFixtureServer(routes);
}

/** A plain Chromium without the extension: the reference for the page's own text. */
export async function launchBaselineBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
}

export interface MarkInfo {
  id: string;
  /** The marked element's text, whitespace collapsed. */
  text: string;
  tag: string;
  /** Text of the nearest block around the mark, whitespace collapsed, shortened. */
  context: string;
  /** Which tree: `document` or a path of shadow hosts. */
  tree: string;
  /** The id of a mark this mark sits inside (a nesting violation), else null. */
  nestedIn: string | null;
}

export interface PageSnapshot {
  /**
   * Per tree (the document, then every open shadow root): `text` = textContent (body's for
   * the document), compared for the contract; `visibleText` = innerText, what is on screen.
   */
  trees: { key: string; text: string; visibleText: string }[];
  marks: MarkInfo[];
}

/*
 * In-page code is passed as strings: tsx compiles with esbuild's keepNames, which
 * would wrap named inner functions in a `__name` helper the page does not have.
 */
const TREES_JS = `
const trees = [];
const queue = [{ root: document, key: 'document' }];
while (queue.length > 0) {
  const { root, key } = queue.shift();
  trees.push({ root, key });
  const seen = new Map();
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
  for (let el = walker.nextNode(); el; el = walker.nextNode()) {
    if (!el.shadowRoot) continue;
    const label = el.localName + (el.id ? '#' + el.id : '');
    const n = seen.get(label) ?? 0;
    seen.set(label, n + 1);
    queue.push({ root: el.shadowRoot, key: key + ' > ' + label + '[' + n + ']' });
  }
}`;

const SNAPSHOT_JS = `(() => {
${TREES_JS}
const ATTR = ${JSON.stringify(MARK_ATTRIBUTE)};
const PART = ${JSON.stringify(PART_ATTRIBUTE)};
const OCCURRENCE = ${JSON.stringify(OCCURRENCE_ATTRIBUTE)};
const squash = (s) => (s ?? '').replace(/\\s+/g, ' ').trim();
// A mark's text: its own, or from it to the end of its last part.
const markedText = (root, el) => {
  const occurrence = el.getAttribute(OCCURRENCE);
  const parts = occurrence ? root.querySelectorAll('[' + PART + '="' + CSS.escape(occurrence) + '"]') : [];
  if (parts.length === 0) return el.textContent;
  const range = document.createRange();
  range.setStartBefore(el);
  range.setEndAfter(parts[parts.length - 1]);
  return range.toString();
};
const marks = [];
for (const { root, key } of trees) {
  for (const el of root.querySelectorAll('[' + ATTR + ']')) {
    let nestedIn = null;
    let up = el.parentNode;
    while (up) {
      if (up.nodeType === 1 && (up.hasAttribute(ATTR) || up.hasAttribute(PART))) { nestedIn = up.getAttribute(ATTR) ?? 'a part of ' + up.getAttribute(PART); break; }
      up = up.parentNode ?? (up instanceof ShadowRoot ? up.host : null);
    }
    const text = squash(markedText(root, el));
    const parent = el.parentElement;
    const block = parent ? parent.closest('p, li, dd, dt, td, th, h1, h2, h3, h4, h5, h6, blockquote, pre, figcaption') ?? parent : null;
    let context = squash(block ? block.textContent : '');
    if (context.length > 200) {
      const start = Math.max(0, context.indexOf(text) - 80);
      context = (start > 0 ? '…' : '') + context.slice(start, start + 200) + (start + 200 < context.length ? '…' : '');
    }
    marks.push({
      id: el.getAttribute(ATTR),
      text,
      tag: el.localName,
      context,
      tree: key,
      nestedIn,
    });
  }
}
// What is on screen: innerText skips script, style, hidden and display:none content. A shadow
// root has no innerText of its own: join its rendered children's.
const visible = (root) => {
  if (root === document) return document.body ? document.body.innerText : '';
  const parts = [];
  for (const child of root.childNodes) {
    if (child.nodeType === 3) parts.push(child.data);
    else if (child.nodeType === 1 && !['style', 'script', 'template', 'slot'].includes(child.localName)) parts.push(child.innerText ?? '');
  }
  return parts.join('\\n');
};
return {
  trees: trees.map(({ root, key }) => ({
    key,
    text: (root === document ? document.body?.textContent : root.textContent) ?? '',
    visibleText: visible(root),
  })),
  marks,
};
})()`;

/** A cheap fingerprint of the page's marks and text, polled to see when things settle. */
const FINGERPRINT_JS = `(() => {
${TREES_JS}
let text = 0;
const ids = [];
for (const { root } of trees) {
  text += ((root === document ? document.body?.textContent : root.textContent) ?? '').length;
  for (const el of root.querySelectorAll('[${MARK_ATTRIBUTE}]')) ids.push(el.getAttribute('${MARK_ATTRIBUTE}'));
}
return trees.length + '|' + text + '|' + ids.length + '|' + ids.join(',');
})()`;

export async function snapshotPage(page: Page): Promise<PageSnapshot> {
  return (await page.evaluate(SNAPSHOT_JS)) as PageSnapshot;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the page's marks and text stay unchanged for `quietMs`; false on timeout. */
export async function settle(page: Page, quietMs: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let last = (await page.evaluate(FINGERPRINT_JS)) as string;
  let since = Date.now();
  while (Date.now() < deadline) {
    await sleep(100);
    const now = (await page.evaluate(FINGERPRINT_JS)) as string;
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return true;
    }
  }
  return false;
}

export async function runActions(page: Page, actions: PageAction[]): Promise<void> {
  for (const action of actions) {
    if ('scrollToBottom' in action) {
      for (let i = 0; i < action.scrollToBottom; i++) {
        await page.evaluate('window.scrollTo(0, document.scrollingElement.scrollHeight)');
        await sleep(500);
      }
    } else if ('click' in action) {
      await page.click(action.click, { timeout: 10_000 });
    } else {
      await sleep(action.wait);
    }
  }
}

export interface RenderOptions {
  /** How long marks and text must stay unchanged to count as settled. */
  quietMs: number;
  timeoutMs: number;
}

export const EXTENSION_RENDER: RenderOptions = { quietMs: 1000, timeoutMs: 20_000 };
export const BASELINE_RENDER: RenderOptions = { quietMs: 500, timeoutMs: 10_000 };

/**
 * Opens `origin + fixture.urlPath` in a new tab of `context`, lets it settle, runs
 * the fixture's actions, lets it settle again, snapshots it and closes the tab.
 * Requests leaving the fixture server (badge images in the real documents) are
 * aborted so pages load the same offline. The extension's own packaged files
 * (the modules its content script imports) are no network request and pass.
 */
export async function renderFixture(
  context: BrowserContext,
  origin: string,
  fixture: FixturePage,
  options: RenderOptions,
): Promise<{ snapshot: PageSnapshot; settled: boolean; url: string }> {
  const page = await context.newPage();
  try {
    await page.route(
      (url) => url.origin !== origin && url.protocol !== 'chrome-extension:',
      (route) => route.abort(),
    );
    await page.goto(origin + fixture.urlPath, { waitUntil: 'load' });
    let settled = await settle(page, options.quietMs, options.timeoutMs);
    if (fixture.actions.length > 0) {
      await runActions(page, fixture.actions);
      settled = (await settle(page, options.quietMs, options.timeoutMs)) && settled;
    }
    return { snapshot: await snapshotPage(page), settled, url: page.url() };
  } finally {
    await page.close();
  }
}

/** Loads a page with a digest title in a heading and waits for a mark: wakes the worker before timing anything. */
export async function warmUp(session: ExtensionSession, server: FixtureServer, timeoutMs = 30_000): Promise<number | null> {
  const page = await session.context.newPage();
  const start = Date.now();
  try {
    await page.goto(server.origin + WARM_UP_PATH);
    while (Date.now() - start < timeoutMs) {
      if (((await page.evaluate(FINGERPRINT_JS)) as string).split('|')[2] !== '0') return Date.now() - start;
      await sleep(100);
    }
    return null;
  } finally {
    await page.close();
  }
}

// ---------------------------------------------------------------------------
// Scoring and checks.

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface PageScore {
  /** Labelled visible occurrences. */
  expected: number;
  /** Marks scored (marks in shadow trees the page itself does not have are left out). */
  observed: number;
  inUrl: number;
  occurrences: Counts;
  papers: Counts & { expected: number; observed: number };
}

/** Occurrence level: per id TP = min(expected, observed). Paper level: sets of ids. */
export function scoreCounts(expected: Map<string, number>, observed: Map<string, number>): Omit<PageScore, 'inUrl'> {
  const occurrences: Counts = { tp: 0, fp: 0, fn: 0 };
  const ids = new Set([...expected.keys(), ...observed.keys()]);
  for (const id of ids) {
    const e = expected.get(id) ?? 0;
    const o = observed.get(id) ?? 0;
    const tp = Math.min(e, o);
    occurrences.tp += tp;
    occurrences.fp += o - tp;
    occurrences.fn += e - tp;
  }
  const expectedIds = [...expected.keys()].filter((id) => (expected.get(id) ?? 0) > 0);
  const observedIds = [...observed.keys()].filter((id) => (observed.get(id) ?? 0) > 0);
  const tp = expectedIds.filter((id) => observedIds.includes(id)).length;
  return {
    expected: [...expected.values()].reduce((a, b) => a + b, 0),
    observed: [...observed.values()].reduce((a, b) => a + b, 0),
    occurrences,
    papers: { tp, fp: observedIds.length - tp, fn: expectedIds.length - tp, expected: expectedIds.length, observed: observedIds.length },
  };
}

/** Normalisation used only to line marks up with labels in reports (not the matcher's). */
const loose = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f\u00ad]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

export interface Missed {
  title: string;
  asWritten: string;
  where?: string;
  /** The label's known_miss: why PaperPeek misses it. */
  knownMiss?: string;
}

export interface Unexpected {
  title: string;
  id: string;
  markedText: string;
  tag: string;
  context: string;
  /** The page's known_false entry this mark is: why PaperPeek places it. */
  knownFalse?: string;
}

/**
 * Which labels went unmarked and which marks were unexpected, for people: per id,
 * marks are paired with labels whose text they share, and the leftovers reported
 * (as many as the counts say are missing or extra).
 */
export function explainDifferences(fixture: FixturePage, marks: MarkInfo[], digest: Digest): { missed: Missed[]; unexpected: Unexpected[] } {
  const missed: Missed[] = [];
  const unexpected: Unexpected[] = [];
  const knownFalse = [...fixture.knownFalse];
  const ids = new Set([...fixture.labels.filter((l) => !l.inUrl).map((l) => l.id), ...marks.map((m) => m.id)]);
  for (const id of ids) {
    const labels = fixture.labels.filter((l) => !l.inUrl && l.id === id);
    const marked = marks.filter((m) => m.id === id);
    if (labels.length === marked.length) continue;
    // Pair the closest spellings first, so a slug or a longer text is what is left over; a
    // label's `near` text must be around the mark, except in the last, loosest pass.
    const freeLabels = [...labels];
    let freeMarks = [...marked];
    const tight = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();
    const passes: { same: (mark: string, written: string) => boolean; checkNear: boolean }[] = [
      { same: (mark, written) => tight(mark) === tight(written), checkNear: true },
      { same: (mark, written) => tight(mark).includes(tight(written)), checkNear: true },
      {
        same: (mark, written) => {
          const [m, w] = [loose(mark), loose(written)];
          return m.includes(w) || (m.length > 0 && w.includes(m));
        },
        checkNear: false,
      },
    ];
    for (const { same, checkNear } of passes) {
      freeMarks = freeMarks.filter((mark) => {
        const fits = (l: Label) => same(mark.text, l.asWritten) && (!checkNear || !l.near || loose(mark.context).includes(loose(l.near)));
        const nearMark = (l: Label) => l.near !== undefined && loose(mark.context).includes(loose(l.near));
        // A label whose `near` text is around this mark first; in the loosest pass, one whose `near` is elsewhere last.
        let at = freeLabels.findIndex((l) => (checkNear ? l.near !== undefined : nearMark(l)) && fits(l));
        if (at < 0 && !checkNear) at = freeLabels.findIndex((l) => l.near === undefined && fits(l));
        if (at < 0) at = freeLabels.findIndex(fits);
        if (at < 0) return true;
        freeLabels.splice(at, 1);
        return false;
      });
    }
    const fn = Math.max(0, labels.length - marked.length);
    const fp = Math.max(0, marked.length - labels.length);
    const title = digest.titleById.get(id) ?? `(unknown id ${id})`;
    const missing = [...freeLabels, ...labels.filter((l) => !freeLabels.includes(l))].slice(0, fn);
    for (const l of missing) missed.push({ title, asWritten: l.asWritten, ...(l.where ? { where: l.where } : {}), ...(l.knownMiss ? { knownMiss: l.knownMiss } : {}) });
    const extra = [...freeMarks, ...marked.filter((m) => !freeMarks.includes(m))].slice(0, fp);
    for (const m of extra) {
      const at = knownFalse.findIndex((k) => k.id === id && loose(k.asWritten) === loose(m.text));
      const why = at >= 0 ? knownFalse.splice(at, 1)[0]?.why : undefined;
      unexpected.push({ title, id, markedText: m.text, tag: m.tag, context: m.context, ...(why ? { knownFalse: why } : {}) });
    }
  }
  return { missed, unexpected };
}

/** Where two texts first differ, with a little context on each side. */
function describeTextChange(key: string, before: string, after: string): string {
  let i = 0;
  while (i < before.length && i < after.length && before[i] === after[i]) i++;
  const show = (s: string) => JSON.stringify(s.slice(Math.max(0, i - 30), i + 50));
  return `${key}: text differs at char ${i} (length ${before.length} -> ${after.length}): without extension ${show(before)}, with ${show(after)}`;
}

/** Compares the page's text without and with the extension, tree by tree. */
export function compareTexts(baseline: PageSnapshot, marked: PageSnapshot): { changes: string[]; extraTrees: string[] } {
  const changes: string[] = [];
  const byKey = new Map(marked.trees.map((t) => [t.key, t.text]));
  for (const tree of baseline.trees) {
    const text = byKey.get(tree.key);
    if (text === undefined) changes.push(`${tree.key}: open shadow root missing with the extension`);
    else if (text !== tree.text) changes.push(describeTextChange(tree.key, tree.text, text));
  }
  const known = new Set(baseline.trees.map((t) => t.key));
  return { changes, extraTrees: marked.trees.map((t) => t.key).filter((k) => !known.has(k)) };
}

/**
 * Labels whose `as_written` is not on screen (innerText) as often as labelled. Whitespace
 * and case are ignored: innerText turns <br> into a line break and applies text-transform.
 */
export function checkLabelsAgainstText(fixture: FixturePage, snapshot: PageSnapshot): string[] {
  const strip = (s: string) => s.replace(/\s+/g, '').toLowerCase();
  const text = strip(snapshot.trees.map((t) => t.visibleText).join('\u0000'));
  const wanted = new Map<string, number>();
  for (const l of fixture.labels) if (!l.inUrl) wanted.set(l.asWritten, (wanted.get(l.asWritten) ?? 0) + 1);
  const problems: string[] = [];
  for (const [written, count] of wanted) {
    const needle = strip(written);
    let found = 0;
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) found++;
    if (found < count) problems.push(`${fixture.name}: ${JSON.stringify(written)} labelled ${count}x, found ${found}x on screen (innerText)`);
  }
  return problems;
}

export interface PageResult {
  fixture: FixturePage;
  score: PageScore;
  marks: MarkInfo[];
  missed: Missed[];
  unexpected: Unexpected[];
  /** Marks inside marks. */
  nesting: string[];
  /** Text changed by the extension. */
  textChanges: string[];
  /** Open shadow roots only present with the extension (its own UI?); their marks are not scored. */
  extraTrees: string[];
  settled: boolean;
}

/** Renders one fixture without and with the extension, then scores and checks it. */
export async function evaluateFixture(
  session: ExtensionSession,
  baselineContext: BrowserContext,
  server: FixtureServer,
  fixture: FixturePage,
  digest: Digest,
): Promise<PageResult & { labelProblems: string[] }> {
  const baseline = await renderFixture(baselineContext, server.origin, fixture, BASELINE_RENDER);
  const labelProblems = checkLabelsAgainstText(fixture, baseline.snapshot);
  const withExtension = await renderFixture(session.context, server.origin, fixture, EXTENSION_RENDER);
  return { ...scoreSnapshots(fixture, baseline.snapshot, withExtension.snapshot, digest), settled: withExtension.settled, labelProblems };
}

export function scoreSnapshots(fixture: FixturePage, baseline: PageSnapshot, marked: PageSnapshot, digest: Digest): Omit<PageResult, 'settled'> {
  const { changes, extraTrees } = compareTexts(baseline, marked);
  const extra = new Set(extraTrees);
  const marks = marked.marks.filter((m) => !extra.has(m.tree));
  const observed = new Map<string, number>();
  for (const mark of marks) observed.set(mark.id, (observed.get(mark.id) ?? 0) + 1);
  const nesting = marked.marks
    .filter((m) => m.nestedIn !== null)
    .map((m) => `mark ${m.id} (${JSON.stringify(m.text)}) inside mark ${m.nestedIn} [${m.tree}]`);
  return {
    fixture,
    score: { ...scoreCounts(expectedCounts(fixture), observed), inUrl: fixture.labels.filter((l) => l.inUrl).length },
    marks,
    ...explainDifferences(fixture, marks, digest),
    nesting,
    textChanges: changes,
    extraTrees,
  };
}

// ---------------------------------------------------------------------------
// Reporting.

export const ratio = (num: number, den: number): number | null => (den === 0 ? null : num / den);
const fmt = (value: number | null): string => (value === null ? '-' : value.toFixed(3));

/** Overall precision and recall; an empty denominator counts as perfect. */
export function overall(results: PageResult[]): { occurrences: Counts; papers: Counts; precision: number; recall: number } {
  const sum = (pick: (r: PageResult) => Counts): Counts =>
    results.reduce((acc, r) => ({ tp: acc.tp + pick(r).tp, fp: acc.fp + pick(r).fp, fn: acc.fn + pick(r).fn }), { tp: 0, fp: 0, fn: 0 });
  const occurrences = sum((r) => r.score.occurrences);
  return {
    occurrences,
    papers: sum((r) => r.score.papers),
    precision: ratio(occurrences.tp, occurrences.tp + occurrences.fp) ?? 1,
    recall: ratio(occurrences.tp, occurrences.tp + occurrences.fn) ?? 1,
  };
}

/** A text table: first column left-aligned, the others right-aligned. */
export function formatTable(header: string[], rows: string[][], separatorBefore: number[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const out = [line(header), rule];
  rows.forEach((row, i) => {
    if (separatorBefore.includes(i)) out.push(rule);
    out.push(line(row));
  });
  return out.join('\n');
}

function checksCell(r: PageResult): string {
  const problems: string[] = [];
  if (r.nesting.length > 0) problems.push(`nested ${r.nesting.length}`);
  if (r.textChanges.length > 0) problems.push('text changed');
  if (!r.settled) problems.push('unsettled');
  return problems.length > 0 ? problems.join(', ') : 'ok';
}

export function formatResultsTable(results: PageResult[]): string {
  const header = ['page', 'labels', 'in-url', 'marks', 'TP', 'FP', 'FN', 'precision', 'recall', 'papers', 'found', 'paper P', 'paper R', 'checks'];
  const row = (name: string, s: Omit<PageScore, 'papers'> & { papers: Counts & { expected: number; observed: number } }, checks: string): string[] => {
    const o = s.occurrences;
    const p = s.papers;
    return [
      name,
      String(s.expected),
      String(s.inUrl),
      String(s.observed),
      String(o.tp),
      String(o.fp),
      String(o.fn),
      fmt(ratio(o.tp, o.tp + o.fp)),
      fmt(ratio(o.tp, o.tp + o.fn)),
      String(p.expected),
      String(p.tp),
      fmt(ratio(p.tp, p.tp + p.fp)),
      fmt(ratio(p.tp, p.tp + p.fn)),
      checks,
    ];
  };
  const rows = results.map((r) => row(r.fixture.name, r.score, checksCell(r)));
  const totalFor = (subset: PageResult[], name: string): string[] => {
    const sum = (pick: (r: PageResult) => number) => subset.reduce((a, r) => a + pick(r), 0);
    return row(
      name,
      {
        expected: sum((r) => r.score.expected),
        observed: sum((r) => r.score.observed),
        inUrl: sum((r) => r.score.inUrl),
        occurrences: { tp: sum((r) => r.score.occurrences.tp), fp: sum((r) => r.score.occurrences.fp), fn: sum((r) => r.score.occurrences.fn) },
        papers: {
          tp: sum((r) => r.score.papers.tp),
          fp: sum((r) => r.score.papers.fp),
          fn: sum((r) => r.score.papers.fn),
          expected: sum((r) => r.score.papers.expected),
          observed: sum((r) => r.score.papers.observed),
        },
      },
      subset.every((r) => checksCell(r) === 'ok') ? 'ok' : `${subset.filter((r) => checksCell(r) !== 'ok').length} page(s)`,
    );
  };
  const real = results.filter((r) => r.fixture.kind === 'real');
  const synthetic = results.filter((r) => r.fixture.kind === 'synthetic');
  const totals = [totalFor(real, 'real (all)'), totalFor(synthetic, 'synthetic (all)'), totalFor(results, 'overall')];
  return formatTable(header, [...rows, ...totals], [rows.length]);
}

/** The per-page details a developer needs: missed labels, unexpected marks, contract violations. */
export function formatDetails(results: PageResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    const lines: string[] = [];
    for (const m of r.missed) {
      lines.push(
        `  missed      ${m.title}${m.asWritten !== m.title ? `\n              as written: ${JSON.stringify(m.asWritten)}` : ''}` +
          (m.where ? `\n              ${m.where}` : '') +
          (m.knownMiss ? `\n              known miss: ${m.knownMiss}` : ''),
      );
    }
    for (const u of r.unexpected) {
      lines.push(
        `  false +     ${u.title}\n              marked <${u.tag}>: ${JSON.stringify(u.markedText)}${u.context && u.context !== u.markedText ? `\n              in: ${JSON.stringify(u.context)}` : ''}` +
          (u.knownFalse ? `\n              known false mark: ${u.knownFalse}` : ''),
      );
    }
    for (const n of r.nesting) lines.push(`  NESTED      ${n}`);
    for (const t of r.textChanges) lines.push(`  TEXT        ${t}`);
    for (const t of r.extraTrees) lines.push(`  note        shadow root only with the extension (not scored): ${t}`);
    if (!r.settled) lines.push('  note        marks were still changing when the timeout passed');
    if (lines.length > 0) out.push(`${r.fixture.name}\n${lines.join('\n')}`);
  }
  return out.join('\n\n');
}
