// @vitest-environment happy-dom
/**
 * The page side of title spotting on a DOM (happy-dom), with the worker's real
 * matcher behind a fake message channel: what gets sent, what gets marked, and
 * that nothing is scanned twice and our own marks never trigger a rescan.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startPageScanner, type PageScanner, type ScanChannel } from '../../src/content/page-scanner';
import { markOf, markedText } from '../../src/content/marks';
import { ok } from '../../src/shared/result';
import { unitsOf, type RenderedPayload, type ScanPayload } from '../../src/shared/protocol';
import { matchSeedTitles, seedBundle } from './seed-matcher';
import { renderedUnits, spansOf } from '../../src/shared/rendered-scan';
import { installBrowserInnerText } from './browser-inner-text';

const idOf = (title: string) => seedBundle.papers.find((p) => p.title === title)!.id;

const match = matchSeedTitles;

/** A channel to the real matcher, both passes, that records every request. */
function recordingChannel() {
  const requests: ScanPayload[] = [];
  const rendered: RenderedPayload[] = [];
  const send = {
    async scan(payload: ScanPayload) {
      requests.push(payload);
      return ok({ hits: match(unitsOf(payload)) });
    },
    async scanRendered(payload: RenderedPayload) {
      rendered.push(payload);
      const { units, tokens } = renderedUnits(payload.texts);
      return ok({ spans: spansOf(match(units, { gluedEnds: true }), tokens, payload.texts) });
    },
  };
  return { requests, rendered, send, sentTexts: () => requests.flatMap((r) => r.texts), renderedTexts: () => rendered.flatMap((r) => r.texts) };
}

const frames = () => new Promise((resolve) => setTimeout(resolve, 400));
const marks = () => [...document.querySelectorAll('[data-paperpeek-id]')].map((el) => [el.getAttribute('data-paperpeek-id'), markedText(el)]);

installBrowserInnerText();

/** The exact half, imported the way the content script does once it is needed. */
const loadExact = () => import('../../src/content/exact');
const start = (send: ScanChannel, onFatal: () => void = () => undefined) => startPageScanner(document, send, onFatal, () => undefined, false, loadExact);

let scanner: PageScanner | null = null;
afterEach(() => {
  scanner?.stop();
  scanner = null;
  document.body.replaceChildren();
});

describe('page scanner', () => {
  it('marks titles where they stand as titles and leaves the text of the page as it was', async () => {
    document.body.innerHTML = `
      <h2>Pointer Networks</h2>
      <ol><li>Vinyals, O. (2015). <em>Pointer</em> networks. NeurIPS.</li>
          <li><a href="/x">Deep Model Assembling</a> [pdf]</li></ol>
      <p>We train pointer networks on sorting.</p>
      <textarea>Pointer Networks</textarea>
      <div hidden>Deep Model Assembling</div>`;
    const before = document.body.textContent;
    const channel = recordingChannel();
    scanner = start(channel.send);
    await scanner.idle();
    expect(marks()).toEqual([
      [idOf('Pointer Networks'), 'Pointer Networks'],
      [idOf('Pointer Networks'), 'Pointer networks'],
      [idOf('Deep Model Assembling'), 'Deep Model Assembling'],
    ]);
    expect(document.body.textContent).toBe(before);
    expect(document.querySelectorAll('[data-paperpeek-id] [data-paperpeek-id]')).toHaveLength(0);
    // Skipped subtrees are never even sent.
    expect(channel.sentTexts().filter((t) => t === 'pointer networks')).toHaveLength(1);
    expect(channel.sentTexts().some((t) => t === 'deep model assembling')).toBe(false);
  });

  it('reads a link without its screen-reader-only suffix, so the title is the whole link', async () => {
    // Moodle: `Title <span class=accesshide> URL</span>`; 'URL' read as part of the line would continue the title.
    document.body.innerHTML = `
      <ul><li><a href="/mod/url"><span class="instancename">A Critical Review of Recurrent Neural Networks for Sequence Learning <span class="accesshide"> URL</span></span></a></li>
          <li><a href="/x"><span>Pointer Networks<span class="sr-only"> (opens in a new tab)</span></span></a></li></ul>
      <p>Read more <span class="screen-reader-text">about Pointer Networks</span></p>`;
    scanner = start(recordingChannel().send);
    await scanner.idle();
    expect(marks()).toEqual([
      [idOf('A Critical Review of Recurrent Neural Networks for Sequence Learning'), 'A Critical Review of Recurrent Neural Networks for Sequence Learning'],
      [idOf('Pointer Networks'), 'Pointer Networks'],
    ]);
  });

  it('marks a title that begins with a whole link and goes on past it, a piece in the link and a part after it', async () => {
    const WHEN = 'When, Why and How Much? Adaptive Learning Rate Scheduling by Refinement';
    document.body.innerHTML = `<p>Use the linear decay recommended in <a href="/paper">When, Why and How Much?</a> Adaptive Learning Rate Scheduling by Refinement, Defazio et al. 2023, then extrapolate.</p>
      <p>A mark would cut this link in two, so it is left alone: <a href="/x">see When, Why and How Much?</a> Adaptive Learning Rate Scheduling by Refinement, Defazio et al. 2023.</p>`;
    const before = document.body.textContent;
    scanner = start(recordingChannel().send);
    await scanner.idle();
    expect(marks()).toEqual([[idOf(WHEN), WHEN]]);
    const mark = document.querySelector('[data-paperpeek-id]')!;
    const link = document.querySelector('a[href="/paper"]')!;
    expect(mark.parentElement).toBe(link);
    expect(mark.textContent).toBe('When, Why and How Much?');
    expect(link.parentElement?.localName).toBe('p'); // the page's link stays where it was
    expect(document.querySelector('[data-paperpeek-part]')?.textContent).toBe(' Adaptive Learning Rate Scheduling by Refinement');
    expect(document.body.textContent).toBe(before);
  });

  it('takes a link whole when only the opening quote sets the title apart inside it', async () => {
    const ICL = 'What learning algorithm is in-context learning? Investigations with linear models';
    // A Medium post quotes the title and links its first half (holdout13-pt-br-medium).
    document.body.innerHTML = `<p>O ponto de partida é o artigo <a href="/icl"><strong>“What learning algorithm is in-context learning?</strong></a><strong> Investigations with linear models”</strong> (Akyürek et al., ICLR 2023).</p>
      <p>Still left alone where other words share the link: <a href="/x">read “What learning algorithm is in-context learning?</a> Investigations with linear models” (Akyürek et al., ICLR 2023).</p>`;
    const before = document.body.textContent;
    scanner = start(recordingChannel().send);
    await scanner.idle();
    expect(marks()).toEqual([[idOf(ICL), `“${ICL}”`]]);
    expect(document.querySelector('[data-paperpeek-id]')?.closest('a[href="/icl"]')).not.toBeNull();
    expect(document.querySelector('a[href="/x"] [data-paperpeek-id], a[href="/x"] [data-paperpeek-part]')).toBeNull();
    expect(document.body.textContent).toBe(before);
  });

  it('marks a title over several elements without moving any of the page’s nodes, and takes the marks off again', async () => {
    // React, Vue and the like remove the nodes they rendered from the parents they put
    // them in: a page node moved into a mark makes their removeChild throw.
    document.body.innerHTML = `<ol><li id="p">Vinyals, O. (2015). <em>Pointer</em> <b>Networks</b>. NeurIPS.</li></ol>`;
    const p = document.getElementById('p')!;
    const pageNodes = [...p.childNodes].flatMap((node) => [node, ...node.childNodes]);
    const parents = pageNodes.map((node) => node.parentNode);
    const before = document.body.textContent;
    scanner = start(recordingChannel().send);
    await scanner.idle();
    expect(marks()).toEqual([[idOf('Pointer Networks'), 'Pointer Networks']]);
    expect(pageNodes.map((node) => node.parentNode)).toEqual(parents);
    const mark = document.querySelector('[data-paperpeek-id]')!;
    const parts = [...document.querySelectorAll('[data-paperpeek-part]')];
    expect([mark.textContent, ...parts.map((part) => part.textContent)]).toEqual(['Pointer', 'Networks']);
    expect(parts.map((part) => markOf(part))).toEqual([mark]);
    expect(markOf(mark)).toBe(mark);
    expect(mark.getAttribute('tabindex')).toBe('0');
    expect(parts.some((part) => part.hasAttribute('tabindex'))).toBe(false);
    for (const node of pageNodes) node.parentNode!.removeChild(node); // what a framework's re-render does
    expect(p.textContent).toBe('');
    document.body.innerHTML = `<ol><li id="p">Vinyals, O. (2015). <em>Pointer</em> <b>Networks</b>.</li></ol>`;
    scanner.stop();
    scanner = start(recordingChannel().send);
    await scanner.idle();
    expect(document.querySelectorAll('[data-paperpeek-part]')).toHaveLength(1);
    scanner.stop();
    expect(document.querySelectorAll('[data-paperpeek-id], [data-paperpeek-part], paperpeek-mark')).toHaveLength(0);
    expect(document.body.textContent).toBe(before.replace(' NeurIPS.', ''));
  });

  it('marks a title again when the page re-rendered the element holding its mark and left a part behind', async () => {
    document.body.innerHTML = `<ol><li>Vinyals, O. (2015). <em id="first">Pointer</em> <b>Networks</b>. NeurIPS.</li></ol>`;
    const before = document.body.textContent;
    scanner = start(recordingChannel().send);
    await scanner.idle();
    expect(document.querySelectorAll('[data-paperpeek-part]')).toHaveLength(1);
    document.getElementById('first')!.textContent = 'Pointer'; // React sets an element's text this way
    await frames();
    await scanner.idle();
    expect(marks()).toEqual([[idOf('Pointer Networks'), 'Pointer Networks']]);
    expect(document.querySelectorAll('[data-paperpeek-part]')).toHaveLength(1);
    expect(document.body.textContent).toBe(before);
  });

  it("reads a code listing's rows as the lines of one text, and marks a title wrapped over two on its first line", async () => {
    const HYPER = 'Continual Learning with Dependency Preserving Hypernetworks';
    // GitHub's file view of a .bbl: one row per line, the code cell `white-space: pre`.
    const row = (n: number, code: string, pre: boolean) =>
      `<tr><td data-line-number="${n}"></td><td${pre ? ' style="white-space: pre"' : ''}>${code}</td></tr>`;
    const lines = ['\\bibitem[Chandra et~al.(2023)]{chandra2023}', 'Dhanajit Chandra, Sakshi Varshney and P.~K. Srijith.', '\\newblock Continual learning with dependency preserving', '  hypernetworks.'];
    document.body.innerHTML = `<table id="listing">${lines.map((line, i) => row(i + 1, line, true)).join('')}</table>
      <table id="data">${lines.map((line, i) => row(i + 1, line, false)).join('')}</table>`;
    const before = document.body.textContent;
    scanner = start(recordingChannel().send);
    await scanner.idle();
    expect(marks()).toEqual([[idOf(HYPER), 'Continual learning with dependency preserving']]);
    expect(document.querySelector('#listing [data-paperpeek-id]')?.closest('td')).not.toBeNull(); // inside one cell: rows intact
    expect(document.querySelectorAll('#listing tr')).toHaveLength(4);
    expect(document.body.textContent).toBe(before);
  });

  it('reads SVG text as a slide viewer draws it, a line per <text>, and marks it with an SVG <tspan>', async () => {
    const CHALLENGING = 'Challenging Common Assumptions about Catastrophic Forgetting';
    // Google Slides' published deck: each line of a text box is its own <text> in the box's <g>.
    document.body.innerHTML = `<div><svg viewBox="0 0 720 405"><defs><text id="unused">${CHALLENGING}</text></defs>
      <g><text x="40" y="89">●</text><text x="58" y="89"><tspan>Challenging Common Assumptions about </tspan></text>
      <text x="58" y="107"><tspan>Catastrophic Forgetting (Lesort et al., CoLLAs 2023)</tspan></text></g></svg></div>`;
    const before = document.body.textContent;
    scanner = start(recordingChannel().send);
    await scanner.idle();
    expect(marks()).toEqual([[idOf(CHALLENGING), 'Challenging Common Assumptions about ']]);
    const mark = document.querySelector('[data-paperpeek-id]')!;
    expect([mark.localName, mark.namespaceURI]).toEqual(['tspan', 'http://www.w3.org/2000/svg']);
    expect(document.querySelectorAll('g > text')).toHaveLength(3); // lines intact
    expect(document.body.textContent).toBe(before);
    scanner.stop();
    expect(document.querySelector('tspan[data-paperpeek-id], [data-paperpeek-mark]')).toBeNull();
    expect(document.body.textContent).toBe(before);
  });

  it('sends only what is new when content is added, and never rescans because of its own marks', async () => {
    document.body.innerHTML = `<ul id="feed"><li><a href="#">Pointer Networks</a></li><li>An unrelated post</li></ul>`;
    const channel = recordingChannel();
    scanner = start(channel.send);
    await scanner.idle();
    await frames();
    const afterFirstScan = channel.requests.length;
    const renderedAfterFirstScan = channel.rendered.length;
    expect(channel.renderedTexts()).toEqual(['Pointer Networks\nAn unrelated post']);
    expect(marks()).toHaveLength(1);
    // Marking the page changed its DOM: that alone must not cause another request.
    await frames();
    expect(channel.requests.length).toBe(afterFirstScan);
    expect(channel.rendered.length).toBe(renderedAfterFirstScan);

    const item = document.createElement('li');
    item.textContent = 'Sequence to Sequence Learning with Neural Networks';
    document.getElementById('feed')!.append(item);
    await frames();
    await scanner.idle();
    expect(channel.rendered.slice(renderedAfterFirstScan).flatMap((r) => r.texts)).toEqual([
      'Sequence to Sequence Learning with Neural Networks',
    ]);
    expect(channel.requests.slice(afterFirstScan).flatMap((r) => r.texts)).toEqual([
      'sequence to sequence learning with neural networks',
    ]);
    expect(marks()).toHaveLength(2);
  });

  it('reads what a click reveals by changing attributes, sending only the lines it did not show before', async () => {
    document.body.innerHTML = `<section id="description"><p>Papers discussed this week, and more.</p><p>Links below.</p>
      <button id="expand">...more</button>
      <div id="more" hidden><p>Papers discussed this week, and more.</p><p>Links below.</p><p>Sequence to Sequence Learning with Neural Networks</p></div>
      <div id="later" hidden><p>Pointer Networks</p></div></section>`;
    const channel = recordingChannel();
    scanner = start(channel.send);
    await scanner.idle();
    expect(marks()).toEqual([]);
    // Attributes are watched only after a click: a page animating classes would cost us all the time.
    document.getElementById('later')!.removeAttribute('hidden');
    await frames();
    await scanner.idle();
    expect(marks()).toEqual([]);
    const sentBefore = channel.rendered.length;
    // A "...more" button: no node is added, an attribute changes.
    document.getElementById('expand')!.addEventListener('click', () => document.getElementById('more')!.removeAttribute('hidden'));
    document.getElementById('expand')!.click();
    await frames();
    await scanner.idle();
    // Lines its page showed before are not sent again, but for one line of context.
    expect(channel.rendered.slice(sentBefore).flatMap((r) => r.texts)).toEqual(['Links below.\nSequence to Sequence Learning with Neural Networks']);
    expect(marks()).toEqual([[idOf('Sequence to Sequence Learning with Neural Networks'), 'Sequence to Sequence Learning with Neural Networks']]);
  });

  it('marks two titles named together in prose, joined by "and"', async () => {
    const SEQ2SEQ = 'Sequence to Sequence Learning with Neural Networks';
    const E2LLM = 'E^2-LLM: Efficient and Extreme Length Extension of Large Language Models';
    document.body.innerHTML = `<p>Next session: ${SEQ2SEQ} and E^2-LLM: Efficient and Extreme Length Extension of Large Language Models. Bring questions.</p>
      <p>We read ${SEQ2SEQ} Revisited for Speech.</p>`;
    scanner = start(recordingChannel().send);
    await scanner.idle();
    expect(marks().map(([id]) => id)).toEqual([idOf(SEQ2SEQ), idOf(E2LLM)]);
  });

  it('takes the line breaks of a pre-wrap block as lines (a video description\'s chapters)', async () => {
    document.body.innerHTML = `<div style="white-space: pre-wrap">Chapters:
<a href="#t1">0:00</a> Intro
<a href="#t2">1:42</a> Pointer Networks
<a href="#t3">9:10</a> Q&amp;A</div>
      <div>Chapters: <a href="#t1">0:00</a> Intro <a href="#t2">1:42</a> Pointer Networks <a href="#t3">9:10</a> Q&amp;A</div>`;
    scanner = start(recordingChannel().send);
    await scanner.idle();
    expect(marks()).toEqual([[idOf('Pointer Networks'), 'Pointer Networks']]);
  });

  it('marks a short main title standing as a title where the page names the paper in full, and only there', async () => {
    const RELAX = 'Learning to Relax: Setting Solver Parameters Across a Sequence of Linear System Instances';
    document.body.innerHTML = `<div class="card"><div class="ct">Learning to Relax</div><div class="t">1:42</div></div>
      <p>Papers discussed: <a href="#">${RELAX}</a></p>
      <p>We are learning to relax, slowly.</p>`;
    scanner = start(recordingChannel().send);
    await scanner.idle();
    expect(marks()).toEqual([
      [idOf(RELAX), 'Learning to Relax'],
      [idOf(RELAX), RELAX],
    ]);
    scanner.stop();
    document.body.innerHTML = `<div class="card"><div class="ct">Learning to Relax</div><div class="t">1:42</div></div>`;
    scanner = start(recordingChannel().send);
    await scanner.idle();
    expect(marks()).toEqual([]);
  });

  it('reads a PDF text layer line by line: a title over two or three <br>-separated lines, hyphenated', async () => {
    const HYPER = 'Continual Learning with Dependency Preserving Hypernetworks';
    const VISUAL = 'Enhancing Visual Continual Learning with Language-Guided Supervision';
    // As pdf.js writes it: one span per line, the source's newline before each <br>.
    const lines = [
      ...Array.from({ length: 30 }, (_, i) => `Line ${i} of the body text of this page, about tuning protocols.`),
      '[4] Sunil Gupta. Continual learning with dependency pre-',
      'serving hypernetworks. In WACV, pages 2339-2348, 2023.',
      '[5] Someone Else. Enhancing',
      'visual continual learning with language-guided super-',
      'vision. In ICCV, 2023.',
    ];
    document.body.innerHTML = `<div class="textLayer">${lines.map((line) => `<span>${line}</span>\n<br>\n`).join('')}</div>`;
    scanner = start(recordingChannel().send);
    await scanner.idle();
    expect(marks().map(([id]) => id)).toEqual([idOf(HYPER), idOf(VISUAL)]);
  });

  it('reads exactly only the places the worker pointed at', async () => {
    const items = Array.from({ length: 60 }, (_, i) => `<li><a href="#">${i === 41 ? 'Pointer Networks' : `An unrelated post, number ${i}`}</a></li>`);
    document.body.innerHTML = `<ul>${items.join('')}</ul>`;
    const channel = recordingChannel();
    scanner = start(channel.send);
    await scanner.idle();
    // Every line once (a line may open the next unit again, as context).
    expect(new Set(channel.renderedTexts().join('\n').split('\n')).size).toBe(60);
    expect(channel.sentTexts()).toEqual(['pointer networks']);
    expect(marks()).toEqual([[idOf('Pointer Networks'), 'Pointer Networks']]);
  });

  it('skips the exact read where a generic title runs on inside one text node, and reads it where an element may set it apart', async () => {
    document.body.innerHTML = `<ul>
      <li><a href="#">Learning Pointer Networks for Graphs</a></li>
      <li><a href="#">Pointer Networks for sorting, revisited</a></li>
      <li>We extend <em>Pointer Networks</em> to sets</li>
      <li>See <a href="#">Pointer Networks</a> for sorting</li>
      <li>Learning Pointer Networks, then <a href="#">Pointer Networks</a> again</li>
    </ul>`;
    const channel = recordingChannel();
    scanner = start(channel.send);
    await scanner.idle();
    const sent = channel.sentTexts();
    expect(sent.some((t) => t.includes('graphs'))).toBe(false);
    expect(sent.some((t) => t.includes('revisited'))).toBe(false);
    const pointer = idOf('Pointer Networks');
    expect(marks()).toEqual([
      [pointer, 'Pointer Networks'],
      [pointer, 'Pointer Networks'],
      [pointer, 'Pointer Networks'],
    ]);
    expect([...document.querySelectorAll('[data-paperpeek-id]')].map((mark) => mark.closest('li')!.textContent!.trim())).toEqual([
      'We extend Pointer Networks to sets',
      'See Pointer Networks for sorting',
      'Learning Pointer Networks, then Pointer Networks again',
    ]);
  });

  it('never loads the exact half on a page with nothing to find, and loads it once for one with titles', async () => {
    let loads = 0;
    const counting = () => {
      loads++;
      return loadExact();
    };
    document.body.innerHTML = `<article><h1>Notes from a laptop</h1><p>Some prose about training small models, and <a href="#">a link</a>.</p></article>`;
    scanner = startPageScanner(document, recordingChannel().send, () => undefined, () => undefined, false, counting);
    await scanner.idle();
    expect(loads).toBe(0);
    scanner.stop();
    document.body.innerHTML = `<h2>Pointer Networks</h2><ul><li><a href="#">Deep Model Assembling</a></li></ul>`;
    scanner = startPageScanner(document, recordingChannel().send, () => undefined, () => undefined, false, counting);
    await scanner.idle();
    expect(loads).toBe(1);
    expect(marks()).toHaveLength(2);
  });

  it('takes every mark away when stopped', async () => {
    document.body.innerHTML = `<p><a href="#">Pointer Networks</a> and <b>x</b></p><p>Deep Model Assembling</p>`;
    const before = document.body.innerHTML.replace(/ data-paperpeek-[a-z]+(="[^"]*")?/g, '');
    scanner = start(recordingChannel().send);
    await scanner.idle();
    expect(marks()).toHaveLength(2);
    scanner.stop();
    expect(marks()).toHaveLength(0);
    expect(document.querySelectorAll('paperpeek-mark')).toHaveLength(0);
    expect(document.body.textContent).toBe('Pointer Networks and xDeep Model Assembling');
    expect(document.body.innerHTML.replace(/<\/?paperpeek-mark[^>]*>/g, '')).toBe(before);
  });

  it('stops quietly when the background says the extension is gone', async () => {
    document.body.innerHTML = `<h2>Pointer Networks</h2>`;
    let fatal = 0;
    const gone = async () => ({ ok: false as const, error: { code: 'forbidden' as const, message: 'gone' } });
    scanner = start({ scan: gone, scanRendered: gone }, () => fatal++);
    await scanner.idle();
    expect(fatal).toBe(1);
    expect(marks()).toEqual([]);
  });
});

describe('page scanner against pages that re-render or imitate marks', () => {
  it('marks again a block a framework re-rendered with the same text, every time it does', async () => {
    document.body.innerHTML = `<ul><li id="item"><a href="/x">Deep Model Assembling</a> [pdf]</li></ul>`;
    scanner = start(recordingChannel().send);
    await scanner.idle();
    expect(marks()).toHaveLength(1);
    // The first re-render reads the item as a new chunk; later ones find its text unchanged.
    for (let render = 1; render <= 3; render++) {
      document.getElementById('item')!.innerHTML = '<a href="/x">Deep Model Assembling</a> [pdf]';
      await frames();
      await scanner.idle();
      await frames();
      expect(marks(), `after re-render ${render}`).toHaveLength(1);
    }
  });

  it('marks again titles of a list the page rebuilt with one item more, and leaves intact marks alone', async () => {
    const item = (text: string) => `<li><a href="/x">${text}</a> [pdf]</li>`;
    const filler = Array.from({ length: 8 }, (_, i) => item(`An unrelated entry number ${i}`)).join('');
    document.body.innerHTML = `<ul id="feed">${item('Deep Model Assembling')}${filler}${item('Pointer Networks')}</ul>`;
    const channel = recordingChannel();
    scanner = start(channel.send);
    await scanner.idle();
    expect(marks()).toHaveLength(2);
    // A framework rebuilds the whole list (new nodes, our marks gone) with one item added.
    document.getElementById('feed')!.innerHTML = `${item('Deep Model Assembling')}${filler}${item('Pointer Networks')}${item('One more new entry here')}`;
    await frames();
    await scanner.idle();
    await frames();
    expect(marks().map(([, text]) => text)).toEqual(['Deep Model Assembling', 'Pointer Networks']);
    // Appending to a list whose marks are intact sends only the new entry, exactly nothing.
    const exactBefore = channel.sentTexts().length;
    document.getElementById('feed')!.insertAdjacentHTML('beforeend', item('Yet another new entry'));
    await frames();
    await scanner.idle();
    expect(channel.sentTexts().length).toBe(exactBefore);
    expect(marks()).toHaveLength(2);
  });

  it('tells its own marks from elements the page gives the same attribute', async () => {
    document.body.innerHTML = `<h2>Pointer Networks</h2><span data-paperpeek-id="fake0000000">Not ours</span>`;
    scanner = start(recordingChannel().send);
    await scanner.idle();
    const [ours, fake] = [document.querySelector('h2')!, document.querySelector('span')!];
    expect(scanner.isOurMark(ours)).toBe(true);
    expect(scanner.isOurMark(fake)).toBe(false);
  });
});

describe('block walker', () => {
  it('notices when the page removed the node it paused on', async () => {
    const { BlockWalker } = await import('../../src/content/page-text');
    document.body.innerHTML = `<section id="a">${'<p>filler text</p>'.repeat(400)}</section><section id="b"><h2>Tail</h2></section>`;
    const walker = new BlockWalker(document.body, () => undefined);
    expect(walker.step(() => true)).toBe(true); // pauses after the first 256 nodes
    expect(walker.lostItsPlace()).toBe(false);
    document.getElementById('a')!.replaceWith(document.createElement('section'));
    expect(walker.lostItsPlace()).toBe(true);
  });
});
