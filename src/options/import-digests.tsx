/**
 * The options page's digest section: import a digest by file picker, drag and
 * drop or paste; preview what it adds (new papers, papers already known,
 * problems with their lines) before anything is written; progress while it is
 * parsed and written; and the list of imported digests, each removable.
 * Every text from a file is rendered as text (Preact escapes it), never as HTML.
 */
import { useEffect, useState } from 'preact/hooks';
import { call } from '../platform/extension-api';
import { PASTED_NAME, type ImportSummary } from '../shared/digest-import';
import { commitDigest, importBlocker, previewDigest, type DigestPreview, type ImportProgress } from './import-client';

/** Problems and new titles listed in a preview at most (the rest are counted). */
const SHOWN_PROBLEMS = 50;
const SHOWN_TITLES = 20;

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

function progressText(progress: ImportProgress): { label: string; value?: number } {
  switch (progress.stage) {
    case 'reading':
      return { label: 'Reading the file…' };
    case 'parsing':
      return { label: `Parsing… ${Math.round(progress.fraction * 100)}%`, value: progress.fraction };
    case 'checking':
      return { label: 'Comparing with the papers PaperPeek knows…' };
    case 'writing':
      return { label: `Writing ${progress.done.toLocaleString()} of ${plural(progress.total, 'paper')}…`, value: progress.done / Math.max(1, progress.total) };
    case 'indexing':
      return { label: 'Indexing for title spotting, search and related papers…' };
  }
}

function Progress({ progress }: { progress: ImportProgress }) {
  const { label, value } = progressText(progress);
  return (
    <div class="import-progress" role="status" data-testid="import-progress">
      <progress aria-label="Import progress" max={1} value={value} />
      <span>{label}</span>
    </div>
  );
}

function PreviewPanel({ preview, busy, onImport, onCancel }: { preview: DigestPreview; busy: boolean; onImport(): void; onCancel(): void }) {
  const blocker = importBlocker(preview);
  const problems = preview.problems;
  return (
    <section class="preview" aria-labelledby="preview-heading" data-testid="import-preview">
      <h3 id="preview-heading">Preview of “{preview.name}”</h3>
      <dl class="facts">
        <dt>Digest date</dt>
        <dd>{preview.digestDate || 'none'}</dd>
        <dt>Papers in the file</dt>
        <dd data-testid="preview-total">{preview.count.toLocaleString()}</dd>
        <dt>New papers</dt>
        <dd data-testid="preview-new">{preview.freshTitles.length.toLocaleString()}</dd>
        <dt>Already known</dt>
        <dd data-testid="preview-known">{preview.knownCount.toLocaleString()}</dd>
      </dl>
      {problems.length > 0 ? (
        <>
          <h4>{plural(problems.length, 'problem')}</h4>
          <ul class="problems" data-testid="import-problems">
            {problems.slice(0, SHOWN_PROBLEMS).map((p, i) => (
              <li key={i} class={p.severity}>
                Line {p.line} ({p.severity}): {p.message}
              </li>
            ))}
          </ul>
          {problems.length > SHOWN_PROBLEMS ? <p class="muted">…and {plural(problems.length - SHOWN_PROBLEMS, 'more problem')}.</p> : null}
        </>
      ) : null}
      {preview.freshTitles.length > 0 ? (
        <details>
          <summary>New papers ({preview.freshTitles.length.toLocaleString()})</summary>
          <ul class="titles" data-testid="preview-titles">
            {preview.freshTitles.slice(0, SHOWN_TITLES).map((title, i) => (
              <li key={i}>{title}</li>
            ))}
          </ul>
          {preview.freshTitles.length > SHOWN_TITLES ? <p class="muted">…and {plural(preview.freshTitles.length - SHOWN_TITLES, 'more')}.</p> : null}
        </details>
      ) : null}
      {blocker ? (
        <p class="error" data-testid="import-blocker">
          {blocker}
        </p>
      ) : null}
      <p class="actions">
        <button type="button" class="primary" disabled={busy || blocker !== null} onClick={onImport}>
          Import {plural(preview.freshTitles.length, 'new paper')}
        </button>{' '}
        <button type="button" disabled={busy} onClick={onCancel}>
          {blocker ? 'Close' : 'Cancel'}
        </button>
      </p>
    </section>
  );
}

function ImportedList({ digests, busy, onRemove }: { digests: ImportSummary[]; busy: boolean; onRemove(d: ImportSummary): void }) {
  if (digests.length === 0) return <p class="muted">No digest imported yet: PaperPeek uses the digest it was built with.</p>;
  return (
    <table class="imports" data-testid="imported-digests">
      <caption class="visually-hidden">Imported digests</caption>
      <thead>
        <tr>
          <th scope="col">Digest</th>
          <th scope="col">Date</th>
          <th scope="col">Papers</th>
          <th scope="col">Imported</th>
          <th scope="col">
            <span class="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {digests.map((d) => (
          <tr key={d.id} data-digest-id={d.id}>
            <th scope="row">{d.name}</th>
            <td>{d.digestDate || '—'}</td>
            <td>
              {d.count.toLocaleString()} <span class="muted">({d.added.toLocaleString()} new)</span>
            </td>
            <td>{new Date(d.importedAt).toLocaleString()}</td>
            <td>
              <button type="button" disabled={busy} aria-label={`Remove ${d.name}`} onClick={() => onRemove(d)}>
                Remove
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ImportDigests() {
  const [digests, setDigests] = useState<ImportSummary[] | null>(null);
  const [preview, setPreview] = useState<DigestPreview | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [pasted, setPasted] = useState('');
  const [dragging, setDragging] = useState(false);
  const busy = progress !== null;

  const reload = async () => {
    const reply = await call('listImports', {});
    if (reply.ok) setDigests(reply.value.digests);
    else setError(`Could not list the imported digests: ${reply.error.message}`);
  };
  useEffect(() => void reload(), []);

  const open = async (source: { file: File } | { text: string; name: string }) => {
    if (busy) return;
    setError('');
    setDone('');
    setPreview(null);
    setProgress({ stage: 'reading', fraction: 0 });
    const reply = await previewDigest(source, setProgress);
    setProgress(null);
    if (reply.ok) setPreview(reply.value);
    else setError(`Nothing was imported. ${reply.error.message}`);
  };

  const commit = async () => {
    if (!preview) return;
    setError('');
    const reply = await commitDigest(preview, setProgress);
    setProgress(null);
    if (!reply.ok) return setError(`Nothing was imported. ${reply.error.message}`);
    setPreview(null);
    setPasted('');
    // The list first, then the message: it never announces what the list does not show yet.
    await reload();
    setDone(`Imported “${reply.value.name}”: ${plural(reply.value.added, 'new paper')}, marked on pages, searchable and related from now on.`);
  };

  const remove = async (digest: ImportSummary) => {
    setError('');
    setDone('');
    setProgress({ stage: 'indexing' });
    const reply = await call('removeImport', { id: digest.id });
    setProgress(null);
    if (!reply.ok) return setError(`“${digest.name}” was not removed: ${reply.error.message}`);
    await reload();
    setDone(`Removed “${digest.name}”. Papers you saved from it stay on your reading list.`);
  };

  const pickFile = (files: FileList | null | undefined) => {
    const file = files?.[0];
    if (!file) return;
    if (files.length > 1) setError('Drop one digest at a time: only the first file was read.');
    void open({ file });
  };

  return (
    <section aria-labelledby="digests-heading">
      <h2 id="digests-heading">Digests</h2>
      <p class="muted">
        Add a new digest (a text file in the digest format, such as a day’s listing) and its papers are spotted on pages, found by search and
        related to the others. Nothing is written before you confirm the preview.
      </p>
      <div
        class={dragging ? 'dropzone dragging' : 'dropzone'}
        data-testid="dropzone"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          pickFile(event.dataTransfer?.files);
        }}
      >
        <p>Drop a digest file here, or</p>
        <label class="button">
          Choose a digest file…
          <input
            type="file"
            accept=".txt,text/plain"
            class="visually-hidden"
            disabled={busy}
            onChange={(event) => {
              const input = event.currentTarget as HTMLInputElement;
              const files = input.files;
              pickFile(files);
              input.value = '';
            }}
          />
        </label>
      </div>
      <details class="paste">
        <summary>Or paste a digest</summary>
        <label for="digest-text">Digest text</label>
        <textarea id="digest-text" rows={6} value={pasted} onInput={(event) => setPasted((event.currentTarget as HTMLTextAreaElement).value)} />
        <p>
          <button type="button" disabled={busy || pasted.trim() === ''} onClick={() => void open({ text: pasted, name: PASTED_NAME })}>
            Preview pasted text
          </button>
        </p>
      </details>
      {progress ? <Progress progress={progress} /> : null}
      {error ? (
        <p class="error" role="alert" data-testid="import-error">
          {error}
        </p>
      ) : null}
      {done ? (
        <p role="status" data-testid="import-done">
          {done}
        </p>
      ) : null}
      {preview ? <PreviewPanel preview={preview} busy={busy} onImport={() => void commit()} onCancel={() => setPreview(null)} /> : null}
      <h3>Imported digests</h3>
      {digests ? <ImportedList digests={digests} busy={busy} onRemove={(d) => void remove(d)} /> : <p class="muted">Loading…</p>}
    </section>
  );
}
