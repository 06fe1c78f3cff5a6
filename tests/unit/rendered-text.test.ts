// @vitest-environment happy-dom
/**
 * The coarse pass's reading of a page (src/content/rendered-text.ts): how a
 * page is cut into chunks, how rendered lines become units without sending a
 * line twice, and how a place the worker pointed at is found again in the DOM.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  NO_TITLES,
  isPending,
  locate,
  locatorsOf,
  planChunks,
  unitsOf,
  type LineState,
  type Row,
} from '../../src/content/rendered-text';
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

  it('keeps loose text among large blocks with them, in one chunk', () => {
    document.body.innerHTML = `Loose text <div id="a">${paragraphs(2500)}</div><div id="b">${paragraphs(2500)}</div>`;
    const chunks: Element[] = [];
    planChunks(document.body, chunks, []);
    expect(chunks).toEqual([document.body]);
  });
});

describe('units', () => {
  const none = () => undefined;

  it('groups new lines into units and never sends a line twice', () => {
    const seen = new Map<string, LineState>();
    const first = unitsOf(document.body, 'Pointer Networks\nA paper about sorting\nab', seen, none);
    expect(first.map((unit) => unit.text)).toEqual(['Pointer Networks\nA paper about sorting']);
    expect(first[0]!.parts.map((part) => [part.line, part.fresh, part.row])).toEqual([
      ['Pointer Networks', true, 0],
      ['A paper about sorting', true, 1],
    ]);
    expect(first[0]!.rows).toBe(3);
    // The same text again: nothing new to send.
    expect(unitsOf(document.body, 'Pointer Networks\nA paper about sorting', seen, none)).toEqual([]);
  });

  it('sends the line before and after a run of new lines as context, not as new', () => {
    const seen = new Map<string, LineState>();
    unitsOf(document.body, 'Sequence to Sequence\nLearning with Neural Networks', seen, none);
    const units = unitsOf(document.body, 'Sequence to Sequence\nA new line here\nLearning with Neural Networks', seen, none);
    expect(units.map((unit) => unit.parts.map((part) => [part.line, part.fresh]))).toEqual([
      [
        ['Sequence to Sequence', false],
        ['A new line here', true],
        ['Learning with Neural Networks', false],
      ],
    ]);
  });

  it('hands lines known to hold titles back to be located, with their row', () => {
    const seen = new Map<string, LineState>([
      ['Pointer Networks', ['pointer']],
      ['Nothing here', NO_TITLES],
    ]);
    const known: [readonly string[], Row][] = [];
    unitsOf(document.body, 'Nothing here\nPointer Networks', seen, (_chunk, words, row) => known.push([words, row]));
    expect(known).toEqual([[['pointer'], { row: 1, rows: 2, line: 'Pointer Networks' }]]);
  });

  it('waits for a line still pending, and takes table cells as lines of one row', () => {
    const seen = new Map<string, LineState>();
    const other = document.createElement('div');
    unitsOf(other, 'cell one here\tcell two here', seen, none);
    const state = seen.get('cell two here')!;
    expect(isPending(state)).toBe(true);
    expect(unitsOf(document.body, 'x y z w\ncell two here', seen, none).map((unit) => unit.text)).toEqual(['x y z w\ncell two here']);
    expect(isPending(state) && state.waiting.map((wait) => [wait.chunk, wait.row.row, wait.row.rows])).toEqual([[document.body, 1, 2]]);
  });

  it('cuts a very long line into overlapping pieces, each short enough to send', () => {
    const long = Array.from({ length: 600 }, (_, i) => `word${i}`).join(' ');
    const units = unitsOf(document.body, long, new Map(), none);
    expect(units.length).toBeGreaterThan(2);
    for (const unit of units) expect(unit.text.length).toBeLessThanOrEqual(1500);
    // Consecutive pieces overlap, so a title cut at one edge is whole in the next piece.
    const [a, b] = units as [(typeof units)[0], (typeof units)[0]];
    expect(a.text.slice(-400)).toBe(b.text.slice(0, 400));
    expect(units.map((unit) => unit.text).join('').includes(long.slice(-100))).toBe(true);
  });
});

describe('locating a span', () => {
  it('names the longest word of each line the span touches', () => {
    const seen = new Map<string, LineState>();
    const [unit] = unitsOf(document.body, 'Sequence to Sequence\nLearning with Neural Networks', seen, () => undefined);
    const text = unit!.text;
    expect(locatorsOf(unit!, 0, text.length).map(({ part, word }) => [part.line, word])).toEqual([
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
