/**
 * Finds the code and project links written into an abstract. Digest abstracts end
 * sentences right after a URL (`https://github.com/GengDavid/SLCA.`) and carry
 * residue of `\href{url}{text}` (`README.md{here.}`), so a plain URL regex would
 * return broken links.
 */

/** Splits prose from URLs so LaTeX cleaning never touches a URL. */
export type TextSegment = { kind: 'text'; text: string } | { kind: 'url'; url: string; trailing: string };

const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>"'`]+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?'"*>]+$/;

/**
 * TeX escapes that abstracts carry inside URLs (`https://github.com/a/my\_repo`):
 * they stand for the character itself, so they are part of the URL.
 */
const TEX_ESCAPE_IN_URL = /\\([_%#&~])/g;

/**
 * Trims what follows a URL in prose but is not part of it. Returns [url, trailing]:
 * `trailing` is the rest of `raw` as written; `url` has TeX escapes undone.
 */
export function trimUrl(raw: string): [string, string] {
  let url = raw;
  // `{`, `}` and a backslash are not legal unescaped in URLs; here they only come
  // from TeX residue, except the escapes above.
  const brace = url.search(/[{}]|\\(?![_%#&~])/);
  if (brace !== -1) url = url.slice(0, brace);
  for (;;) {
    const before = url;
    url = url.replace(TRAILING_PUNCTUATION, '');
    // A closing bracket belongs to the URL only when the URL opened it (Wikipedia-style links).
    for (const [open, close] of [['(', ')'], ['[', ']']] as const) {
      while (url.endsWith(close) && count(url, open) < count(url, close)) url = url.slice(0, -1);
    }
    if (url === before) break;
  }
  return [url.replace(TEX_ESCAPE_IN_URL, '$1'), raw.slice(url.length)];
}

function count(text: string, ch: string): number {
  let n = 0;
  for (const c of text) if (c === ch) n++;
  return n;
}

export function splitUrls(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index;
    const [url, trailing] = trimUrl(match[0]);
    if (!isPlausibleUrl(url)) continue;
    if (start > last) segments.push({ kind: 'text', text: text.slice(last, start) });
    segments.push({ kind: 'url', url, trailing });
    last = start + match[0].length;
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) });
  return segments;
}

function isPlausibleUrl(url: string): boolean {
  const host = url.replace(/^https?:\/\//i, '').split(/[/?#]/)[0] ?? '';
  return /^[\w-]+(\.[\w-]+)+(:\d+)?$/.test(host);
}

/** A link as shown to readers: always absolute, so `www.x.org` gains https://. */
export function absoluteUrl(url: string): string {
  return /^https?:\/\//i.test(url) ? url : `https://${url}`;
}
