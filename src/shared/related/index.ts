/**
 * Related papers (issue 6): public API.
 *
 *   computeRelated(papers, options?)   -> Map id -> [{ id, score, reason }], best first
 *   computeTfidfBaseline(papers)       -> the same with the TF-IDF cosine floor
 *   buildRelated(papers, options?)     -> RelatedResult (typed arrays; the scalable core)
 *   packRelated(result)                -> PackedRelated (compact stored form)
 *   readNeighbours(pack, id)           -> one paper's neighbours from the pack, O(log N + k)
 *   packedToJson / packedFromJson      -> the pack as JSON (base64 arrays) and back
 *
 * related.ts explains the method, text.ts the tokenisation, search.ts the scaling,
 * compact.ts the stored form.
 */
export {
  buildRelated,
  computeRelated,
  computeTfidfBaseline,
  neighbourAt,
  toTable,
  DEFAULT_K,
  RELATED_DEFAULTS,
  TFIDF_BASELINE,
  type RelatedNeighbour,
  type RelatedOptions,
  type RelatedPaperText,
  type RelatedResult,
  type RelatedTable,
} from './related';
export {
  indexOfPaper,
  packedFromJson,
  packedSize,
  packedToJson,
  packRelated,
  readNeighbours,
  RELATED_FORMAT,
  type PackedRelated,
  type PackedRelatedJson,
} from './compact';
export { stem, termsOf, ENGLISH_STOPWORDS, SCHOLARLY_STOPWORDS, GENERIC_FIELD_STEMS } from './text';
