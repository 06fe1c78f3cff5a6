/**
 * Options page. For now: the hover delay (how long the pointer rests on a mark
 * before the card's work starts). Saved in the worker and applied live to open
 * tabs. Per-site control, imports and sync come with the options issue.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { call } from '../platform/extension-api';
import { DEFAULT_SETTINGS, MAX_HOVER_DELAY_MS, type Settings } from '../shared/settings';

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
      <p role="status">{status}</p>
    </form>
  );
}

const app = document.getElementById('app');
if (app) render(<SettingsForm />, app);
