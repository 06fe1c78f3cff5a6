/**
 * British and American spellings of one word, folded to one match word:
 * `optimisation` and `optimization`, `modelling` and `modeling`, `behaviour`
 * and `behavior` name the same title word. Readers cite titles in their own
 * spelling, and sites re-spell them (a UK newsletter, an Australian syllabus).
 *
 * The fold applies to *match words* only: both sides of a comparison, the
 * digest's match keys (title-index.ts) and the page's words (tokenize.ts,
 * candidates.ts). Paper ids stay derived from normalizeTitle, unfolded, so the
 * reading list, keyed by id, is untouched.
 *
 * Because both sides fold alike, a rule can only confuse two words that fold to
 * the same spelling (`-ise` words never have a distinct `-ize` twin in titles).
 * Each rule therefore needs a few letters before the suffix, which keeps short
 * words (`four`, `your`, `noise`, `telling`) out of it.
 *
 * These are spelling-system rules, not a word list: they fold words no digest
 * has yet (`tokenisation`, `parameterised`, `labelling`).
 */

/**
 * [pattern, replacement] on one lower-case word, tried in order; the first that
 * matches folds it. Patterns are anchored at both ends.
 */
const RULES: readonly [RegExp, string][] = [
  // optimisation, generalised, tokenising, regulariser, normalises
  [/^([a-z]{3,})is(ation|ations|e|es|ed|ing|er|ers)$/, '$1iz$2'],
  // analyse, paralysed, catalysing (`analysis`, `analyses` of it stay apart from `analyze`s only by their own rule)
  [/^([a-z]{3,})ys(e|es|ed|ing|er|ers)$/, '$1yz$2'],
  // behaviour(s), neighbourhood, colour, favoured, labouring; not four, your, hour, tour
  [/^([a-z]{3,})our(s|ed|ing|ite|ites|able|hood|hoods|less)?$/, '$1or$2'],
  // modelling, labelled, travellers, signalling, tunnelled; not telling, selling, calling
  [/^([a-z]{3,})(e|a)ll(ing|ed|er|ers)$/, '$1$2l$3'],
  // centre, metres, fibre, theatre
  [/^([a-z]{2,})(t|b)re(s)?$/, '$1$2er$3'],
  // dialogue, catalogues, analogue; not vogue, rogue
  [/^([a-z]{3,})ogue(s)?$/, '$1og$2'],
  // towards, afterwards, backwards: the directional -wards (not rewards, a plural)
  [/^(to|after|back|for|up|down|on|in|out|home|east|west|north|south)wards$/, '$1ward'],
];

const HAS_W = /(?:^| )w(?: |$)/;

/** Letters any rule needs in the word: a cheap test before the patterns (most words have none of them). */
const MAY_FOLD = /is|ys|our|ll|re|ogue|wards/;

/**
 * The match word of `word` (lower-case, no punctuation): its American spelling
 * where a rule applies; `w` (notes and posts write `w/` for "with") is `with`.
 */
export function foldWord(word: string): string {
  if (word === 'w') return 'with';
  if (word.length < 5 || !MAY_FOLD.test(word)) return word;
  for (const [pattern, replacement] of RULES) {
    if (pattern.test(word)) return word.replace(pattern, replacement);
  }
  return word;
}

/** foldWord over words joined by single spaces (a match key, or a candidate's words). */
export function foldWords(words: string): string {
  if (!MAY_FOLD.test(words) && !HAS_W.test(words)) return words;
  let folded = '';
  let start = 0;
  while (start <= words.length) {
    let end = words.indexOf(' ', start);
    if (end < 0) end = words.length;
    folded += (start > 0 ? ' ' : '') + foldWord(words.slice(start, end));
    start = end + 1;
  }
  return folded;
}
