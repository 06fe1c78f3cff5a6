import { describe, expect, it } from 'vitest';
import { cyrb53, hashToBase36 } from '../../src/shared/hash';
import { normalizeTitle, paperIdForTitle } from '../../src/shared/normalize';

/** Asserts that every variant normalises to `expected`. */
function expectAllNormalizeTo(expected: string, variants: string[]): void {
  for (const variant of variants) expect(normalizeTitle(variant), JSON.stringify(variant)).toBe(expected);
}

describe('normalizeTitle', () => {
  it('folds case', () => {
    expectAllNormalizeTo('pointer networks', ['Pointer Networks', 'POINTER NETWORKS', 'pointer networks', 'PoInTeR nEtWoRkS']);
  });

  it('treats ASCII and Unicode dashes alike', () => {
    expectAllNormalizeTo('prosper a python library', [
      'ProSper -- A Python Library',
      'ProSper - A Python Library',
      'ProSper \u2013 A Python Library',
      'ProSper \u2014 A Python Library',
      'ProSper\u2014A Python Library',
    ]);
    expectAllNormalizeTo('end to end', ['End-to-End', 'End\u2010to\u2011End', 'end\u2013to\u2013end']);
  });

  it('joins words across straight and curly apostrophes, drops other quotes', () => {
    expectAllNormalizeTo('nevis22 a stream', ["NEVIS'22: A Stream", 'NEVIS\u201922: A Stream', 'NEVIS\u02BC22 A Stream']);
    expectAllNormalizeTo('quoted title', ['"Quoted" Title', '\u201CQuoted\u201D Title', '\u00ABQuoted\u00BB Title', "'Quoted' Title"]);
  });

  it('strips diacritics, precomposed or decomposed', () => {
    expectAllNormalizeTo('frechet mean', ['Fréchet Mean', 'Frechet Mean', 'Fre\u0301chet Mean', 'FRÉCHET MEAN']);
    expectAllNormalizeTo('strasse', ['Straße', 'STRASSE']);
  });

  it('reads TeX written in titles', () => {
    expectAllNormalizeTo('e2 llm efficient', ['E$^2$-LLM: Efficient', 'E^2-LLM: Efficient', 'E$^{2}$-LLM: Efficient', 'E2-LLM: Efficient', 'E²-LLM: Efficient']);
    expectAllNormalizeTo('frechet mean', ["Fr\\'echet Mean", "Fr\\'{e}chet Mean", 'Fr\\\'{e}chet  Mean']);
    // Letter accents and commands used to split words: `fran c ois`, `evo lved`.
    expectAllNormalizeTo('francois', ['Fran\\c{c}ois', 'François']);
    expectAllNormalizeTo('lion evolved sign momentum', ['Lion: Evo\\textbf{Lved} Sign Momentum', 'Lion: EvoLved Sign Momentum']);
    expectAllNormalizeTo('r d', ['R\\&D', 'R&D']);
  });

  it('keeps digits', () => {
    expect(normalizeTitle('CodeGen2: Lessons for Training LLMs')).toBe('codegen2 lessons for training llms');
    expect(normalizeTitle('N2N Learning')).toBe('n2n learning');
    // A caret is notation, not a word break: E^2-LLM is how pages write E2-LLM.
    expect(normalizeTitle('E2-LLM')).toBe(normalizeTitle('E^2-LLM'));
    expect(normalizeTitle('E2LLM')).not.toBe(normalizeTitle('E^2-LLM'));
  });

  it('collapses whitespace and line breaks', () => {
    expectAllNormalizeTo('learning to relax setting solver parameters', [
      'Learning to Relax: Setting Solver Parameters',
      '  Learning to\nRelax:\r\n  Setting\tSolver \u00A0Parameters  ',
      'Learning  to   Relax\u2028Setting Solver Parameters',
    ]);
  });

  it('applies NFKC (full-width letters, ligatures)', () => {
    expectAllNormalizeTo('pointer networks', ['\uFF30\uFF4F\uFF49\uFF4E\uFF54\uFF45\uFF52 \uFF2E\uFF45\uFF54\uFF57\uFF4F\uFF52\uFF4B\uFF53']);
    expectAllNormalizeTo('fine tuning', ['\uFB01ne-tuning', 'Fine-Tuning']);
    // A superscript digit is a plain digit after NFKC (so `E²` reads like `E2`, not `E^2`).
    expectAllNormalizeTo('e2 llm', ['E\u00B2-LLM', 'E2-LLM']);
  });

  it('gives an empty key to text without letters or digits', () => {
    expect(normalizeTitle('')).toBe('');
    expect(normalizeTitle(' -- ?! \u2014 ')).toBe('');
  });
});

describe('paperIdForTitle', () => {
  it('is short, URL-safe and deterministic', () => {
    for (const title of ['Pointer Networks', '', 'E^2-LLM', 'x'.repeat(400)]) {
      const id = paperIdForTitle(title);
      expect(id).toMatch(/^[a-z0-9]{1,11}$/);
      expect(paperIdForTitle(title)).toBe(id);
    }
  });

  it('is the same for titles that normalise alike', () => {
    const id = paperIdForTitle('E^2-LLM: Efficient and Extreme Length Extension of Large Language Models');
    expect(paperIdForTitle('e^2 llm efficient and extreme length extension of large language models')).toBe(id);
    expect(paperIdForTitle('E$^2$-LLM:  Efficient and Extreme Length\nExtension of Large Language Models')).toBe(id);
    expect(paperIdForTitle('Geometry-Aware Adaptation for Pretrained Models')).toBe(
      paperIdForTitle('GEOMETRY\u2013AWARE ADAPTATION FOR PRETRAINED MODELS.'),
    );
  });

  it('differs for different titles', () => {
    expect(paperIdForTitle('Continual Learning with Hypernetworks')).not.toBe(
      paperIdForTitle('Continual Learning with Dependency Preserving Hypernetworks'),
    );
    expect(paperIdForTitle('Continual Learning in Neural Networks')).not.toBe(paperIdForTitle('Continual Learning'));
  });
});

describe('hash', () => {
  it('cyrb53 is a stable 53-bit hash', () => {
    // Pinned: ids in users' reading lists are built on these values.
    expect(cyrb53('')).toBe(3338908027751811);
    expect(cyrb53('pointer networks')).toBe(cyrb53('pointer networks'));
    expect(cyrb53('a')).not.toBe(cyrb53('b'));
    expect(cyrb53('a', 1)).not.toBe(cyrb53('a'));
    expect(Number.isSafeInteger(cyrb53('x'.repeat(10_000)))).toBe(true);
  });

  it('hashToBase36 is always 11 lowercase base-36 characters', () => {
    for (const text of ['', 'a', 'pointer networks', '\u{1F600}'.repeat(50)]) {
      expect(hashToBase36(text)).toMatch(/^[0-9a-z]{11}$/);
    }
  });
});
