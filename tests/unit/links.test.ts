import { describe, expect, it } from 'vitest';
import { absoluteUrl, splitUrls, trimUrl, type TextSegment } from '../../src/shared/links';

/** The URLs splitUrls finds, in order. */
function urls(text: string): string[] {
  return splitUrls(text).flatMap((segment) => (segment.kind === 'url' ? [segment.url] : []));
}

/** Rebuilds the input from the segments (holds whenever the URLs carry no TeX escapes). */
function rejoin(segments: TextSegment[]): string {
  return segments.map((s) => (s.kind === 'url' ? s.url + s.trailing : s.text)).join('');
}

describe('trimUrl', () => {
  it('trims sentence punctuation after a URL', () => {
    expect(trimUrl('https://github.com/GengDavid/SLCA.')).toEqual(['https://github.com/GengDavid/SLCA', '.']);
    for (const mark of ['.', ',', ';', ':', ')', '!', '?', '"', "'"]) {
      expect(trimUrl(`https://github.com/a/b${mark}`), mark).toEqual(['https://github.com/a/b', mark]);
    }
  });

  it('trims mixed runs of punctuation', () => {
    expect(trimUrl('https://x.org/a).')).toEqual(['https://x.org/a', ').']);
    expect(trimUrl('https://x.org/a.),')).toEqual(['https://x.org/a', '.),']);
    expect(trimUrl('https://x.org/a]);')).toEqual(['https://x.org/a', ']);']);
  });

  it('keeps a closing paren the URL itself opened', () => {
    const wiki = 'https://en.wikipedia.org/wiki/Pointer_(computer_programming)';
    expect(trimUrl(wiki)).toEqual([wiki, '']);
    expect(trimUrl(`${wiki}.`)).toEqual([wiki, '.']);
    // Written inside parentheses: the outer `)` belongs to the prose.
    expect(trimUrl(`${wiki})`)).toEqual([wiki, ')']);
    expect(trimUrl(`${wiki}).`)).toEqual([wiki, ').']);
  });

  it('keeps punctuation inside the URL', () => {
    const url = 'https://github.com/alibaba/FederatedScope/tree/llm?x=1,2;y=3#a.b';
    expect(trimUrl(url)).toEqual([url, '']);
  });

  it('cuts TeX residue glued to a URL', () => {
    expect(trimUrl('https://anonymous.4open.science/r/BIB-ICLR2023-Submission/README.md{here.}')).toEqual([
      'https://anonymous.4open.science/r/BIB-ICLR2023-Submission/README.md',
      '{here.}',
    ]);
    expect(trimUrl('https://x.org/a}{code}.')).toEqual(['https://x.org/a', '}{code}.']);
  });

  it('undoes TeX escapes inside a URL instead of cutting it there', () => {
    // Used to return `https://github.com/foo/my` and leave `\_repo.` as prose.
    expect(trimUrl('https://github.com/foo/my\\_repo.')).toEqual(['https://github.com/foo/my_repo', '.']);
    expect(trimUrl('https://x.org/a\\%20b\\#c')).toEqual(['https://x.org/a%20b#c', '']);
    expect(trimUrl('https://x.org/a\\textbf')).toEqual(['https://x.org/a', '\\textbf']);
  });
});

describe('splitUrls', () => {
  it('returns text without URLs as one text segment', () => {
    const text = 'No links here, just e.g. a README.md mention and www or http words.';
    expect(splitUrls(text)).toEqual([{ kind: 'text', text }]);
    expect(splitUrls('')).toEqual([]);
  });

  it('splits prose from URLs and keeps what follows the URL as trailing text', () => {
    const text = 'Code has been made available at: https://github.com/GengDavid/SLCA. Thanks';
    const segments = splitUrls(text);
    expect(segments).toEqual([
      { kind: 'text', text: 'Code has been made available at: ' },
      { kind: 'url', url: 'https://github.com/GengDavid/SLCA', trailing: '.' },
      { kind: 'text', text: ' Thanks' },
    ]);
    expect(rejoin(segments)).toBe(text);
  });

  it('finds several URLs, http and https alike', () => {
    const text = 'videos: https://youtu.be/gCuUyGETbTU and http://youtu.be/XsaGI01b-1o; done';
    expect(urls(text)).toEqual(['https://youtu.be/gCuUyGETbTU', 'http://youtu.be/XsaGI01b-1o']);
    expect(rejoin(splitUrls(text))).toBe(text);
  });

  it('finds www. links without a scheme', () => {
    expect(urls('See www.example.org/paper, or www.example.org.')).toEqual(['www.example.org/paper', 'www.example.org']);
    expect(absoluteUrl('www.example.org/paper')).toBe('https://www.example.org/paper');
    expect(absoluteUrl('http://example.org')).toBe('http://example.org');
    expect(absoluteUrl('HTTPS://example.org')).toBe('HTTPS://example.org');
  });

  it('ignores scheme-like text that has no host', () => {
    expect(urls('the prefix www. alone, or https://. is not a link')).toEqual([]);
  });

  it('keeps Wikipedia-style parentheses and drops the prose ones', () => {
    expect(urls('(see https://en.wikipedia.org/wiki/Foo_(bar)).')).toEqual(['https://en.wikipedia.org/wiki/Foo_(bar)']);
  });

  it('finds a URL glued to a TeX tie', () => {
    const segments = splitUrls('Our code is available~https://anonymous.4open.science/r/BIB/README.md{here.}');
    expect(segments[0]).toEqual({ kind: 'text', text: 'Our code is available~' });
    expect(segments[1]).toEqual({ kind: 'url', url: 'https://anonymous.4open.science/r/BIB/README.md', trailing: '{here.}' });
  });
});
