/**
 * The reading list: saved papers, newest first, each with a status and a note;
 * remove with undo; filter by text and status; export in four formats and
 * import a JSON file (ui/list-transfer.tsx).
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { call } from '../platform/extension-api';
import { MAX_NOTE, READING_STATUSES, STATUS_LABELS, isReadingStatus } from '../shared/reading-list-io';
import { normalizeTerm } from '../shared/search';
import type { ReadingStatus, SavedPaper } from '../shared/types';
import { ListTransfer } from '../ui/list-transfer';

/** How long a note waits after the last keystroke before it is stored. */
const NOTE_DELAY_MS = 400;

function NoteField({ paper, onSaved }: { paper: SavedPaper; onSaved(p: SavedPaper): void }) {
  const [text, setText] = useState(paper.note);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const stored = useRef(paper.note);
  const latest = useRef(paper.note);
  const store = () => {
    clearTimeout(timer.current);
    timer.current = undefined;
    const note = latest.current;
    if (note === stored.current) return;
    stored.current = note;
    void call('setSavedNote', { id: paper.id, note }).then((reply) => reply.ok && onSaved(reply.value.saved));
  };
  // A note typed just before the popup closes is still stored.
  useEffect(() => () => store(), []);
  return (
    <textarea
      class="note"
      rows={text ? 2 : 1}
      maxLength={MAX_NOTE}
      placeholder="Note"
      aria-label={`Note on ${paper.title}`}
      value={text}
      onInput={(e) => {
        latest.current = (e.currentTarget as HTMLTextAreaElement).value;
        setText(latest.current);
        clearTimeout(timer.current);
        timer.current = setTimeout(store, NOTE_DELAY_MS);
      }}
      onBlur={store}
    />
  );
}

export function ReadingList({ onOpen, onCount }: { onOpen(id: string): void; onCount(n: number): void }) {
  const [papers, setPapers] = useState<SavedPaper[] | null>(null);
  const [error, setError] = useState('');
  const [filter, setFilter] = useState('');
  const [status, setStatus] = useState<ReadingStatus | 'all'>('all');
  const [removed, setRemoved] = useState<SavedPaper | null>(null);
  const [message, setMessage] = useState('');

  const reload = async () => {
    const reply = await call('listSaved', {});
    if (!reply.ok) return setError(reply.error.message);
    setPapers(reply.value.papers);
    onCount(reply.value.papers.length);
  };
  useEffect(() => void reload(), []);

  const shown = useMemo(() => {
    const words = normalizeTerm(filter).split(/\s+/).filter(Boolean);
    return (papers ?? []).filter(
      (p) => (status === 'all' || p.status === status) && words.every((w) => normalizeTerm(`${p.title} ${p.note}`).includes(w)),
    );
  }, [papers, filter, status]);

  const replace = (next: SavedPaper) => setPapers((list) => list?.map((p) => (p.id === next.id ? next : p)) ?? null);

  const changeStatus = async (paper: SavedPaper, next: string) => {
    if (!isReadingStatus(next)) return;
    const reply = await call('setSavedStatus', { id: paper.id, status: next });
    if (reply.ok) replace(reply.value.saved);
    else setMessage(reply.error.message);
  };
  const remove = async (paper: SavedPaper) => {
    const reply = await call('unsavePaper', { id: paper.id });
    if (!reply.ok) return setMessage(reply.error.message);
    setRemoved(paper);
    setMessage('');
    await reload();
    document.getElementById('undo')?.focus();
  };
  const undo = async () => {
    if (!removed) return;
    const reply = await call('importSaved', { papers: [removed] });
    if (!reply.ok) return setMessage(reply.error.message);
    setMessage(`“${removed.title}” is back on the list.`);
    setRemoved(null);
    await reload();
  };
  if (error) return <p role="alert">Could not read the reading list: {error}</p>;
  if (!papers) return <p class="muted">Loading…</p>;
  return (
    <section class="panel" aria-label="Reading list">
      <div class="filters">
        <input type="search" aria-label="Filter the reading list" placeholder="Filter" value={filter} onInput={(e) => setFilter((e.currentTarget as HTMLInputElement).value)} />
        <select aria-label="Show status" value={status} onChange={(e) => setStatus((e.currentTarget as HTMLSelectElement).value as ReadingStatus | 'all')}>
          <option value="all">All</option>
          {READING_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      {removed ? (
        <p class="toast" role="status">
          Removed “{removed.title}”.{' '}
          <button id="undo" type="button" onClick={() => void undo()}>
            Undo
          </button>
        </p>
      ) : null}
      <p class="muted" role="status" data-testid="list-status">
        {message}
      </p>
      {papers.length === 0 ? (
        <p class="muted empty">Nothing saved yet. Save papers from search or from a page’s hover card.</p>
      ) : shown.length === 0 ? (
        <p class="muted empty">No saved paper matches this filter.</p>
      ) : (
        <ul class="saved-list" aria-label="Saved papers">
          {shown.map((paper) => (
            <li key={paper.id} data-paper-id={paper.id} class="saved">
              <button type="button" class="link" onClick={() => onOpen(paper.id)}>
                {paper.title}
              </button>
              <div class="saved-row">
                <select aria-label={`Status of ${paper.title}`} value={paper.status} onChange={(e) => void changeStatus(paper, (e.currentTarget as HTMLSelectElement).value)}>
                  {READING_STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {STATUS_LABELS[s]}
                    </option>
                  ))}
                </select>
                <span class="muted small">saved {new Date(paper.savedAt).toLocaleDateString()}</span>
                <button type="button" class="remove" aria-label={`Remove ${paper.title}`} onClick={() => void remove(paper)}>
                  Remove
                </button>
              </div>
              <NoteField paper={paper} onSaved={replace} />
            </li>
          ))}
        </ul>
      )}
      <ListTransfer
        papers={papers}
        importPapers={(imported) => call('importSaved', { papers: imported })}
        onImported={(text) => {
          setMessage(text);
          void reload();
        }}
      />
    </section>
  );
}
