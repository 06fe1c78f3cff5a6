/**
 * One paper in full: title, digest date, clean abstract, code links, related
 * papers (each opens its own view) and a Save toggle. The hover card's "Open"
 * page uses it, and the popup's paper view will too. Data comes only through
 * props (DESIGN.md §2). All text is rendered as text; only http(s) links become
 * anchors.
 */
import type { RelatedPaper } from '../shared/protocol';
import type { Paper } from '../shared/types';

export interface PaperViewProps {
  paper: Paper;
  related: readonly RelatedPaper[];
  saved: boolean;
  onToggleSave(): void;
  /** Shows another paper (a related one the reader picked). */
  onOpen(id: string): void;
}

function linkLabel(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return url;
  }
}

export function PaperView({ paper, related, saved, onToggleSave, onOpen }: PaperViewProps) {
  const links = paper.links.filter((url) => /^https?:\/\//.test(url));
  return (
    <article class="paper" aria-labelledby="paper-title">
      <h1 id="paper-title">{paper.title}</h1>
      {paper.digestDate ? <p class="muted">From the {paper.digestDate} digest</p> : null}
      <div class="actions">
        <button type="button" aria-pressed={saved} onClick={onToggleSave}>
          {saved ? 'Saved' : 'Save'}
        </button>
      </div>
      <p class="abstract">{paper.abstract}</p>
      {links.length > 0 ? (
        <section aria-labelledby="paper-links">
          <h2 id="paper-links">Links</h2>
          <ul>
            {links.map((url) => (
              <li key={url}>
                <a href={url} target="_blank" rel="noopener noreferrer">
                  {linkLabel(url)}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {related.length > 0 ? (
        <section aria-labelledby="paper-related">
          <h2 id="paper-related">Related papers</h2>
          <ul class="related">
            {related.map((other) => (
              <li key={other.id}>
                <button type="button" class="link" onClick={() => onOpen(other.id)}>
                  {other.title}
                </button>
                <span class="muted"> — {other.reason}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </article>
  );
}
