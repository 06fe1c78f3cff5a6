/**
 * Turns the LaTeX residue found in digest abstracts into plain display text.
 * Digests are scraped from arXiv-style listings, so abstracts keep fragments such
 * as `45\%`, `Fr\'echet`, `\textbf{...}`, `\etc` and macros with no body
 * (`\method{}`). No full TeX parser fits this job: the input is prose with a few
 * stray commands, and anything we do not recognise must survive as readable text.
 */
import { lazyRegExp } from './lazy-regexp';

/** Accent commands mapped to Unicode combining marks; the result is NFC-normalised. */
const ACCENTS: Record<string, string> = {
  "'": '\u0301',
  '`': '\u0300',
  '^': '\u0302',
  '"': '\u0308',
  '~': '\u0303',
  '=': '\u0304',
  '.': '\u0307',
  u: '\u0306',
  v: '\u030C',
  H: '\u030B',
  c: '\u0327',
  k: '\u0328',
};

/** Bare macros that stand for words; the trailing period, if written, is not doubled. */
const WORD_MACROS: Record<string, string> = {
  etc: 'etc.',
  ie: 'i.e.',
  eg: 'e.g.',
  etal: 'et al.',
  vs: 'vs.',
  wrt: 'w.r.t.',
  cf: 'cf.',
};

/** Symbols that LaTeX writes as commands. */
const SYMBOL_MACROS: Record<string, string> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ',
  eta: 'η', theta: 'θ', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', rho: 'ρ',
  sigma: 'σ', tau: 'τ', phi: 'φ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω',
  Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Pi: 'Π', Sigma: 'Σ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
  times: '×', cdot: '·', approx: '≈', leq: '≤', le: '≤', geq: '≥', ge: '≥', neq: '≠', pm: '±',
  infty: '∞', rightarrow: '→', to: '→', leftarrow: '←', Rightarrow: '⇒', sim: '~', ell: 'ℓ',
  ldots: '…', dots: '…', cdots: '⋯', textasciitilde: '~', S: '§', LaTeX: 'LaTeX', TeX: 'TeX',
};

/** Characters LaTeX escapes with a backslash. */
const ESCAPED = /\\([%&_#${}])/g;

const ACCENT_BRACED = /\\(['`^"~=.uvHck])\s*\{\s*\\?([A-Za-z])\s*\}/g;
const ACCENT_SYMBOL = /\\(['`^"~=.])\s*\\?([A-Za-z])/g;
const ACCENT_LETTER = /\\([uvHck])\s+([A-Za-z])/g;
const DOTLESS = /\\([ij])(?![A-Za-z])/g;
/** A command with a braced argument: keep the argument, drop the command. Innermost first. */
const COMMAND_WITH_ARG = /\\[A-Za-z]+\*?\s*\{([^{}]*)\}/g;
const BARE_COMMAND = /\\([A-Za-z]+)(\.?)/g;
/**
 * `\LaTeX{}`, `\etc{}`, `\method{}`: empty braces only keep TeX from eating the
 * next space, so the macro is a bare one and must expand as such (not vanish as
 * an empty argument would). The lookahead keeps `\LaTeX{}is` two words.
 */
const EMPTY_ARG = /(\\[A-Za-z]+)\s*\{\s*\}(?=([A-Za-z]?))/g;
/** `e.g.\ the`, `10\,000`, `\\`: explicit spaces and line breaks. */
const EXPLICIT_SPACE = /\\(?:[ ,;!]|\\)/g;
/**
 * `~` is TeX's non-breaking space (`MS~MARCO`, `Ratio~(FDR)`). It counts as one
 * only between two words: `~5%` means "about". A run may end with one because
 * callers cut URLs out (`available~https://...`).
 */
const TIE = lazyRegExp(String.raw`(?<=[\p{L}\p{N}.,;:)\]])~(?=[\p{L}\p{N}(\[]|$)`, 'gu');

function applyAccent(accent: string, letter: string): string {
  const mark = ACCENTS[accent];
  return mark ? (letter + mark).normalize('NFC') : letter;
}

/**
 * Clean one run of prose (never a URL: callers keep URLs out, since `~`, `_` and
 * `%` are legal there).
 */
export function latexToText(input: string): string {
  if (!input.includes('\\') && !input.includes('$') && !input.includes('{') && !input.includes('}') && !input.includes('~')) {
    return input;
  }
  // Each step runs only when its trigger character is present: most abstracts carry
  // no TeX at all, and at 100k papers every extra pass over the text shows.
  let text = input;
  if (text.includes('\\')) {
    // First, so `\\` cannot pass for the backslash of a following command.
    text = text.replace(EXPLICIT_SPACE, ' ');
    text = text.replace(ACCENT_BRACED, (_, a: string, l: string) => applyAccent(a, l));
    text = text.replace(ACCENT_SYMBOL, (_, a: string, l: string) => applyAccent(a, l));
    text = text.replace(ACCENT_LETTER, (_, a: string, l: string) => applyAccent(a, l));
    text = text.replace(DOTLESS, (_, l: string) => (l === 'i' ? 'ı' : 'ȷ'));
  }
  // Ties after accents, so `\~n` has already become `ñ`.
  if (text.includes('~')) text = text.replace(TIE(), ' ');
  if (text.includes('\\')) {
    text = text.replace(EMPTY_ARG, (_, command: string, next: string) => (next ? `${command} ` : command));
    // Unwrap braced commands repeatedly so nested ones (\textbf{\emph{x}}) unwrap too.
    for (let guard = 0; guard < 8 && COMMAND_WITH_ARG.test(text); guard++) {
      COMMAND_WITH_ARG.lastIndex = 0;
      text = text.replace(COMMAND_WITH_ARG, (_, body: string) => body);
    }
    COMMAND_WITH_ARG.lastIndex = 0;
    text = text.replace(BARE_COMMAND, (_whole, name: string, dot: string) => {
      const word = WORD_MACROS[name];
      if (word !== undefined) return word; // `\etc.` and `\etc` both become `etc.`
      const symbol = SYMBOL_MACROS[name];
      if (symbol !== undefined) return symbol + dot;
      // Unknown macro with no argument (`\method`): its expansion is unknowable, drop it.
      return dot;
    });
  }
  // Inline math delimiters: keep the content (`$^2$` -> `^2`, `$O(n)$` -> `O(n)`).
  // Escaped dollars (`\$5`) are money, not math, so they are left for ESCAPED.
  if (text.includes('$')) text = text.replace(/(?<!\\)\$([^$]*?)(?<!\\)\$/g, '$1');
  if (text.includes('\\')) text = text.replace(ESCAPED, '$1');
  // Leftover grouping braces carry no meaning in display text.
  if (text.includes('{') || text.includes('}')) text = text.replace(/[{}]/g, '');
  if (text === input) return text;
  // Removing a macro can leave `word .` or double spaces behind.
  text = text.replace(/[ \t]+([.,;:!?)])/g, '$1').replace(/\(\s+/g, '(').replace(/[ \t]{2,}/g, ' ');
  return text;
}
