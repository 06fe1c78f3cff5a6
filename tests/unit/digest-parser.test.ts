import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanAbstract, MAX_ABSTRACT_LENGTH, parseDigest, type ParsedDigest } from '../../src/shared/digest-parser';
import { paperIdForTitle } from '../../src/shared/normalize';
import type { DigestProblem, Paper } from '../../src/shared/types';

const SEED_FILE = '000_c65d2d98e23c96f3.txt';
const seedText = readFileSync(join(import.meta.dirname, '..', '..', 'seeds', SEED_FILE), 'utf8');
const seed = parseDigest(seedText, SEED_FILE);

const HEADER = 'new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\n';

function paper(parsed: ParsedDigest, titleStart: string): Paper {
  const found = parsed.papers.filter((p) => p.title.startsWith(titleStart));
  if (found.length !== 1) throw new Error(`expected one paper titled "${titleStart}...", found ${found.length}`);
  return found[0] as Paper;
}

function titles(parsed: ParsedDigest): string[] {
  return parsed.papers.map((p) => p.title);
}

/** The only problem of a parse; fails when there are none or several. */
function onlyProblem(parsed: ParsedDigest): DigestProblem {
  expect(parsed.problems, JSON.stringify(parsed.problems)).toHaveLength(1);
  return parsed.problems[0] as DigestProblem;
}

/** Lines of a small digest, numbered from 1 as a maintainer's editor shows them. */
function digest(...lines: string[]): string {
  return lines.join('\n');
}

/** The raw title and abstract lines of the seed's papers (for building big inputs). */
function seedPairs(): [string, string][] {
  const paragraphs = seedText.split(/\n\s*\n/).map((p) => p.trim());
  const start = paragraphs.indexOf('Mar 13') + 1;
  const pairs: [string, string][] = [];
  for (let i = start; i + 1 < paragraphs.length; i += 2) pairs.push([paragraphs[i] as string, paragraphs[i + 1] as string]);
  return pairs;
}

describe('the seed digest', () => {
  it('parses into exactly 81 papers with no problems', () => {
    expect(seed.problems).toEqual([]);
    expect(seed.papers).toHaveLength(81);
    expect(seed.digestDate).toBe('Mar 13');
    for (const p of seed.papers) {
      expect(p.digestDate).toBe('Mar 13');
      expect(p.source).toBe(SEED_FILE);
      expect(p.title).toBe(p.title.trim());
      expect(p.abstract.length).toBeGreaterThan(200);
    }
  });

  it('starts with "Learning to Relax" and ends with "Geometry-Aware Adaptation"', () => {
    const first = seed.papers[0] as Paper;
    expect(first.title).toBe('Learning to Relax: Setting Solver Parameters Across a Sequence of Linear System Instances');
    expect(first.abstract.startsWith('Solving a linear system Ax=b is a fundamental scientific computing primitive')).toBe(true);
    expect(first.abstract.endsWith('using well-understood learning algorithms.')).toBe(true);
    expect(first.links).toEqual([]);

    const last = seed.papers.at(-1) as Paper;
    expect(last.title).toBe('Geometry-Aware Adaptation for Pretrained Models');
    expect(last.abstract.endsWith('zero-shot models such as CLIP.')).toBe(true);
  });

  it('turns the LaTeX residue into text', () => {
    expect(paper(seed, 'CLUTR').abstract).toContain('achieving 10.6X and 45% improvement in zero-shot generalization');
    expect(paper(seed, 'Geometry-Aware Adaptation').abstract).toContain('swapping argmax with the Fréchet mean');
    expect(paper(seed, 'Symbolic Discovery of Optimization Algorithms').abstract).toContain(
      'optimization algorithm, Lion (EvoLved Sign Momentum). It is more memory-efficient',
    );
    expect(paper(seed, 'Enhancing Visual Continual Learning').abstract).toContain(
      'replay data, regularization, etc. However, the category name',
    );
    // `\method{}` is gone; what it stood for is unknowable.
    expect(paper(seed, 'Learning in Imperfect Environment').abstract).toContain('balanCe, abbreviated as. Our bootstrapping');
    // TeX ties (`MS~MARCO`, `Ratio~(FDR)`, `available~https://`) are spaces.
    expect(paper(seed, 'Unsupervised Dense Information Retrieval').abstract).toContain('on the large MS MARCO dataset');
    expect(paper(seed, 'An Unsupervised Method for Estimating Class Separability').abstract).toContain(
      'Discriminant Ratio (FDR)',
    );
  });

  it('leaves no backslash, brace or tie in any abstract', () => {
    for (const p of seed.papers) expect(p.abstract, p.title).not.toMatch(/[\\{}~]/);
  });

  it('keeps abstracts as single-spaced display text', () => {
    for (const p of seed.papers) {
      expect(p.abstract, p.title).toBe(p.abstract.trim());
      expect(p.abstract, p.title).not.toMatch(/\s{2}|\s[.,;:]/);
    }
  });

  it('extracts links with the trailing punctuation trimmed', () => {
    const slca = paper(seed, 'SLCA:');
    expect(slca.links).toEqual(['https://github.com/GengDavid/SLCA']);
    expect(slca.abstract).toContain('available at: https://github.com/GengDavid/SLCA.');

    const bidirectional = paper(seed, 'Bidirectional Learning for Offline Model-based');
    expect(bidirectional.links).toEqual(['https://anonymous.4open.science/r/BIB-ICLR2023-Submission/README.md']);
    expect(bidirectional.abstract).toContain(
      'Our code is available https://anonymous.4open.science/r/BIB-ICLR2023-Submission/README.md here.',
    );

    expect(paper(seed, 'A Deep Learning Framework for Lifelong Machine Learning').links).toEqual([
      'https://youtu.be/gCuUyGETbTU',
      'https://youtu.be/XsaGI01b-1o',
    ]);
    // Deep paths survive whole.
    expect(paper(seed, 'Toward Infinite-Long Prefix').links).toEqual([
      'https://github.com/ChristianYang37/chiwun/tree/main/src/NTK-Attention',
    ]);
    // Without a final period the link is taken as is.
    expect(paper(seed, 'CODA-Prompt').links).toEqual(['https://github.com/GT-RIPL/CODA-Prompt']);
  });

  it('gives every link as a clean absolute URL', () => {
    const all = seed.papers.flatMap((p) => p.links);
    expect(all).toHaveLength(21);
    for (const link of all) {
      expect(link).toMatch(/^https:\/\/[^\s{}\\]+$/);
      expect(link).not.toMatch(/[.,;:)!?'"]$/);
    }
  });

  it('keeps the spelling of titles', () => {
    const all = titles(seed);
    expect(all).toContain('Fira: Can We Achieve Full-rank Training of LLMs Under Low-rank Constraint?');
    expect(all).toContain('Transductive Few-Shot Learning: Clustering is All You Need?');
    expect(all).toContain('When, Why and How Much? Adaptive Learning Rate Scheduling by Refinement');
    expect(all).toContain(
      'ProSper -- A Python Library for Probabilistic Sparse Coding with Non-Standard Priors and Superpositions',
    );
    expect(all).toContain('E^2-LLM: Efficient and Extreme Length Extension of Large Language Models');
    expect(all).toContain("NEVIS'22: A Stream of 100 Tasks Sampled from 30 Years of Computer Vision Research");
    expect(all).toContain('Pointer Networks');
  });
});

describe('paper ids', () => {
  it('are short and URL-safe', () => {
    for (const p of seed.papers) {
      expect(p.id.length).toBeLessThanOrEqual(11);
      expect(p.id).toMatch(/^[a-z0-9]+$/);
    }
  });

  it('are unique across the seed', () => {
    expect(new Set(seed.papers.map((p) => p.id)).size).toBe(81);
  });

  it('are derived from the title alone', () => {
    for (const p of seed.papers) expect(p.id).toBe(paperIdForTitle(p.title));
  });

  it('keep their current value (ids are stored in reading lists)', () => {
    // Changing the id scheme orphans every saved paper: this must fail loudly.
    expect(seed.papers[0]?.id).toBe('1zc59t7bhou');
    expect(paper(seed, 'Pointer Networks').id).toBe('0wktvi5yge4');
    expect(paper(seed, 'E^2-LLM').id).toBe('016rpdi1ywf');
  });

  it('survive re-casing and re-punctuation of a title', () => {
    const id = paper(seed, 'E^2-LLM').id;
    expect(paperIdForTitle('e^2 llm efficient and extreme length extension of large language models')).toBe(id);
    expect(paperIdForTitle('E$^2$-LLM: Efficient and Extreme Length Extension of Large Language Models')).toBe(id);
    const reworded = parseDigest(
      digest('Mar 14', '', 'E^2 LLM -- EFFICIENT AND EXTREME LENGTH EXTENSION OF LARGE LANGUAGE MODELS', '', 'A later abstract.'),
      'later.txt',
    );
    expect(reworded.papers[0]?.id).toBe(id);
  });

  it('differ for different titles', () => {
    expect(paperIdForTitle('Continual Learning with Hypernetworks')).not.toBe(
      paperIdForTitle('Continual Learning with Dependency Preserving Hypernetworks'),
    );
    expect(paper(seed, 'Continual Learning with Dependency Preserving Hypernetworks').id).not.toBe(
      paperIdForTitle('Continual Learning with Hypernetworks'),
    );
  });
});

describe('variations of the same digest', () => {
  it('CRLF line endings give the same papers', () => {
    const crlf = parseDigest(seedText.replace(/\n/g, '\r\n'), SEED_FILE);
    expect(crlf.problems).toEqual([]);
    expect(crlf.papers).toEqual(seed.papers);
  });

  it('old-Mac CR line endings give the same papers', () => {
    const cr = parseDigest(seedText.replace(/\n/g, '\r'), SEED_FILE);
    expect(cr.problems).toEqual([]);
    expect(cr.papers).toEqual(seed.papers);
  });

  it('a byte order mark gives the same papers', () => {
    const bom = parseDigest(`\uFEFF${seedText}`, SEED_FILE);
    expect(bom.problems).toEqual([]);
    expect(bom.digestDate).toBe('Mar 13');
    expect(bom.papers).toEqual(seed.papers);
  });

  it('trailing spaces and tabs give the same papers', () => {
    const padded = parseDigest(seedText.replace(/\n/g, ' \t \n').concat('   '), SEED_FILE);
    expect(padded.problems).toEqual([]);
    expect(padded.papers).toEqual(seed.papers);
  });

  it('a trailing newline, or several, changes nothing', () => {
    expect(parseDigest(`${seedText}\n\n\n`, SEED_FILE).papers).toEqual(seed.papers);
  });

  it('dates apply to the papers below them', () => {
    const parsed = parseDigest(
      digest(HEADER + 'Mar 13', '', 'Paper One', '', 'Abstract one.', '', 'Mar 14', '', 'Paper Two', '', 'Abstract two.'),
      'days.txt',
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.digestDate).toBe('Mar 13');
    expect(parsed.papers.map((p) => [p.title, p.digestDate])).toEqual([
      ['Paper One', 'Mar 13'],
      ['Paper Two', 'Mar 14'],
    ]);
  });

  it('a title wrapped onto its abstract is read, with a warning', () => {
    const parsed = parseDigest(digest('Mar 13', '', 'Paper One', 'Abstract one.', '', 'Paper Two', '', 'Abstract two.'), 'f');
    expect(titles(parsed)).toEqual(['Paper One', 'Paper Two']);
    expect(parsed.papers[0]?.abstract).toBe('Abstract one.');
    const problem = onlyProblem(parsed);
    expect(problem).toMatchObject({ line: 3, severity: 'warning' });
    expect(problem.message).toMatch(/no blank line between the title "Paper One" and its abstract/);
  });

  it('an abstract over several lines is joined', () => {
    const parsed = parseDigest(digest('Mar 13', '', 'Paper One', '', 'First half', 'second half.'), 'f');
    expect(parsed.problems).toEqual([]);
    expect(parsed.papers[0]?.abstract).toBe('First half second half.');
  });
});

describe('bad input', () => {
  it('an empty file gives one problem at line 1', () => {
    for (const text of ['', '\n\n   \n\t\n', '\uFEFF', '\r\n\r\n']) {
      const parsed = parseDigest(text, 'empty.txt');
      expect(parsed.papers).toEqual([]);
      expect(parsed.digestDate).toBe('');
      const problem = onlyProblem(parsed);
      expect(problem).toMatchObject({ file: 'empty.txt', line: 1, severity: 'error' });
      expect(problem.message).toMatch(/file is empty/);
    }
  });

  it('input that is not a string does not throw', () => {
    for (const input of [undefined, null, 42, new Uint8Array(4)]) {
      const parsed = parseDigest(input as unknown as string, 'odd.txt');
      expect(parsed.papers).toEqual([]);
      expect(onlyProblem(parsed).line).toBe(1);
    }
  });

  it('a NUL byte marks a binary file, at its line', () => {
    const parsed = parseDigest(digest('Mar 13', '', 'Paper One', '', 'Abstract\u0000one.'), 'bin.txt');
    expect(parsed.papers).toEqual([]);
    const problem = onlyProblem(parsed);
    expect(problem).toMatchObject({ file: 'bin.txt', line: 5, severity: 'error' });
    expect(problem.message).toMatch(/binary/);
  });

  it('random bytes decoded as UTF-8 are reported as binary, at their line', () => {
    let state = 12345;
    const bytes = new Uint8Array(20_000);
    for (let i = 0; i < bytes.length; i++) {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      let byte = state >>> 16 & 0xff;
      // No line breaks inside the binary part, so its line number is known.
      if (byte === 10 || byte === 13) byte = 0xfe;
      bytes[i] = byte;
    }
    const text = digest('Mar 13', '', 'Paper One', '', 'Abstract one.', '', '') + new TextDecoder().decode(bytes);
    const parsed = parseDigest(text, 'random.bin');
    expect(parsed.papers).toEqual([]);
    const problem = onlyProblem(parsed);
    expect(problem.line).toBe(7);
    expect(problem.message).toMatch(/binary/);

    // Raw random bytes with line breaks: still one binary problem, no throw.
    const raw = new Uint8Array(100_000).map((_, i) => (i * 2654435761) >>> 13 & 0xff);
    const rawParsed = parseDigest(new TextDecoder().decode(raw), 'raw.bin');
    expect(rawParsed.papers).toEqual([]);
    expect(onlyProblem(rawParsed).message).toMatch(/binary/);
  });

  it('a title with no abstract at the end of the file', () => {
    const titleLine = seedText.split('\n').length + 2;
    const parsed = parseDigest(`${seedText}\n\nA Title Without Its Abstract\n`, SEED_FILE);
    expect(parsed.papers).toEqual(seed.papers);
    const problem = onlyProblem(parsed);
    expect(problem).toMatchObject({ file: SEED_FILE, line: titleLine, severity: 'error' });
    expect(problem.message).toMatch(/"A Title Without Its Abstract" has no abstract/);
  });

  it('a title with no abstract right before a date line', () => {
    const parsed = parseDigest(
      digest('Mar 13', '', 'Paper One', '', 'Abstract one.', '', 'Orphan Title', '', 'Mar 14', '', 'Paper Two', '', 'Abstract two.'),
      'f',
    );
    expect(titles(parsed)).toEqual(['Paper One', 'Paper Two']);
    expect(onlyProblem(parsed)).toMatchObject({ line: 7, message: expect.stringMatching(/"Orphan Title" has no abstract/) });
  });

  it('two titles in a row: the first is reported, the papers around it kept', () => {
    const parsed = parseDigest(
      digest(
        HEADER + 'Mar 13', // line 9
        '',
        'Paper One', // 11
        '',
        'Abstract one.',
        '',
        'Lost Title Without Abstract', // 15
        '',
        'Paper Two', // 17
        '',
        'Abstract two.',
        '',
        'Paper Three',
        '',
        'Abstract three.',
      ),
      'two.txt',
    );
    expect(titles(parsed)).toEqual(['Paper One', 'Paper Two', 'Paper Three']);
    expect(parsed.papers[1]?.abstract).toBe('Abstract two.');
    const problem = onlyProblem(parsed);
    expect(problem).toMatchObject({ file: 'two.txt', line: 15, severity: 'error' });
    expect(problem.message).toMatch(/"Lost Title Without Abstract" has no abstract/);
    expect(problem.message).toMatch(/line 17\) is another title/);
  });

  it('two titles at the end of the file are not bundled silently', () => {
    // Either a very short abstract or two titles in a row: a maintainer must look.
    const parsed = parseDigest(digest('Mar 13', '', 'Paper One', '', 'Abstract one.', '', 'Title A', '', 'Title B'), 'f');
    expect(titles(parsed)).toEqual(['Paper One', 'Title A']);
    const problem = onlyProblem(parsed);
    expect(problem).toMatchObject({ line: 9, severity: 'warning' });
    expect(problem.message).toMatch(/abstract of "Title A" \(line 7\) looks like a title/);
  });

  it('a duplicated paper is reported at the second copy, naming the first', () => {
    const parsed = parseDigest(
      digest(
        'Mar 13',
        '',
        'Pointer Networks', // 3
        '',
        'Abstract one.',
        '',
        'Paper Two',
        '',
        'Abstract two.',
        '',
        'POINTER NETWORKS.', // 11: not title-shaped (final period), so a different problem
        '',
        'Abstract again.',
        '',
        'Pointer  networks', // 15
        '',
        'Abstract three.',
      ),
      'dup.txt',
    );
    expect(titles(parsed)).toEqual(['Pointer Networks', 'Paper Two']);
    expect(parsed.papers[0]?.abstract).toBe('Abstract one.');
    const duplicate = parsed.problems.find((p) => p.line === 15);
    expect(duplicate?.severity).toBe('error');
    // Reported with its whitespace collapsed, as it would be stored.
    expect(duplicate?.message).toMatch(/duplicate paper "Pointer networks": the same title is at line 3/);
  });

  it('the whole seed twice: 81 papers, one duplicate problem per paper', () => {
    // The copy starts two lines below the seed's last line: a blank, then `Mar 13`.
    const copyDateLine = seedText.split('\n').length + 2;
    const parsed = parseDigest(`${seedText}\n\n${seedText.slice(seedText.indexOf('Mar 13'))}`, SEED_FILE);
    expect(parsed.papers).toEqual(seed.papers);
    expect(parsed.problems).toHaveLength(81);
    const firstDuplicate = parsed.problems[0] as DigestProblem;
    expect(firstDuplicate.line).toBe(copyDateLine + 2);
    expect(firstDuplicate.message).toMatch(/duplicate paper "Learning to Relax: .*": the same title is at line 11;/);
  });

  it('a header-only file gives one problem', () => {
    const withDate = parseDigest(`${HEADER}Mar 13\n`, 'header.txt');
    expect(withDate.papers).toEqual([]);
    expect(withDate.digestDate).toBe('Mar 13');
    expect(onlyProblem(withDate)).toMatchObject({ line: 9, severity: 'error', message: expect.stringMatching(/no papers/) });

    const withoutDate = parseDigest(HEADER, 'header.txt');
    expect(withoutDate.papers).toEqual([]);
    expect(onlyProblem(withoutDate)).toMatchObject({ line: 7, message: expect.stringMatching(/no papers/) });
  });

  it('a file with no date line keeps its papers and says the date is missing', () => {
    const parsed = parseDigest(
      digest(HEADER + 'Paper One', '', 'Abstract one.', '', 'Paper Two', '', 'Abstract two.'),
      'nodate.txt',
    );
    expect(titles(parsed)).toEqual(['Paper One', 'Paper Two']);
    expect(parsed.digestDate).toBe('');
    expect(parsed.papers.every((p) => p.digestDate === '')).toBe(true);
    expect(onlyProblem(parsed)).toMatchObject({ line: 1, severity: 'error', message: expect.stringMatching(/no date line/) });

    const bare = parseDigest(digest('', '', 'Paper One', '', 'Abstract one.'), 'nodate.txt');
    expect(titles(bare)).toEqual(['Paper One']);
    expect(onlyProblem(bare)).toMatchObject({ line: 3, message: expect.stringMatching(/no date line/) });
  });

  it('unknown text before the date line is reported', () => {
    const parsed = parseDigest(digest('new', '', 'Some banner', '', 'Mar 13', '', 'Paper One', '', 'Abstract one.'), 'f');
    expect(titles(parsed)).toEqual(['Paper One']);
    expect(onlyProblem(parsed)).toMatchObject({ line: 3, message: expect.stringMatching(/before the date line: "Some banner"/) });
  });

  it('an abstract paragraph without a title is reported at its line', () => {
    const parsed = parseDigest(
      digest(
        'Mar 13',
        '',
        'An orphan abstract right after the date.', // 3
        '',
        'Paper One',
        '',
        'Abstract one.',
        '',
        'Another orphan abstract between papers.', // 9
        '',
        'Paper Two',
        '',
        'Abstract two.',
      ),
      'orphan.txt',
    );
    expect(titles(parsed)).toEqual(['Paper One', 'Paper Two']);
    expect(parsed.problems.map((p) => p.line)).toEqual([3, 9]);
    for (const problem of parsed.problems) {
      expect(problem.severity).toBe('error');
      expect(problem.message).toMatch(/expected a paper title, found a sentence/);
    }
  });

  it('a title without letters or digits is reported', () => {
    const parsed = parseDigest(digest('Mar 13', '', '-- ?? --', '', 'Abstract.', '', 'Paper One', '', 'Abstract one.'), 'f');
    expect(titles(parsed)).toEqual(['Paper One']);
    expect(onlyProblem(parsed)).toMatchObject({ line: 3, message: expect.stringMatching(/no letters or digits/) });
  });

  it('an overlong abstract skips its paper only', () => {
    const long = `${'word '.repeat(MAX_ABSTRACT_LENGTH / 5)}end.`;
    const parsed = parseDigest(
      digest('Mar 13', '', 'Paper One', '', long, '', 'Paper Two', '', 'Abstract two.'),
      'long.txt',
    );
    expect(titles(parsed)).toEqual(['Paper Two']);
    expect(onlyProblem(parsed)).toMatchObject({ line: 5, message: expect.stringMatching(/abstract of "Paper One" is \d+ characters long/) });
  });

  it('valid papers around several broken ones are all returned, problems in line order', () => {
    const parsed = parseDigest(
      digest(
        'Mar 13',
        '',
        'Paper One',
        '',
        'Abstract one.',
        '',
        'Lost Title', // 7: two titles in a row
        '',
        'Paper Two',
        '',
        'Abstract two.',
        '',
        'Paper One', // 13: duplicate
        '',
        'Abstract one again.',
        '',
        'A stray abstract sentence.', // 17: no title
        '',
        'Paper Three',
        '',
        'Abstract with a link https://github.com/a/b.',
      ),
      'mixed.txt',
    );
    expect(titles(parsed)).toEqual(['Paper One', 'Paper Two', 'Paper Three']);
    expect(parsed.papers[2]?.links).toEqual(['https://github.com/a/b']);
    expect(parsed.problems.map((p) => p.line)).toEqual([7, 13, 17]);
  });

  it('stops listing problems after 200', () => {
    const text = `Mar 13\n\n${Array.from({ length: 1000 }, (_, i) => `Orphan sentence ${i}.`).join('\n\n')}`;
    const parsed = parseDigest(text, 'f');
    expect(parsed.problems).toHaveLength(201);
    expect(parsed.problems.at(-1)?.message).toMatch(/too many problems/);
  });

  it('a 50 MB digest parses', { timeout: 60_000 }, () => {
    const pairs = seedPairs();
    expect(pairs).toHaveLength(81);
    const seedBytes = pairs.reduce((sum, [t, a]) => sum + t.length + a.length + 4, 0);
    const copies = Math.ceil((50 * 1024 * 1024) / seedBytes);
    const parts: string[] = [HEADER, 'Mar 13\n\n'];
    for (let copy = 0; copy < copies; copy++) {
      for (const [title, abstract] of pairs) parts.push(`${title} ${copy}\n\n${abstract}\n\n`);
    }
    const text = parts.join('');
    expect(text.length).toBeGreaterThanOrEqual(50 * 1024 * 1024);

    const start = performance.now();
    const parsed = parseDigest(text, 'big.txt');
    const seconds = (performance.now() - start) / 1000;

    expect(parsed.problems).toEqual([]);
    expect(parsed.papers).toHaveLength(copies * 81);
    expect(new Set(parsed.papers.map((p) => p.id)).size).toBe(copies * 81);
    const last = parsed.papers.at(-1) as Paper;
    expect(last.title).toBe(`Geometry-Aware Adaptation for Pretrained Models ${copies - 1}`);
    expect(last.abstract).toBe((seed.papers.at(-1) as Paper).abstract);
    expect(seconds).toBeLessThan(20);
  });

  it('a 50 MB single line of garbage gives one problem', { timeout: 60_000 }, () => {
    let state = 99;
    let block = '';
    for (let i = 0; i < 4096; i++) {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      block += String.fromCharCode(32 + (state >>> 16) % 95);
    }
    const text = block.repeat((50 * 1024 * 1024) / 4096);
    const parsed = parseDigest(text, 'garbage.txt');
    expect(parsed.papers).toEqual([]);
    const problem = onlyProblem(parsed);
    expect(problem).toMatchObject({ file: 'garbage.txt', line: 1, severity: 'error' });
    expect(problem.message).toContain(`${text.length} characters`);
    // The message quotes a preview, never the whole line.
    expect(problem.message.length).toBeLessThan(300);
  });
});

describe('cleanAbstract', () => {
  it('keeps URLs verbatim while cleaning the prose around them', () => {
    expect(cleanAbstract('Gains of 45\\% at https://x.org/a_b~c%20d. Done')).toEqual({
      abstract: 'Gains of 45% at https://x.org/a_b~c%20d. Done',
      links: ['https://x.org/a_b~c%20d'],
    });
  });

  it('separates \\href residue from the link', () => {
    expect(cleanAbstract('Code at \\href{https://x.org/a}{here}.')).toEqual({
      abstract: 'Code at https://x.org/a here.',
      links: ['https://x.org/a'],
    });
    expect(cleanAbstract('See https://x.org/README.md{here.}')).toEqual({
      abstract: 'See https://x.org/README.md here.',
      links: ['https://x.org/README.md'],
    });
  });

  it('makes www. links absolute and lists each link once', () => {
    expect(cleanAbstract('See www.example.org, and again www.example.org.').links).toEqual(['https://www.example.org']);
  });

  it('reads TeX-escaped URLs', () => {
    expect(cleanAbstract('Code: https://github.com/foo/my\\_repo.')).toEqual({
      abstract: 'Code: https://github.com/foo/my_repo.',
      links: ['https://github.com/foo/my_repo'],
    });
  });
});

describe('cleanAbstract', () => {
  it('drops the closing brace of \\url{...} before the sentence goes on', () => {
    expect(cleanAbstract('Code at \\url{https://github.com/a/b}. Done.')).toEqual({
      abstract: 'Code at https://github.com/a/b. Done.',
      links: ['https://github.com/a/b'],
    });
  });

  it('returns plain prose unchanged and without links', () => {
    const prose = 'We study pointer networks on sorting tasks.';
    expect(cleanAbstract(prose)).toEqual({ abstract: prose, links: [] });
  });
});
