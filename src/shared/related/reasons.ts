/**
 * Reasons a reader can check: the terms two papers share that did the most for
 * their score, e.g. "both: continual learning, prompts". A reason only ever
 * names terms present in both papers' vectors, so it is true of both texts.
 */
import type { TermVectors } from './vectors';

/** Most terms in one reason: more reads as a word list, not a reason. */
export const MAX_REASON_TERMS = 3;

/**
 * Term ids explaining why `a` and `b` are related, strongest first. Shared terms
 * are ranked by their part of the dot product (weight in a x weight in b); then:
 * - a phrase beats the words inside it (`continual learning`, not `continual` and
 *   `continual learning`), and a word already inside a chosen phrase is skipped;
 * - two phrases that share a non-generic word are one idea: the second is skipped;
 * - generic field terms (`neural networks`) are named only when nothing else is shared.
 */
export function reasonTerms(vectors: TermVectors, a: number, b: number, max: number = MAX_REASON_TERMS): number[] {
  const { offsets, terms, weights, words, genericWords } = vectors;
  // Shared terms and their part of the dot product (a few dozen at most).
  const sharedTerms: number[] = [];
  const contributions: number[] = [];
  let i = offsets[a] as number;
  let j = offsets[b] as number;
  const iEnd = offsets[a + 1] as number;
  const jEnd = offsets[b + 1] as number;
  while (i < iEnd && j < jEnd) {
    const ti = terms[i] as number;
    const tj = terms[j] as number;
    if (ti === tj) {
      sharedTerms.push(ti);
      contributions.push((weights[i++] as number) * (weights[j++] as number));
    } else if (ti < tj) i++;
    else j++;
  }
  const order = sharedTerms.map((_, x) => x);
  order.sort((x, y) => (contributions[y] as number) - (contributions[x] as number) || (sharedTerms[x] as number) - (sharedTerms[y] as number));

  const chosen: number[] = [];
  const isPhraseTerm = (t: number) => (words[2 * t + 1] as number) >= 0;
  /** Phrase t holds word w (a word id). */
  const holds = (t: number, w: number) => words[2 * t] === w || words[2 * t + 1] === w;
  /** Phrases t and u share a word that is not generic. */
  const overlap = (t: number, u: number) =>
    (genericWords[2 * t] === 0 && holds(u, words[2 * t] as number)) || (genericWords[2 * t + 1] === 0 && holds(u, words[2 * t + 1] as number));
  for (const x of order) {
    const term = sharedTerms[x] as number;
    if (vectors.generic[term] === 1) continue;
    if (isPhraseTerm(term)) {
      if (chosen.some((c) => isPhraseTerm(c) && overlap(term, c))) continue;
      // The phrase replaces the words of it already chosen.
      for (let y = chosen.length - 1; y >= 0; y--) {
        const c = chosen[y] as number;
        if (!isPhraseTerm(c) && holds(term, words[2 * c] as number)) chosen.splice(y, 1);
      }
    } else if (chosen.some((c) => isPhraseTerm(c) && holds(c, words[2 * term] as number))) {
      continue;
    }
    if (chosen.length >= max) break;
    chosen.push(term);
  }
  if (chosen.length === 0 && order.length > 0) chosen.push(sharedTerms[order[0] as number] as number);
  return chosen;
}

/** "both: continual learning, prompts"; empty when nothing is shared. */
export function formatReason(surfaces: readonly string[]): string {
  return surfaces.length > 0 ? `both: ${surfaces.join(', ')}` : '';
}
