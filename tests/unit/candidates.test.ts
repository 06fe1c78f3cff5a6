// @vitest-environment happy-dom
/**
 * Candidate texts: the fast path for plain ASCII must send exactly the words the
 * full tokenizer gives, or marks would land on the wrong characters.
 */
import { describe, expect, it } from 'vitest';
import { candidatesOf } from '../../src/content/candidates';
import type { TextBlock } from '../../src/content/page-text';
import { tokenize } from '../../src/shared/tokenize';

const block = (text: string): TextBlock => ({ element: document.createElement('li'), text, nodes: [], offsets: [], breaks: [] });

describe('candidates', () => {
  it.each([
    'Pointer Networks',
    '  Sequence to Sequence Learning with Neural Networks (2014)  ',
    'Vinyals, O., Fortunato, M., & Jaitly, N. (2015). Pointer networks. NeurIPS.',
    'title={Discrete Key-Value Bottleneck},',
    'CodeGen2: Lessons for Training LLMs on Programming and Natural Languages [pdf] [code]',
    "NEVIS'22: A Stream of 100 Tasks",
    'E$^2$-LLM: Efficient and Extreme Length Extension',
    'What learning algorithm is in-context learning? Investigations with...',
    'Rehearsal- free continual learning',
    'Naïve Bayes — Über',
  ])('sends the words the tokenizer gives for %j', (text) => {
    const [candidate] = candidatesOf(block(text));
    expect(candidate?.text).toBe(tokenize(text, candidate?.start, candidate?.end).words.join(' '));
  });

  it('reads two short lines around a <br> also as one', () => {
    const text = 'Sequence to Sequence\nLearning with Neural Networks';
    const texts = candidatesOf({ ...block(text), breaks: [20] }).map((c) => c.text);
    expect(texts).toContain('sequence to sequence learning with neural networks');
  });
});
