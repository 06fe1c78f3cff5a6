/**
 * The options page's reading-list section (issue 7 §4): export and import in
 * the popup's formats, and the optional sync through the browser's sync
 * storage with what it synced, what stays on this device, and why.
 */
import { useEffect, useState } from 'preact/hooks';
import { call } from '../platform/extension-api';
import type { SyncStatus } from '../shared/protocol';
import { SYNC_QUOTA } from '../shared/sync-state';
import type { SavedPaper } from '../shared/types';
import { ListTransfer } from '../ui/list-transfer';

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

function SyncSummary({ status }: { status: SyncStatus }) {
  if (!status.enabled) return <p class="muted">Off. Your reading list stays on this device only.</p>;
  const { report } = status;
  return (
    <ul class="sync-facts" data-testid="sync-status">
      <li>{status.lastSyncAt ? `Last synced ${new Date(status.lastSyncAt).toLocaleString()}.` : 'Not synced yet.'}</li>
      {report ? (
        <li>
          {plural(report.records, 'paper')} in sync storage, {(report.bytes / 1024).toFixed(1)} KB of {(SYNC_QUOTA.totalBytes / 1024).toFixed(0)} KB.
        </li>
      ) : null}
      {report && report.notesKept.length > 0 ? (
        <li>{plural(report.notesKept.length, 'note')} too long for the sync quota stay on this device only.</li>
      ) : null}
      {report && report.left.length > 0 ? <li class="error">{plural(report.left.length, 'paper')} did not fit the sync quota and stay on this device only.</li> : null}
      {status.waiting > 0 ? (
        <li>
          {plural(status.waiting, 'paper')} saved on another device {status.waiting === 1 ? 'is' : 'are'} not in this device’s digests yet: import
          the digest that has {status.waiting === 1 ? 'it' : 'them'} and {status.waiting === 1 ? 'it appears' : 'they appear'} here.
        </li>
      ) : null}
      {status.lastError ? <li class="error">The last sync was refused: {status.lastError}. It is retried in a minute.</li> : null}
    </ul>
  );
}

export function ReadingListSafety() {
  const [papers, setPapers] = useState<SavedPaper[] | null>(null);
  const [sync, setSync] = useState<SyncStatus | null>(null);
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');

  const reload = async () => {
    const [list, status] = await Promise.all([call('listSaved', {}), call('getSyncStatus', {})]);
    if (list.ok) setPapers(list.value.papers);
    else setError(`Could not read the reading list: ${list.error.message}`);
    if (status.ok) setSync(status.value);
  };
  useEffect(() => void reload(), []);

  const setSyncEnabled = async (enabled: boolean) => {
    setError('');
    const reply = await call('setSyncEnabled', { enabled });
    if (reply.ok) setSync(reply.value);
    else setError(`Sync could not be turned ${enabled ? 'on' : 'off'}: ${reply.error.message}`);
  };

  return (
    <section aria-labelledby="list-heading">
      <h2 id="list-heading">Reading list</h2>
      {papers ? (
        <p data-testid="saved-count">
          {plural(papers.length, 'saved paper')}, kept in this browser’s extension storage. Export a copy now and then; an import merges a JSON
          export back in one step.
        </p>
      ) : null}
      {papers ? (
        <ListTransfer
          papers={papers}
          importPapers={(imported) => call('importSaved', { papers: imported })}
          onImported={(text) => {
            setMessage(text);
            void reload();
          }}
        />
      ) : null}
      {message ? (
        <p role="status" data-testid="list-message">
          {message}
        </p>
      ) : null}
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      <h3>Sync</h3>
      {sync ? (
        <>
          <p>
            <label>
              <input type="checkbox" checked={sync.enabled} onChange={(event) => void setSyncEnabled((event.currentTarget as HTMLInputElement).checked)} /> Sync my
              reading list through the browser’s own sync
            </label>
          </p>
          <p class="muted">
            Only paper ids, reading statuses and notes are synced, never titles, abstracts or pages you visit. A paper saved on another device
            appears here once this device’s digests hold it. Notes written on two devices at once are both kept.
          </p>
          <SyncSummary status={sync} />
          {sync.enabled ? (
            <p>
              <button type="button" onClick={() => void call('syncNow', {}).then((reply) => reply.ok && setSync(reply.value))}>
                Sync now
              </button>
            </p>
          ) : null}
        </>
      ) : (
        <p class="muted">This browser offers no sync storage to extensions.</p>
      )}
    </section>
  );
}
