/**
 * The full paper page, opened from the hover card's "Open": `?id=<paper id>`.
 * Loads the paper and its saved state from the background and renders the
 * shared PaperView. Related papers open in place and the address follows, so
 * Back works.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { call } from '../platform/extension-api';
import type { RelatedPaper } from '../shared/protocol';
import type { Paper } from '../shared/types';
import { PaperView } from '../ui/paper-view';

type Loaded = { paper: Paper; related: RelatedPaper[]; saved: boolean };

function idFromAddress(): string {
  return new URLSearchParams(location.search).get('id') ?? '';
}

function PaperPage() {
  const [id, setId] = useState(idFromAddress);
  const [state, setState] = useState<Loaded | 'missing' | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    const onPop = () => setId(idFromAddress());
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  useEffect(() => {
    setState(null);
    if (!id) return;
    void Promise.all([call('getPaper', { id }), call('savedState', { ids: [id] })]).then(([paper, saved]) => {
      if (!paper.ok) return setError(paper.error.message);
      if (!paper.value.paper) return setState('missing');
      document.title = `${paper.value.paper.title} — PaperPeek`;
      setState({ paper: paper.value.paper, related: paper.value.related, saved: saved.ok && saved.value.saved.includes(id) });
    });
  }, [id]);

  if (!id) return <p role="alert">No paper given.</p>;
  if (error) return <p role="alert">Could not read this paper: {error}</p>;
  if (state === null) return <p>Loading…</p>;
  if (state === 'missing') return <p role="alert">This paper is not in the digest.</p>;

  const toggleSave = async () => {
    const reply = state.saved ? await call('unsavePaper', { id }) : await call('savePaper', { id });
    if (reply.ok) setState({ ...state, saved: !state.saved });
    else setError(reply.error.message);
  };
  const open = (next: string) => {
    history.pushState(null, '', `?id=${encodeURIComponent(next)}`);
    setId(next);
    scrollTo(0, 0);
  };
  return <PaperView paper={state.paper} related={state.related} saved={state.saved} onToggleSave={() => void toggleSave()} onOpen={open} />;
}

const app = document.getElementById('app');
if (app) render(<PaperPage />, app);
