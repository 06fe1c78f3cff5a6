import { describe, expect, it } from 'vitest';
import { isGenericTerm, stem, termsOf, Tokenizer, type TokenOptions } from '../../src/shared/related/text';

const METHOD: TokenOptions = { stem: true, scholarlyStopwords: true, phrases: true };
const PLAIN: TokenOptions = { stem: false, scholarlyStopwords: false, phrases: false };
const keys = (text: string, options: TokenOptions = METHOD) => termsOf(text, options).map((t) => t.key);

describe('stem', () => {
  it('folds plurals, -ing and -ed onto one key', () => {
    expect(new Set(['prompt', 'prompts', 'prompting', 'prompted'].map(stem))).toEqual(new Set(['prompt']));
    expect(new Set(['encode', 'encodes', 'encoding', 'encoded'].map(stem)).size).toBe(1);
    expect(new Set(['embed', 'embedding', 'embedded', 'embeddings'].map(stem)).size).toBe(1);
    expect(new Set(['study', 'studies', 'studied'].map(stem)).size).toBe(1);
    expect(stem('classes')).toBe(stem('class'));
    expect(stem('approaches')).toBe(stem('approach'));
  });

  it('keeps derivations apart, so distinct concepts stay distinct', () => {
    expect(stem('generalization')).not.toBe(stem('general'));
    expect(stem('optimization')).not.toBe(stem('optimal'));
    expect(stem('continual')).not.toBe(stem('continuous'));
    expect(stem('distillation')).not.toBe(stem('distill'));
  });

  it('leaves short words and words that only look inflected alone', () => {
    expect(stem('bias')).toBe('bias');
    expect(stem('analysis')).toBe('analysis');
    expect(stem('need')).toBe('need');
    expect(stem('string')).toBe('string');
    expect(stem('gas')).toBe('gas');
  });
});

describe('termsOf', () => {
  it('drops English stopwords always, and abstract boilerplate and -ly adverbs with the scholarly list', () => {
    expect(keys('We propose a novel method for the replay of memories', PLAIN)).toEqual(['propose', 'novel', 'method', 'replay', 'memories']);
    expect(keys('We propose a novel method for the replay of memories')).toEqual(['replay', 'memory']);
    expect(keys('Interestingly, transformers surprisingly generalise')).toEqual(['transformer', 'generalis']);
    // Nouns ending in -ly are not adverbs.
    expect(keys('anomaly detection')).toContain('anomaly');
  });

  it('forms phrases of adjacent content words, never across punctuation, stopwords or numbers', () => {
    expect(keys('continual learning')).toEqual(['continual', 'learn', 'continual learn']);
    expect(keys('continual. learning')).toEqual(['continual', 'learn']);
    expect(keys('continual of learning')).toEqual(['continual', 'learn']);
    expect(keys('continual 42 learning')).toEqual(['continual', 'learn']);
    expect(keys('continual learning', { ...METHOD, phrases: false })).toEqual(['continual', 'learn']);
  });

  it('joins bound prefixes and splits other hyphenated compounds into a phrase', () => {
    expect(keys('pre-trained')).toEqual(keys('pretrained'));
    expect(keys('re-ranking')).toEqual(keys('reranking'));
    expect(keys('class-incremental')).toEqual(['class', 'incremental', 'class incremental']);
    expect(keys("the model's weights")).toEqual(['model', 'weight', 'model weight']);
  });

  it('ignores URLs and keeps acronyms as written for display', () => {
    expect(keys('Code at https://github.com/GengDavid/SLCA. Replay buffers')).toEqual(['replay', 'buffer', 'replay buffer']);
    const terms = termsOf('Large LLMs and NTK Theory', METHOD);
    expect(terms.map((t) => t.surface)).toEqual(['LLMs', 'NTK', 'theory', 'NTK theory']);
  });

  it('gives a phrase and its words distinct keys (phrases hold a space, words never do)', () => {
    for (const { key } of termsOf('knowledge distillation for dense retrieval', METHOD)) {
      expect(key.split(' ').length).toBeLessThanOrEqual(2);
    }
    expect(keys('knowledge distillation')).toContain('knowledg distillation');
  });
});

describe('generic field terms', () => {
  it('marks a term generic only when every word of it is a generic field word', () => {
    expect(isGenericTerm('learn')).toBe(true);
    expect(isGenericTerm('neural network')).toBe(true);
    expect(isGenericTerm('continual learn')).toBe(false);
    expect(isGenericTerm('prompt')).toBe(false);
    const tokenizer = new Tokenizer(METHOD);
    const ids: number[] = [];
    tokenizer.scan('deep learning and continual learning', (term) => ids.push(term));
    expect(ids.map((t) => [tokenizer.keyOf(t), tokenizer.isGeneric(t)])).toEqual([
      ['deep', true],
      ['learn', true],
      ['deep learn', true],
      ['continual', false],
      ['learn', true],
      ['continual learn', false],
    ]);
  });
});
