import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDigest } from '../../src/shared/digest-parser';
import { normalizeTitle } from '../../src/shared/normalize';
import {
  ABSTRACT_WORDS,
  TITLE_WORDS,
  formatDigest,
  generateDigest,
  generatePapers,
  writeDigestFiles,
} from '../../scripts/synthetic-digest';

describe('generateDigest', () => {
  const text = generateDigest(1000);
  const parsed = parseDigest(text, 'synthetic_1000.txt');

  it('is deterministic for a seed and varies with it', () => {
    expect(generateDigest(1000)).toBe(text);
    expect(generateDigest(50, { seed: 7 })).toBe(generateDigest(50, { seed: 7 }));
    expect(generateDigest(50, { seed: 8 })).not.toBe(generateDigest(50, { seed: 7 }));
    // A prefix of a longer digest: later papers do not change earlier ones.
    expect(generateDigest(1500).startsWith(text)).toBe(true);
  });

  it('parses into exactly the requested papers with no problems', () => {
    expect(parsed.problems).toEqual([]);
    expect(parsed.papers).toHaveLength(1000);
    expect(parsed.digestDate).toBe('Mar 13');
    expect(new Set(parsed.papers.map((p) => p.id)).size).toBe(1000);
    expect(new Set(parsed.papers.map((p) => normalizeTitle(p.title))).size).toBe(1000);
  });

  it('starts with the listing header and the date line', () => {
    expect(text.split('\n').slice(0, 10)).toEqual([
      'new',
      '',
      'Get trending papers in your email inbox!',
      '',
      'Subscribe',
      '',
      'byAK and the research community',
      '',
      'Mar 13',
      '',
    ]);
    expect(generateDigest(3, { date: 'Apr 2' }).split('\n')[8]).toBe('Apr 2');
  });

  it('writes titles and abstracts of the promised shape', () => {
    const papers = generatePapers(1000);
    for (const { title, abstract } of papers) {
      const titleWords = title.split(' ').length;
      expect(titleWords).toBeGreaterThanOrEqual(TITLE_WORDS.min);
      expect(titleWords).toBeLessThanOrEqual(TITLE_WORDS.max);
      expect(title).not.toMatch(/\.$/);
      const abstractWords = abstract.split(' ').length;
      expect(abstractWords).toBeGreaterThanOrEqual(ABSTRACT_WORDS.min);
      expect(abstractWords).toBeLessThanOrEqual(ABSTRACT_WORDS.max);
      expect(abstract).toMatch(/\.$/);
      expect(abstract).not.toMatch(/\n/);
    }
    expect(papers.some((p) => /^[^ ]+: /.test(p.title))).toBe(true);
    expect(papers.some((p) => p.title.endsWith('?'))).toBe(true);
    expect(formatDigest(papers)).toBe(text);
  });

  it('puts trimmed code links into about a tenth of the abstracts', () => {
    const withLinks = parsed.papers.filter((p) => p.links.length > 0);
    expect(withLinks.length).toBeGreaterThan(50);
    expect(withLinks.length).toBeLessThan(150);
    for (const paper of withLinks) {
      for (const link of paper.links) expect(link).toMatch(/^https:\/\/github\.com\/[\w-]+\/[\w-]+$/);
    }
  });

  it('rejects a bad count', () => {
    expect(() => generateDigest(-1)).toThrow(RangeError);
    expect(generateDigest(0).trim().endsWith('Mar 13')).toBe(true);
  });
});

describe('writeDigestFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paperpeek-synthetic-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes dir/synthetic_<count>.txt, creating the folder', () => {
    const path = writeDigestFiles(join(dir, 'nested'), 20, { seed: 3 });
    expect(basename(path)).toBe('synthetic_20.txt');
    expect(readFileSync(path, 'utf8')).toBe(generateDigest(20, { seed: 3 }));
  });
});
