/**
 * Precision rules: whether a title found in a page's text is a citation of the
 * paper or just the same words. Judged from how the words stand in their line,
 * never from a list of titles (DESIGN.md §5, issue 3 §3):
 *
 * - A title that *stands as a title* is marked: the whole text of a link or an
 *   emphasis, or set off on both sides by punctuation or line ends (a heading, a
 *   list-item lead, a reference entry `(2015). Pointer networks. NeurIPS.`, a
 *   quote, BibTeX `title={...}`), or so set off inside its link or emphasis
 *   (`[R] Title` as a post's link, the line going on with its flair).
 * - Inside running prose only a full title written as a title (title case, or
 *   exactly as the digest writes it) is marked: a distinctive one when the words
 *   around it do not continue it into a longer, different title, any one when a
 *   citation follows it (`Pointer Networks (Vinyals et al., 2015)`).
 * - A main title without its subtitle, or a title cut off with an ellipsis, is
 *   weaker evidence: it must stand as a title. A short or generic main title
 *   (`Learning to Relax`) must be quoted or followed by its citation, or stand
 *   as a title on a page that names the paper in full.
 * - Anywhere, a title the page calls a paper (`the pointer networks paper`,
 *   `… 论文`), and a title-cased one it introduces as a paper (`our ICML paper
 *   Paging with Succinct Predictions asks`).
 * - A generic title with a count (`Pointer Networks (12)`, a tag) is a topic.
 *
 * Pure string logic, shared so unit tests can pin every rule.
 */
import type { HitKind } from './title-scanner';
import { CJK_LETTERS } from './tokenize';
import { lazyRegExp } from './lazy-regexp';

export interface HitInContext {
  kind: HitKind;
  distinctive: boolean;
  /** The digest's title. */
  title: string;
  /** The matched text as the page writes it. */
  asWritten: string;
  /** The rest of the line before and after the match. */
  before: string;
  after: string;
  /** The match is the whole text of a link or an emphasis/citation element. */
  wholeElement: boolean;
  /**
   * The text before and after the match inside the innermost link or emphasis
   * holding it, if any: set off there, it stands as a title however the line
   * goes on (`<a>[R] Title</a> Research (arxiv.org)`).
   */
  inElement?: () => { before: string; after: string } | null;
  /**
   * What a shadow host right after the match shows, when the line's text does
   * not hold it (`Title<d-cite>` showing `[3]`): asked only when a citation
   * would decide.
   */
  shownAfter?: () => string | null;
  /** The page names this paper in full elsewhere (namesInFull): its short main title may then stand for it. */
  namedOnPage?: boolean;
}

/**
 * Whether a hit names its paper in full (a full title, or a main title
 * distinctive on its own), so that the same page may then refer to the paper
 * by a short main title standing as a title: `1:42 Learning to Relax` in the
 * chapters under a description that lists the full title.
 */
export function namesInFull(hit: { kind: HitKind; distinctive: boolean }): boolean {
  return hit.kind === 'full' || (hit.kind === 'main' && hit.distinctive);
}

/**
 * What may precede a title that stands alone: a line start, list markers,
 * closing brackets, quotes, sentence ends, and the emoji, symbols and arrows
 * that posts and newsletters use as bullets (`🔧 Title`, `→ Title`, `♻️ Title`,
 * whose variation selector ends the emoji, and keycaps like `2️⃣ Title`, which
 * end in the combining keycap U+20E3); the same in Chinese and Japanese
 * (`、。《》「」【】` and full-width `：｜（）`); a reference's authors (`Chen
 * et al., TITLE, NeurIPS 2023`); and a LaTeX command, as a `.bbl` file opens
 * each field of an entry (`\newblock Pointer networks.`).
 */
/** Chinese and Japanese punctuation and brackets (`、。《》「」【】`), and the full-width forms (`：｜（）`). */
const CJK_PUNCTUATION = String.raw`[\u3001-\u3003\u3008-\u3011\u3014-\u301f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]`;
const OPENS_TITLE = lazyRegExp(
  String.raw`(?:^|[.:;!?()[\]{}"“”„‘'«»|•·*#>=–—\-/\u2022\p{Extended_Pictographic}\p{So}\u2190-\u21ff\u27a1\ufe0f\u20e3]|${CJK_PUNCTUATION}|\bet\s+al\.,|\\[A-Za-z]+)\s*$`,
  'u',
);
/**
 * A time or date alone at the start of the line: a video's chapters (`27:30
 * Title`, `1:02:03 – Title`), a programme's slots (`10:30 Title`), a reading
 * group's schedule (`Jan 30 Title`, `30 Jan 2025 · Title`, `2025-01-30 Title`);
 * or a year alone, as a list printed by year (`2015  Pointer Networks`, a
 * notebook's output, a CV's publication lines).
 */
const MONTH = String.raw`(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?`;
const TIMESTAMP_LEAD = new RegExp(
  String.raw`^\s*(?:(?:\d{1,2}:)?\d{1,2}:\d{2}|${MONTH}\s+\d{1,2}(?:,?\s+\d{4})?|\d{1,2}\s+${MONTH}(?:\s+\d{4})?|\d{4}-\d{2}-\d{2}|(?:19|20)\d{2})\s*(?:[-–—|·•]\s*)?$`,
  'u',
);
/** What may follow it: a line end, sentence or clause punctuation (full-width too), brackets, quotes, a spaced dash, an ellipsis. */
const CLOSES_TITLE = new RegExp(String.raw`^\s*(?:$|[.,;:!?()[\]{}"”“’‘'»|…/]|${CJK_PUNCTUATION}|[-–—]{1,2}\s)`, 'u');
const FUNCTION_WORDS = new Set(
  'a an the of for in on with to and or via by from under at is are as not vs into over without toward towards through between using'.split(' '),
);

/** Whether the rest of the line before a match can open a title (`before` is line-local). */
export function opensTitle(before: string): boolean {
  return OPENS_TITLE().test(before) || TIMESTAMP_LEAD.test(before);
}

export function standsAlone(before: string, after: string): boolean {
  return opensTitle(before) && CLOSES_TITLE.test(after);
}

/** Chinese, Japanese and Korean letters: text in these scripts does not run on into a Latin title. */
const CJK = CJK_LETTERS;
const CJK_BEFORE = lazyRegExp(String.raw`[${CJK}]\s*$`, 'u');
const CJK_AFTER = lazyRegExp(String.raw`^\s*[${CJK}]`, 'u');

/**
 * Set apart from Chinese, Japanese or Korean text on one side or both, and
 * opened or closed as a title on the other: `一文看懂 Once-for-All: Train One
 * Network…`, `split, encode and aggregate for long code search 리뷰도`. The
 * change of script is only a word boundary, so this is asked for distinctive
 * titles alone; a generic one in such prose still needs its quote, citation or
 * the word for paper.
 */
export function betweenScripts(before: string, after: string): boolean {
  const cjkBefore = CJK_BEFORE().test(before);
  const cjkAfter = CJK_AFTER().test(after);
  return (cjkBefore || cjkAfter) && (cjkBefore || opensTitle(before)) && (cjkAfter || CLOSES_TITLE.test(after));
}

/** An English gloss in brackets right after the Chinese term it translates: `神经网络中的持续学习（Continual Learning in Neural Networks）`. */
const GLOSS_BEFORE = lazyRegExp(String.raw`[${CJK}]\s*[（(]\s*$`, 'u');
const GLOSS_AFTER = /^\s*[）)]/u;

const CAPITALISED = lazyRegExp(String.raw`^[\p{Lu}\p{N}]`, 'u');
const HAS_LETTER = lazyRegExp(String.raw`\p{L}`, 'u');
const NOT_LETTER_OR_DIGIT = lazyRegExp(String.raw`[^\p{L}\p{N}]+`, 'gu');
const isCapitalised = (word: string) => CAPITALISED().test(word);
const lettersAndDigits = (text: string) => text.replace(NOT_LETTER_OR_DIGIT(), '');
const isLowerCase = (text: string) => text === text.toLowerCase();

/** Written as a title: exactly as the digest writes it, in title case, or in capitals. */
export function writtenAsTitle(asWritten: string, title: string): boolean {
  const written = lettersAndDigits(asWritten);
  if (written === lettersAndDigits(title).slice(0, written.length)) return true;
  if (HAS_LETTER().test(asWritten) && asWritten === asWritten.toUpperCase()) return true;
  const content = asWritten.split(/[\s\-–—:]+/).filter((word) => word !== '' && !FUNCTION_WORDS.has(word.toLowerCase()));
  return content.length > 0 && content.filter(isCapitalised).length / content.length >= 0.75;
}

/**
 * The word right before a match, then its spaces. Only from a word's first
 * letter: retried at every letter of a long word it was quadratic (50k
 * letters: 2 s).
 */
const WORD_BEFORE = lazyRegExp(String.raw`(?=[\p{L}\p{N}])(?<![\p{L}\p{N}][\p{L}\p{N}'’-]*?)([\p{L}\p{N}][\p{L}\p{N}'’-]*)\s+$`, 'u');

/**
 * Whether the surrounding words look like more of a longer title: a capitalised
 * word right after (`... Neural Networks Revisited`), one or two function words
 * then a capitalised word (`... for Speech`, `... in the Presence of ...`), or a
 * capitalised word right before that does not open a sentence (`Improved
 * Sequence to Sequence ...`).
 */
const YEAR = /^(?:19|20)\d{2}$/u;
/**
 * Authors as Google Scholar lists them, initials then the family name and a
 * comma or dash (`… for Effective Model Updates M Yildirim, EC Gok, …`): the
 * capital that follows the title is not more of it.
 */
const AUTHOR_INITIALS_AFTER = lazyRegExp(String.raw`^\s+\p{Lu}{1,3}\s+\p{Lu}\p{Ll}+(?:[-'’]\p{Lu}?\p{Ll}+)*\s*(?:,|\s[-–—]\s|…)`, 'u');
/** Or full names, a list of them: `… with linear models Ekin Akyürek, Dale Schuurmans, …` (a slide's flattened text). */
const GIVEN_NAME = String.raw`\p{Lu}\p{Ll}+(?:-\p{Lu}?\p{Ll}+)?`;
const AUTHOR_NAMES_AFTER = lazyRegExp(String.raw`^\s+${GIVEN_NAME}\s+\p{Lu}\p{Ll}+(?:[-'’]\p{Lu}?\p{Ll}+)*,\s+${GIVEN_NAME}\s+\p{Lu}`, 'u');

/** The next three words after a match. */
const WORDS_AFTER = lazyRegExp(String.raw`^\s+([\p{L}\p{N}][\p{L}\p{N}'’-]*)(?:\s+([\p{L}\p{N}][\p{L}\p{N}'’-]*))?(?:\s+([\p{L}\p{N}][\p{L}\p{N}'’-]*))?`, 'u');

/** A venue's name: two capitals at least, `ICLR`, `NeurIPS`, `CoLLAs` (not `Summer`). */
const VENUE = String.raw`\p{Lu}\p{L}*\p{Lu}\p{L}*`;
/** A venue (a year may follow) and how the paper is presented there, right before: iclr.cc's `ICLR Poster <title>`. */
const PRESENTATION_BEFORE = lazyRegExp(
  String.raw`(?:^|[^\p{L}\p{N}])${VENUE}(?:\s*['’]?\d{2,4})?\s+(?:Poster|Oral|Spotlight|Highlight|Talk)\s*[:|·–—-]?\s*$`,
  'u',
);

export function continuesAsTitle(before: string, after: string): boolean {
  const next = WORDS_AFTER().exec(after);
  if (next?.[1] && after[0] !== '\n' && !AUTHOR_INITIALS_AFTER().test(after) && !AUTHOR_NAMES_AFTER().test(after)) {
    if (isCapitalised(next[1])) return true;
    // Up to two function words, then a capitalised word: `… for Speech`, `… in the Presence of …`;
    // not a year (`… in 2023 to win an argument`).
    const titleWord = (word: string) => isCapitalised(word) && !YEAR.test(word);
    if (FUNCTION_WORDS.has(next[1].toLowerCase()) && next[2]) {
      if (titleWord(next[2])) return true;
      if (FUNCTION_WORDS.has(next[2].toLowerCase()) && next[3] && titleWord(next[3])) return true;
    }
  }
  // (A venue's label for the talk, `ICLR Poster`, `NeurIPS 2023 Oral`, is not a title's first words.)
  // Asked of the last 40 characters only: on a long run of letters the venue's two
  // open-ended parts would be tried at every start.
  if (PRESENTATION_BEFORE().test(before.slice(-40))) return false;
  const previous = WORD_BEFORE().exec(before);
  // (A bare number is a counter, `Paper 1`, `Week 3`, not a title's first word.)
  if (previous?.[1] && isCapitalised(previous[1]) && !/^\d{1,2}$/u.test(previous[1])) {
    const opensSentence = /(?:^|[.!?:;"“(]\s*)$/u.test(before.slice(0, previous.index));
    if (!opensSentence) return true;
  }
  return false;
}

/**
 * A capitalised word right before that is not a function word, even where it
 * opens the sentence: `Graph Pointer Networks (Ma et al., 2019)` cites a longer
 * title. Asked of a generic title that only its citation or an introduction
 * makes a title, where a sentence's first word can be the title's own.
 */
function titleWordRightBefore(before: string): boolean {
  const previous = WORD_BEFORE().exec(before);
  const word = previous?.[1];
  if (word === undefined || !isCapitalised(word)) return false;
  // A sentence may open with a function word, a determiner or a verb (`Following Pointer
  // Networks (…)`, `Extends Pointer Networks (…)`): read by its ending, -s, -ed or -ing.
  return !FUNCTION_WORDS.has(word.toLowerCase()) && !SENTENCE_OPENERS.has(word.toLowerCase()) && !/(?:s|ed|ing)$/u.test(word);
}
const SENTENCE_OPENERS = new Set('like unlike see cf after before since beyond besides both also then our their its his her this that these those we'.split(' '));

/**
 * A family name as citations write it: a capital, then lower case, parts joined
 * by a hyphen or apostrophe or a capital (`Vinyals`, `O'Neil`, `Lopez-Paz`,
 * `LeCun`); not an acronym or a product (`JAX`, `SQLite`).
 *
 * An apostrophe may follow the first capital (`O'Neil`, `D’Amour`). Each
 * further part must open with its joiner or its capital. Written with both
 * optional (`(?:[-'’]?\p{Lu}?\p{Ll}+)*`), a run of lower case could be split
 * into parts in exponentially many ways, and page text such as
 * `(Abbbbbbbbbbbbbbbbbb, Cdddddddddddddddddd x` took 27 s to fail.
 */
const NAME = "\\p{Lu}(?:['’]\\p{Lu})?\\p{Ll}+(?:(?:[-'’]\\p{Lu}?|\\p{Lu})\\p{Ll}+)*";
/**
 * A citation right after the title: `(Vinyals et al., 2015)`, `(2015)`, `[12]`,
 * `[3, 7]`; its authors alone in brackets, four or more or `et al.` (`(Fey,
 * Hu, Huang & Leskovec)`, `(Chen et al.)`: three capitalised words could be
 * anything, `(Yoga, Pilates & Breathwork)`); or, after a comma, two authors or
 * `et al.` and the year (`, Chen et al. 2023`, `, Defazio and Mishchenko,
 * 2023`; not `, Summer 2024`). A venue may carry a two-digit year (`(Li,
 * Yosinski — ICLR '16)`): a name with two capitals, so `(Summer '24)` is not one.
 */
const VENUE_SHORT_YEAR = String.raw`${VENUE}\s*['’]\d{2}`;
const NUMBERED_OR_DATED = new RegExp(
  String.raw`^\s*(?:\([^()]{0,80}\b(?:(?:19|20)\d{2}[a-z]?|${VENUE_SHORT_YEAR})\)|\[\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\])`,
  'u',
);
const AUTHORS_IN_BRACKETS = lazyRegExp(
  String.raw`^\s*\(${NAME}(?:\s+et\s+al\.?|(?:\s*,\s*${NAME}){2,12}\s*(?:,\s*)?(?:&|and)\s+${NAME}|(?:\s*,\s*${NAME}){3,12})\)`,
  'u',
);
const AUTHORS_AND_YEAR = lazyRegExp(String.raw`^\s*,\s*${NAME}(?:\s+et\s+al\.?|\s+(?:&|and)\s+${NAME}),?\s+\(?(?:19|20)\d{2}[a-z]?\b`, 'u');
const CITATION_OPENING = /^\s*([(,[])/;

export function citedRightAfter(after: string): boolean {
  // Chosen by the character that opens the citation: most titles are followed by
  // none, and the bracketed-authors pattern, with its names unrolled up to 12
  // times over Unicode letter classes, takes V8 a few ms to compile on first use.
  const opening = CITATION_OPENING.exec(after)?.[1];
  if (opening === undefined) return false;
  if (opening === ',') return AUTHORS_AND_YEAR().test(after);
  return NUMBERED_OR_DATED.test(after) || (opening === '(' && AUTHORS_IN_BRACKETS().test(after));
}

/**
 * `the Pointer Networks paper`, `the symbolic discovery of optimization
 * algorithms paper`, `sequence to sequence learning with neural networks
 * 论文复现`: the page calls it a paper. Up to two words may come between `the`
 * and the title, only those that describe a paper: `the original …`, `the 2015
 * …`, `the NeurIPS …` (not any adjective: `the recurrent Pointer Networks
 * paper` may name a longer title).
 */
const THE_BEFORE = lazyRegExp(String.raw`(?:^|[^\p{L}\p{N}])[Tt]he\s+(?:(?:original|first|famous|seminal|classic|well-known|influential|landmark|same|(?:19|20)\d{2}|${VENUE}(?:['’]?\d{2,4})?)\s+){0,2}$`, 'u');
/** Not where `paper` is a verb or names a venue's part: `paper over`, `the … paper track`. */
const PAPER_AFTER = /^\s+(?:paper|preprint)\b(?!\s+(?:over|track|session|deadline|award|submissions?)\b)/iu;
/** Chinese, Japanese and Korean put the word for paper right after the title: `… 论文复现`, `… の論文`, `… 논문`, `… 那篇` (that paper). */
const CJK_PAPER = '论文|論文|논문';
const CJK_PAPER_AFTER = new RegExp(String.raw`^\s*(?:の?(?:${CJK_PAPER})|那篇|这篇|這篇)`, 'u');

/** A remark in brackets right after that calls it a paper: `… (the AlgoPerf paper)`. */
const PAPER_REMARK_AFTER = /^\s*\((?:the|an?|our|their|his|her)\s+(?:[^()\s]+\s+){0,3}(?:paper|preprint)\)/iu;

/**
 * What the text says is a title, right before it: `The paper's title says
 * <em>symbolic discovery of …</em>`, `its title is …`, `a talk titled …`,
 * `entitled …`. A full title so named is cited however it is cased.
 */
const SAID_TO_BE_TITLE_BEFORE = lazyRegExp(String.raw`(?:^|[^\p{L}\p{N}])(?:title\s+(?:is|was|reads|says)|(?:en)?titled)\s*:?\s*$`, 'iu');

export function saidToBeTitle(before: string): boolean {
  return SAID_TO_BE_TITLE_BEFORE().test(before);
}

export function namedAsPaper(before: string, after: string): boolean {
  return (THE_BEFORE().test(before) && PAPER_AFTER.test(after)) || CJK_PAPER_AFTER.test(after) || PAPER_REMARK_AFTER.test(after);
}

/** At the start of a line, the text before it on that line only spaces. */
const OPENS_LINE = /(?:^|\n)[^\S\n]*$/u;

/**
 * A title opening its line with `paper` after it, the way a chat or a note is
 * named (`Pointer Networks paper explained`): called a paper without a `the`.
 * acceptHit asks it to be written as a title too (`pointer networks paper
 * notes` could be a topic's).
 */
function headsLineAsPaper(before: string, after: string): boolean {
  return OPENS_LINE.test(before) && PAPER_AFTER.test(after) && !TOPIC_PAPERS_AFTER.test(after);
}
/** Papers on a topic, not one paper: `Relational Deep Learning paper list`, `… paper reading group`. */
const TOPIC_PAPERS_AFTER = /^\s+(?:paper|preprint)s?\s+(?:lists?|reading|group|club|collection|roundup|digest|tracker|repo)\b/iu;

/**
 * Arabic's word for a paper before its title, with the prefixes it takes (`لورقة
 * Sliding Windows …`, "for the paper"; `الورقة البحثية`, "the research paper").
 */
const ARABIC_PAPER = '[وفلب]?(?:ال)?ورق(?:ة|ته)(?:\\s+(?:ال)?بحثية)?';

/**
 * `our ICML paper Paging with …`, `the preprint titled …`, `博士论文 …`, `لورقة …`: the
 * page introduces a paper by its title. Not a vendor's `white paper`, nor an
 * `article`, which is as often a help page's or a magazine's. The verbs whose
 * object is a paper introduce one too: `citing Sequence to Sequence Learning
 * with Neural Networks in 2023`, `We read Symbolic Discovery of …`; still only
 * written as a title (introducedAsTitle), so `we read pointer networks` is prose.
 */
const PAPER_BEFORE = lazyRegExp(
  String.raw`(?:(?:^|[^\p{L}\p{N}])(?<!white[\s-]+)(?:paper|preprint)(?:\s+(?:titled|entitled|called))?\s+|(?:${CJK_PAPER})\s*|(?:^|[^\p{L}\p{N}])${ARABIC_PAPER}\s+)$`,
  'iu',
);

/** In lower case only: a capitalised `Reading` may open a longer title (`Reading Order Matters …`). */
const READ_OR_CITED_BEFORE = lazyRegExp(String.raw`(?:^|[^\p{L}\p{N}])(?:cit(?:e|es|ed|ing)|(?:re-?)?read(?:s|ing)?)\s+$`, 'u');

export function introducedAsPaper(before: string): boolean {
  return PAPER_BEFORE().test(before);
}

/** Read or cited by a verb: enough for a full title (`citing Sequence to …`), not for a short main title (`read Order Matters recaps`). */
export function introducedByVerb(before: string): boolean {
  return READ_OR_CITED_BEFORE().test(before);
}

/**
 * Introduced as a paper and written as a title, with no more title around it:
 * `Our ICML 2023 paper Paging with Succinct Predictions asks …`. In lower case
 * (`the paper pointer networks are…`) it is prose.
 */
function introducedAsTitle(hit: HitInContext): boolean {
  const introduced = introducedAsPaper(hit.before) || (hit.kind === 'full' && introducedByVerb(hit.before));
  if (!introduced || !writtenAsTitle(hit.asWritten, hit.title)) return false;
  if (!hit.distinctive && titleWordRightBefore(hit.before)) return false;
  return !continuesAsTitle(hit.before, hit.after) && !OTHER_SUBTITLE().test(hit.after);
}

/**
 * In double quotes, a comma or period allowed inside the closing one:
 * `“Stationary Representations,”`, German `„…“` and French `« … »` too; or in
 * the brackets Chinese and Japanese quote a title with: `《Order Matters》`,
 * `「…」`, `『…』`, `〈…〉`.
 */
const QUOTE_BEFORE = /["“„«《「『〈]\s*$/u;
const QUOTE_AFTER = /^[,.]?\s?["”“»》」』〉]/u;

export function quoted(before: string, after: string): boolean {
  return QUOTE_BEFORE.test(before) && QUOTE_AFTER.test(after);
}

/**
 * Where a short or generic main title can name its paper: quoted, called a
 * paper, introduced as one, or with its citation right after. The worker's
 * coarse scan sends a weak alias only there (rendered-scan.ts); acceptHit then
 * asks a cited or introduced one to be written as a title as well.
 */
export function mayVouchForWeakTitle(before: string, after: string): boolean {
  return quoted(before, after) || namedAsPaper(before, after) || headsLineAsPaper(before, after) || introducedAsPaper(before) || citedRightAfter(after);
}

/**
 * Written as a title and followed by its citation: `extends Pointer Networks
 * (Vinyals et al., 2015)`, or a citation element's `[3]` where the line ends.
 */
function citedAsTitle(hit: HitInContext): boolean {
  if (!writtenAsTitle(hit.asWritten, hit.title) || continuesAsTitle(hit.before, '')) return false;
  if (!hit.distinctive && titleWordRightBefore(hit.before)) return false;
  if (citedRightAfter(hit.after)) return true;
  if (!/^\s*(?:$|\n|[,;.])/.test(hit.after)) return false;
  const shown = hit.shownAfter?.();
  return shown !== null && shown !== undefined && citedRightAfter(shown);
}

/** Set off by punctuation inside its link or emphasis, as a line would set it off. */
function standsAloneInElement(hit: HitInContext): boolean {
  const sides = hit.inElement?.();
  return sides !== null && sides !== undefined && standsAlone(sides.before, sides.after);
}

/**
 * A term defined with its abbreviation: `Learning from Label Proportions (LLP)
 * is a learning problem`, `Pointer Networks (Ptr-Nets) are a neural
 * architecture`. The words name the idea, not the paper.
 */
const DEFINES_TERM = lazyRegExp(String.raw`^\s*\([\p{Lu}][\p{L}\p{N}-]{0,15}\)\s+(?:is|are|was|were|refers?|denotes?|describes?)\b`, 'u');
/**
 * The same in any language: opening a sentence, a remark in brackets, then the
 * sentence goes on in lower case with its verb (`Pointer Networks (deutsch
 * etwa Zeiger-Netze) verwenden …`), not with a function word (`… (spotlight!)
 * and On the …`). A citation in the brackets (a year, authors) is not a remark.
 */
const GLOSSED_TERM = lazyRegExp(String.raw`^\s*\((?![^()]*\b(?:19|20)\d{2}\b)[^()]{1,60}\)\s+(\p{Ll}+)`, 'u');
const OPENS_SENTENCE = /(?:^|[.!?])\s*$/u;

function glossedTerm(hit: HitInContext): boolean {
  const word = GLOSSED_TERM().exec(hit.after)?.[1];
  return word !== undefined && !FUNCTION_WORDS.has(word) && OPENS_SENTENCE.test(hit.before) && !citedRightAfter(hit.after);
}

/**
 * A count in brackets, not a year: a tag's or a folder's `Pointer Networks
 * (12)`. A generic title so followed names a topic.
 */
const COUNTED = /^\s*\((?!(?:19|20)\d{2}\))\d{1,4}\)/u;

const COLON_AFTER = /^\s*:\s*\S/u;

/** A subtitle right after a main title: a colon or spaced dash, then a capitalised word. */
const OTHER_SUBTITLE = lazyRegExp(String.raw`^\s*(?::|\s[-–—]{1,2})\s+[\p{Lu}\p{N}]`, 'u');

/**
 * A course's number right before or in brackets right after: `CS 339C:
 * Continual Learning in Neural Networks`, `… (EE 224M)`. Three digits (or four,
 * not a year: `CSC 2541`), so `ICLR 2016: Order Matters` stays a venue and year.
 */
const COURSE_NUMBER = String.raw`\p{Lu}{2,5}\s?(?!(?:19|20)\d{2}\b)\d{3,4}[A-Z]?`;
const COURSE_BEFORE = lazyRegExp(String.raw`(?:^|[^\p{L}\p{N}])${COURSE_NUMBER}\s*[:.\-–—]?\s*$`, 'u');
const COURSE_AFTER = lazyRegExp(String.raw`^\s*\(${COURSE_NUMBER}\)`, 'u');

/** A course named by a paper's generic title or its main title: the course, not the paper. */
export function namesCourse(before: string, after: string): boolean {
  return COURSE_BEFORE().test(before) || COURSE_AFTER().test(after);
}

/**
 * A title-cased subtitle after a colon, two capitalised words: `Continual
 * Learning in Neural Networks: Theory Meets Practice` is a workshop's longer
 * title. (Not `Pointer Networks: Vinyals, Fortunato …`, a note's authors.)
 */
const TITLE_CASED_SUBTITLE = lazyRegExp(String.raw`^\s*:\s+\p{Lu}\p{L}*\s+\p{Lu}`, 'u');

/**
 * A generic phrase that names the idea or a topic, not the paper: defined with
 * its abbreviation or glossed by a remark (DEFINES_TERM, glossedTerm), an
 * English gloss of a Chinese term (GLOSS_BEFORE), or a tag's or folder's count
 * (COUNTED).
 */
function namesTopic(hit: HitInContext): boolean {
  return (
    DEFINES_TERM().test(hit.after) ||
    glossedTerm(hit) ||
    (GLOSS_BEFORE().test(hit.before) && GLOSS_AFTER.test(hit.after)) ||
    COUNTED.test(hit.after)
  );
}

/** How much of the line before a match is searched for the URL it may be part of. */
const URL_RUN_LIMIT = 2000;
const IS_SPACE = /\s/u;
/** What a URL's path and query are written with (no quotes, brackets, commas or spaces). */
const URL_CHARACTERS = /^[\w\-.~:/?#@!$&+=%]*$/u;

/**
 * Whether the match is part of a URL written out in the text, glued to it with
 * no space: `https://…/html/Chandra_Continual_Learning_With_Dependency_…`
 * pasted in a chat. A slug is not a citation (the link text a reader sees is
 * the URL). Found by walking back over the last run of non-space characters,
 * which is linear where a pattern anchored at the end would retry every
 * position of a long run.
 */
export function insideUrl(before: string): boolean {
  let start = before.length;
  const stop = Math.max(0, before.length - URL_RUN_LIMIT);
  while (start > stop && !IS_SPACE.test(before[start - 1] as string)) start--;
  if (start === before.length) return false;
  const run = before.slice(start);
  // The URL must reach the match unbroken: `"url":"https://…","title":"Pointer Networks"` ends its URL at the quote.
  const scheme = run.lastIndexOf('://');
  const www = scheme < 0 ? run.search(/(?:^|[^\w.])www\./iu) : -1;
  if (scheme < 0 && www < 0) return false;
  return URL_CHARACTERS.test(run.slice(scheme >= 0 ? scheme + 3 : www + 1));
}

export function acceptHit(hit: HitInContext): boolean {
  if (insideUrl(hit.before)) return false;
  // Called a paper by name, however it is cased: `the pointer networks paper`.
  if (hit.kind !== 'truncated' && namedAsPaper(hit.before, hit.after)) return true;
  // Said to be a title (`its title is …`, `titled …`): a full title, however it is cased.
  if (hit.kind === 'full' && saidToBeTitle(hit.before) && !continuesAsTitle(hit.before, hit.after)) return true;
  // A main title that goes on into a subtitle that is not its own names another paper
  // (`Rethinking …: A Bag-Level Classifier …`); its own would have matched in full.
  if (hit.kind === 'main' && OTHER_SUBTITLE().test(hit.after)) return false;
  // A short main title before a colon and anything else is that other thing's title
  // (`Order Matters: ninth season of our lecture series`).
  if (hit.kind === 'main' && !hit.distinctive && COLON_AFTER.test(hit.after)) return false;
  // So does a generic full title that goes on into a title-cased subtitle.
  if (hit.kind === 'full' && !hit.distinctive && TITLE_CASED_SUBTITLE().test(hit.after)) return false;
  if (!hit.distinctive && namesTopic(hit)) return false;
  // A course number beside a generic or short title: a catalogue's course (`CS 246R: Relational Deep Learning`).
  if ((!hit.distinctive || hit.kind !== 'full') && namesCourse(hit.before, hit.after)) return false;
  // Opening its line as a paper's name, written as a title: `Pointer Networks paper explained`.
  if (hit.kind !== 'truncated' && headsLineAsPaper(hit.before, hit.after) && writtenAsTitle(hit.asWritten, hit.title)) return true;
  const alone = () =>
    hit.wholeElement ||
    standsAlone(hit.before, hit.after) ||
    standsAloneInElement(hit) ||
    (hit.distinctive && betweenScripts(hit.before, hit.after));
  if (hit.kind === 'main' && !hit.distinctive) {
    // A short or generic main title alone: only quoted, or with its citation, or where
    // the page named the paper in full and this stands as a title written as one.
    // In quotes, not a lower-case phrase in scare quotes (`(„order matters“)`).
    if ((quoted(hit.before, hit.after) && !isLowerCase(hit.asWritten)) || citedAsTitle(hit) || introducedAsTitle(hit)) return true;
    return hit.namedOnPage === true && writtenAsTitle(hit.asWritten, hit.title) && alone();
  }
  if (hit.kind !== 'full') return alone();
  if (alone()) {
    // A lower-case phrase set off by commas or dashes in notes, a link or only in
    // bold (a search page bolds the query, `<b>pointer networks</b> pytorch`, and
    // links its related searches, `pointer networks · order matters`), is not yet
    // a citation, unless the title is distinctive or the page writes it the way
    // the digest does.
    const wholeTitleElement = hit.wholeElement && !isLowerCase(hit.asWritten);
    return wholeTitleElement || hit.distinctive || isCapitalised(hit.asWritten) || writtenAsTitle(hit.asWritten, hit.title);
  }
  // A title-cased title followed by its citation, or introduced as a paper, names it, generic or not.
  if (citedAsTitle(hit) || introducedAsTitle(hit)) return true;
  if (!hit.distinctive) return false;
  if (writtenAsTitle(hit.asWritten, hit.title) || opensWithItsName(hit)) return !continuesAsTitle(hit.before, hit.after);
  // A distinctive title in sentence case inside a sentence (`is General-purpose
  // in-context learning by meta-learning transformers the Kirsch one?`): its capital
  // opens a title. At a sentence's start the capital is the sentence's own
  // (`… targets. Sequence to sequence learning with neural networks has become the
  // default`): the method, in ordinary words.
  return isCapitalised(hit.asWritten) && !OPENS_SENTENCE.test(hit.before);
}

/**
 * A distinctive full title that opens with its coined name as the digest writes
 * it (`NEVIS’22 — a stream of 100 tasks …`, `SLCA: slow learner with …`): the
 * name vouches for the rest, however the subtitle is cased. A name is a first
 * word with two capitals or a capital and a digit (not `A`, `Learning`).
 */
const COINED_NAME = lazyRegExp(String.raw`\p{Lu}.*(?:\p{Lu}|\d)`, 'u');
function opensWithItsName(hit: HitInContext): boolean {
  const name = /^[^\s:]+/u.exec(hit.title)?.[0] ?? '';
  if (!COINED_NAME().test(name)) return false;
  return lettersAndDigits(hit.asWritten).startsWith(lettersAndDigits(name));
}
