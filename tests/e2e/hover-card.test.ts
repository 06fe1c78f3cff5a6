/**
 * The hover card in real Chromium: opening by pointer and keyboard, stale hovers,
 * saving across tabs, hostile pages, text-only rendering and untrusted events.
 * The card lives in a closed shadow root (pages cannot read a reader's saved
 * state from it), so tests read it through CDP with `pierce`, as DevTools does,
 * and press its buttons with real (trusted) mouse clicks.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledPaper } from './bundled-papers';
import { ROOT, launchExtension, openExtensionPage, sendFrom, startFixtureServer, waitFor, type ExtensionSession, type FixtureServer } from './harness';

const paper = bundledPaper;
const POINTER = paper('Pointer Networks');
const SEQ2SEQ = paper('Sequence to Sequence Learning with Neural Networks');

interface CardButton {
  label: string;
  x: number;
  y: number;
  pressed: string | null;
}
interface CardState {
  visible: boolean;
  text: string;
  title: string;
  rect: { x: number; y: number; width: number; height: number };
  buttons: CardButton[];
  viewport: { width: number; height: number };
}

/** Reads the card out of its closed shadow root (CDP pierces it, page scripts cannot). */
async function readCard(page: Page): Promise<CardState | null> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    const host = findNode(root, (node) => node.nodeName === 'PAPERPEEK-CARD');
    const shadow = host?.shadowRoots?.[0];
    if (!shadow) return null;
    const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: shadow.backendNodeId });
    const { result } = await cdp.send('Runtime.callFunctionOn', {
      objectId: object.objectId,
      returnByValue: true,
      functionDeclaration: `function () {
        const card = this.querySelector('[role="dialog"]');
        if (!card) return null;
        const r = card.getBoundingClientRect();
        const buttons = [];
        for (const b of card.querySelectorAll('button')) {
          const q = b.getBoundingClientRect();
          buttons[buttons.length] = { label: b.textContent.trim(), x: q.x + q.width / 2, y: q.y + q.height / 2, pressed: b.getAttribute('aria-pressed') };
        }
        const heading = card.querySelector('#' + card.getAttribute('aria-labelledby'));
        return {
          visible: r.width > 0 && r.height > 0 && this.host.checkVisibility(),
          text: card.innerText,
          title: heading ? heading.textContent : '',
          rect: { x: r.x, y: r.y, width: r.width, height: r.height },
          buttons,
          viewport: { width: innerWidth, height: innerHeight },
        };
      }`,
    });
    return (result.value as CardState | null) ?? null;
  } finally {
    await cdp.detach();
  }
}

interface DomNode {
  nodeName: string;
  backendNodeId: number;
  children?: DomNode[];
  shadowRoots?: DomNode[];
  contentDocument?: DomNode;
}

function findNode(node: DomNode, match: (node: DomNode) => boolean): DomNode | null {
  if (match(node)) return node;
  for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) {
    const found = findNode(child, match);
    if (found) return found;
  }
  return null;
}

async function visibleCard(page: Page, what: string): Promise<CardState> {
  return waitFor(async () => {
    const card = await readCard(page);
    return card?.visible ? card : null;
  }, what);
}

async function clickCardButton(page: Page, label: string): Promise<void> {
  const card = await visibleCard(page, `the card before clicking ${label}`);
  const button = card.buttons.find((b) => b.label === label);
  if (!button) throw new Error(`no "${label}" button in the card: ${card.buttons.map((b) => b.label).join(', ')}`);
  await page.mouse.click(button.x, button.y);
}

const CARDS_PAGE = `<!doctype html><title>Cards</title>
<h1>Reading list</h1>
<ul>
  <li><a id="a" href="#a" title="native tooltip">${POINTER.title}</a></li>
  <li><a id="b" href="#b">${SEQ2SEQ.title}</a></li>
</ul>
<p><a id="after" href="#after">Another link</a></p>`;

const HOSTILE_CSS_PAGE = `<!doctype html><html dir="rtl"><head><title>Hostile CSS</title><style>
  * { all: unset !important; }
  html { font-size: 64px !important; }
  body { transform: rotate(1deg) scale(1.4) !important; filter: blur(0) !important; display: block !important; }
  div, p, section, button, h1, h2, h3 { font-size: 48px !important; line-height: 3 !important; z-index: 2147483647 !important; position: relative !important; }
  a { display: inline !important; }
</style></head><body>
<div style="position:fixed;inset:0;z-index:2147483647"></div>
<p><a id="a" href="#a">${POINTER.title}</a> is cited here.</p>
</body></html>`;

/** GitHub's code view: a transparent read-only text area laid over the `aria-hidden` lines it draws, so it takes the pointer. */
const CODE_VIEW_PAGE = `<!doctype html><title>refs.bib</title>
<style>.line { white-space: pre; font: 14px/24px monospace; } textarea { font: 14px/24px monospace; }</style>
<section style="position:relative;width:700px">
  <textarea id="ro" aria-readonly="true" aria-label="file content" spellcheck="false"
    style="position:absolute;inset:0;width:100%;height:100%;padding:0;margin:0;color:transparent;background:transparent;border:0;resize:none;z-index:1;white-space:pre">@misc{s,
  title={${SEQ2SEQ.title}},
}</textarea>
  <div id="drawn" aria-hidden="true" role="presentation"><div class="line">@misc{s,</div><div class="line">  title={${SEQ2SEQ.title}},</div><div class="line">}</div></div>
</section>`;

describe('hover card in Chromium', () => {
  let session: ExtensionSession;
  let server: FixtureServer;

  beforeAll(async () => {
    server = await startFixtureServer({
      '/cards': CARDS_PAGE,
      '/hostile-css': HOSTILE_CSS_PAGE,
      '/shadow': `<!doctype html><div id="host"></div><script>
        document.getElementById('host').attachShadow({ mode: 'open' }).innerHTML = '<p><a href="#x">${POINTER.title}</a></p>';
      </script>`,
      '/code-view': CODE_VIEW_PAGE,
      '/split': `<!doctype html><ol><li>Vinyals, O. (2015). <em id="first">Pointer</em> <b id="rest">Networks</b>. NeurIPS.</li></ol>`,
      '/links-and-headings': `<!doctype html><h2>${SEQ2SEQ.title}</h2><ul><li><a href="#p">${POINTER.title}</a></li></ul>`,
      '/strict-csp': `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'none'; style-src 'none'"></head>
        <body><ul><li><a id="a" href="#a">${POINTER.title}</a></li></ul></body></html>`,
    });
    session = await launchExtension();
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  async function openMarked(path: string, marks = 2): Promise<Page> {
    const page = await session.context.newPage();
    await page.goto(`${server.origin}${path}`);
    await waitFor(async () => (await page.locator('[data-paperpeek-id]').count()) >= marks, `marks on ${path}`);
    return page;
  }

  it('opens on hover after the intent delay, with the right abstract, and hides after leaving', async () => {
    const page = await openMarked('/cards');
    await page.hover('#a');
    // Never earlier than 500 ms after the hover began.
    await page.waitForTimeout(300);
    expect((await readCard(page))?.visible ?? false).toBe(false);
    const card = await visibleCard(page, 'the card for Pointer Networks');
    expect(card.title).toBe(POINTER.title);
    expect(card.text).toContain(POINTER.abstract.slice(0, 80));
    expect(card.rect.width).toBeGreaterThan(280);
    expect(card.rect.width).toBeLessThan(400);
    // The mark says it opens a dialog, and its native tooltip is held while the card shows.
    expect(await page.getAttribute('#a', 'aria-haspopup')).toBe('dialog');
    expect(await page.getAttribute('#a', 'title')).toBeNull();
    // The card never covers its title.
    const anchor = (await page.locator('#a').boundingBox())!;
    const overlaps = card.rect.y < anchor.y + anchor.height && anchor.y < card.rect.y + card.rect.height;
    expect(overlaps).toBe(false);
    await page.mouse.move(5, 500);
    await waitFor(async () => !(await readCard(page))?.visible, 'the card to hide after the pointer left');
    expect(await page.getAttribute('#a', 'title')).toBe('native tooltip');
    await page.close();
  });

  it('opens the same card from any piece of a title marked over several elements, and stays open moving between them', async () => {
    const page = await openMarked('/split', 1);
    await page.hover('#rest');
    const card = await visibleCard(page, 'the card from the second piece');
    expect(card.title).toBe(POINTER.title);
    await page.hover('#first');
    await page.waitForTimeout(600);
    expect((await readCard(page))?.visible).toBe(true);
    expect((await readCard(page))?.title).toBe(POINTER.title);
    await page.close();
  });

  it('works from the keyboard: focus opens, Tab enters the card, Escape closes and returns focus', async () => {
    const page = await openMarked('/cards');
    await page.locator('h1').click();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('a');
    const card = await visibleCard(page, 'the card opened by keyboard focus');
    expect(card.title).toBe(POINTER.title);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('PAPERPEEK-CARD');
    await page.keyboard.press('Escape');
    await waitFor(async () => !(await readCard(page))?.visible, 'Escape to close the card');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('a');
    await page.close();
  });

  it('shows only the newest hover: a quick move from A to B never paints A', async () => {
    const page = await openMarked('/cards');
    await page.hover('#a');
    await page.waitForTimeout(200); // A's work has started
    await page.hover('#b');
    const card = await visibleCard(page, 'the card for the second hover');
    expect(card.title).toBe(SEQ2SEQ.title);
    await page.waitForTimeout(700);
    expect((await readCard(page))?.title).toBe(SEQ2SEQ.title);
    await page.close();
  });

  it('saves from the card: the database and the card in every tab follow, and no page can tell', async () => {
    const first = await openMarked('/cards');
    const second = await openMarked('/cards?second');
    const styleOf = (page: Page) =>
      page.evaluate(() => {
        const style = getComputedStyle(document.getElementById('b')!);
        return Array.from(style, (name) => `${name}:${style.getPropertyValue(name)}`).join(';');
      });
    const styleBefore = await styleOf(second);
    await second.hover('#b');
    await visibleCard(second, 'the card left open in the second tab');
    await first.bringToFront();
    await first.hover('#b');
    await visibleCard(first, 'the card to save from');
    await clickCardButton(first, 'Save');
    await waitFor(async () => (await readCard(first))?.buttons.some((b) => b.label === 'Saved' && b.pressed === 'true'), 'the toggle to say Saved');
    const popup = await openExtensionPage(session);
    expect((await sendFrom(popup, 'savedState', { ids: [SEQ2SEQ.id] })).value?.saved).toEqual([SEQ2SEQ.id]);
    // The other tab's open card follows at once.
    await waitFor(async () => (await readCard(second))?.buttons.some((b) => b.label === 'Saved' && b.pressed === 'true'), 'the other tab to show Saved');
    // The page itself learns nothing: no attribute and no style of its own elements changed.
    for (const page of [first, second]) {
      expect(await page.evaluate(() => document.querySelectorAll('[data-paperpeek-saved]').length)).toBe(0);
    }
    expect(await styleOf(second)).toBe(styleBefore);
    // And back: a bare save can be taken back from the card.
    await clickCardButton(first, 'Saved');
    await waitFor(async () => (await readCard(second))?.buttons.some((b) => b.label === 'Save' && b.pressed === 'false'), 'the other tab to show Save');
    expect((await sendFrom(popup, 'savedState', { ids: [SEQ2SEQ.id] })).value?.saved).toEqual([]);
    await Promise.all([first.close(), second.close(), popup.close()]);
  });

  it('opens the card for a mark inside an open shadow root', async () => {
    const page = await openMarked('/shadow', 1);
    const host = (await page.locator('#host').boundingBox())!;
    await page.mouse.move(host.x + 20, host.y + 8);
    const card = await visibleCard(page, 'the card for a title inside a shadow root');
    expect(card.title).toBe(POINTER.title);
    await page.close();
  });

  it('opens the card for a mark under a read-only text area laid over it (GitHub\'s code view), and hides it off the mark', async () => {
    const page = await openMarked('/code-view', 1);
    const box = (await page.locator('#drawn [data-paperpeek-id]').boundingBox())!;
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    // The text area, not the mark, is what the pointer is on.
    expect(await page.evaluate(({ px, py }) => document.elementFromPoint(px, py)?.id, { px: x, py: y })).toBe('ro');
    await page.mouse.move(x - 10, y);
    await page.mouse.move(x, y, { steps: 3 });
    const card = await visibleCard(page, 'the card for the title under the text area');
    expect(card.title).toBe(SEQ2SEQ.title);
    // Off the mark but still on the text area (the line above, away from the card): the card goes.
    const off = { x: box.x + 4, y: box.y - box.height / 2 };
    const onCard = off.x >= card.rect.x && off.x <= card.rect.x + card.rect.width && off.y >= card.rect.y && off.y <= card.rect.y + card.rect.height;
    expect(onCard).toBe(false);
    expect(await page.evaluate(({ px, py }) => document.elementFromPoint(px, py)?.id, { px: off.x, py: off.y })).toBe('ro');
    await page.mouse.move(off.x, off.y, { steps: 3 });
    await waitFor(async () => !(await readCard(page))?.visible, 'the card to hide once the pointer is off the mark');
    await page.close();
  });

  it('opens the paper in a full page from the card, with related papers that open in turn', async () => {
    const page = await openMarked('/cards');
    await page.hover('#a');
    await visibleCard(page, 'the card to open from');
    const opened = session.context.waitForEvent('page', { predicate: (p) => p.url().includes('src/paper/index.html') });
    await clickCardButton(page, 'Open');
    const full = await opened;
    await full.waitForLoadState();
    expect(new URL(full.url()).searchParams.get('id')).toBe(POINTER.id);
    await full.locator('h1', { hasText: POINTER.title }).waitFor();
    const related = full.locator('.related button');
    expect(await related.count()).toBeGreaterThan(2);
    const next = (await related.first().textContent()) ?? '';
    await related.first().click();
    await full.locator('h1', { hasText: next }).waitFor();
    expect(new URL(full.url()).searchParams.get('id')).not.toBe(POINTER.id);
    await Promise.all([page.close(), full.close()]);
  });

  it('stays readable and inside the viewport on a page with hostile CSS, RTL and a transformed body', async () => {
    const page = await openMarked('/hostile-css', 1);
    await page.hover('#a', { force: true });
    const card = await visibleCard(page, 'the card on the hostile page');
    expect(card.title).toBe(POINTER.title);
    expect(card.rect.width).toBeGreaterThan(280);
    expect(card.rect.width).toBeLessThan(400);
    expect(card.rect.height).toBeGreaterThan(80);
    expect(card.rect.x).toBeGreaterThanOrEqual(0);
    expect(card.rect.y).toBeGreaterThanOrEqual(0);
    expect(card.rect.x + card.rect.width).toBeLessThanOrEqual(card.viewport.width);
    expect(card.rect.y + card.rect.height).toBeLessThanOrEqual(card.viewport.height);
    await page.close();
  });

  it('opens on a page whose CSP forbids every script and style source', async () => {
    // The card module comes from the extension and its styles from constructed sheets:
    // neither is the page's to allow.
    const page = await openMarked('/strict-csp', 1);
    await page.hover('#a');
    const card = await visibleCard(page, 'the card under a strict CSP');
    expect(card.title).toBe(POINTER.title);
    expect(card.rect.width).toBeGreaterThan(280);
    await page.close();
  });

  it('takes its hover delay from the options page, live in a tab that is already open', async () => {
    const page = await openMarked('/cards');
    const options = await openExtensionPage(session, 'src/options/index.html');
    const input = options.getByLabel('Hover delay before a card starts loading (ms)');
    await input.fill('1200');
    await input.press('Enter');
    await options.getByText('Saved. Open tabs use it at once.').waitFor();
    // The options page also asks for persistent storage and shows what the extension uses.
    expect(await options.getByTestId('storage-info').textContent()).toMatch(/^Storage used: \d+\.\d MB of \d+\.\d MB\./);
    try {
      await page.evaluate(() => performance.clearMarks());
      await page.hover('#a');
      await page.waitForTimeout(900);
      // Past the default 150 ms and the 500 ms floor, yet no work started: the setting holds.
      expect(await page.evaluate(() => performance.getEntriesByName('paperpeek:intent').length)).toBe(0);
      expect((await readCard(page))?.visible ?? false).toBe(false);
      const card = await visibleCard(page, 'the card after the longer delay');
      expect(card.title).toBe(POINTER.title);
    } finally {
      await input.fill('150');
      await input.press('Enter');
      await options.getByText('Saved. Open tabs use it at once.').waitFor();
      await Promise.all([page.close(), options.close()]);
    }
  });

  it('turns off on a site, or everywhere, live in a tab that is already open', async () => {
    const page = await openMarked('/cards');
    const options = await openExtensionPage(session, 'src/options/index.html');
    const markCount = () => page.locator('[data-paperpeek-id]').count();
    try {
      await options.getByLabel('Turn off on a site').fill('http://127.0.0.1/anything');
      await options.getByRole('button', { name: 'Turn off', exact: true }).click();
      await options.getByText('127.0.0.1').waitFor();
      await waitFor(async () => (await markCount()) === 0, 'the marks to go from the open tab');
      await options.getByRole('button', { name: 'Turn back on' }).click();
      await waitFor(async () => (await markCount()) === 2, 'the marks to come back');
      await options.getByLabel('Pause PaperPeek everywhere').check();
      await waitFor(async () => (await markCount()) === 0, 'the pause to take the marks away');
      await options.getByLabel('Pause PaperPeek everywhere').uncheck();
      await waitFor(async () => (await markCount()) === 2, 'the marks after the pause');
    } finally {
      await Promise.all([page.close(), options.close()]);
    }
  });

  it('marks only links, or with a highlight, when the reader says so, live', async () => {
    const page = await openMarked('/links-and-headings', 2);
    const options = await openExtensionPage(session, 'src/options/index.html');
    const marked = () => page.locator('[data-paperpeek-id]').evaluateAll((els) => els.map((el) => el.tagName));
    try {
      expect((await marked()).sort()).toEqual(['A', 'H2']);
      await options.getByLabel('Only when a link’s text is the title').check();
      await waitFor(async () => JSON.stringify(await marked()) === '["A"]', 'only the link to stay marked');
      await options.getByLabel('Soft highlight').check();
      await waitFor(
        async () => (await page.locator('a[data-paperpeek-id]').evaluate((a) => getComputedStyle(a).backgroundColor)) !== 'rgba(0, 0, 0, 0)',
        'the highlight style',
      );
    } finally {
      await options.getByLabel('Wherever they stand as a title (links, headings, lists, references, quotes)').check();
      await options.getByLabel('Dotted underline').check();
      await waitFor(async () => (await marked()).length === 2, 'both marks back');
      await Promise.all([page.close(), options.close()]);
    }
  });

  it('ignores synthetic events: a page cannot open the card', async () => {
    const page = await openMarked('/cards');
    await page.evaluate(() => {
      const mark = document.getElementById('a')!;
      for (const type of ['pointerover', 'mouseover', 'pointerenter']) mark.dispatchEvent(new PointerEvent(type, { bubbles: true }));
      mark.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
    });
    await page.waitForTimeout(1200);
    expect((await readCard(page))?.visible ?? false).toBe(false);
    await page.close();
  });
});

describe('hover card with a hostile digest', () => {
  const XSS_TITLE = 'Robust <img src=x onerror=alert(1)> Scheduling of Pointer Heuristics via Learned Priority Queues';
  const XSS_ABSTRACT =
    'We show <script>window.__pwned = 1</script> that <img src=x onerror="window.__pwned=2"> learned priorities help. Code: https://github.com/example/robust-scheduling';
  let session: ExtensionSession;
  let server: FixtureServer;
  let workDir: string;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'paperpeek-xss-'));
    const seeds = join(workDir, 'seeds');
    mkdirSync(seeds);
    writeFileSync(join(seeds, 'hostile.txt'), `new\n\nMar 13\n\n${XSS_TITLE}\n\n${XSS_ABSTRACT}\n`);
    execFileSync('npx', ['tsx', 'scripts/build.ts', '--seeds', seeds, '--out', join(workDir, 'dist'), '--no-zip'], { cwd: ROOT, stdio: 'pipe' });
    const escaped = XSS_TITLE.replace(/</g, '&lt;').replace(/>/g, '&gt;');
    server = await startFixtureServer({ '/xss': `<!doctype html><ul><li><a id="x" href="#x">${escaped}</a></li></ul>` });
    session = await launchExtension({ distDir: join(workDir, 'dist') });
  }, 180_000);
  afterAll(async () => {
    await session?.close();
    await server?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('shows markup in a title or abstract as text and runs none of it', async () => {
    const page = await session.context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${server.origin}/xss`);
    await waitFor(async () => (await page.locator('[data-paperpeek-id]').count()) === 1, 'the hostile title to be marked');
    await page.hover('#x');
    const card = await visibleCard(page, 'the card of the hostile paper');
    expect(card.title).toBe(XSS_TITLE);
    expect(card.text).toContain('<script>window.__pwned = 1</script>');
    expect(card.text).toContain('<img src=x onerror="window.__pwned=2">');
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    await page.close();
  });
});
