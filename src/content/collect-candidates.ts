/**
 * Collects candidate title strings from a document: link and heading texts,
 * keyed by their normalised form so the background can look them up by key.
 */
import { normalizeTitle } from '../shared/normalize';
import { MAX_KEY_LENGTH } from '../shared/protocol';

const CANDIDATE_SELECTOR = 'a[href], h1, h2, h3, h4, h5, h6';
/** Titles are short; longer texts are paragraphs, not titles. */
const MAX_CANDIDATE_LENGTH = 400;
const MIN_KEY_LENGTH = 8;

function isExcluded(element: Element): boolean {
  return element.closest('[contenteditable=""], [contenteditable="true"], [hidden], [aria-hidden="true"]') !== null;
}

export function collectCandidates(root: ParentNode): Map<string, Element[]> {
  const byKey = new Map<string, Element[]>();
  for (const element of root.querySelectorAll(CANDIDATE_SELECTOR)) {
    const text = element.textContent ?? '';
    if (text.length > MAX_CANDIDATE_LENGTH || isExcluded(element)) continue;
    const key = normalizeTitle(text);
    if (key.length < MIN_KEY_LENGTH || key.length > MAX_KEY_LENGTH) continue;
    const list = byKey.get(key);
    if (list) list.push(element);
    else byKey.set(key, [element]);
  }
  return byKey;
}
