/**
 * Text -> terms for the related-papers engine: tokenisation, stopwords, a light
 * stemmer and two-word phrases. Pure and dependency-free: it runs in the build
 * (Node), and later in an options page or a worker.
 *
 * Why hand-written rather than an npm package:
 * - Stemming: the registry's stemmers (`stemmer`, `wink-porter2-stemmer`, `natural`)
 *   implement Porter, which also strips derivational suffixes and so merges words a
 *   researcher keeps apart: general/generalization, optimal/optimization,
 *   continual/continuous, distill/distillation all fall together. Reasons shown to
 *   the reader would then name the wrong word. We only fold inflections (plurals,
 *   -ing, -ed), which is what "prompt / prompts / prompting" needs, in 40 lines.
 * - Stopwords: `stopwords-iso` and `stopword` are general-language lists; what
 *   hurts here is the boilerplate of abstracts ("we propose a novel method ... extensive
 *   experiments show ... state-of-the-art"), which no generic list has. Both lists
 *   below are short and visible, so a reader can see why a word never shows up in a
 *   reason.
 * - No dependency lands in the extension bundle for a few hundred lines.
 */
import { lazyRegExp } from '../lazy-regexp';

/** English function words (close to the common IR lists: articles, pronouns, auxiliaries, prepositions). */
export const ENGLISH_STOPWORDS: ReadonlySet<string> = new Set(
  `a about above across after afterwards again against all almost alone along already also although always am among amongst an and
  another any anyhow anyone anything anyway anywhere are around as at be became because become becomes becoming been before beforehand
  behind being below beside besides between beyond both but by can cannot could did do does doing done down due during each eg either
  else elsewhere enough etc even ever every everyone everything everywhere except few for former formerly from further had has have having
  he hence her here hereafter hereby herein hers herself him himself his how however i ie if in indeed into is it its itself just
  latter latterly least less many may me meanwhile might mine more moreover most mostly much must my myself namely neither never
  nevertheless next no nobody none nor not nothing now nowhere of off often on once one only onto or other others otherwise our ours
  ourselves out over own per perhaps please quite rather re same several she should since so some somehow someone something sometime
  sometimes somewhere still such than that the their theirs them themselves then thence there thereafter thereby therefore therein
  thereupon these they this those though through throughout thru thus to together too toward towards under until up upon us very via
  was we well were what whatever when whence whenever where whereafter whereas whereby wherein whereupon wherever whether which while
  whither who whoever whole whom whose why will with within without would yet you your yours yourself yourselves`.split(/\s+/),
);

/**
 * Boilerplate of research abstracts: words every paper uses to say it did
 * something ("we propose a novel approach ... experiments demonstrate ..."). They
 * carry no topic, so two papers sharing them are not related for that reason.
 * Kept apart from the generic *field* words below, which do carry some topic.
 */
export const SCHOLARLY_STOPWORDS: ReadonlySet<string> = new Set(
  `paper papers work works propose proposes proposed proposing present presents presented introduce introduces introduced show shows
  shown showing demonstrate demonstrates demonstrated demonstrating novel new existing extensive experiment experiments experimental
  experimentally result results resulting state art sota outperform outperforms outperforming outperformed significant significantly
  achieve achieves achieved achieving based use uses used using effective effectiveness approach approaches method methods methodology
  first second third finally further furthermore additionally specifically particular particularly various different several many
  recent recently prior previous previously current currently strong superior simple simply comprehensive broad wide widely large
  small high low better best good well improve improves improved improving improvement improvements make makes made making provide
  provides provided study studies studied investigate investigates investigated address addresses addressed consider considers
  considered code available publicly github com https http www org html code codes release released conduct conducted compared compare end
  comparison furthermore thus hence often typically usually commonly common key main able ability way ways lead leads leading
  across given give gives find finds found observe observed observation term terms including include includes includes aim aims
  well-known known remain remains remaining despite toward towards respectively et al eg ie vs ii iii iv vi vii viii ix`.split(/\s+/),
);

/**
 * Adverbs (`interestingly`, `surprisingly`, `respectively`, `fully`) say how, not
 * what: with the scholarly stopwords, words ending in -ly are dropped, except these
 * nouns and verbs that happen to end so.
 */
const LY_NOT_ADVERBS: ReadonlySet<string> = new Set(
  'anomaly anomalies family families assembly assemblies apply supply reply multiply monopoly italy july poly only early'.split(' '),
);

/** True for words dropped as abstract boilerplate (SCHOLARLY_STOPWORDS and -ly adverbs). */
export function isScholarlyStopword(lower: string): boolean {
  return SCHOLARLY_STOPWORDS.has(lower) || (lower.length > 4 && lower.endsWith('ly') && !LY_NOT_ADVERBS.has(lower));
}

/**
 * Words of the field itself: nearly every machine-learning abstract has them, so
 * on their own they say little about a topic ("both: learning, model"). They are
 * damped, not dropped: inside a phrase they still count ("continual learning"),
 * and IDF already lowers them in a large digest; the damping matters most for a
 * small digest, where IDF estimates are noisy. Stems (see stem()).
 */
export const GENERIC_FIELD_STEMS: ReadonlySet<string> = new Set(
  `learn learner model network neural deep machine data dataset train task performance algorithm framework system
  problem accuracy result setting set function technique paradigm`.split(/\s+/),
);

/**
 * Hyphenated prefixes that form one word with what follows (`pre-trained` =
 * `pretrained`, `re-ranking` = `reranking`, `non-convex` = `nonconvex`), so both
 * spellings meet. Other hyphenated compounds are split into their words, which
 * then form a phrase (`class-incremental` -> `class incremental`).
 */
const BOUND_PREFIXES = new Set(['pre', 're', 'non', 'co', 'un', 'de', 'sub', 'anti', 'post', 'mis', 'semi', 'multi', 'bi']);

/**
 * One scan finds words and the punctuation that ends a phrase (two words on either
 * side of `.`, `,`, `;`, `:`, brackets, quotes or a spaced dash never form a
 * bigram). Apostrophes and hyphens stay inside a word and are handled after.
 */
const SCAN = lazyRegExp(String.raw`([\p{L}\p{N}]+(?:['\u2019-][\p{L}\p{N}]+)*)|[.,;:!?()[\]{}"\u201c\u201d]|\s[-\u2013\u2014]+\s|--`, 'gu');
const URL = /\b(?:https?:\/\/|www\.)\S+|\b[\w-]+\.(?:com|org|io|net)\/\S*/gi;
const MAY_HAVE_URL = /https?:|www\.|\.(?:com|org|io|net)\//i;
const HAS_LETTER = lazyRegExp(String.raw`\p{L}`, 'u');
const VOWEL = /[aeiouy]/;

/**
 * A light inflectional stemmer: plurals, -ing and -ed, then a final silent `e`
 * removed so `encode / encodes / encoding / encoded` meet at `encod`. It never
 * removes derivational suffixes (-ation, -al, -ity, -ize), so distinct concepts
 * stay distinct. Keys are internal; reasons show the word as written.
 */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3) return w;
  // Plurals.
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (/(?:ch|sh|x|zz)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(?:ss|us|is|ys|as)$/.test(w)) w = w.slice(0, -1);
  // -ing / -ed, when a real stem with a vowel remains (`training`, not `thing`; `learned`, not `need`).
  let stripped = false;
  if (w.endsWith('ing') && w.length >= 6 && VOWEL.test(w.slice(0, -3))) {
    w = w.slice(0, -3);
    stripped = true;
  } else if (w.endsWith('ed') && w.length >= 6 && VOWEL.test(w.slice(0, -2))) {
    w = w.slice(0, -2);
    stripped = true;
  }
  if (stripped) {
    // `embedd` -> `embed`, `runn` -> `run`; keep ll/ss/zz (`distill`, `pass`).
    const last = w.charAt(w.length - 1);
    if (w.length > 3 && last === w.charAt(w.length - 2) && !'lsz'.includes(last) && !VOWEL.test(last)) w = w.slice(0, -1);
    // `ies` was undone above; `-ied` (`applied`) -> `appli` -> `apply`.
    if (w.endsWith('i')) w = `${w.slice(0, -1)}y`;
  }
  if (w.length > 4 && w.endsWith('e') && !w.endsWith('ee')) w = w.slice(0, -1);
  return w;
}

export interface TokenOptions {
  /** Fold inflections with stem(); off for the plain baseline. */
  stem: boolean;
  /** Also drop SCHOLARLY_STOPWORDS (ENGLISH_STOPWORDS are always dropped). */
  scholarlyStopwords: boolean;
  /** Emit two-word phrases of adjacent content words within a sentence part. */
  phrases: boolean;
}

/** One term occurrence: `key` identifies the term, `surface` is how the text wrote it (for reasons). */
export interface TermOccurrence {
  key: string;
  surface: string;
}

/**
 * Terms are numbers, not strings: a word is its id (0 .. PHRASE_BASE-1) and the
 * phrase of words a, b is (a + 1) * PHRASE_BASE + b (exact in a double, < 2^53).
 * Counting 100k abstracts means tens of millions of phrase occurrences; as numbers
 * they need no string building or string hashing. Strings are made only for the
 * terms a paper keeps (Tokenizer.keyOf).
 */
export const PHRASE_BASE = 2 ** 26;

/**
 * Receives each term occurrence: a word or a two-word phrase (`second` defined).
 * `first` and `second` are the words as written; build a surface only when needed
 * (surfaceOf), since most occurrences are only counted.
 */
export type TermSink = (term: number, first: string, second: string | undefined) => void;

/**
 * Turns text into term occurrences. Keeps a cache from each written word to its id
 * (or -1 for a stopword), so stemming and stopword tests run once per distinct
 * word rather than once per occurrence: the digest is scanned twice, and 100k
 * abstracts hold some 20M words but only a few hundred thousand distinct ones.
 */
export class Tokenizer {
  /** Word id -> key (stem). */
  readonly words: string[] = [];
  private readonly wordIds = new Map<string, number>();
  private readonly generic: boolean[] = [];
  private readonly cache = new Map<string, number>();
  constructor(readonly options: TokenOptions) {}

  /** The word id of a written word, or -1 when it is not a content word. */
  wordOf(raw: string): number {
    const cached = this.cache.get(raw);
    if (cached !== undefined) return cached;
    const lower = raw.toLowerCase();
    const content =
      lower.length >= 2 &&
      HAS_LETTER().test(lower) &&
      !ENGLISH_STOPWORDS.has(lower) &&
      !(this.options.scholarlyStopwords && isScholarlyStopword(lower));
    let id = -1;
    if (content) {
      const key = this.options.stem ? stem(lower) : lower;
      id = this.wordIds.get(key) ?? -1;
      if (id < 0) {
        id = this.words.length;
        if (id >= PHRASE_BASE) throw new RangeError('related: more distinct words than term ids');
        this.wordIds.set(key, id);
        this.words.push(key);
        this.generic.push(GENERIC_FIELD_STEMS.has(key));
      }
    }
    // Bounded: a pathological digest cannot grow the spelling cache without limit.
    if (this.cache.size > 1_000_000) this.cache.clear();
    this.cache.set(raw, id);
    return id;
  }

  /** The key of a term: the word's stem, or two stems joined by a space. */
  keyOf(term: number): string {
    if (term < PHRASE_BASE) return this.words[term] as string;
    const first = Math.floor(term / PHRASE_BASE) - 1;
    return `${this.words[first] as string} ${this.words[term - (first + 1) * PHRASE_BASE] as string}`;
  }

  /** The word ids of a term: [word, -1] or the phrase's [first, second]. */
  wordsOf(term: number): [number, number] {
    if (term < PHRASE_BASE) return [term, -1];
    const first = Math.floor(term / PHRASE_BASE) - 1;
    return [first, term - (first + 1) * PHRASE_BASE];
  }

  /** A term is generic when every word of it is a generic field word (`neural network`, `learning`). */
  isGeneric(term: number): boolean {
    if (term < PHRASE_BASE) return this.generic[term] === true;
    const first = Math.floor(term / PHRASE_BASE) - 1;
    return this.generic[first] === true && this.generic[term - (first + 1) * PHRASE_BASE] === true;
  }

  /** Calls `sink` for every word, and for every adjacent pair of content words within a phrase, of `text`. */
  scan(text: string, sink: TermSink): void {
    const clean = MAY_HAVE_URL.test(text) ? text.replace(URL, ' . ') : text;
    let previous = -1;
    let previousRaw = '';
    for (const match of clean.matchAll(SCAN())) {
      const word = match[1];
      if (word === undefined) {
        previous = -1;
        continue;
      }
      const parts = word.includes('-') || word.includes("'") || word.includes('\u2019') ? splitCompound(word) : [word];
      for (const raw of parts) {
        const id = this.wordOf(raw);
        if (id < 0) {
          // A stopword or number breaks a phrase: `learning of representations` is no `learning representations`.
          previous = -1;
          continue;
        }
        sink(id, raw, undefined);
        if (this.options.phrases && previous >= 0 && previous !== id) sink((previous + 1) * PHRASE_BASE + id, previousRaw, raw);
        previous = id;
        previousRaw = raw;
      }
    }
  }
}

/** How a term is shown in a reason, from the words as written. */
export function surfaceOf(first: string, second: string | undefined): string {
  return second === undefined ? displayWord(first) : `${displayWord(first)} ${displayWord(second)}`;
}

/** Term occurrences of a text, in order (a convenience over Tokenizer for tests and small inputs). */
export function termsOf(text: string, options: TokenOptions): TermOccurrence[] {
  const out: TermOccurrence[] = [];
  const tokenizer = new Tokenizer(options);
  tokenizer.scan(text, (term, first, second) => out.push({ key: tokenizer.keyOf(term), surface: surfaceOf(first, second) }));
  return out;
}

/** A term key is generic when every word of it is a generic field word (`neural network`, `learning`). */
export function isGenericTerm(key: string): boolean {
  const space = key.indexOf(' ');
  if (space < 0) return GENERIC_FIELD_STEMS.has(key);
  return GENERIC_FIELD_STEMS.has(key.slice(0, space)) && GENERIC_FIELD_STEMS.has(key.slice(space + 1));
}

/**
 * `pre-trained` -> [`pretrained`]; `class-incremental` -> [`class`, `incremental`];
 * `world's` -> [`world`].
 */
function splitCompound(word: string): string[] {
  const cleaned = word.replace(/['\u2019]s$/i, '').replace(/['\u2019]/g, '');
  if (!cleaned.includes('-')) return [cleaned];
  const parts = cleaned.split('-').filter((p) => p !== '');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (BOUND_PREFIXES.has(part.toLowerCase()) && i + 1 < parts.length) {
      parts[i + 1] = part + (parts[i + 1] as string);
      continue;
    }
    out.push(part);
  }
  return out;
}

/** Acronyms and mixed-case names keep their case (`LLMs`, `NTK`, `GraphCodeBERT`); other words are lower-cased. */
function displayWord(raw: string): string {
  let capitals = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 65 && c <= 90) capitals++;
  }
  return capitals >= 2 ? raw : raw.toLowerCase();
}
