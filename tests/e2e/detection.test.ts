/**
 * Title spotting in a real browser, beyond static pages: content that arrives
 * later, hostile pages, and what is left behind when the extension goes away.
 */
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHADOW_HOST_QUERY } from '../../src/content/page-text';
import { ROOT, launchExtension, reloadExtension, startFixtureServer, waitFor, type ExtensionSession, type FixtureServer } from './harness';

const PAPERS = new Map(
  execFileSync('npx', ['tsx', 'scripts/digest-cli.ts', 'list'], { cwd: ROOT, encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.split('\t').reverse() as [string, string]),
);
const idOf = (title: string): string => {
  const id = PAPERS.get(title);
  if (!id) throw new Error(`not a bundled paper: ${title}`);
  return id;
};

const POINTER = 'Pointer Networks';
const SEQ2SEQ = 'Sequence to Sequence Learning with Neural Networks';
const DMA = 'Deep Model Assembling';
const E2LLM = 'E^2-LLM: Efficient and Extreme Length Extension of Large Language Models';
const TOOLLESS = 'Symbolic Discovery of Optimization Algorithms';
const ORDER = 'Order Matters: Sequence to sequence for sets';

/** Every mark on the page, open shadow roots included, as [paper id, text] in document order. */
async function marks(page: Page): Promise<[string, string][]> {
  return page.evaluate(() => {
    const found: [string, string][] = [];
    // A title over several text nodes is marked in pieces: the mark, then its parts.
    const markedText = (root: Document | ShadowRoot, mark: Element): string => {
      const occurrence = mark.getAttribute('data-paperpeek-occurrence');
      const parts = occurrence ? root.querySelectorAll(`[data-paperpeek-part="${occurrence}"]`) : [];
      const last = parts[parts.length - 1];
      if (!last) return mark.textContent ?? '';
      const range = document.createRange();
      range.setStartBefore(mark);
      range.setEndAfter(last);
      return range.toString();
    };
    const visit = (root: Document | ShadowRoot) => {
      for (const element of root.querySelectorAll('*')) {
        const id = element.getAttribute('data-paperpeek-id');
        if (id) found.push([id, markedText(root, element)]);
        if (element.shadowRoot) visit(element.shadowRoot);
      }
    };
    visit(document);
    return found;
  });
}

async function waitForMarkCount(page: Page, count: number, what: string): Promise<[string, string][]> {
  return waitFor(async () => {
    const found = await marks(page);
    return found.length === count ? found : null;
  }, what);
}

/** Waits until the mark count has not changed for `quietMs` (the scanner has settled). */
async function settledMarks(page: Page, quietMs = 1500): Promise<[string, string][]> {
  let last = JSON.stringify(await marks(page));
  let since = Date.now();
  const deadline = Date.now() + 20_000;
  while (Date.now() - since < quietMs && Date.now() < deadline) {
    await page.waitForTimeout(200);
    const now = JSON.stringify(await marks(page));
    if (now !== last) {
      last = now;
      since = Date.now();
    }
  }
  return JSON.parse(last) as [string, string][];
}

const FEED_PAGE = `<!doctype html><title>Feed</title>
<main id="feed"><article><h3>Unrelated first post</h3><p>Nothing to see.</p></article></main>
<script>
  const feed = document.getElementById('feed');
  const later = [${JSON.stringify(POINTER)}, 'Another unrelated post', ${JSON.stringify(SEQ2SEQ)}];
  window.addMore = () => {
    const title = later.shift();
    if (!title) return;
    const item = document.createElement('article');
    item.innerHTML = '<h3><a href="#"></a></h3><p>Posted later.</p>';
    item.querySelector('a').textContent = title;
    feed.append(item);
  };
</script>`;

const SPA_PAGE = `<!doctype html><title>App</title>
<nav><a id="go" href="/spa/next">Next page</a></nav><div id="view"><p>Home, no papers here.</p></div>
<script>
  document.getElementById('go').addEventListener('click', (event) => {
    event.preventDefault();
    history.pushState({}, '', '/spa/next');
    const view = document.getElementById('view');
    view.replaceChildren();
    const heading = document.createElement('h2');
    heading.textContent = ${JSON.stringify(DMA)};
    view.append(heading);
  });
</script>`;

const THREAD_PAGE = `<!doctype html><title>Thread</title>
<details id="thread"><summary>Show 2 replies</summary><ul><li><a href="#">${TOOLLESS}</a></li></ul></details>`;

const SHADOW_PAGE = `<!doctype html><title>Shadow</title><div id="host"></div>
<script>
  const root = document.getElementById('host').attachShadow({ mode: 'open' });
  root.innerHTML = '<ul><li><a href="#">${POINTER}</a></li></ul>';
  setTimeout(() => {
    const li = document.createElement('li');
    li.textContent = ${JSON.stringify(SEQ2SEQ)};
    root.querySelector('ul').append(li);
  }, 300);
</script>`;

/**
 * Shadow hosts in a page too large to read in one chunk (7,000 posts of divs, 35,000 elements):
 * an empty div and a custom element with light DOM, both hosting a title.
 */
const SHADOW_FEED_PAGE = `<!doctype html><title>Shadow feed</title><div id="feed">
${Array.from({ length: 7000 }, (_, i) => `<div class="post"><div class="head"><span>user${i}</span></div><div class="text">An ordinary post number ${i}</div></div>`).join('\n')}
<div class="post"><div id="empty-host"></div></div>
<div class="post"><paper-card id="card-host"><span slot="note">shared by user7</span></paper-card></div>
</div>
<script>
  document.getElementById('empty-host').attachShadow({ mode: 'open' }).innerHTML = '<p><a href="#">${POINTER}</a></p>';
  document.getElementById('card-host').attachShadow({ mode: 'open' }).innerHTML = '<h3>${SEQ2SEQ}</h3><slot name="note"></slot>';
</script>`;

const WIDTH = 'Feature Learning in Infinite-Width Neural Networks';
/**
 * Light DOM under shadow hosts, as Distill's custom elements write it: a
 * footnote's text slotted into a hover box hidden until hovered, a host's light
 * child no slot takes, and a sidenote whose slot shows its text.
 */
const SLOTTED_PAGE = `<!doctype html><title>Slotted</title>
<p>At large width the network stays close to its linearisation<d-footnote>We use the scaling from ${TOOLLESS} and ${WIDTH} for every sweep.</d-footnote>.</p>
<p>Unassigned: <x-box>we use the scaling from ${WIDTH} for every sweep</x-box>.</p>
<p>Shown: <x-note>we use the scaling from ${WIDTH} for every sweep</x-note>.</p>
<script>
  customElements.define('d-footnote', class extends HTMLElement { constructor() { super(); this.attachShadow({ mode: 'open' }).innerHTML = '<sup>[1]</sup><div style="display:none"><slot></slot></div>'; } });
  customElements.define('x-box', class extends HTMLElement { constructor() { super(); this.attachShadow({ mode: 'open' }).innerHTML = '<b>box</b>'; } });
  customElements.define('x-note', class extends HTMLElement { constructor() { super(); this.attachShadow({ mode: 'open' }).innerHTML = ' <i><slot></slot></i>'; } });
</script>`;

/**
 * A page that fights back: it replaces Array, Node and MutationObserver methods,
 * throws from its own handlers, sets <base href> elsewhere, forbids every style
 * and script source but its own inline code (CSP), and embeds a same-origin frame.
 */
const hostilePage = (origin: string) => `<!doctype html><html><head>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; frame-src 'self'; style-src 'none'">
<base href="https://elsewhere.invalid/">
<title>Hostile</title>
<script>
  Array.prototype.push = function () { throw new Error('hostile-page-error: push'); };
  Array.prototype.map = function () { throw new Error('hostile-page-error: map'); };
  Array.from = () => { throw new Error('hostile-page-error: from'); };
  Node.prototype.appendChild = function () { throw new Error('hostile-page-error: appendChild'); };
  Node.prototype.insertBefore = function () { throw new Error('hostile-page-error: insertBefore'); };
  Element.prototype.querySelectorAll = function () { throw new Error('hostile-page-error: qsa'); };
  window.MutationObserver = function () { throw new Error('hostile-page-error: observer'); };
  JSON.stringify = () => { throw new Error('hostile-page-error: json'); };
  window.addEventListener('load', () => { throw new Error('hostile-page-error: load'); });
  setTimeout(() => { throw new Error('hostile-page-error: timer'); }, 50);
  window.clicks = 0;
</script></head><body>
<button id="counter" onclick="this.textContent = 'clicked ' + (++window.clicks)">count</button>
<ol class="references">
  <li>Vinyals, O., Fortunato, M., &amp; Jaitly, N. (2015). ${POINTER}. NeurIPS.</li>
  <li><a href="paper.html">${E2LLM}</a></li>
</ol>
<iframe src="${origin}/frame" title="embedded"></iframe>
</body></html>`;

/**
 * A long page whose sections the browser skips rendering until they near the
 * viewport (content-visibility: auto): innerText leaves their text out, so the
 * scanner must read them another way. One section comes later, far down.
 */
const SKIPPED_PAGE = `<!doctype html><title>Long read</title>
<style>section { content-visibility: auto; contain-intrinsic-size: auto 600px; }</style>
<section><h2>Introduction</h2><p>Nothing to find up here.</p></section>
${Array.from({ length: 30 }, (_, i) => `<section><h2>Part ${i + 1}</h2><p>Filler paragraph number ${i + 1}, with nothing in it.</p></section>`).join('\n')}
<section><h2>Reading list</h2><ul><li><a href="#">${POINTER}</a></li></ul></section>
<script>
  setTimeout(() => {
    const later = document.createElement('section');
    later.innerHTML = '<h2>Added later</h2><p><a href="#"></a></p>';
    later.querySelector('a').textContent = ${JSON.stringify(SEQ2SEQ)};
    document.body.append(later);
  }, 1200);
</script>`;

/**
 * A file view built as GitHub's code view is: a read-only text area (what a screen
 * reader reads) laid over an `aria-hidden` drawing of the same lines (what the
 * reader sees), one block per line. Below it, an editor's own text area, which is
 * not read-only, beside a hidden layer of its text.
 */
const codeViewLines = (lines: string[]) => lines.map((line) => `<div class="row"><div class="line">${line}</div></div>`).join('');
const CODE_VIEW_LINES = ['@inproceedings{chen2023symbolic,', `  title={${TOOLLESS}},`, '}', '@inproceedings{sutskever2014,', '  title={Sequence to Sequence Learning with', '    Neural Networks},', '}'];
const CODE_VIEW_PAGE = `<!doctype html><title>refs.bib</title>
<style>.line { white-space: pre; font: 12px/20px monospace; } textarea { font: 12px/20px monospace; }</style>
<section id="view" style="position:relative">
  <textarea id="ro" aria-readonly="true" aria-label="file content" tabindex="0" spellcheck="false"
    style="position:absolute;inset:0;width:100%;color:transparent;background:transparent;border:0;resize:none;z-index:1;white-space:pre">${CODE_VIEW_LINES.join('\n')}</textarea>
  <div aria-hidden="true" class="cursor"> </div>
  <div id="drawn" aria-hidden="true" role="presentation"><div class="numbers">${codeViewLines(CODE_VIEW_LINES.map((_, i) => String(i + 1)))}</div>
  <div class="lines">${codeViewLines(CODE_VIEW_LINES)}</div></div>
</section>
<section id="editor-view">
  <textarea id="editor" aria-label="editor">title={${WIDTH}}</textarea>
  <div aria-hidden="true"><div class="line">  title={${WIDTH}},</div></div>
</section>`;

const BIG_PAGE = (() => {
  // ~100k nodes: 20,000 rows of five nodes each, digest titles at the very end.
  const rows = Array.from({ length: 20_000 }, (_, i) => `<li><span>row ${i}</span> <b>item</b></li>`).join('');
  return `<!doctype html><title>Big</title><ul>${rows}</ul><h2>${POINTER}</h2><p><a href="#">${SEQ2SEQ}</a></p>`;
})();

/**
 * A page whose list a framework renders and re-renders the way React does: it
 * keeps the nodes it created and later takes each out of the parent it put it in
 * (removeChild throws when a node has moved: facebook/react#11538).
 */
const FRAMEWORK_PAGE = `<!doctype html><title>Framework</title><ol id="refs"></ol><ul><li id="plain"></li></ul><script>
const list = document.getElementById('refs');
let rendered = [];
window.renderErrors = [];
window.render = (title) => {
  try {
    for (const [parent, node] of rendered) parent.removeChild(node);
  } catch (error) {
    window.renderErrors.push(String(error));
  }
  rendered = [];
  const item = document.createElement('li');
  const em = document.createElement('em');
  const [first, ...rest] = title.split(' ');
  em.append(first);
  const b = document.createElement('b');
  b.append(rest.join(' '));
  item.append('Vinyals, O. (2015). ', em, ' ', b, '. NeurIPS.');
  for (const node of [...item.childNodes]) rendered.push([item, node]);
  rendered.push([em, em.firstChild], [b, b.firstChild]);
  list.append(item);
  rendered.push([list, item]);
};
// What a framework does to a text it rendered: sets it, or takes it out, by the node it holds.
window.setFirstWord = (word) => { rendered.find(([parent]) => parent.localName === 'em')[1].nodeValue = word; };
const plain = document.createTextNode('Vinyals, O., Bengio, S., & Kudlur, M. (2016). Order Matters: Sequence to sequence for sets. ICLR.');
window.removePlain = () => plain.parentNode.removeChild(plain);
render(${JSON.stringify(POINTER)});
document.getElementById('plain').append(plain);
</script>`;

describe('title spotting in Chromium', () => {
  let session: ExtensionSession;
  let server: FixtureServer;

  beforeAll(async () => {
    server = await startFixtureServer({
      '/feed': FEED_PAGE,
      '/spa': SPA_PAGE,
      '/thread': THREAD_PAGE,
      '/shadow': SHADOW_PAGE,
      '/shadow-feed': SHADOW_FEED_PAGE,
      '/slotted': SLOTTED_PAGE,
      '/hosts': `<!doctype html><ul><li><a href="#">x</a></li></ul><div id="empty"></div><div id="full"><p>text</p></div>
        <div id="spaced"> </div><paper-card id="card"><span>light</span></paper-card><span id="icon"></span><img><br>`,
      '/frame': `<!doctype html><p>Framed: <a href="#">${DMA}</a></p>`,
      '/big': BIG_PAGE,
      '/skipped': SKIPPED_PAGE,
      '/code-view': CODE_VIEW_PAGE,
      '/orphan': `<!doctype html><h2>${POINTER}</h2><p>Read <a href="#">${SEQ2SEQ}</a> first.</p>`,
      '/framework': FRAMEWORK_PAGE,
    });
    server.route('/hostile', hostilePage(server.origin));
    session = await launchExtension();
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  it('marks a title over several elements without moving the nodes a framework rendered, so its re-render still works', async () => {
    const page = await session.context.newPage();
    await page.goto(`${server.origin}/framework`);
    expect((await waitForMarkCount(page, 2, 'the title over an <em> and a <b>, and the one in a text node'))[0]).toEqual([idOf(POINTER), POINTER]);
    expect(await page.locator('[data-paperpeek-part]').count()).toBe(1);
    await page.evaluate((title) => (window as unknown as { render(title: string): void }).render(title), SEQ2SEQ);
    expect(await page.evaluate(() => (window as unknown as { renderErrors: string[] }).renderErrors)).toEqual([]);
    expect((await waitForMarkCount(page, 2, 'the re-rendered title'))[0]).toEqual([idOf(SEQ2SEQ), SEQ2SEQ]);
    expect(await page.locator('#refs li').count()).toBe(1);
    await page.close();
  });

  it('takes back the text split off for a mark when the page sets the text node it came from, and marks the title again', async () => {
    const page = await session.context.newPage();
    await page.goto(`${server.origin}/framework`);
    await waitForMarkCount(page, 2, 'the title over an <em> and a <b>, and the one in a text node');
    const text = () => page.evaluate(() => document.getElementById('refs')!.textContent);
    // The mark's first piece was cut from the <em>'s text node: the page rewrites that node.
    await page.evaluate(() => (window as unknown as { setFirstWord(word: string): void }).setFirstWord('Graph'));
    expect(await text()).toBe('Vinyals, O. (2015). Graph Networks. NeurIPS.');
    expect((await settledMarks(page, 800)).map(([id]) => id)).toEqual([idOf(ORDER)]);
    expect(await page.locator('[data-paperpeek-part]').count()).toBe(0);
    await page.evaluate(() => (window as unknown as { setFirstWord(word: string): void }).setFirstWord('Pointer'));
    expect((await waitForMarkCount(page, 2, 'the title marked again'))[0]).toEqual([idOf(POINTER), POINTER]);
    expect(await text()).toBe('Vinyals, O. (2015). Pointer Networks. NeurIPS.');
    await page.close();
  });

  it('takes back the text split off a removed text node, so what the page removed is gone', async () => {
    const page = await session.context.newPage();
    await page.goto(`${server.origin}/framework`);
    // One text node, the title cut out of its middle: a mark, then the rest split off.
    await waitFor(() => page.locator('#plain [data-paperpeek-id]').count().then((n) => n === 1), 'the title in one text node');
    await page.evaluate(() => (window as unknown as { removePlain(): void }).removePlain());
    expect(await page.evaluate(() => document.getElementById('plain')!.textContent)).toBe('');
    expect(await page.locator('#plain paperpeek-mark').count()).toBe(0);
    await page.close();
  });

  it('marks items an infinite feed adds later, and only the new ones', async () => {
    const page = await session.context.newPage();
    await page.goto(`${server.origin}/feed`);
    expect(await settledMarks(page, 800)).toEqual([]);
    for (let i = 0; i < 3; i++) await page.evaluate(() => (window as unknown as { addMore(): void }).addMore());
    const found = await waitForMarkCount(page, 2, 'the two digest titles the feed added');
    expect(found).toEqual([
      [idOf(POINTER), POINTER],
      [idOf(SEQ2SEQ), SEQ2SEQ],
    ]);
    await page.close();
  });

  it('marks content swapped in by history-API navigation', async () => {
    const page = await session.context.newPage();
    await page.goto(`${server.origin}/spa`);
    await settledMarks(page, 800);
    await page.click('#go');
    expect(await waitForMarkCount(page, 1, 'the title on the navigated view')).toEqual([[idOf(DMA), DMA]]);
    expect(page.url()).toBe(`${server.origin}/spa/next`);
    await page.close();
  });

  it('leaves a collapsed thread alone and marks it once expanded', async () => {
    const page = await session.context.newPage();
    await page.goto(`${server.origin}/thread`);
    expect(await settledMarks(page, 1000)).toEqual([]);
    await page.click('summary');
    expect(await waitForMarkCount(page, 1, 'the title in the expanded thread')).toEqual([[idOf(TOOLLESS), TOOLLESS]]);
    await page.close();
  });

  it('marks titles inside open shadow roots, including ones added later', async () => {
    const page = await session.context.newPage();
    await page.goto(`${server.origin}/shadow`);
    const found = await waitForMarkCount(page, 2, 'both titles in the shadow root');
    expect(found.map(([id]) => id).sort()).toEqual([idOf(POINTER), idOf(SEQ2SEQ)].sort());
    await page.close();
  });

  it('marks titles in shadow roots of a page read in many chunks: an empty div and a custom element with light DOM', async () => {
    const page = await session.context.newPage();
    await page.goto(`${server.origin}/shadow-feed`);
    const found = await waitForMarkCount(page, 2, 'both titles in the shadow roots of the feed');
    expect(found.map(([id]) => id).sort()).toEqual([idOf(POINTER), idOf(SEQ2SEQ)].sort());
    await page.close();
  });

  it('reads a shadow host\'s light DOM only where a slot shows it, and marks it once', async () => {
    const page = await session.context.newPage();
    await page.goto(`${server.origin}/slotted`);
    await waitForMarkCount(page, 1, 'the title in the shown slot');
    // Read in its chunk and again on its own, the shown text once got a second, empty mark.
    expect(await settledMarks(page)).toEqual([[idOf(WIDTH), WIDTH]]);
    await page.close();
  });

  it('looks for shadow hosts among custom elements and empty built-in hosts only (the query, in Chromium)', async () => {
    // A built-in host with light DOM (#full, #spaced) is left to the exact walk: checking every div cost 340 ms on a big page.
    const page = await session.context.newPage();
    await page.goto(`${server.origin}/hosts`);
    const ids = await page.evaluate((query) => [...document.body.querySelectorAll(query)].map((element) => element.id || element.localName), SHADOW_HOST_QUERY);
    expect(ids).toEqual(['empty', 'card', 'icon']);
    await page.close();
  });

  it('keeps a hostile page and itself working, and says nothing in its console', async () => {
    const page = await session.context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${server.origin}/hostile`);
    // Read through locators (Playwright's isolated utility world): page.evaluate would
    // run in the page's world, where this page broke Array, JSON and the DOM methods.
    const markLocator = page.locator('[data-paperpeek-id]');
    await waitFor(async () => (await markLocator.count()) === 2, 'both titles on the hostile page');
    const found = [];
    for (let i = 0; i < 2; i++) found.push([await markLocator.nth(i).getAttribute('data-paperpeek-id'), await markLocator.nth(i).textContent()]);
    expect(found).toEqual([
      [idOf(POINTER), POINTER],
      [idOf(E2LLM), E2LLM],
    ]);
    // The page's own code still runs, and the marks are styled despite style-src 'none'.
    await page.click('#counter');
    expect(await page.locator('#counter').textContent()).toBe('clicked 1');
    expect(await markLocator.first().evaluate((el) => getComputedStyle(el).textDecorationStyle)).toBe('dotted');
    // The link still points where the page's <base> says.
    expect(await page.locator('a[data-paperpeek-id]').evaluate((a) => (a as HTMLAnchorElement).href)).toBe(
      'https://elsewhere.invalid/paper.html',
    );
    // The same-origin frame keeps working (frames are not scanned: the top page is).
    expect(await page.frameLocator('iframe').locator('p').textContent()).toContain(DMA);
    await page.waitForTimeout(1000);
    const ours = problems.filter((text) => !text.includes('hostile-page-error') && !text.includes('Content Security Policy'));
    expect(ours).toEqual([]);
    await page.close();
  });

  it('marks titles at the end of a 100k-node page', async () => {
    const page = await session.context.newPage();
    await page.goto(`${server.origin}/big`);
    expect(await page.evaluate(() => document.getElementsByTagName('*').length)).toBeGreaterThan(60_000);
    const found = await waitForMarkCount(page, 2, 'the titles after 100k nodes');
    expect(found).toEqual([
      [idOf(POINTER), POINTER],
      [idOf(SEQ2SEQ), SEQ2SEQ],
    ]);
    await page.close();
  });

  it('reads the drawn copy of a read-only text area (GitHub\'s code view) as lines of one block, and no editor\'s hidden layer', async () => {
    const page = await session.context.newPage();
    await page.goto(`${server.origin}/code-view`);
    // A title wrapped over two lines is marked on its first line: a mark cannot hold two line blocks.
    expect(await waitForMarkCount(page, 2, 'both titles in the drawn lines')).toEqual([
      [idOf(TOOLLESS), TOOLLESS],
      [idOf(SEQ2SEQ), 'Sequence to Sequence Learning with'],
    ]);
    expect(await settledMarks(page, 1000)).toHaveLength(2);
    // Inside aria-hidden a tab stop would be one a screen reader cannot name: the marks get none.
    const focusable = await page.evaluate(() => [...document.querySelectorAll('[data-paperpeek-id]')].map((m) => m.getAttribute('tabindex')));
    expect(focusable).toEqual([null, null]);
    // Marking changed neither the drawn text nor the text area.
    expect(await page.evaluate(() => document.querySelector('#drawn .lines')!.textContent)).toBe(CODE_VIEW_LINES.join(''));
    await page.close();
  });

  it('marks titles in sections the browser skips rendering, without the reader scrolling to them', async () => {
    const page = await session.context.newPage();
    await page.goto(`${server.origin}/skipped`);
    // The sections far down are skipped: their text is not in what the page renders.
    expect(await page.evaluate(() => document.body.innerText.includes('Pointer'))).toBe(false);
    const found = await waitForMarkCount(page, 2, 'the titles in skipped sections, one of them added later');
    expect(found).toEqual([
      [idOf(POINTER), POINTER],
      [idOf(SEQ2SEQ), SEQ2SEQ],
    ]);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    await page.close();
  });

  it('removes its marks quietly when the extension is reloaded under an open page', async () => {
    const page = await session.context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${server.origin}/orphan`);
    await waitForMarkCount(page, 2, 'marks before the reload');
    const textBefore = await page.evaluate(() => document.body.textContent);
    await reloadExtension(session);
    await waitForMarkCount(page, 0, 'the orphaned script to remove its marks');
    expect(await page.evaluate(() => document.querySelectorAll('paperpeek-mark').length)).toBe(0);
    expect(await page.evaluate(() => document.body.textContent)).toBe(textBefore);
    expect(problems).toEqual([]);
    await page.close();
  });
});
