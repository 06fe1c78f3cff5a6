/**
 * The coarse scan of rendered text (src/shared/rendered-scan.ts) with the real
 * matcher: the worker tokenizes raw text and answers character ranges that hold
 * the digest titles, so the page only reads those places exactly.
 */
import { describe, expect, it } from 'vitest';
import { SPAN_ANYWHERE, SPAN_STRIDE, SPAN_UNLESS_RUNNING_TEXT } from '../../src/shared/protocol';
import { MAX_RENDERED_WORDS, renderedUnits, spansOf } from '../../src/shared/rendered-scan';
import { matchSeedTitles } from './seed-matcher';


/** What the worker answers for these texts, as the substrings it points at. */
function spannedTexts(texts: string[]): [number, string][] {
  return flaggedSpans(texts).map(([unit, text]) => [unit, text]);
}

function flaggedSpans(texts: string[]): [number, string, number][] {
  const { units, tokens } = renderedUnits(texts);
  const spans = spansOf(matchSeedTitles(units, { gluedEnds: true }), tokens, texts);
  expect(spans.length % SPAN_STRIDE).toBe(0);
  const found: [number, string, number][] = [];
  for (let i = 0; i < spans.length; i += SPAN_STRIDE) {
    const [unit, from, to, flag] = spans.slice(i, i + SPAN_STRIDE) as [number, number, number, number];
    found.push([unit, texts[unit]!.slice(from, to), flag]);
  }
  return found;
}

describe('scan of rendered text', () => {
  it('points at each title as the page wrote it, across lines and in any case', () => {
    const texts = [
      'Reading list\nPOINTER NETWORKS\nA paper that is not in the digest',
      'Vinyals et al. (2014). Sequence to sequence\nlearning with neural networks. NeurIPS.',
      'Nothing here at all, only words about learning.',
    ];
    expect(spannedTexts(texts)).toEqual([
      [0, 'POINTER NETWORKS'],
      [1, 'Sequence to sequence\nlearning with neural networks'],
    ]);
  });

  it('points at a short or generic main title only where its context can vouch for it', () => {
    expect(spannedTexts(['Convergent Learning and Order Matters in practice', 'as “Order Matters” shows', 'the Order Matters paper', 'Order Matters (Vinyals et al., 2016)'])).toEqual([
      [1, 'Order Matters'],
      [2, 'Order Matters'],
      [3, 'Order Matters'],
    ]);
  });

  it('points at a full title whose last word runs into a label beside it, as innerText glues a link to the next span', () => {
    const ICL = 'What learning algorithm is in-context learning? Investigations with linear models';
    expect(spannedTexts([`${ICL}arxiv.org`, 'Pointer Networksarxiv.org', 'Sequence to sequence learning with neural networksXY'])).toEqual([
      [0, `${ICL}arxiv`],
      [2, 'Sequence to sequence learning with neural networksXY'],
    ]);
    // Only where rendered text is read: the exact read finds a glued word no title.
    expect(matchSeedTitles(renderedUnits([`${ICL}arxiv.org`]).units).filter((hit) => hit.kind === 'full')).toEqual([]);
  });

  it('reads hyphenation, TeX and diacritics the way candidates do', () => {
    expect(spannedTexts(['see Con-\ntinual Learning in Neural Networks', 'E$^2$-LLM: Efficient and Extreme Length Extension of Large Language Models'])).toEqual([
      [0, 'Con-\ntinual Learning in Neural Networks'],
      [1, 'E$^2$-LLM: Efficient and Extreme Length Extension of Large Language Models'],
    ]);
  });

  it('keeps no more words per text than it may have characters, however normalisation multiplies them', () => {
    // U+FDFA is one character and four words after NFKC; a title after a wall of them is past the cap.
    const text = `${'\uFDFA'.repeat(3000)} Pointer Networks`;
    const { units, tokens } = renderedUnits([text, 'Pointer Networks']);
    expect(tokens[0]!.words).toHaveLength(MAX_RENDERED_WORDS);
    expect(units[0]!.text.split(' ')).toHaveLength(MAX_RENDERED_WORDS);
    expect(tokens[1]!.words).toEqual(['pointer', 'networks']);
  });

  it('flags a title taken only standing apart when a word runs on beside it, unless its context vouches for it', () => {
    expect(
      flaggedSpans([
        'Learning Pointer Networks for Graphs',
        'Pointer Networks for sorting',
        'see Pointer Networks',
        'Pointer Networks\nnext line',
        'on “Pointer Networks” and more',
        'the Pointer Networks paper',
        'extends Pointer Networks (Vinyals et al., 2015) to sets',
        'Reading list: Pointer Networks, then more',
      ]),
    ).toEqual([
      [0, 'Pointer Networks', SPAN_UNLESS_RUNNING_TEXT],
      [1, 'Pointer Networks', SPAN_UNLESS_RUNNING_TEXT],
      [2, 'Pointer Networks', SPAN_UNLESS_RUNNING_TEXT],
      [3, 'Pointer Networks', SPAN_ANYWHERE],
      [4, 'Pointer Networks', SPAN_ANYWHERE],
      [5, 'Pointer Networks', SPAN_ANYWHERE],
      [6, 'Pointer Networks', SPAN_ANYWHERE],
      [7, 'Pointer Networks', SPAN_ANYWHERE],
    ]);
  });

  it('does not flag a title after a timestamp that opens its line (a chapter)', () => {
    expect(flaggedSpans(['Intro\n27:30 Pointer Networks\n41:10 Q&A', 'we met at 27:30 Pointer Networks'])).toEqual([
      [0, 'Pointer Networks', SPAN_ANYWHERE],
      [1, 'Pointer Networks', SPAN_UNLESS_RUNNING_TEXT],
    ]);
  });

  it('sends a short main title only vouched for, or where the same texts name the paper in full', () => {
    const RELAX = 'Learning to Relax: Setting Solver Parameters Across a Sequence of Linear System Instances';
    expect(spannedTexts(['Chapters\n1:42 Learning to Relax'])).toEqual([]);
    expect(spannedTexts([`Papers: ${RELAX}`, 'Chapters\n1:42 Learning to Relax'])).toEqual([
      [0, RELAX],
      [1, 'Learning to Relax'],
    ]);
  });

  it('never flags a distinctive full title: running prose may name it', () => {
    const title = 'Sequence to sequence learning with neural networks';
    expect(flaggedSpans([`we build on ${title} and more`])).toEqual([[0, title, SPAN_ANYWHERE]]);
  });

  it('answers nothing for texts without titles', () => {
    expect(spannedTexts(['', 'just some prose', '\n\n'])).toEqual([]);
  });
});
