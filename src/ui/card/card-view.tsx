/**
 * The card's Preact components. They only render: state and actions come from
 * the controller in card.tsx, which also checks that events are trusted. Every
 * string is a text child, never markup.
 */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { CardPaper, CardRelated } from './card-api';
import { CLAMP_LINES } from './card-styles';
import { cardLinks } from './link-label';

/** Ids are scoped to the card's shadow root, so fixed ones cannot clash with the page. */
export const TITLE_ID = 'pp-card-title';
const ABSTRACT_ID = 'pp-card-abstract';

/** Without layout (a test DOM), an abstract longer than this is assumed to overflow the clamp. */
const LIKELY_CLIPPED_CHARS = CLAMP_LINES * 48;

type Handler = (event: Event) => void;

export interface CardViewState {
  paper: CardPaper;
  /** Whether there is an earlier paper to go back to. */
  canGoBack: boolean;
  expanded: boolean;
  /** The related paper being loaded, if any. */
  loadingId: string | null;
  savePending: boolean;
  /** A short status line ("Could not load that paper."), announced politely. */
  notice: string;
}

export interface CardViewActions {
  back: Handler;
  toggleAbstract: Handler;
  openRelated(id: string): Handler;
  toggleSaved: Handler;
  open: Handler;
}

export function CardView({ state, actions }: { state: CardViewState; actions: CardViewActions }) {
  const { paper } = state;
  return (
    // Non-modal: the page stays usable. tabIndex -1 lets a click on the card's
    // text keep focus inside the card instead of dropping it to the page body.
    <div class="card" role="dialog" aria-modal="false" aria-labelledby={TITLE_ID} tabIndex={-1} lang="en">
      {state.canGoBack && (
        <button type="button" class="back" onClick={actions.back}>
          <span aria-hidden="true">← </span>Back
        </button>
      )}
      <h2 class="title" id={TITLE_ID} dir="auto" tabIndex={-1}>
        {paper.title}
      </h2>
      {paper.digestDate && <p class="meta">{`From the ${paper.digestDate} digest`}</p>}
      {/* Actions come before the long parts, so Save is in reach however tall the card gets. */}
      <CardActions saved={paper.saved} savePending={state.savePending} actions={actions} />
      {/* Keyed by paper: a new paper measures its own overflow from scratch. */}
      <AbstractText key={paper.id} text={paper.abstract} expanded={state.expanded} onToggle={actions.toggleAbstract} />
      <LinkList urls={paper.links} />
      <RelatedList related={paper.related} loadingId={state.loadingId} openRelated={actions.openRelated} />
      <p class="notice" role="status">
        {state.notice}
      </p>
    </div>
  );
}

/** The abstract, clamped to CLAMP_LINES lines with a fade, and a toggle when it overflows. */
function AbstractText({ text, expanded, onToggle }: { text: string; expanded: boolean; onToggle: Handler }) {
  const ref = useRef<HTMLParagraphElement>(null);
  const [clipped, setClipped] = useState(() => text.length > LIKELY_CLIPPED_CHARS);
  useLayoutEffect(() => {
    const element = ref.current;
    // Measure only the clamped state, and only when there is layout to measure.
    if (!element || expanded || element.clientHeight === 0) return;
    setClipped(element.scrollHeight > element.clientHeight + 1);
  }, [text, expanded]);

  if (!text) return null;
  const classes = ['abstract-text', expanded ? '' : 'clamped', clipped ? 'clipped' : ''].filter(Boolean).join(' ');
  return (
    <div class="abstract">
      <p ref={ref} id={ABSTRACT_ID} class={classes} dir="auto">
        {text}
      </p>
      {(clipped || expanded) && (
        <button type="button" class="text-button" aria-expanded={expanded ? 'true' : 'false'} aria-controls={ABSTRACT_ID} onClick={onToggle}>
          {expanded ? 'Show less' : 'Show more'}
        </button>
      )}
    </div>
  );
}

/** Code and project links; only http(s) URLs become anchors. */
function LinkList({ urls }: { urls: readonly string[] }) {
  const links = cardLinks(urls);
  if (links.length === 0) return null;
  return (
    <section class="section">
      <h3 class="section-title">Links</h3>
      <ul class="links">
        {links.map((link) => (
          <li key={link.href}>
            <a href={link.href} target="_blank" rel="noopener noreferrer" title={link.href}>
              {link.label}
              <span class="visually-hidden"> (opens in a new tab)</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

function RelatedList({
  related,
  loadingId,
  openRelated,
}: {
  related: readonly CardRelated[];
  loadingId: string | null;
  openRelated: (id: string) => Handler;
}) {
  if (related.length === 0) return null;
  return (
    <section class="section">
      <h3 class="section-title">Related papers</h3>
      <ul class="related">
        {related.map((item) => (
          <li key={item.id}>
            <button type="button" onClick={openRelated(item.id)} aria-busy={item.id === loadingId ? 'true' : undefined}>
              <span class="related-title" dir="auto">
                {item.title}
              </span>
              {item.reason && <span class="related-reason">{item.reason}</span>}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function CardActions({ saved, savePending, actions }: { saved: boolean; savePending: boolean; actions: CardViewActions }) {
  return (
    <div class="actions">
      <button
        type="button"
        class="action"
        aria-pressed={saved ? 'true' : 'false'}
        aria-busy={savePending ? 'true' : undefined}
        onClick={actions.toggleSaved}
      >
        {saved ? 'Saved' : 'Save'}
      </button>
      <button type="button" class="action primary" aria-label="Open in PaperPeek" onClick={actions.open}>
        Open
      </button>
    </div>
  );
}
