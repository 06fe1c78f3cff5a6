/**
 * Title normalisation: the single definition of "the same title" used by the
 * digest build (ids, match keys), the background index and the content script.
 * It must stay cheap and dependency-free because the content script runs it on
 * every candidate string of every page.
 */
import { hashToBase36 } from './hash';
import { latexToText } from './latex';
import { lazyRegExp } from './lazy-regexp';

const COMBINING_MARKS = /[\u0300-\u036f]/g;
/**
 * Apostrophes join a word (`NEVIS'22`, `don't`) rather than split it, and so does
 * a caret: `E^2-LLM`, `E$^2$-LLM`, `E²-LLM` and `E2-LLM` are one spelling.
 */
const APOSTROPHES = /['\u2018\u2019\u02BC\u0060\u00B4^]/g;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** Soft hyphens and zero-width characters vanish inside words (`contin\u00ADual`). */
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;
const NOT_WORD = lazyRegExp(String.raw`[^\p{L}\p{N}]+`, 'gu');

/**
 * The match key of a title: NFKC, LaTeX residue reduced to its letters, diacritics
 * stripped, case folded, apostrophes removed, every other run of punctuation or
 * whitespace turned into one space. Digits are kept (`E^2-LLM` -> `e 2 llm`).
 */
export function normalizeTitle(title: string): string {
  // Printable ASCII is unchanged by NFKC, NFD and diacritic stripping: skip them
  // for the common case (the content script runs this on every candidate).
  const ascii = PRINTABLE_ASCII.test(title);
  let text = ascii ? title : title.normalize('NFKC');
  if (text.includes('\\') || text.includes('$') || text.includes('{')) {
    // TeX as written on pages (`E$^2$-LLM`, `Fr\'echet`, `Fran\c{c}ois`,
    // `Evo\textbf{Lved}`): the same reading as the abstracts get, so a command
    // never splits a word and a letter accent keeps its letter.
    text = latexToText(text);
  }
  if (!ascii || text !== title) text = text.normalize('NFD').replace(COMBINING_MARKS, '');
  text = text.toLowerCase();
  if (!ascii) text = text.replace(/ß/g, 'ss').replace(INVISIBLE, '');
  text = text.replace(APOSTROPHES, '');
  return text.replace(NOT_WORD(), ' ').trim();
}

/**
 * A paper's id: short, URL-safe and stable, derived from the normalised title so
 * the same paper in a later digest (even re-cased or re-punctuated) keeps its id.
 */
export function paperIdForTitle(title: string): string {
  return paperIdForKey(normalizeTitle(title));
}

/** The id for an already-normalised title (saves normalising twice on hot paths). */
export function paperIdForKey(key: string): string {
  return hashToBase36(key);
}
