/**
 * Deterministic synthetic digests for benchmarks and tests (issue 2, §9).
 *
 *   npx tsx scripts/synthetic-digest.ts N [OUTFILE] [--seed S] [--date "Mar 13"]
 *
 * The text follows the seed format (DESIGN.md §1): the listing header, a date
 * line, then title / blank / abstract / blank per paper. Every word comes from
 * the real digests in seeds/: titles are recombined from seed title words and
 * abstracts from seed abstract sentences (kept raw, so the LaTeX residue the
 * parser has to clean is there too). Each synthetic paper leans on one seed
 * paper (its "topic"), so papers cluster by subject the way real ones do, which
 * related-papers and search benchmarks rely on.
 *
 * Same (count, seed, vocabulary) gives the same text; no Math.random. The
 * vocabulary is read from the seed files, so adding a seed changes the output.
 * Papers are generated in order, so generatePapers(n) is a prefix of
 * generatePapers(m) for m > n with the same seed.
 *
 * API:
 *   generatePapers(count, options)  -> { title, abstract }[] (raw digest text)
 *   formatDigest(papers, date)      -> digest text
 *   generateDigest(count, options)  -> formatDigest(generatePapers(...))
 *   writeDigestFiles(dir, count)    -> writes dir/synthetic_<count>.txt
 *   loadVocabulary(seedsDir)        -> the word lists, cached per folder
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseDigest } from '../src/shared/digest-parser';
import { normalizeTitle } from '../src/shared/normalize';
import { DEFAULT_SEEDS_DIR, digestFilesIn, readDigestFile } from './digest-files';

export interface SyntheticOptions {
  /** PRNG seed; default 1. */
  seed?: number;
  /** The date line; default `Mar 13`. Must be a date line the parser accepts. */
  date?: string;
  /** Where the vocabulary comes from; default the project's seeds/ folder. */
  seedsDir?: string;
}

/** One generated paper, as it is written into the digest (the abstract is raw, not de-TeXed). */
export interface SyntheticPaper {
  title: string;
  abstract: string;
}

/** A seed paper broken into reusable parts. */
interface SeedTopic {
  /** Runs of consecutive content words of its title (`Neural Networks`), no `Name:` prefix. */
  titleRuns: string[][];
  /** Indexes into Vocabulary.sentences. */
  sentences: number[];
}

export interface Vocabulary {
  /** Seed papers the generated ones lean on. */
  topics: SeedTopic[];
  /** Every title content word of the seeds, deduplicated. */
  titleWords: string[];
  /** Every title run of the seeds. */
  titleRuns: string[][];
  /** Short names used before `:` in seed titles (`SLCA`, `CODA-Prompt`). */
  names: string[];
  /** Abstract sentences without URLs, raw as written. */
  sentences: string[];
  /** Words per sentence (parallel to sentences). */
  sentenceWords: number[];
  /** Plain lowercase words of the abstracts, for light word substitution. */
  abstractWords: string[];
  /** GitHub owners seen in seed links (`GengDavid`, `salesforce`). */
  codeOwners: string[];
}

export const DEFAULT_DATE = 'Mar 13';
export const DEFAULT_SEED = 1;
/** Bounds promised to benchmarks. */
export const TITLE_WORDS = { min: 5, max: 16 } as const;
export const ABSTRACT_WORDS = { min: 120, max: 250 } as const;
/** Share of abstracts that end with a code link. */
export const LINK_RATE = 0.1;

const HEADER = ['new', 'Get trending papers in your email inbox!', 'Subscribe', 'byAK and the research community'];
/** Generated files carry this prefix and are never read back as vocabulary. */
const SYNTHETIC_PREFIX = 'synthetic_';

const FUNCTION_WORDS = new Set(
  'a an the for with of via in on and or to from under by is are at as using across toward towards into through without about do can what when why how much all you need not'.split(
    ' ',
  ),
);
const CONNECTORS = ['for', 'with', 'of', 'via', 'in', 'for', 'with', 'and', 'under', 'from', 'on', 'through', 'using', 'across'];
const OPENERS = ['A', 'A', 'Towards', 'On the', 'Rethinking', 'Learning', 'Understanding', 'Efficient', 'Improving'];
const LINK_SENTENCES = [
  'Code is available at',
  'Our code is publicly available at',
  'Code and models are available at',
  'The implementation is released at',
];

// ---------------------------------------------------------------------------
// PRNG

/** mulberry32: a tiny, fast 32-bit PRNG; good enough for test data, fully deterministic. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded source of choices, so generated data is the same on every run. */
export class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** Integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Random.pick: empty list');
    return items[this.int(items.length)] as T;
  }
}

// ---------------------------------------------------------------------------
// Vocabulary

const vocabularies = new Map<string, Vocabulary>();

/** Reads and parses the seed digests of `seedsDir` into word lists (cached per folder). */
export function loadVocabulary(seedsDir: string = DEFAULT_SEEDS_DIR): Vocabulary {
  const dir = resolve(seedsDir);
  const cached = vocabularies.get(dir);
  if (cached) return cached;
  const files = digestFilesIn(dir).filter((path) => !basename(path).startsWith(SYNTHETIC_PREFIX));
  const vocabulary = buildVocabulary(files.map((path) => ({ text: readDigestFile(path), file: basename(path) })));
  vocabularies.set(dir, vocabulary);
  return vocabulary;
}

/** Builds the word lists from digest texts (exported for tests that want a fixed vocabulary). */
export function buildVocabulary(digests: { text: string; file: string }[]): Vocabulary {
  const topics: SeedTopic[] = [];
  const titleWords = new Set<string>();
  const titleRuns: string[][] = [];
  const names = new Set<string>();
  const sentences: string[] = [];
  const sentenceWords: number[] = [];
  const sentenceIndex = new Map<string, number>();
  const abstractWords = new Set<string>();
  const codeOwners = new Set<string>();

  for (const { text, file } of digests) {
    const parsed = parseDigest(text, file);
    // The parser gives clean text; the raw abstract line (with its LaTeX residue,
    // which the benchmarks should exercise) is the paragraph after the title.
    const rawAbstracts = rawAbstractsByTitle(text);
    for (const paper of parsed.papers) {
      for (const link of paper.links) {
        const owner = /^https:\/\/github\.com\/([\w-]+)\//.exec(link)?.[1];
        if (owner) codeOwners.add(owner);
      }
      const { name, runs } = splitTitle(paper.title);
      if (name) names.add(name);
      for (const run of runs) for (const word of run) titleWords.add(word);
      titleRuns.push(...runs);
      const raw = rawAbstracts.get(paper.title) ?? paper.abstract;
      const own: number[] = [];
      for (const sentence of splitSentences(raw)) {
        let index = sentenceIndex.get(sentence);
        if (index === undefined) {
          index = sentences.length;
          sentenceIndex.set(sentence, index);
          sentences.push(sentence);
          sentenceWords.push(sentence.split(' ').length);
          for (const word of sentence.split(' ')) if (/^[a-z]{4,}$/.test(word)) abstractWords.add(word);
        }
        own.push(index);
      }
      if (runs.length > 0 && own.length > 0) topics.push({ titleRuns: runs, sentences: own });
    }
  }
  if (topics.length === 0) throw new Error('synthetic-digest: the seed digests hold no usable papers');
  return {
    topics,
    titleWords: [...titleWords],
    titleRuns,
    names: [...names],
    sentences,
    sentenceWords,
    abstractWords: [...abstractWords],
    codeOwners: codeOwners.size > 0 ? [...codeOwners] : ['paperpeek'],
  };
}

/** Maps each title line to the raw line of the paragraph after it. */
function rawAbstractsByTitle(text: string): Map<string, string> {
  const paragraphs = text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < paragraphs.length; i++) {
    const title = (paragraphs[i] as string).replace(/\s+/g, ' ');
    if (!map.has(title)) map.set(title, paragraphs[i + 1] as string);
  }
  return map;
}

/**
 * `SLCA: Slow Learner with Classifier Alignment for ...` -> name `SLCA`, runs
 * [[Slow, Learner], [Classifier, Alignment], ...]; lowercase words are capitalised.
 */
function splitTitle(title: string): { name: string; runs: string[][] } {
  let name = '';
  let rest = title;
  const match = /^(\S+)(?::| --) (.+)$/.exec(title);
  if (match && /[A-Z]/.test(match[1] as string)) {
    name = match[1] as string;
    rest = match[2] as string;
  }
  const runs: string[][] = [];
  let run: string[] = [];
  for (const token of rest.split(/\s+/)) {
    const word = token.replace(/[,:?!.;]+$/, '');
    const content = /^[A-Za-z0-9][\w'^-]*$/.test(word) && /[A-Za-z]/.test(word) && !FUNCTION_WORDS.has(word.toLowerCase());
    if (content) run.push(word.charAt(0).toUpperCase() + word.slice(1));
    // Punctuation after a word (`Train Once, Get`) also ends a run.
    if ((!content || word !== token) && run.length > 0) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length > 0) runs.push(run);
  return { name, runs };
}

/** Sentences of an abstract, URLs and `\href` residue excluded (links are added on purpose). */
function splitSentences(abstract: string): string[] {
  return abstract
    .split(/(?<=[.?!])\s+(?=[A-Z(\\])/)
    .map((sentence) => sentence.trim().replace(/\s+/g, ' '))
    .filter((sentence) => sentence.split(' ').length >= 4 && !/https?:|www\.|github|README|\{here/i.test(sentence));
}

// ---------------------------------------------------------------------------
// Generation

/** Generates `count` papers with distinct titles (distinct after normalizeTitle). */
export function generatePapers(count: number, options: SyntheticOptions = {}): SyntheticPaper[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  const vocabulary = loadVocabulary(options.seedsDir);
  const random = new Random(options.seed ?? DEFAULT_SEED);
  const seen = new Set<string>();
  const papers: SyntheticPaper[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const topic = random.pick(vocabulary.topics);
    const title = uniqueTitle(random, vocabulary, topic, seen, i);
    papers[i] = { title, abstract: makeAbstract(random, vocabulary, topic, title) };
  }
  return papers;
}

/** The digest text for papers: header, date line, then title / abstract paragraphs. */
export function formatDigest(papers: readonly SyntheticPaper[], date: string = DEFAULT_DATE): string {
  if (/[\r\n]/.test(date)) throw new Error('the date must be one line');
  const parts: string[] = [];
  for (const line of HEADER) parts.push(line, '');
  parts.push(date, '');
  for (const paper of papers) parts.push(paper.title, '', paper.abstract, '');
  return parts.join('\n');
}

export function generateDigest(count: number, options: SyntheticOptions = {}): string {
  return formatDigest(generatePapers(count, options), options.date);
}

/** Writes `dir/synthetic_<count>.txt` (creating dir) and returns its path. */
export function writeDigestFiles(dir: string, count: number, options: SyntheticOptions = {}): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${SYNTHETIC_PREFIX}${count}.txt`);
  writeFileSync(path, generateDigest(count, options));
  return path;
}

function uniqueTitle(random: Random, vocabulary: Vocabulary, topic: SeedTopic, seen: Set<string>, index: number): string {
  let title = '';
  for (let attempt = 0; attempt < 8; attempt++) {
    title = makeTitle(random, vocabulary, topic);
    const key = normalizeTitle(title);
    if (!seen.has(key)) {
      seen.add(key);
      return title;
    }
  }
  // Practically unreachable: distinguish the last attempt with a part number.
  for (let n = index + 2; ; n++) {
    const numbered = `${title.replace(/\?$/, '')} (Part ${n})`;
    const key = normalizeTitle(numbered);
    if (!seen.has(key)) {
      seen.add(key);
      return numbered;
    }
  }
}

/** A title of 5–16 words: plain, `Name: subtitle`, `Name -- subtitle`, or a question. */
function makeTitle(random: Random, vocabulary: Vocabulary, topic: SeedTopic): string {
  for (;;) {
    const shape = random.int(100);
    let title: string;
    if (shape < 30) {
      const subtitle = phrase(random, vocabulary, topic, random.between(4, 12));
      title = `${makeName(random, vocabulary, subtitle)}: ${subtitle}`;
    } else if (shape < 34) {
      const subtitle = phrase(random, vocabulary, topic, random.between(4, 12));
      title = `${makeName(random, vocabulary, subtitle)} -- ${article(subtitle)} ${subtitle}`;
    } else if (shape < 42) {
      title = question(random, vocabulary, topic);
    } else {
      const body = phrase(random, vocabulary, topic, random.between(5, 14));
      const opener = random.chance(0.2) ? random.pick(OPENERS) : '';
      title = opener === '' ? body : `${opener === 'A' ? article(body) : opener} ${body}`;
    }
    const words = title.split(' ').length;
    if (words >= TITLE_WORDS.min && words <= TITLE_WORDS.max && isSafeTitle(title)) return title;
  }
}

function article(next: string): string {
  return /^[AEIOU]/i.test(next) ? 'An' : 'A';
}

function question(random: Random, vocabulary: Vocabulary, topic: SeedTopic): string {
  const a = phrase(random, vocabulary, topic, random.between(2, 5));
  const b = phrase(random, vocabulary, topic, random.between(2, 5));
  switch (random.int(4)) {
    case 0:
      return `${a} is All You Need?`;
    case 1:
      return `Can ${a} Improve ${b}?`;
    case 2:
      return `What Makes ${a} Work for ${b}?`;
    default:
      return `${makeName(random, vocabulary, a)}: Do ${a} Help ${b}?`;
  }
}

/**
 * About `length` words: pieces of seed title runs (`Neural Networks`, `Knowledge
 * Distillation`) joined by connectors, leaning on the topic's own title; never
 * starts or ends with a connector.
 */
function phrase(random: Random, vocabulary: Vocabulary, topic: SeedTopic, length: number): string {
  const words: string[] = [];
  const used: string[][] = [];
  while (words.length < length) {
    if (words.length > 0) {
      if (length - words.length < 2) break;
      words.push(random.pick(CONNECTORS));
    }
    let run = random.pick(topic.titleRuns);
    for (let attempt = 0; attempt < 4 && (used.includes(run) || attempt === 0); attempt++) {
      run = attempt < 2 && random.chance(0.6) ? random.pick(topic.titleRuns) : random.pick(vocabulary.titleRuns);
    }
    used.push(run);
    const longest = Math.min(3, run.length);
    const take = Math.min(length - words.length, random.between(Math.min(2, longest), longest));
    const start = random.int(run.length - take + 1);
    for (let i = start; i < start + take; i++) words.push(run[i] as string);
  }
  return words.join(' ');
}

/** A seed name (`SLCA`), a seed name with a version, or an acronym of the subtitle. */
function makeName(random: Random, vocabulary: Vocabulary, subtitle: string): string {
  const roll = random.int(10);
  if (roll < 3 && vocabulary.names.length > 0) return random.pick(vocabulary.names);
  if (roll < 5 && vocabulary.names.length > 0) return `${random.pick(vocabulary.names)}-${random.between(2, 99)}`;
  const initials = subtitle
    .split(' ')
    .filter((word) => !FUNCTION_WORDS.has(word.toLowerCase()))
    .map((word) => word[0]?.toUpperCase() ?? '')
    .join('')
    .slice(0, 6);
  return initials.length >= 2 ? initials + (random.chance(0.3) ? String(random.between(2, 9)) : '') : 'Net';
}

/** What the parser needs of a title line (see isTitleShaped and DATE_LINE in the parser). */
function isSafeTitle(title: string): boolean {
  return title.length <= 400 && !title.endsWith('.') && normalizeTitle(title) !== '' && !/^\S+\s+\d/.test(title);
}

/** 120–250 words of seed sentences ending with a period; ~10% end with a code link. */
function makeAbstract(random: Random, vocabulary: Vocabulary, topic: SeedTopic, title: string): string {
  const target = random.between(ABSTRACT_WORDS.min, ABSTRACT_WORDS.max);
  let linkSentence = '';
  if (random.chance(LINK_RATE)) {
    const repo = repoName(title, random);
    linkSentence = `${random.pick(LINK_SENTENCES)} https://github.com/${random.pick(vocabulary.codeOwners)}/${repo}.`;
  }
  const budget = target - (linkSentence ? linkSentence.split(' ').length : 0);
  const parts: string[] = [];
  let words = 0;
  const used: number[] = [];
  while (words < budget) {
    // Half from the topic's own abstract, half from anywhere; no sentence twice.
    let index = 0;
    for (let attempt = 0; attempt < 6; attempt++) {
      index = attempt < 3 && random.chance(0.5) ? random.pick(topic.sentences) : random.int(vocabulary.sentences.length);
      if (!used.includes(index)) break;
    }
    used.push(index);
    const count = vocabulary.sentenceWords[index] as number;
    let sentence = vocabulary.sentences[index] as string;
    if (words + count > budget) {
      // Cut the last sentence to fit, ending on a real word (`... as much as 4.4%`, not `... --`).
      const tokens = sentence.split(' ');
      let take = budget - words;
      while (take > 0 && !/[A-Za-z0-9]/.test(tokens[take - 1] as string)) take--;
      if (take === 0) continue;
      sentence = `${tokens.slice(0, take).join(' ').replace(/[^\w%)]+$/, '')}.`;
      words += take;
    } else {
      if (random.chance(0.4)) sentence = substituteWord(random, vocabulary, sentence);
      words += count;
    }
    parts.push(sentence);
  }
  let abstract = parts.join(' ');
  if (!abstract.endsWith('.')) abstract = `${abstract.replace(/[?!]+$/, '')}.`;
  return linkSentence ? `${abstract} ${linkSentence}` : abstract;
}

/** Replaces one plain lowercase word so sentences are not verbatim copies everywhere. */
function substituteWord(random: Random, vocabulary: Vocabulary, sentence: string): string {
  const words = sentence.split(' ');
  const at = random.int(words.length);
  if (!/^[a-z]{4,}$/.test(words[at] as string)) return sentence;
  words[at] = random.pick(vocabulary.abstractWords);
  return words.join(' ');
}

function repoName(title: string, random: Random): string {
  const name = /^([\w-]+)(?::| --) /.exec(title)?.[1];
  if (name) return name;
  const initials = title
    .split(' ')
    .filter((word) => /^[A-Za-z]/.test(word) && !FUNCTION_WORDS.has(word.toLowerCase()))
    .map((word) => word[0] as string)
    .join('')
    .slice(0, 8);
  return `${initials || 'code'}-${random.between(1, 999)}`;
}

// ---------------------------------------------------------------------------
// Command line

const USAGE = 'usage: npx tsx scripts/synthetic-digest.ts N [OUTFILE] [--seed S] [--date "Mar 13"]';

function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { seed: { type: 'string' }, date: { type: 'string' } } });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const [countText, outFile, ...extra] = parsed.positionals;
  const count = Number(countText);
  const seed = parsed.values.seed === undefined ? DEFAULT_SEED : Number(parsed.values.seed);
  if (!countText || !Number.isInteger(count) || count < 0 || extra.length > 0 || !Number.isInteger(seed)) {
    console.error(USAGE);
    return 2;
  }
  const text = generateDigest(count, { seed, date: parsed.values.date ?? DEFAULT_DATE });
  if (outFile) {
    writeFileSync(outFile, text);
    console.error(`wrote ${count} papers (${Buffer.byteLength(text)} bytes) to ${outFile}`);
  } else {
    // `... | head` closes the pipe early; that is not an error.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
    process.stdout.write(text);
  }
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
