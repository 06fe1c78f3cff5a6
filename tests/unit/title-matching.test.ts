/**
 * Title spotting without a browser: tokenising page text, the index's keys and
 * aliases, the worker's scan, and the precision rules, each variation and each
 * rule of issue 3 pinned by its own case. Runs on the real bundled digest.
 */
import { describe, expect, it } from 'vitest';
import { normalizeTitle, paperIdForTitle } from '../../src/shared/normalize';
import { foldWords } from '../../src/shared/spelling';
import { acceptHit, citedRightAfter, continuesAsTitle, namesInFull, standsAlone, writtenAsTitle } from '../../src/shared/title-context';
import {
  KEY_FULL,
  KEY_MAIN,
  dropAmbiguousAliases,
  hasCoinedToken,
  isDistinctive,
  keyEntriesOf,
  mainTitleOf,
} from '../../src/shared/title-index';
import { isOneSlip, type ScanHit } from '../../src/shared/title-scanner';
import { tokenize } from '../../src/shared/tokenize';
import { matchSeedTitles, seedBundle } from './seed-matcher';

const bundle = seedBundle;

/** The worker's scan of one text, as the page would tokenise it. */
function scan(text: string): (ScanHit & { asWritten: string; before: string; after: string })[] {
  const tokens = tokenize(text);
  const unit = { text: tokens.words.join(' '), joins: tokens.joins, cuts: tokens.cuts };
  const hits = matchSeedTitles([unit]);
  return hits.map((hit) => {
    const start = tokens.starts[hit.start]!;
    const end = tokens.ends[hit.end - 1]!;
    return { ...hit, asWritten: text.slice(start, end), before: text.slice(0, start), after: text.slice(end) };
  });
}

/** Titles the page would mark in `text` as one line (wholeElement: the line is a link's text). */
function marked(text: string, wholeElement = false): string[] {
  return scan(text)
    .filter((hit) => acceptHit({ ...hit, wholeElement: wholeElement && hit.before.trim() === '' && hit.after.trim() === '' }))
    .map((hit) => hit.title);
}

const POINTER = 'Pointer Networks';
const E2LLM = 'E^2-LLM: Efficient and Extreme Length Extension of Large Language Models';
const ICL = 'What learning algorithm is in-context learning? Investigations with linear models';
const CODA = 'CODA-Prompt: COntinual Decomposed Attention-based Prompting for Rehearsal-Free Continual Learning';
const SEQ2SEQ = 'Sequence to Sequence Learning with Neural Networks';
const HYPER = 'Continual Learning with Dependency Preserving Hypernetworks';
const RETHINK = 'Rethinking Multiple Instance Learning for Whole Slide Image Classification: A Good Instance Classifier is All You Need';

describe('tokenize', () => {
  it('gives every digest title exactly its match key', () => {
    for (const paper of bundle.papers) expect(tokenize(paper.title).words.join(' ')).toBe(foldWords(paper.key));
  });

  it('reads BibTeX braces inside a word as part of it, with or without TeX commands around', () => {
    const words = (text: string) => tokenize(text).words.join(' ');
    expect(words('{CODA}-{P}rompt: {CO}ntinual decomposed')).toBe('coda prompt continual decomposed');
    expect(words('\\newblock {CODA}-{P}rompt: {CO}ntinual decomposed')).toBe('coda prompt continual decomposed');
    expect(words("{NEVIS}'22: A stream")).toBe(words("NEVIS'22: A Stream"));
    // After a command they hold its argument: `\\emph{Continual` is `continual`.
    expect(words('\\newblock \\emph{Continual learning in neural networks}.')).toBe('continual learning in neural networks');
    // Braces around words still end them: `title={Pointer Networks},`.
    expect(words('title={Pointer Networks},author={Vinyals}')).toBe('title pointer networks author vinyals');
  });

  it('splits a suffix set off by an apostrophe from the word, and tries the two as one word too', () => {
    const lipton = 'A Critical Review of Recurrent Neural Networks for Sequence Learning';
    // Turkish case endings on a title (holdout14-tr-course-page); `NEVIS'22` and `don't` still join.
    expect(tokenize(`${lipton}’ini okumaları`).words.slice(-3)).toEqual(['learning', 'ini', 'okumaları']);
    expect(marked(`Lipton ve arkadaşlarının ${lipton}’ini okumaları şiddetle tavsiye edilir.`)).toEqual([lipton]);
    expect(tokenize("NEVIS'22").words).toEqual(['nevis22']);
    const dont = tokenize("Don't Stop");
    expect([dont.words, dont.joins]).toEqual([['don', 't', 'stop'], [0]]);
  });

  it('folds British and American spellings to one match word, on both sides, ids unchanged', () => {
    const pairs = [
      ['Bilevel Optimisation under Unbounded Smoothness', 'Bilevel Optimization under Unbounded Smoothness'],
      ['Language Modelling with Labelled Data', 'Language Modeling with Labeled Data'],
      ['Neighbourhood Behaviour of Regularised Tokenisers', 'Neighborhood Behavior of Regularized Tokenizers'],
      ['Analysing Dialogue at the Centre', 'Analyzing Dialog at the Center'],
      ['Towards Infinite-Long Prefix, Looking Backwards', 'Toward Infinite-Long Prefix, Looking Backward'],
    ];
    for (const [british, american] of pairs) {
      expect(tokenize(british!).words).toEqual(tokenize(american!).words);
      expect(foldWords(normalizeTitle(british!))).toBe(tokenize(american!).words.join(' '));
      expect(paperIdForTitle(british!)).not.toBe(paperIdForTitle(american!)); // the id keeps the title as the digest wrote it
    }
    // Short words keep their spelling: `four` is not `for`, `your` not `yor`, `noise` not `noize`.
    expect(tokenize('four hours of your noise telling tour rewards').words).toEqual(['four', 'hours', 'of', 'your', 'noise', 'telling', 'tour', 'rewards']);
  });

  it('finds a digest title written in the other spelling', () => {
    const bilevel = bundle.papers.find((p) => p.title.startsWith('Bilevel Optimization'))!;
    const british = bilevel.title.replace('Optimization', 'Optimisation');
    expect(scan(british).map((hit) => hit.id)).toEqual([bilevel.id]);
    expect(scan(bilevel.title).map((hit) => hit.id)).toEqual([bilevel.id]);
    // A word hyphenated across a line break folds as the whole word.
    expect(scan(british.replace('Optimisation', 'Optimi-\nsation')).map((hit) => hit.id)).toEqual([bilevel.id]);
  });

  it('maps each word back to the characters it came from', () => {
    const text = '“Pointer Networks,” in NeurIPS';
    const tokens = tokenize(text);
    expect(tokens.words).toEqual(['pointer', 'networks', 'in', 'neurips']);
    expect(tokens.words.map((_, i) => text.slice(tokens.starts[i], tokens.ends[i]))).toEqual(['Pointer', 'Networks', 'in', 'NeurIPS']);
  });

  it('reads TeX, carets and superscripts in a word the same way', () => {
    for (const written of ['E$^2$-LLM', 'E^2-LLM', 'E²-LLM', 'E2-LLM']) expect(tokenize(written).words).toEqual(['e2', 'llm']);
    expect(tokenize("NEVIS'22").words).toEqual(['nevis22']);
  });

  it('folds diacritics, Unicode dashes and quotes, and drops soft hyphens', () => {
    expect(tokenize('Naïve Bayes — Über ‘quotes’').words).toEqual(['naive', 'bayes', 'uber', 'quotes']);
    expect(tokenize('contin\u00ADual').words).toEqual(['continual']);
  });

  it('notes words hyphenated across a line break, and ellipses', () => {
    expect(tokenize('contin-\nual learning').joins).toEqual([0]);
    expect(tokenize('Ex- amples and Rehearsal- Free').joins).toEqual([0]);
    expect(tokenize('Investigations with lin… more').cuts).toEqual([2]);
    expect(tokenize('Investigations with...').cuts).toEqual([1]);
  });

  it('reads an English word apart from the Chinese, Japanese or Korean written right against it', () => {
    // (Korean and Japanese words come out in the tokenizer's decomposed form; only their count matters here.)
    expect(tokenize('Networks는 이 문제를').words.map((word, i) => (i === 0 ? word : word.length > 0))).toEqual(['networks', true, true, true]);
    expect(tokenize('Transformerの論文').words[0]).toBe('transformer');
    expect(marked('Lipton의 서베이 논문인 A Critical Review of Recurrent Neural Networks for Sequence Learning을 먼저')).toEqual([
      'A Critical Review of Recurrent Neural Networks for Sequence Learning',
    ]);
  });

  it("reads Google Scholar's BibTeX superscript `E\\^{} 2` as `E^2`", () => {
    expect(marked('title={E\\^{} 2-LLM: Efficient and Extreme Length Extension of Large Language Models},')).toEqual([E2LLM]);
  });

  it('splits a footnote number run into the word before it, and tries the two as one word', () => {
    const supervision = 'Enhancing Visual Continual Learning with Language-Guided Supervision';
    expect(marked(`as proposed in ${supervision}3.`)).toEqual([supervision]);
    const { words, joins } = tokenize('resnet50 and llama2 but GPT4');
    expect(words).toEqual(['resnet', '50', 'and', 'llama', '2', 'but', 'gpt4']);
    expect(joins).toEqual([0, 3]);
  });

  it('notes digits alone on a line after a word, as innerText gives a MathML superscript', () => {
    expect(tokenize('E\n2\n-LLM: Efficient').joins).toEqual([0]);
    expect(tokenize('Results\n2023\nTable').joins).toEqual([]); // four digits: a year, not a superscript
    expect(tokenize('Chapter 2 of').joins).toEqual([]);
    expect(marked('[16] E\n2\n-LLM: Efficient and Extreme Length Extension of Large Language Models. arXiv, 2024.')).toEqual([E2LLM]);
  });

  it('stays in the range it is given', () => {
    const text = 'xx Pointer Networks yy';
    expect(tokenize(text, 3, 19).words).toEqual(['pointer', 'networks']);
  });
});

describe('title index', () => {
  it('calls the generic titles of issue 3 generic and long specific titles distinctive', () => {
    for (const title of [POINTER, 'Continual Learning in Neural Networks', 'Deep Model Assembling', 'Discrete Key-Value Bottleneck']) {
      expect(isDistinctive(normalizeTitle(title), title)).toBe(false);
    }
    for (const title of [SEQ2SEQ, ICL, E2LLM, 'Toolformer: Language Models Can Teach Themselves to Use Tools']) {
      expect(isDistinctive(normalizeTitle(title), title)).toBe(true);
    }
  });

  it('counts function words out: six words of which three carry meaning are not enough', () => {
    expect(isDistinctive(normalizeTitle('Sliding Windows Are Not the End'), 'Sliding Windows Are Not the End')).toBe(false);
  });

  it('recognises coined tokens but not capitals of an all-caps title', () => {
    expect(hasCoinedToken('CodeGen2 Lessons')).toBe(true);
    expect(hasCoinedToken('LeTFuser')).toBe(true);
    expect(hasCoinedToken('Efficient LLM Serving')).toBe(true);
    expect(hasCoinedToken('Pointer Networks')).toBe(false);
    expect(hasCoinedToken('GENERAL-PURPOSE IN-CONTEXT LEARNING')).toBe(false);
  });

  it('finds the main title before a colon, a spaced dash or a question', () => {
    expect(mainTitleOf(CODA)).toBe('CODA-Prompt');
    expect(mainTitleOf('ProSper -- A Python Library')).toBe('ProSper');
    expect(mainTitleOf(ICL)).toBe('What learning algorithm is in-context learning');
    expect(mainTitleOf(POINTER)).toBeNull();
    expect(mainTitleOf('Once-for-All: Train One Network')).toBe('Once-for-All');
  });

  it('gives a main title an alias: trusted when distinctive, weak when generic, none when it is a method’s name', () => {
    const keysOf = (title: string) =>
      keyEntriesOf({ id: 'x', title, key: normalizeTitle(title) }, normalizeTitle)
        .filter((e) => e[6] === undefined) // typo anchors: see below
        .map((e) => [e[0], e[3], e[4]]);
    expect(keysOf(RETHINK)).toEqual([
      [normalizeTitle(RETHINK), KEY_FULL, 1],
      ['rethinking multiple instance learning for whole slide image classification', KEY_MAIN, 1],
    ]);
    expect(keysOf(CODA)).toEqual([[normalizeTitle(CODA), KEY_FULL, 1]]); // a bare name is not a citation
    expect(keysOf('Order Matters: Sequence to sequence for sets')).toEqual([
      ['order matters sequence to sequence for sets', KEY_FULL, 1],
      ['order matters', KEY_MAIN, 0],
    ]);
    expect(keysOf('Lion: Adversarial Distillation of Proprietary Large Language Models')).toHaveLength(1); // one word
    expect(keysOf(E2LLM)).toHaveLength(1); // a method's name, in capitals
  });

  it('drops an alias two papers share, or one that is another paper’s full title', () => {
    const make = (id: string, title: string) => keyEntriesOf({ id, title, key: normalizeTitle(title) }, normalizeTitle);
    const shared = dropAmbiguousAliases([
      ...make('a', 'Learning Robust Sparse Representations for Vision: Part One'),
      ...make('b', 'Learning Robust Sparse Representations for Vision: Part Two'),
    ]);
    expect(shared.filter((e) => e[3] === KEY_MAIN)).toEqual([]);
    const clash = dropAmbiguousAliases([
      ...make('a', 'Learning Robust Sparse Representations for Vision: Part One'),
      ...make('c', 'Learning Robust Sparse Representations for Vision'),
    ]);
    expect(clash.filter((e) => e[3] === KEY_MAIN)).toEqual([]);
  });
});

describe('scan', () => {
  it('finds a title inside a longer text, with its word range', () => {
    const [hit] = scan('Vinyals, O., Fortunato, M., & Jaitly, N. (2015). Pointer networks. NeurIPS.');
    expect(hit).toMatchObject({ title: POINTER, kind: 'full', asWritten: 'Pointer networks' });
  });

  it.each([
    ['ALL CAPS', 'GENERAL-PURPOSE IN-CONTEXT LEARNING BY META-LEARNING TRANSFORMERS', 'General-Purpose In-Context Learning by Meta-Learning Transformers'],
    ['sentence case', 'Sequence to sequence learning with neural networks', SEQ2SEQ],
    ['Unicode dashes and quotes', 'E²–LLM: Efficient and Extreme Length Extension of Large Language Models', E2LLM],
    ['TeX residue', 'E$^2$-LLM: Efficient and Extreme Length Extension of Large Language Models', E2LLM],
    ['a colon written as a dash', 'Order Matters - Sequence to sequence for sets', 'Order Matters: Sequence to sequence for sets'],
    ['a colon dropped', 'Order Matters Sequence to sequence for sets', 'Order Matters: Sequence to sequence for sets'],
    ['line breaks and extra spaces', 'Sequence   to Sequence\nLearning with\tNeural Networks', SEQ2SEQ],
    ['hyphenation across a line break', 'Sequence to Se-\nquence Learning with Neural Networks', SEQ2SEQ],
    ['a trailing period and venue', 'Sequence to Sequence Learning with Neural Networks. NeurIPS 2014.', SEQ2SEQ],
    ['diacritics', 'Séquence to Sequence Learning with Neural Networks', SEQ2SEQ],
  ])('tolerates %s', (_name, text, title) => {
    expect(scan(text).map((hit) => hit.title)).toEqual([title]);
  });

  it('matches a title cut off with an ellipsis after enough words, even inside a word', () => {
    expect(scan('What learning algorithm is in-context learning? Investigations with…')[0]).toMatchObject({ title: ICL, kind: 'truncated' });
    expect(scan('What learning algorithm is in-context learning? Investigations with lin...')[0]).toMatchObject({ title: ICL, kind: 'truncated' });
    // Four words are not enough to name a paper.
    expect(scan('What learning algorithm is…')).toEqual([]);
  });

  it('takes four words when two of them are past the main title, as a sidebar cuts at 60 characters', () => {
    const STATIONARY = 'Stationary Representations: Optimally Approximating Compatibility and Implications for Improved Model Replacements';
    expect(scan('Stationary Representations: Optimally Approximating…').map((hit) => [hit.title, hit.kind])).toEqual([[STATIONARY, 'truncated']]);
    // One word past a three-word main title is still four words, and not enough.
    expect(scan('Learning to Relax: Setting…').filter((hit) => hit.kind === 'truncated')).toEqual([]);
  });

  it('matches the main title alone when it is distinctive', () => {
    const [hit] = scan('Rethinking Multiple Instance Learning for Whole Slide Image Classification');
    expect(hit).toMatchObject({ title: RETHINK, kind: 'main' });
  });

  it('does not match near misses', () => {
    expect(scan('E2LLM: Encoder Elongated Large Language Models for Long-Context Understanding and Reasoning')).toEqual([]);
    expect(scan('Continual Learning with Hypernetworks')).toEqual([]);
    expect(scan('Continual Learning with Dependency Preserving')).toEqual([]);
    expect(scan(HYPER).map((hit) => hit.title)).toEqual([HYPER]);
  });

  it('forgives one mistyped word in a title of five words or more', () => {
    const SYMBOLIC = 'Symbolic Discovery of Optimization Algorithms';
    const slipped = [
      'Symbolic Dicovery of Optimization Algorithms', // a letter dropped, among the first words (found by the typo anchor)
      'Symbolic Discovery of Optimization Algorithsm', // two letters swapped, in the last word
      'Symbolic Discovery of Optimizations Algorithms', // a letter added
    ];
    for (const text of slipped) expect(scan(text).map((hit) => [hit.title, hit.asWritten]), text).toEqual([[SYMBOLIC, text]]);
    expect(scan(`${SEQ2SEQ.replace('Networks', 'Network')}.`).map((hit) => hit.title)).toEqual([SEQ2SEQ]);
    // The match keeps the key's trust: a generic title read with a slip still needs to stand as a title.
    expect(marked('we study continual learning in neural network models')).toEqual([]);
    expect(marked('Continual Learning in Neural Network', true)).toEqual(['Continual Learning in Neural Networks']);
  });

  it('forgives no more than one slip, and no slip in a short word, a digit, a first letter or a short title', () => {
    expect(scan('Symbolic Dicovery of Optimization Algorithsm')).toEqual([]); // two slips
    expect(scan('Symbolic Discovery in Optimization Algorithms')).toEqual([]); // `in` for `of`: a short word
    expect(scan('Symbolic Discovery of Optimization')).toEqual([]); // a word missing
    expect(scan('Symbolic Discovery of Optimization Algorithms Revisited').map((hit) => hit.asWritten)).toEqual(['Symbolic Discovery of Optimization Algorithms']);
    expect(scan('Symbolic Recovery of Optimization Algorithms')).toEqual([]); // another first letter: another word
    // A letter changed too often makes another word: `On the Probable Advantage of …` is another talk.
    expect(scan('Symbolic Discovery of Optimixation Algorithms')).toEqual([]);
    expect(scan('On the Probable Advantage of Unsupervised Pretraining')).toEqual([]);
    expect(scan('Pointer Network')).toEqual([]); // two words
    expect(scan('Deep Models Assembling')).toEqual([]); // three words
    expect(isOneSlip('llama3', 'llama2')).toBe(false); // a version, not a typo
    expect(isOneSlip('networks', 'network')).toBe(true);
    expect(isOneSlip('dependancy', 'dependency')).toBe(true); // a vowel for a vowel
    expect(isOneSlip('netwrok', 'network')).toBe(true);
    expect(isOneSlip('network', 'network')).toBe(false);
    expect(isOneSlip('nework', 'networks')).toBe(false);
  });

  it('forgives a compound written closed or open, once, also in a title cut off', () => {
    const LET = 'LeTFuser: Light-weight End-to-end Transformer-Based Sensor Fusion for Autonomous Driving with Multi-Task Learning';
    const closed = 'LeTFuser: Lightweight End-to-End Transformer-Based Sensor Fusion for Autonomous Driving with Multi-Task Learning';
    expect(scan(closed).map((hit) => [hit.title, hit.kind, hit.asWritten])).toEqual([[LET, 'full', closed]]);
    expect(scan('LeTFuser: Lightweight End-to-End Transformer-Based…').map((hit) => [hit.title, hit.kind])).toEqual([[LET, 'truncated']]);
    const SYMBOLIC = 'Symbolic Discovery of Optimization Algorithms';
    expect(scan('Symbolic Discovery of Optimization Algo rithms').map((hit) => hit.title)).toEqual([SYMBOLIC]);
    // One difference only: a compound and a slip are two.
    expect(scan('LeTFuser: Lightweight End-to-End Transformer-Based Sensor Fusoin for Autonomous Driving with Multi-Task Learning')).toEqual([]);
  });

  it('reads capitals run into a title as a label before it, and a coined name as one word', () => {
    const SURVEY = 'Model Compression and Efficient Inference for Large Language Models: A Survey';
    expect(scan('INVITED SURVEYModel Compression and Efficient Inference for Large Language Models: A Survey').map((hit) => [hit.title, hit.asWritten])).toEqual([
      [SURVEY, 'Model Compression and Efficient Inference for Large Language Models: A Survey'],
    ]);
    // Split, and tried as one word too (a join), so a coined name still matches whole.
    const tokens = tokenize('SURVEYModel GPTQuant LLMs LeTFuser');
    expect(tokens.words).toEqual(['survey', 'model', 'gpt', 'quant', 'llms', 'letfuser']);
    expect(tokens.joins).toEqual([0, 2]);
    expect(scan(E2LLM).map((hit) => hit.title)).toEqual([E2LLM]);
  });

  it('reads `w/` as `with`', () => {
    const EVCL = 'Enhancing Visual Continual Learning with Language-Guided Supervision';
    expect(scan('Enhancing Visual Continual Learning w/ Language-Guided Supervision').map((hit) => hit.title)).toEqual([EVCL]);
  });

  it('prefers a title spelt exactly to one read with a slip', () => {
    expect(scan(HYPER).map((hit) => hit.title)).toEqual([HYPER]);
    expect(scan(SEQ2SEQ).map((hit) => [hit.title, hit.kind])).toEqual([[SEQ2SEQ, 'full']]);
  });

  it('prefers the longest title and never returns overlapping hits', () => {
    const hits = scan(`${SEQ2SEQ} and ${POINTER}`);
    expect(hits.map((hit) => hit.title)).toEqual([SEQ2SEQ, POINTER]);
  });

  it('finds nothing in text that cites none of our papers', () => {
    expect(scan('Attention Is All You Need. Vaswani et al., 2017. Deep Residual Learning for Image Recognition.')).toEqual([]);
  });
});

describe('precision rules', () => {
  it('does not mark a generic title used as ordinary words in prose', () => {
    expect(marked('We train pointer networks on sorting tasks.')).toEqual([]);
    expect(marked('Continual learning in neural networks is hard, as everyone knows.')).toEqual([]);
    expect(marked('Our deep model assembling approach wins.')).toEqual([]);
    expect(marked('It uses a discrete key-value bottleneck layer.')).toEqual([]);
  });

  it('marks a generic title where it stands as a title', () => {
    expect(marked(POINTER, true)).toEqual([POINTER]); // a link, a heading
    expect(marked('Vinyals, O., Fortunato, M., & Jaitly, N. (2015). Pointer networks. NeurIPS.')).toEqual([POINTER]); // APA
    expect(marked('O. Vinyals, M. Fortunato, and N. Jaitly, "Pointer networks," in NeurIPS, 2015.')).toEqual([POINTER]); // IEEE
    expect(marked('Oriol Vinyals, Meire Fortunato, and Navdeep Jaitly. 2015. Pointer Networks. In NeurIPS.')).toEqual([POINTER]); // ACM
    expect(marked('(ICLR 22) Continual Learning in Neural Networks')).toEqual(['Continual Learning in Neural Networks']); // list lead
    expect(marked('As “Deep Model Assembling” shows, it works.')).toEqual(['Deep Model Assembling']); // quoted
    expect(marked('  title={Discrete Key-Value Bottleneck},')).toEqual(['Discrete Key-Value Bottleneck']); // BibTeX
  });

  it('does not mark a title that is part of a URL written out in the text', () => {
    // A chat pastes the proceedings page's URL (holdout13-zoom-chat-transcript).
    expect(marked(`hypernetworks one: https://openaccess.thecvf.com/content/WACV2023/html/Chandra_Continual_Learning_With_Dependency_Preserving_Hypernetworks_WACV_2023_paper.html`)).toEqual([]);
    expect(marked(`see www.example.org/Continual-Learning-with-Dependency-Preserving-Hypernetworks`)).toEqual([]);
    // The URL ends before the title: a space, or a quote in text such as JSON.
    expect(marked(`https://arxiv.org/abs/2211.15661 ${HYPER}`)).toEqual([HYPER]);
    expect(marked(`{"url":"https://x.org/a","title":"${HYPER}"}`)).toEqual([HYPER]);
  });

  it('reads a LaTeX command before a title as opening it, as a .bbl file opens each field', () => {
    expect(marked('\\newblock Pointer networks.')).toEqual([POINTER]);
    expect(marked('\\newblock Continual learning with dependency preserving hypernetworks.')).toEqual([HYPER]);
  });

  it('reads the Arabic word for a paper before a title as introducing it', () => {
    const SLIDING = 'Sliding Windows Are Not the End: Exploring Full Ranking with Long-Context Large Language Models';
    // holdout14-ar-blog-rtl: "as for the paper Sliding Windows Are Not the End, …".
    expect(marked('بالنسبة لورقة Sliding Windows Are Not the End، أعتقد أن الفكرة جيدة')).toEqual([SLIDING]);
    expect(marked('سأقرأ الورقة البحثية Sliding Windows Are Not the End غداً')).toEqual([SLIDING]);
    // Without the word it is a short main title in running text.
    expect(marked('بالنسبة Sliding Windows Are Not the End، أعتقد أن الفكرة جيدة')).toEqual([]);
  });

  it('marks a generic title-cased title the page introduces as a paper', () => {
    const paging = 'Paging with Succinct Predictions';
    expect(marked(`${paging} asks how much one bit of advice buys`)).toEqual([]);
    expect(marked(`Our ICML 2023 paper ${paging} asks how much one bit buys`)).toEqual([paging]);
    expect(marked(`the preprint titled ${paging} is out`)).toEqual([paging]);
    // In lower case, going on as a longer title, or after another word, it is not introduced.
    expect(marked(`our paper ${paging.toLowerCase()} asks`)).toEqual([]);
    expect(marked(`our paper ${paging} Revisited asks`)).toEqual([]);
    expect(marked(`the course ${paging} asks`)).toEqual([]);
  });

  it('marks a generic title-cased title the text cites or reads, not one in lower case or going on', () => {
    const symbolic = 'Symbolic Discovery of Optimization Algorithms';
    expect(marked(`people out here citing ${SEQ2SEQ} in 2023 to win an argument`)).toEqual([SEQ2SEQ]);
    expect(marked(`We read ${symbolic} and ask whether any optimizer survives`)).toEqual([symbolic]);
    expect(marked(`we read ${symbolic.toLowerCase()} as a research goal`)).toEqual([]);
    expect(marked(`we cite ${SEQ2SEQ} in Speech for the acoustic model`)).toEqual([]);
    // A capitalised `Reading` may open a longer title.
    expect(marked(`Reading ${symbolic} and ask`)).toEqual([]);
  });

  it('marks a distinctive title that opens with its coined name, however its subtitle is cased', () => {
    const nevis = "NEVIS'22: A Stream of 100 Tasks Sampled from 30 Years of Computer Vision Research";
    expect(marked('pair it with the benchmark, NEVIS’22 — a stream of 100 tasks sampled from 30 years of computer vision research — because')).toEqual([nevis]);
    // Without the coined name, a distinctive title in lower case inside prose is still prose.
    expect(marked('the one I wanted to talk about, a closer look at rehearsal-free continual learning, same group')).toEqual([]);
  });

  it('reads Chinese and Japanese quotes, punctuation and the word for paper as English ones', () => {
    const order = 'Order Matters: Sequence to sequence for sets';
    expect(marked(`当年读《order matters: sequence to sequence for sets》的时候`)).toEqual([order]);
    expect(marked(`CVPR2024 持续学习｜${order}`)).toEqual([order]);
    expect(marked(`sequence to sequence learning with neural networks 论文复现（PyTorch）`)).toEqual([SEQ2SEQ]);
    expect(marked(`Aljundi 的博士论文 Continual Learning in Neural Networks 开始读的`)).toEqual(['Continual Learning in Neural Networks']);
    // Without a quote, a citation or the word for paper, a generic title in Chinese prose is prose.
    expect(marked(`我们用 pointer networks 做排序`)).toEqual([]);
    expect(marked(`想在 Pointer Networks 那段刷个`)).toEqual([]);
  });

  it('reads German and French quotes, and a distinctive title set apart from Chinese or Korean text', () => {
    const curves = 'Modeling of learning curves with applications to pos tagging';
    expect(marked('Ribadas Pena: „Modeling of learning curves with applications to POS tagging“. In: Computer Speech')).toEqual([curves]);
    expect(marked('split, encode and aggregate for long code search 리뷰도 기대할게요~')).toEqual(['Split, Encode and Aggregate for Long Code Search']);
    // A generic one is not: the change of script is only a word boundary.
    expect(marked('想在 Pointer Networks 那段刷个')).toEqual([]);
  });

  it('does not take a generic title as a gloss, a term the sentence goes on about, or a scare quote', () => {
    expect(marked('神经网络中的持续学习（Continual Learning in Neural Networks）长期受困于灾难性遗忘')).toEqual([]);
    expect(marked('Pointer Networks (deutsch etwa Zeiger-Netze) verwenden die Attention-Gewichte')).toEqual([]);
    // A remark followed by a function word, or a citation, still leaves it a title.
    expect(marked('Two papers accepted: Pointer Networks (spotlight!) and another one.')).toEqual([POINTER]);
    expect(marked('Pointer Networks (Vinyals et al., 2015) uses attention as a pointer.')).toEqual([POINTER]);
    expect(marked('die gewählte Reihenfolge („order matters“) beeinflusst die Leistung')).toEqual([]);
    expect(marked('as “Order Matters” argues, the order matters')).toEqual(['Order Matters: Sequence to sequence for sets']);
  });

  it('opens a title with an author list or a date at the line start', () => {
    expect(marked('Xiangning Chen et al., SYMBOLIC DISCOVERY OF OPTIMIZATION ALGORITHMS, NeurIPS 2023')).toEqual([
      'Symbolic Discovery of Optimization Algorithms',
    ]);
    expect(marked('Jan 30 · Sequence to Sequence Learning with Neural Networks [pdf]')).toEqual([SEQ2SEQ]);
    expect(marked('2025-01-30 Sequence to Sequence Learning with Neural Networks')).toEqual([SEQ2SEQ]);
    // A year alone opens one too, as a list printed by year does: a generic title, written as one, to the line's end.
    expect(marked('2015  Pointer Networks')).toEqual([POINTER]);
    expect(marked('2015 pointer networks')).toEqual([]);
    expect(marked('2015 Pointer Networks were proposed for sorting')).toEqual([]);
    expect(marked('in 2015 Pointer Networks')).toEqual([]);
    // Mid-sentence, a date's day is a number, not a title's first word; a capital after still runs on.
    expect(marked('we met on Jan 30 Sequence to Sequence Learning with Neural Networks')).toEqual([SEQ2SEQ]);
    expect(marked('we met on Jan 30 Sequence to Sequence Learning with Neural Networks Revisited')).toEqual([]);
    expect(marked('Paper 1 What learning algorithm is in-context learning? Investigations with linear models Ekin Akyürek, Dale Schuurmans, ICLR 2023')).toEqual([ICL]);
    expect(marked('[PDF] Continual Learning with Dynamic Sparse Training: Exploring Algorithms for Effective Model Updates M Yildirim, EC Gok - 2024')).toEqual([
      'Continual Learning with Dynamic Sparse Training: Exploring Algorithms for Effective Model Updates',
    ]);
  });

  it('does not take a generic title cited or introduced as part of a longer one, a count, or another paper', () => {
    expect(marked('Extends Pointer Networks (Vinyals et al., 2015) to sets.')).toEqual([POINTER]);
    expect(marked('Following Pointer Networks (Vinyals et al., 2015), we decode.')).toEqual([POINTER]);
    // `Graph` opens the sentence but is the longer title's own word.
    expect(marked('Graph Pointer Networks (Ma et al., 2019) would be a nicer follow-up.')).toEqual([]);
    // A tag's or a folder's count is not a citation.
    expect(marked('Pointer Networks (12)', false)).toEqual([]);
    expect(marked('Pointer Networks (2015)')).toEqual([POINTER]);
    // Not a vendor's white paper, nor a subtitle that is not the paper's.
    expect(marked('Download the white paper Continual Learning in Neural Networks today')).toEqual([]);
    expect(marked("our paper Continual Learning in Neural Networks: A Practitioner's Guide")).toEqual([]);
    // `the … paper` not where paper is a verb or a venue's track.
    expect(marked('beam search will not let the pointer networks paper over a bad order')).toEqual([]);
    expect(marked('the Continual Learning in Neural Networks paper track closes May 3')).toEqual([]);
    expect(marked('the pointer networks paper shows')).toEqual([POINTER]);
    // A main title going on with function words into a longer title names another paper.
    expect(marked('the preprint Order Matters in the Presence of Dataset Imbalance (Choi et al., 2023)')).toEqual([]);
  });

  it('marks a title-cased title whose citation a shadow host shows right after it', () => {
    // Distill: `recipe from Title<d-cite key=…></d-cite>;`, the `[10]` drawn from the d-cite's shadow root.
    const symbolic = 'Symbolic Discovery of Optimization Algorithms';
    const withShown = (line: string, shown: string | null) =>
      scan(line)
        .filter((hit) => acceptHit({ ...hit, wholeElement: false, shownAfter: () => shown }))
        .map((hit) => hit.title);
    const line = `we followed the recipe from ${symbolic}; swapping Lion for AdamW`;
    expect(withShown(line, '[10]')).toEqual([symbolic]);
    expect(withShown(line, null)).toEqual([]);
    expect(withShown(line, '★')).toEqual([]);
    // Only where the line stops at the title: words right after it are what decides.
    expect(withShown(`the recipe from ${symbolic} worked`, '[10]')).toEqual([]);
    // Written in lower case it is still prose.
    expect(withShown(`the recipe from ${symbolic.toLowerCase()}; swapping`, '[10]')).toEqual([]);
  });

  it('marks a title set off inside its link, however the line goes on past the link', () => {
    // `<a>[R] Pointer Networks</a> Research (arxiv.org)`: the tag and the flair are not words of a longer title.
    const inLink = (line: string, link: string) =>
      scan(line)
        .filter((hit) => {
          const at = link.indexOf(hit.asWritten);
          return acceptHit({ ...hit, wholeElement: false, inElement: () => (at < 0 ? null : { before: link.slice(0, at), after: link.slice(at + hit.asWritten.length) }) });
        })
        .map((hit) => hit.title);
    expect(marked('[R] Pointer Networks Research (arxiv.org)')).toEqual([]);
    expect(inLink('[R] Pointer Networks Research (arxiv.org)', '[R] Pointer Networks')).toEqual([POINTER]);
    expect(inLink('[pdf] Pointer Networks (2015) cited by 4000', '[pdf] Pointer Networks (2015)')).toEqual([POINTER]);
    // Inside the link it must still stand as a title, and a generic one in lower case is still prose.
    expect(inLink('see our Pointer Networks tutorial here', 'our Pointer Networks tutorial')).toEqual([]);
    expect(inLink('note: pointer networks work well', 'note: pointer networks')).toEqual([]);
  });

  it('marks a full title the text says is a title, however it is cased', () => {
    const symbolic = 'Symbolic Discovery of Optimization Algorithms';
    expect(marked(`The paper's title says ${symbolic.toLowerCase()}, but the search space is hand-designed`)).toEqual([symbolic]);
    expect(marked(`a talk titled ${symbolic.toLowerCase()} at the workshop`)).toEqual([symbolic]);
    expect(marked('Its title is: pointer networks.')).toEqual([POINTER]);
    // Not without the word: the same words in prose stay prose.
    expect(marked(`we revisit ${symbolic.toLowerCase()}, but the search space is hand-designed`)).toEqual([]);
    // Nor a main title alone, nor one that goes on into a longer title.
    expect(marked('a thread titled order matters for sets')).toEqual([]);
    expect(marked('a workshop titled Pointer Networks for Speech')).toEqual([]);
  });

  it('marks a title the text calls a paper, however it is cased', () => {
    expect(marked('I liked the pointer networks paper a lot.')).toEqual([POINTER]);
    expect(marked(`To be fair the ${SEQ2SEQ.toLowerCase()} paper does sweep it.`)).toEqual([SEQ2SEQ]);
    expect(marked('we train pointer networks paper-thin')).toEqual([]);
    expect(marked('pointer networks paper')).toEqual([]); // no `the`: a heading of keywords, not a name
    // A word or two that describe the paper may come between: `the original`, a year, a venue.
    expect(marked('(but yes, the original Pointer Networks paper already had the idea)')).toEqual([POINTER]);
    expect(marked('the NeurIPS 2015 Pointer Networks paper')).toEqual([POINTER]);
    expect(marked('the recurrent pointer networks paper')).toEqual([]);
  });

  it('marks a short or generic main title only quoted or with its citation', () => {
    const RELAX = 'Learning to Relax: Setting Solver Parameters Across a Sequence of Linear System Instances';
    const STATIONARY = 'Stationary Representations: Optimally Approximating Compatibility and Implications for Improved Model Replacements';
    expect(marked('And of the Learning to Relax paper (Khodak et al., ICLR 2024) which learns')).toEqual([RELAX]);
    expect(marked('3 Biondi et al., “Stationary Representations,” 28797.')).toEqual([STATIONARY]);
    expect(marked('as Learning to Relax (Khodak et al., 2024) shows')).toEqual([RELAX]);
    // Standing alone is not enough for it: a heading, a list lead, prose.
    expect(marked('Learning to Relax')).toEqual([]);
    expect(marked('- Stationary Representations. Why they matter')).toEqual([]);
    expect(marked('yoga is about learning to relax after work')).toEqual([]);
  });

  it('takes a short main title standing as a title on a page that named the paper in full', () => {
    const RELAX = 'Learning to Relax: Setting Solver Parameters Across a Sequence of Linear System Instances';
    const named = (text: string) =>
      scan(text)
        .filter((hit) => acceptHit({ ...hit, wholeElement: false, namedOnPage: true }))
        .map((hit) => hit.title);
    expect(named('1:42 Learning to Relax')).toEqual([RELAX]);
    expect(named('Accepted at ICLR: Learning to Relax (spotlight!)')).toEqual([RELAX]);
    // Still not in running prose, in lower case, or going on into another subtitle.
    expect(named('yoga is about learning to relax after work')).toEqual([]);
    expect(named('learning to relax')).toEqual([]);
    expect(named('Learning to Relax Guided Meditation')).toEqual([]);
    expect(named('Learning to Relax: A Guided Meditation')).toEqual([]);
    expect(namesInFull({ kind: 'full', distinctive: false })).toBe(true);
    expect(namesInFull({ kind: 'main', distinctive: false })).toBe(false);
  });

  it('marks a distinctive title written as a title inside prose, not one in lower case', () => {
    expect(marked(`In prior work, ${SEQ2SEQ} showed that LSTMs can translate.`)).toEqual([SEQ2SEQ]);
    expect(marked('In prior work, sequence to sequence learning with neural networks was popular.')).toEqual([]);
  });

  it('does not mark a title that the text continues into a longer one', () => {
    expect(marked(`We read ${SEQ2SEQ} Revisited last week.`)).toEqual([]);
    expect(marked(`We read Improved ${SEQ2SEQ} last week.`)).toEqual([]);
    expect(marked('We read Pointer Networks for Combinatorial Optimization.')).toEqual([]);
  });

  it('asks a main title or a cut-off title to stand as a title', () => {
    expect(marked('- Rethinking Multiple Instance Learning for Whole Slide Image Classification')).toEqual([RETHINK]);
    expect(marked('we are Rethinking Multiple Instance Learning for Whole Slide Image Classification today')).toEqual([]);
    expect(marked('What learning algorithm is in-context learning? Investigations with…')).toEqual([ICL]);
  });

  it('takes a line that is a timestamp then a title as a chapter or a programme slot', () => {
    const PAGING = 'Paging with Succinct Predictions';
    expect(marked('27:30 Paging with Succinct Predictions')).toEqual([PAGING]);
    expect(marked('1:02:03 – Paging with Succinct Predictions')).toEqual([PAGING]);
    expect(marked('10:30 | Pointer Networks')).toEqual([POINTER]);
    // Not a timestamp alone before it, or the line runs on.
    expect(marked('at 10:30 Pointer Networks were discussed')).toEqual([]);
    expect(marked('27:30 Pointer Networks were discussed')).toEqual([]);
    expect(marked('Room 4 27:30 Pointer Networks')).toEqual([]);
  });

  it('does not take a lower-case generic title as a citation for being in bold or a link alone (a search page bolds the query and links related searches)', () => {
    // The whole text of a link or an emphasis, alike.
    expect(marked('pointer networks', true)).toEqual([]);
    expect(marked('Pointer Networks', true)).toEqual([POINTER]);
    expect(marked('POINTER NETWORKS', true)).toEqual([POINTER]);
  });

  it('does not take a generic or short title beside a course number, or going on into a title-cased subtitle', () => {
    const cld = 'Continual Learning in Neural Networks';
    expect(marked(`CS 339C: ${cld}`)).toEqual([]);
    expect(marked(`Prerequisite: ${cld} (CS 339C) or consent of instructor.`)).toEqual([]);
    expect(marked(`CSC 2541: ${cld}`)).toEqual([]);
    // A venue and year is not a course number.
    expect(marked(`ICLR 2016: ${cld}`)).toEqual([cld]);
    expect(marked(`Workshop ${cld}: Theory Meets Practice`)).toEqual([]);
    expect(marked(`${cld}: Vinyals, Fortunato and Jaitly`)).toEqual([cld]);
  });

  it('reads a remark in brackets that calls the title a paper', () => {
    const algoperf = 'Benchmarking Neural Network Training Algorithms';
    expect(marked(`something like ${algoperf} (the AlgoPerf paper), where you submit`)).toEqual([algoperf]);
    expect(marked(`something like ${algoperf} (the AlgoPerf benchmark), where you submit`)).toEqual([]);
  });

  it('does not take a short main title read by a verb or going on after a colon', () => {
    expect(marked('You can also read Order Matters recaps on the blog.')).toEqual([]);
    expect(marked('Order Matters: ninth season of our public lecture series')).toEqual([]);
    expect(marked('Learning to Actively Learn: active-learning techniques for tutors')).toEqual([]);
  });

  it('does not take a generic title defined with its abbreviation for the paper', () => {
    expect(marked('Pointer Networks (Ptr-Nets) are a neural architecture introduced in 2015.')).toEqual([]);
    expect(marked('Pointer Networks (Vinyals et al., 2015) repurpose attention.')).toEqual([POINTER]);
    expect(marked('Pointer Networks (NeurIPS 2015). Vinyals, Fortunato, Jaitly.')).toEqual([POINTER]);
  });

  it('has small rules that each do one thing', () => {
    expect(standsAlone('27:30 ', '')).toBe(true);
    expect(standsAlone('at 10:30 ', '')).toBe(false);
    expect(standsAlone('(2015). ', '. NeurIPS')).toBe(true);
    expect(standsAlone('we train ', ' on')).toBe(false);
    expect(standsAlone('', '-based models')).toBe(false);
    expect(writtenAsTitle('Sequence to Sequence Learning', SEQ2SEQ)).toBe(true);
    expect(writtenAsTitle('sequence to sequence learning', SEQ2SEQ)).toBe(false);
    expect(writtenAsTitle('SEQUENCE TO SEQUENCE', SEQ2SEQ)).toBe(true);
    expect(continuesAsTitle('We read ', ' for speech tasks')).toBe(false);
    expect(continuesAsTitle('We read ', ' for Speech Recognition')).toBe(true);
    expect(continuesAsTitle('In 2015, ', ' was published')).toBe(false);
    expect(continuesAsTitle('Then. In ', ' was')).toBe(false);
  });
});

describe('citations in prose', () => {
  it('marks a title-cased generic title followed by its citation, not a lower-case one', () => {
    expect(marked('Extends Pointer Networks (Vinyals et al., 2015) to sets.')).toEqual([POINTER]);
    expect(marked('This builds on Pointer Networks [12] and more.')).toEqual([POINTER]);
    expect(marked('we train pointer networks (Vinyals et al., 2015) on sorting')).toEqual([]);
    expect(marked('We train Pointer Networks on sorting (Vinyals et al., 2015).')).toEqual([]);
  });

  it('reads authors and year after a comma, and authors alone in brackets, as a citation', () => {
    expect(marked('Lion (from Pointer Networks, Vinyals et al. 2015) gives different curves.')).toEqual([POINTER]);
    expect(marked('as in Pointer Networks, Vinyals and Jaitly, 2015, which')).toEqual([POINTER]);
    const RDL = 'Relational Deep Learning: Graph Representation Learning on Relational Databases';
    expect(marked('Relational Deep Learning (Fey, Hu, Huang, Lenssen & Leskovec). The pitch: stop flattening.')).toEqual([RDL]);
    expect(marked('Relational Deep Learning (Fey et al.) is the pitch.')).toEqual([RDL]);
    // A bracket of ordinary words, products or a few capitalised words, a season, or a lower-case title, is no citation.
    expect(marked('Relational Deep Learning (the usual kind) is the pitch.')).toEqual([]);
    expect(marked('Relational Deep Learning (Postgres, SQLite & DuckDB)')).toEqual([]);
    expect(marked('We ship Pointer Networks (PyTorch, JAX & Keras) notebooks')).toEqual([]);
    expect(marked('Learning to Relax (Yoga, Pilates & Breathwork) on Fridays')).toEqual([]);
    expect(marked('last year’s course, Continual Learning in Neural Networks, Summer 2024, is on the drive')).toEqual([]);
    expect(marked('we like relational deep learning, Fey et al. 2023, a lot')).toEqual([]);
  });

  it('reads a venue with a two-digit year as a citation, and a season with one as none', () => {
    const CONVERGENT = 'Convergent Learning: Do different neural networks learn the same representations?';
    expect(marked("Convergent Learning (Li, Yosinski, Clune, Lipson, Hopcroft — ICLR '16) compares nets")).toEqual([CONVERGENT]);
    expect(marked('Convergent Learning (ICLR ’16) compares nets')).toEqual([CONVERGENT]);
    expect(marked("our Convergent Learning (Summer '24) workshop")).toEqual([]);
  });
});

describe('a venue’s label for the talk before a title', () => {
  it('is not read as the title’s first words', () => {
    expect(marked('ICLR Poster What learning algorithm is in-context learning? Investigations with linear models', true)).toEqual([ICL]);
    expect(marked('NeurIPS 2023 Oral: Pointer Networks', true)).toEqual([POINTER]);
  });
  it('but a capitalised word that is no such label still is', () => {
    expect(marked('Graph Poster Pointer Networks for sorting')).toEqual([]);
  });
});

describe('a title opening its line as a paper’s name', () => {
  it('is marked written as a title, with `paper` after it', () => {
    expect(marked('Pointer Networks paper explained')).toEqual([POINTER]);
    expect(marked('Order Matters paper notes')).toEqual(['Order Matters: Sequence to sequence for sets']);
  });
  it('is not marked in lower case, inside a sentence, or before a paper track', () => {
    expect(marked('pointer networks paper explained')).toEqual([]);
    expect(marked('we read the code, Pointer Networks paper aside')).toEqual([]);
    expect(marked('Pointer Networks paper track opens')).toEqual([]);
    expect(marked('Relational Deep Learning paper list')).toEqual([]);
    expect(marked('Pointer Networks paper reading group')).toEqual([]);
  });
});

describe('a distinctive title in sentence case in prose', () => {
  const GENERAL = 'General-Purpose In-Context Learning by Meta-Learning Transformers';
  it('is marked when its first word is capitalised, whatever follows', () => {
    expect(marked('is General-purpose in-context learning by meta-learning transformers the Kirsch one?')).toEqual([GENERAL]);
    expect(marked('I liked General-purpose in-context learning by meta-learning transformers. It is short.')).toEqual([GENERAL]);
  });
  it('is not marked opening a sentence, where the capital is the sentence’s own', () => {
    expect(marked('It ends here. Sequence to sequence learning with neural networks has become the default.')).toEqual([]);
    expect(marked('General-purpose in-context learning by meta-learning transformers is what we want')).toEqual([]);
  });
  it('is not marked all in lower case in running prose, nor a generic title in sentence case', () => {
    expect(marked('we study general-purpose in-context learning by meta-learning transformers here')).toEqual([]);
    expect(marked('we study Pointer networks on sorting')).toEqual([]);
  });
});

describe('citation after a title, on hostile input', () => {
  it('reads the family names citations write, hyphenated, with an apostrophe or an inner capital', () => {
    expect(citedRightAfter(" (Vinyals, O'Neil, Lopez-Paz & LeCun) and")).toBe(true);
    expect(citedRightAfter(', McDonald and Müller-Lüdenscheidt, 2023')).toBe(true);
    expect(citedRightAfter(' (Postgres, SQLite & DuckDB)')).toBe(false);
  });

  it('fails at once on long lower-case runs that a family name could be split into', () => {
    // With the name's parts both optional this backtracked exponentially: 18 letters took 27 s, 30 would take days.
    const name = (capital: string) => capital + 'b'.repeat(30);
    expect(citedRightAfter(` (${name('A')}, ${name('C')} x`)).toBe(false);
    expect(citedRightAfter(` (${name('A')}, ${name('C')}, ${name('D')} & x`)).toBe(false);
    expect(citedRightAfter(`, ${name('A')} and ${name('C')} x`)).toBe(false);
  });
});

describe('main titles', () => {
  it('does not take a main title that goes on into another subtitle for the paper', () => {
    const other = 'Rethinking Multiple Instance Learning for Whole Slide Image Classification: A Bag-Level Classifier is a Good Instance-Level Teacher';
    expect(marked(other, true)).toEqual([]);
    expect(marked('Rethinking Multiple Instance Learning for Whole Slide Image Classification', true)).toEqual([RETHINK]);
    expect(marked('Rethinking Multiple Instance Learning for Whole Slide Image Classification: code and slides', true)).toEqual([RETHINK]);
  });
});

describe('bullets', () => {
  it('reads emoji, symbols and arrows that open a line as bullets', () => {
    for (const bullet of ['🔧 ', '♻️ ', '→ ', '✅ ', '📄', '2️⃣ ', '#️⃣ ']) expect(marked(`${bullet}Pointer Networks`), bullet).toEqual([POINTER]);
    expect(marked('🔧 we train pointer networks')).toEqual([]);
    // A digit alone is not a keycap: "2 Pointer Networks" could be a count in prose.
    expect(marked('we built 2 pointer networks')).toEqual([]);
  });
});

describe('scan on hostile input', () => {
  it('finds every repeated title once, without overlaps, in one text', () => {
    const text = Array(200).fill('Pointer Networks').join(' and ');
    const hits = scan(text);
    expect(hits).toHaveLength(200);
    expect(hits.every((hit, i) => i === 0 || hits[i - 1]!.end <= hit.start)).toBe(true);
  });
});
