/**
 * Options page: settings (the hover delay, where marks go and how they look, a
 * global pause and the sites PaperPeek stays off; saved in the worker and
 * applied live to open tabs), imported digests (import-digests.tsx), the
 * reading list's export, import and sync (reading-list-safety.tsx), and storage.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { call } from '../platform/extension-api';
import { DEFAULT_SETTINGS, MAX_HOVER_DELAY_MS, isHostName, type Settings } from '../shared/settings';
import { ImportDigests } from './import-digests';
import { ReadingListSafety } from './reading-list-safety';

function SettingsForm() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [status, setStatus] = useState('');

  useEffect(() => {
    void call('getSettings', {}).then((reply) => (reply.ok ? setSettings(reply.value) : setStatus(reply.error.message)));
  }, []);
  if (!settings) return <p>{status || 'Loading…'}</p>;

  const save = async (next: Settings) => {
    setSettings(next);
    const reply = await call('setSettings', next);
    setStatus(reply.ok ? 'Saved. Open tabs use it at once.' : `Not saved: ${reply.error.message}`);
  };

  return (
    <form onSubmit={(event) => event.preventDefault()}>
      <h1>PaperPeek settings</h1>
      <p>
        <label for="hover-delay">Hover delay before a card starts loading (ms)</label>
        <br />
        <input
          id="hover-delay"
          type="number"
          min={0}
          max={MAX_HOVER_DELAY_MS}
          step={50}
          value={settings.hoverDelayMs}
          aria-describedby="hover-delay-help"
          onChange={(event) => {
            const value = Math.round(Number((event.target as HTMLInputElement).value));
            if (Number.isFinite(value) && value >= 0 && value <= MAX_HOVER_DELAY_MS) void save({ ...settings, hoverDelayMs: value });
            else setStatus(`The delay must be between 0 and ${MAX_HOVER_DELAY_MS} ms.`);
          }}
        />
      </p>
      <p id="hover-delay-help" class="muted">
        Default {DEFAULT_SETTINGS.hoverDelayMs} ms. The card still appears no earlier than 500 ms after the pointer arrives, so passing
        over a title never flashes a card.
      </p>
      <h2>Marks</h2>
      <fieldset>
        <legend>Mark titles</legend>
        {(
          [
            ['everywhere', 'Wherever they stand as a title (links, headings, lists, references, quotes)'],
            ['links', 'Only when a link’s text is the title'],
          ] as const
        ).map(([value, label]) => (
          <label key={value} class="choice">
            <input type="radio" name="mark-where" checked={settings.markWhere === value} onChange={() => void save({ ...settings, markWhere: value })} /> {label}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Mark style</legend>
        {(
          [
            ['underline', 'Dotted underline'],
            ['highlight', 'Soft highlight'],
          ] as const
        ).map(([value, label]) => (
          <label key={value} class="choice">
            <input type="radio" name="mark-style" checked={settings.markStyle === value} onChange={() => void save({ ...settings, markStyle: value })} /> {label}
          </label>
        ))}
      </fieldset>
      <h2>Where PaperPeek runs</h2>
      <p>
        <label>
          <input type="checkbox" checked={settings.paused} onChange={(event) => void save({ ...settings, paused: (event.target as HTMLInputElement).checked })} />{' '}
          Pause PaperPeek everywhere
        </label>
      </p>
      <SiteList settings={settings} onChange={(disabledSites) => void save({ ...settings, disabledSites })} onError={setStatus} />
      <p role="status">{status}</p>
    </form>
  );
}

/** Sites PaperPeek stays off, with a way to add one and to turn each back on. */
function SiteList({ settings, onChange, onError }: { settings: Settings; onChange(sites: string[]): void; onError(message: string): void }) {
  const [draft, setDraft] = useState('');
  const add = () => {
    const host = hostOf(draft);
    if (!host) return onError(`"${draft}" is not a site: type a host name such as arxiv.org.`);
    if (!settings.disabledSites.includes(host)) onChange([...settings.disabledSites, host]);
    setDraft('');
  };
  return (
    <section aria-labelledby="sites-heading">
      <h3 id="sites-heading">Turned off on these sites</h3>
      {settings.disabledSites.length === 0 ? <p class="muted">None.</p> : null}
      <ul>
        {settings.disabledSites.map((site) => (
          <li key={site}>
            {site}{' '}
            <button type="button" onClick={() => onChange(settings.disabledSites.filter((s) => s !== site))}>
              Turn back on
            </button>
          </li>
        ))}
      </ul>
      <p>
        <label for="site-to-disable">Turn off on a site</label>
        <br />
        <input id="site-to-disable" value={draft} placeholder="arxiv.org" onInput={(event) => setDraft((event.target as HTMLInputElement).value)}
          onKeyDown={(event) => event.key === 'Enter' && add()} />{' '}
        <button type="button" onClick={add}>
          Turn off
        </button>
      </p>
    </section>
  );
}

/** The host name in what the reader typed: a bare host or a whole address. */
function hostOf(text: string): string | null {
  const trimmed = text.trim().toLowerCase();
  let host = trimmed;
  try {
    host = new URL(trimmed.includes('://') ? trimmed : `https://${trimmed}`).hostname;
  } catch {
    return null;
  }
  return isHostName(host) ? host : null;
}

/**
 * The reading list lives in this extension's IndexedDB. Asking for persistent
 * storage keeps the browser from evicting it under storage pressure; the page
 * shows what is used, so a reader can see the list is there.
 */
function StorageInfo() {
  const [info, setInfo] = useState<{ persisted: boolean; usage: number; quota: number } | null>(null);
  useEffect(() => {
    void (async () => {
      const persisted = (await navigator.storage?.persisted?.()) || ((await navigator.storage?.persist?.()) ?? false);
      const { usage = 0, quota = 0 } = (await navigator.storage?.estimate?.()) ?? {};
      setInfo({ persisted, usage, quota });
    })().catch(() => undefined);
  }, []);
  if (!info) return null;
  const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
  return (
    <section aria-labelledby="storage-heading">
      <h2 id="storage-heading">Storage</h2>
      <p data-testid="storage-info">
        Storage used: {mb(info.usage)} of {mb(info.quota)}.{' '}
        {info.persisted ? 'Kept by the browser (persistent).' : 'The browser may clear it under storage pressure.'}
      </p>
    </section>
  );
}

const app = document.getElementById('app');
if (app)
  render(
    <>
      <SettingsForm />
      <ImportDigests />
      <ReadingListSafety />
      <StorageInfo />
    </>,
    app,
  );
