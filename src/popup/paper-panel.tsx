/**
 * The popup's paper view: the shared PaperView (as on the full paper page) with
 * a way back, and "copy as Markdown" / "copy citation".
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { call } from '../platform/extension-api';
import type { RelatedPaper } from '../shared/protocol';
import { citationOf } from '../shared/reading-list-io';
import type { Paper } from '../shared/types';
import { PaperView } from '../ui/paper-view';

type Loaded = { paper: Paper; related: RelatedPaper[]; saved: boolean };

export function paperMarkdown(paper: Paper): string {
  const link = paper.links[0];
  return `${link ? `[${paper.title}](${link})` : `**${paper.title}**`}${paper.digestDate ? ` (digest ${paper.digestDate})` : ''}\n\n${paper.abstract}\n`;
}

export function PaperPanel({ id, onOpen, onBack, onSavedChange }: { id: string; onOpen(id: string): void; onBack(): void; onSavedChange(saved: boolean): void }) {
  const [state, setState] = useState<Loaded | 'missing' | null>(null);
  const [message, setMessage] = useState('');
  const back = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    setState(null);
    setMessage('');
    void Promise.all([call('getPaper', { id }), call('savedState', { ids: [id] })]).then(([paper, saved]) => {
      if (!paper.ok) return setMessage(`Could not read this paper: ${paper.error.message}`);
      if (!paper.value.paper) return setState('missing');
      setState({ paper: paper.value.paper, related: paper.value.related, saved: saved.ok && saved.value.saved.includes(id) });
      back.current?.focus();
    });
  }, [id]);

  const toggleSave = async () => {
    if (!state || state === 'missing') return;
    const reply = state.saved ? await call('unsavePaper', { id }) : await call('savePaper', { id });
    if (reply.ok) {
      setState({ ...state, saved: !state.saved });
      onSavedChange(!state.saved);
      setMessage(state.saved ? 'Removed from the reading list.' : 'Saved to the reading list.');
    } else setMessage(reply.error.message);
  };
  const copy = async (text: string, what: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setMessage(`${what} copied.`);
    } catch {
      setMessage(`Could not copy the ${what.toLowerCase()}.`);
    }
  };

  return (
    <section class="panel paper-panel" aria-label="Paper" onKeyDown={(e) => e.key === 'Escape' && (e.preventDefault(), onBack())}>
      <button ref={back} type="button" class="back" onClick={onBack}>
        ← Back
      </button>
      {state === null ? <p class="muted">Loading…</p> : null}
      {state === 'missing' ? <p role="alert">This paper is not in the digest.</p> : null}
      {state && state !== 'missing' ? (
        <>
          <PaperView paper={state.paper} related={state.related} saved={state.saved} onToggleSave={() => void toggleSave()} onOpen={onOpen} />
          <div class="actions">
            <button type="button" onClick={() => void copy(paperMarkdown(state.paper), 'Markdown')}>
              Copy as Markdown
            </button>
            <button
              type="button"
              onClick={() => void copy(citationOf(state.paper), 'Citation')}
            >
              Copy citation
            </button>
          </div>
        </>
      ) : null}
      <p class="muted" role="status" data-testid="paper-status">
        {message}
      </p>
    </section>
  );
}
