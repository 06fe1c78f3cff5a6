// @vitest-environment happy-dom
/**
 * Page text is written by whoever wrote the page, and the same code reads it in
 * the content script and in the worker. Each case here is an input that made a
 * regular expression backtrack super-linearly: at these sizes the old patterns
 * took 10-30 s or more, so the test timeout fails them; the patterns now take a
 * few ms. Each case also checks the result, so a guard that skipped the work
 * would fail too.
 */
import { describe, expect, it } from 'vitest';
import { candidatesOf } from '../../src/content/candidates';
import type { TextBlock } from '../../src/content/page-text';
import { citedRightAfter, continuesAsTitle } from '../../src/shared/title-context';
import { tokenize } from '../../src/shared/tokenize';

const block = (text: string): TextBlock => ({ element: document.createElement('p'), text, nodes: [], offsets: [], breaks: [] });
const LONG = 150_000;

describe('regular expressions on hostile page text', () => {
  it('reads a line of one huge number or one huge capitalised word at once', () => {
    // TITLE_CASED_RUN was retried at every digit or capital of the same word.
    for (const text of ['1'.repeat(LONG), `Some prose here. ${'A'.repeat(LONG)} end.`]) {
      expect(candidatesOf(block(text)).length).toBeGreaterThan(0);
    }
  });

  it('tokenizes a word with a long run of apostrophes inside or at its end', () => {
    // TRAILING_JOINERS and EDGE_JOINERS (`[J]*$`) were retried at every joiner of the run.
    expect(tokenize(`a${'’'.repeat(LONG)}b Networks`).words).toContain('networks');
    expect(tokenize(`Pointer é${'’'.repeat(LONG)}`).words[0]).toBe('pointer');
  });

  it('tokenizes a hyphen followed by a long run of newlines', () => {
    // LINE_BREAK_HYPHEN's `\s*\n\s*` could split the run of newlines many ways.
    const tokens = tokenize(`Pointer-${'\n'.repeat(LONG)}.Networks`);
    expect(tokens.words).toEqual(['pointer', 'networks']);
  });

  it('looks at the word before a title in a long line of one word', () => {
    expect(continuesAsTitle(`${'x'.repeat(LONG)}, `, ' was')).toBe(false);
    expect(continuesAsTitle(`see ${'X'.repeat(LONG)} `, '')).toBe(true);
  });

  it('reads bracketed authors followed by a long run of spaces', () => {
    // `\s*,?\s*` before `&` split the same spaces two ways.
    expect(citedRightAfter(` (Aa, Bb, Cc${' '.repeat(LONG)}x`)).toBe(false);
    expect(citedRightAfter(` (Fey, Hu, Huang${' '.repeat(40)}& Leskovec)`)).toBe(true);
  });
});
