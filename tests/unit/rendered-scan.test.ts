/**
 * The coarse scan of rendered text (src/shared/rendered-scan.ts) with the real
 * matcher: the worker tokenizes raw text and answers character ranges that hold
 * the digest titles, so the page only reads those places exactly.
 */
import { describe, expect, it } from 'vitest';
import { MAX_RENDERED_WORDS, renderedUnits, spansOf } from '../../src/shared/rendered-scan';
import { matchSeedTitles } from './seed-matcher';


/** What the worker answers for these texts, as the substrings it points at. */
function spannedTexts(texts: string[]): [number, string][] {
  const { units, tokens } = renderedUnits(texts);
  const spans = spansOf(matchSeedTitles(units), tokens, texts);
  const found: [number, string][] = [];
  for (let i = 0; i < spans.length; i += 3) {
    const [unit, from, to] = spans.slice(i, i + 3) as [number, number, number];
    found.push([unit, texts[unit]!.slice(from, to)]);
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

  it('answers nothing for texts without titles', () => {
    expect(spannedTexts(['', 'just some prose', '\n\n'])).toEqual([]);
  });
});
