// @vitest-environment happy-dom
/**
 * The coarse pass's reading of a page (src/content/rendered-text.ts): how a
 * page is cut into chunks, how rendered lines become units without sending a
 * line twice, and how a place the worker pointed at is found again in the DOM.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { liesOnlyInRunningText, linesOf, locate, locatorsOf, planChunks, unitsOf, type Plan, type Row } from '../../src/content/rendered-text';
import { MAX_RENDERED_LENGTH } from '../../src/shared/protocol';
import { installBrowserInnerText } from './browser-inner-text';

installBrowserInnerText();
afterEach(() => document.body.replaceChildren());

const paragraphs = (count: number) => '<p><b>x</b> y</p>'.repeat(count);

describe('chunks', () => {
  it('reads a small page whole', () => {
    document.body.innerHTML = `<h1>Title</h1><ul><li>a</li><li>b</li></ul>`;
    const chunks: Element[] = [];
    const walk: Element[] = [];
    planChunks(document.body, chunks, walk);
    expect(chunks).toEqual([document.body]);
    expect(walk).toEqual([]);
  });

  it('splits a large page into its blocks, and reads a long flat list whole', () => {
    document.body.innerHTML = `<div id="a">${paragraphs(2500)}</div>\n<div id="b">${paragraphs(2500)}</div><script>x()</script>`;
    const chunks: Element[] = [];
    planChunks(document.body, chunks, []);
    expect(chunks.map((chunk) => chunk.id)).toEqual(['a', 'b']);
  });

  it('plans one level at a time when asked, leaving skipped blocks out when their turn comes', () => {
    document.body.innerHTML = `<div id="a">${paragraphs(2500)}</div><div id="b" hidden>${paragraphs(2500)}</div><div id="c">${paragraphs(2500)}</div>`;
    const chunks: Element[] = [];
    const later: Element[] = [];
    planChunks(document.body, chunks, [], later);
    // The body is too large to read whole: its blocks wait, skipped or not, and nothing is read yet.
    expect([chunks, later.map((block) => block.id)]).toEqual([[], ['a', 'b', 'c']]);
    const all: Element[] = [];
    planChunks(document.body, all, []);
    expect(all.map((chunk) => chunk.id)).toEqual(['a', 'c']);
  });

  it('looks at the children of a huge flat root a thousand per step, and resumes where it stopped', () => {
    // 2,500 posts of 13 elements: too many to read whole, each post a chunk of its own.
    document.body.innerHTML = Array.from({ length: 2500 }, (_, i) => `<div id="post${i}">${paragraphs(6)}</div>`).join('');
    const chunks: Element[] = [];
    const later: Plan[] = [];
    planChunks(document.body, chunks, [], later);
    expect(later).toHaveLength(1001);
    const steps = [later.length];
    while (later.length > 0) {
      const plan = later.shift()!;
      if (plan instanceof Element) planChunks(plan, chunks, [], later);
      else {
        planChunks(plan.root, chunks, [], later, plan);
        steps.push(later.length);
      }
    }
    expect(chunks.map((chunk) => chunk.id)).toEqual(Array.from({ length: 2500 }, (_, i) => `post${i}`));
    expect(steps).toEqual([1001, 1001, 500]);
  });

  it('keeps loose text among large blocks with them, in one chunk', () => {
    document.body.innerHTML = `Loose text <div id="a">${paragraphs(2500)}</div><div id="b">${paragraphs(2500)}</div>`;
    const chunks: Element[] = [];
    planChunks(document.body, chunks, []);
    expect(chunks).toEqual([document.body]);
  });
});

describe('units', () => {
  const none = () => undefined;
  const noTitles = new Map<string, string[]>();

  it('sends a chunk read for the first time whole, cut at rows, each unit opening with the row before', () => {
    const rows = Array.from({ length: 60 }, (_, i) => `Entry number ${i} of a reading list with a long enough line`);
    const units = unitsOf(document.body, `${rows.join('\n')}\n\n`, null, noTitles, none);
    expect(units.length).toBeGreaterThan(1);
    for (const unit of units) expect(unit.text.length).toBeLessThanOrEqual(1500 + rows[0]!.length);
    // Every row goes, and the first row of each later unit is the last of the one before.
    expect(new Set(units.flatMap((unit) => unit.text.split('\n')))).toEqual(new Set(rows));
    for (let i = 1; i < units.length; i++) expect(units[i]!.text.split('\n')[0]).toBe(units[i - 1]!.text.split('\n').at(-1));
    // Rows are counted from the chunk's start, blank lines not counted.
    expect(units.map((unit) => rows.indexOf(unit.text.split('\n')[0]!) === unit.firstRow)).toEqual(units.map(() => true));
    expect(units[0]!.rowCount).toBe(60);
  });

  it('read again, sends only the lines that are new, with the line before and after as context', () => {
    const before = 'Sequence to Sequence\nLearning with Neural Networks\nAn old line at the end';
    const after = 'Sequence to Sequence\nA new line here\nLearning with Neural Networks\nAn old line at the end';
    expect(unitsOf(document.body, after, before, noTitles, none).map((unit) => [unit.text, unit.firstRow])).toEqual([
      ['Sequence to Sequence\nA new line here\nLearning with Neural Networks', 0],
    ]);
    expect(unitsOf(document.body, before, before, noTitles, none)).toEqual([]);
  });

  it('hands lines that held titles back to be located when their chunk is read again, with their row', () => {
    const known: [readonly string[], Row][] = [];
    const titles = new Map([['Pointer Networks', ['pointer']]]);
    unitsOf(document.body, 'Nothing here\nPointer Networks\nSomething new', 'Nothing here\nPointer Networks', titles, (words, row) =>
      known.push([words, row]),
    );
    expect(known).toEqual([[['pointer'], { row: 1, rows: 3, line: 'Pointer Networks' }]]);
    // Read again unchanged: nothing to send, the title line handed back all the same.
    known.length = 0;
    expect(unitsOf(document.body, 'Nothing here\nPointer Networks', 'Nothing here\nPointer Networks', titles, (words, row) => known.push([words, row]))).toEqual([]);
    expect(known).toEqual([[['pointer'], { row: 1, rows: 2, line: 'Pointer Networks' }]]);
  });

  it('cuts a very long row into overlapping pieces, each short enough to send', () => {
    const long = Array.from({ length: 600 }, (_, i) => `word${i}`).join(' ');
    const units = unitsOf(document.body, `A heading before it\n${long}`, null, noTitles, none);
    expect(units[0]!.text).toBe('A heading before it');
    const pieces = units.slice(1);
    expect(pieces.length).toBeGreaterThan(2);
    for (const piece of pieces) expect([piece.text.length <= 1500, piece.firstRow]).toEqual([true, 1]);
    // Consecutive pieces overlap, so a title cut at one edge is whole in the next piece.
    expect(pieces[0]!.text.slice(-400)).toBe(pieces[1]!.text.slice(0, 400));
    expect(pieces.at(-1)!.text.endsWith('word599')).toBe(true);
    const last = pieces.at(-1)!;
    const at = last.text.indexOf('word599');
    expect(locatorsOf(last, at, at + 7).map(({ line, word }) => [line.row, word])).toEqual([[1, 'word599']]);
  });

  it('keeps every unit within what the worker accepts, however many blank lines stand between rows', () => {
    // Long rows apart by runs of <br>s or empty <pre> lines: a unit must not carry the gap.
    const rows = Array.from({ length: 6 }, (_, i) => `Row ${i} ${'lorem ipsum '.repeat(116)}`.trim());
    const text = rows.join('\n'.repeat(1300));
    const units = unitsOf(document.body, text, null, noTitles, none);
    for (const unit of units) expect(unit.text.length).toBeLessThanOrEqual(MAX_RENDERED_LENGTH);
    // Every row still goes, counted as the rows they are.
    expect(units.flatMap((unit) => linesOf(unit.text, unit.firstRow).map((line) => [line.row, line.text.slice(0, 6)]))).toEqual(
      rows.map((row, i) => [i, row.slice(0, 6)]),
    );
  });

  it('takes table cells as lines of one row', () => {
    expect(linesOf('cell one here\tcell two here\n\n  next row here ', 4).map((line) => [line.text, line.at, line.row])).toEqual([
      ['cell one here', 0, 4],
      ['cell two here', 14, 4],
      ['next row here', 31, 5],
    ]);
  });
});

describe('locating a span', () => {
  it('names the longest word of each line the span touches', () => {
    const [unit] = unitsOf(document.body, 'Sequence to Sequence\nLearning with Neural Networks', null, new Map(), () => undefined);
    const text = unit!.text;
    expect(locatorsOf(unit!, 0, text.length).map(({ line, word }) => [line.text, word])).toEqual([
      ['Sequence to Sequence', 'sequence'],
      ['Learning with Neural Networks', 'learning'],
    ]);
    expect(locatorsOf(unit!, text.indexOf('Neural'), text.length).map(({ word }) => word)).toEqual(['networks']);
  });

  const list = (count: number, at: number, title: string) =>
    `<ul id="list">${Array.from({ length: count }, (_, i) => `<li id="i${i}"><a href="#">${i === at ? title : `Entry number ${i} of a long list`}</a></li>`).join('\n')}</ul>`;

  it('finds a list item from its row in one read, and by a search over the children without it', () => {
    document.body.innerHTML = list(80, 57, 'Pointer Networks');
    const ul = document.getElementById('list')!;
    const line = 'Pointer Networks';
    const byRow = new Set<Element>();
    locate(ul, 'networks', { row: 57, rows: 80, line }, byRow);
    expect([...byRow].map((element) => element.id)).toEqual(['i57']);
    const bySearch = new Set<Element>();
    locate(ul, 'networks', null, bySearch);
    expect([...bySearch].map((element) => element.id)).toEqual(['i57']);
    // A row hint that does not fit the children is not trusted.
    const misfit = new Set<Element>();
    locate(ul, 'networks', { row: 3, rows: 80, line }, misfit);
    expect([...misfit].map((element) => element.id)).toEqual(['i57']);
  });

  it('reads the whole container for a word that is everywhere', () => {
    document.body.innerHTML = list(80, 57, 'Pointer Networks');
    const found = new Set<Element>();
    locate(document.getElementById('list')!, 'entry', null, found);
    expect([...found].map((element) => element.id)).toEqual(['list']);
  });
});

describe('running text', () => {
  const place = (html: string) => {
    document.body.innerHTML = `<li>${html}</li>`;
    return document.body.firstElementChild!;
  };

  it('holds when every occurrence runs on inside one text node, in any case and spacing', () => {
    expect(liesOnlyInRunningText(place('<a href="#">Learning Pointer Networks for Graphs</a>'), 'Pointer Networks')).toBe(true);
    expect(liesOnlyInRunningText(place('<a href="#">POINTER\n   NETWORKS for sorting</a>'), 'pointer networks')).toBe(true);
    expect(liesOnlyInRunningText(place('see pointer networks and learning pointer networks'), 'Pointer Networks')).toBe(true);
  });

  it('fails where an element, a line or punctuation may set the title apart, or where it is not found', () => {
    expect(liesOnlyInRunningText(place('We extend <em>Pointer Networks</em> to sets'), 'Pointer Networks')).toBe(false);
    expect(liesOnlyInRunningText(place('<a href="#">Pointer Networks</a> for sorting'), 'Pointer Networks')).toBe(false);
    expect(liesOnlyInRunningText(place('Learning <b>Pointer</b> Networks for Graphs'), 'Pointer Networks')).toBe(false);
    expect(liesOnlyInRunningText(place('learning pointer networks, then: Pointer Networks.'), 'Pointer Networks')).toBe(false);
    expect(liesOnlyInRunningText(place('superpointer networksx'), 'Pointer Networks')).toBe(false);
    expect(liesOnlyInRunningText(place('nothing of the kind'), 'Pointer Networks')).toBe(false);
    // A shadow host right after may show its citation (Distill's `<d-cite>` drawing `[3]`).
    const cited = place('extends Pointer Networks<d-cite></d-cite>; then');
    cited.querySelector('d-cite')!.attachShadow({ mode: 'open' }).innerHTML = '<span>[3]</span>';
    expect(liesOnlyInRunningText(cited, 'Pointer Networks')).toBe(false);
    expect(liesOnlyInRunningText(place('extends Pointer Networks<d-cite></d-cite>; then'), 'Pointer Networks')).toBe(true);
    // Out of the inline element the title ends, past white space and a comment.
    const nested = place('<span>extends Pointer Networks\n</span><!-- cite --> <d-cite></d-cite>; then');
    nested.querySelector('d-cite')!.attachShadow({ mode: 'open' }).innerHTML = '<span>[3]</span>';
    expect(liesOnlyInRunningText(nested, 'Pointer Networks')).toBe(false);
  });
});
