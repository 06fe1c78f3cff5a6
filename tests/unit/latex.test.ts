import { describe, expect, it } from 'vitest';
import { latexToText } from '../../src/shared/latex';

describe('latexToText', () => {
  it('returns prose without TeX unchanged', () => {
    const prose = 'Solving a linear system Ax=b is a fundamental primitive (SOR) -- 10.6X faster.';
    expect(latexToText(prose)).toBe(prose);
    expect(latexToText('')).toBe('');
  });

  it('unescapes the characters TeX escapes', () => {
    expect(latexToText('achieving 10.6X and 45\\% improvement')).toBe('achieving 10.6X and 45% improvement');
    expect(latexToText('R\\&D, snake\\_case, issue \\#3')).toBe('R&D, snake_case, issue #3');
  });

  it('keeps escaped dollars as money, not math', () => {
    expect(latexToText('\\$5')).toBe('$5');
    expect(latexToText('it costs \\$5 instead of \\$10')).toBe('it costs $5 instead of $10');
    // A real math span next to money: only the unescaped pair delimits math.
    expect(latexToText('$x$ costs \\$5')).toBe('x costs $5');
  });

  it('drops inline math delimiters and keeps their content', () => {
    expect(latexToText('$^2$')).toBe('^2');
    expect(latexToText('E$^2$-LLM')).toBe('E^2-LLM');
    expect(latexToText('runs in $O(n \\log n)$ time')).toBe('runs in O(n n) time');
    expect(latexToText('a rate of $\\alpha$ and $2 \\times 3$')).toBe('a rate of α and 2 × 3');
  });

  describe('accents', () => {
    it.each([
      ['\\"o', 'ö'],
      ['\\"{o}', 'ö'],
      ["\\'{e}", 'é'],
      ["\\'e", 'é'],
      ['\\`a', 'à'],
      ['\\^o', 'ô'],
      ['\\~n', 'ñ'],
      ['\\c{c}', 'ç'],
      ['\\c c', 'ç'],
      ['\\v{s}', 'š'],
      ['\\u{a}', 'ă'],
      ['\\H{o}', 'ő'],
      ['\\k{a}', 'ą'],
      ['\\"{\\i}', 'ï'],
    ])('%s -> %s (one precomposed character)', (tex, expected) => {
      const text = latexToText(tex);
      expect(text).toBe(expected);
      expect(text).toHaveLength(1);
    });

    it('accents letters inside words', () => {
      expect(latexToText("the Fr\\'echet mean")).toBe('the Fréchet mean');
      expect(latexToText('Fran\\c{c}ois G\\"odel Erd\\H{o}s')).toBe('François Gödel Erdős');
    });
  });

  it('unwraps formatting commands, nested ones too', () => {
    expect(latexToText('\\textbf{\\emph{x}}')).toBe('x');
    expect(latexToText('\\textbf{\\emph{\\textit{deep}}} nesting')).toBe('deep nesting');
    expect(latexToText('Lion (Evo\\textbf{Lved Sign Momentum})')).toBe('Lion (EvoLved Sign Momentum)');
    expect(latexToText('\\emph*{starred} form')).toBe('starred form');
  });

  it('drops unknown bare macros and tidies the space they leave', () => {
    expect(latexToText('abbreviated as \\method{}. Our method')).toBe('abbreviated as. Our method');
    expect(latexToText('we propose \\method, which')).toBe('we propose, which');
    expect(latexToText('We call it \\ours and it works')).toBe('We call it and it works');
  });

  it('expands word macros without doubling their period', () => {
    expect(latexToText('replay data, regularization, \\etc. However')).toBe('replay data, regularization, etc. However');
    expect(latexToText('tasks \\etc')).toBe('tasks etc.');
    expect(latexToText('a, \\ie the b')).toBe('a, i.e. the b');
    expect(latexToText('many, \\eg, CNNs')).toBe('many, e.g., CNNs');
    expect(latexToText('\\eg.')).toBe('e.g.');
    expect(latexToText('Smith \\etal showed')).toBe('Smith et al. showed');
  });

  it('expands a macro followed by empty braces like the bare macro', () => {
    // `\LaTeX{}` used to vanish entirely: the braces were read as an empty argument.
    expect(latexToText('written in \\LaTeX{} and \\TeX')).toBe('written in LaTeX and TeX');
    expect(latexToText('tasks, \\etc{} and more')).toBe('tasks, etc. and more');
    expect(latexToText('\\LaTeX{}is')).toBe('LaTeX is');
  });

  it('turns explicit spaces and ties into spaces', () => {
    expect(latexToText('e.g.\\ the model')).toBe('e.g. the model');
    expect(latexToText('10\\,000 steps')).toBe('10 000 steps');
    expect(latexToText('line\\\\break')).toBe('line break');
    expect(latexToText('on the large MS~MARCO dataset')).toBe('on the large MS MARCO dataset');
    expect(latexToText('Fisher Discriminant Ratio~(FDR)')).toBe('Fisher Discriminant Ratio (FDR)');
    expect(latexToText('see Fig.~3')).toBe('see Fig. 3');
    // The caller cut a URL out right after the tie (`available~https://...`).
    expect(latexToText('Our code is available~')).toBe('Our code is available ');
    // Not a tie: `~5%` reads "about 5%".
    expect(latexToText('gains of ~5% on (~3x) tasks')).toBe('gains of ~5% on (~3x) tasks');
  });

  it('removes leftover grouping braces', () => {
    expect(latexToText('{BERT}-style {{models}}')).toBe('BERT-style models');
    expect(latexToText('README.md{here.}')).toBe('README.mdhere.');
  });

  it('never leaves braces behind, whatever the input', () => {
    const alphabet = ['\\', '{', '}', '$', '~', 'a', 'e', ' ', '.', "'", '"', 'c', 'textbf', 'etc', '%', '\\\\'];
    let state = 7;
    const next = () => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state;
    };
    for (let n = 0; n < 500; n++) {
      let input = '';
      const length = next() % 30;
      for (let i = 0; i < length; i++) input += alphabet[next() % alphabet.length];
      const output = latexToText(input);
      expect(output, JSON.stringify(input)).not.toMatch(/[{}]/);
    }
  });

  it('stays fast on pathological input', () => {
    const inputs = ['\\x{'.repeat(7000), `$${'\\$'.repeat(7000)}`, '\\textbf{'.repeat(2500), '~'.repeat(20_000)];
    const start = performance.now();
    for (const input of inputs) expect(typeof latexToText(input)).toBe('string');
    expect(performance.now() - start).toBeLessThan(1000);
  });
});
