/** Which of a paper's links the card shows, and the short label it shows for each. */

/** The longest label, in characters; the full URL stays in the link's tooltip. */
const MAX_LABEL = 48;

export interface CardLink {
  href: string;
  label: string;
}

/**
 * The http(s) links among `urls`, each with a short "host/path" label.
 * Anything else (`javascript:`, `data:`, relative or broken URLs) is dropped:
 * only a web address may become an anchor in the card.
 */
export function cardLinks(urls: readonly string[]): CardLink[] {
  const links: CardLink[] = [];
  const seen = new Set<string>();
  for (const raw of urls) {
    const url = parseHttpUrl(raw);
    if (!url || seen.has(url.href)) continue;
    seen.add(url.href);
    links.push({ href: url.href, label: linkLabel(url) });
  }
  return links;
}

function parseHttpUrl(raw: string): URL | null {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/** `https://www.github.com/a/b/` → `github.com/a/b`, shortened in the middle when long. */
export function linkLabel(url: URL): string {
  const host = url.hostname.replace(/^www\./, '');
  const path = url.pathname.replace(/\/+$/, '');
  const label = host + path;
  if (label.length <= MAX_LABEL) return label;
  const head = Math.ceil((MAX_LABEL - 1) / 2);
  const tail = MAX_LABEL - 1 - head;
  return `${label.slice(0, head)}…${label.slice(label.length - tail)}`;
}
