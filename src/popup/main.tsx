/**
 * Toolbar popup. For now it shows what the bundled digest holds; search, the
 * paper view and the reading list come with the popup issue.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { call } from '../platform/extension-api';
import type { DigestStats } from '../shared/protocol';

function DigestSummary() {
  const [stats, setStats] = useState<DigestStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void call('stats', {}).then((reply) => (reply.ok ? setStats(reply.value) : setError(reply.error.message)));
  }, []);
  if (error) return <p role="alert">PaperPeek could not read its digest: {error}</p>;
  if (!stats) return <p>Loading…</p>;
  const loading = stats.loadingProgress === null ? '' : ` (loading ${Math.round(stats.loadingProgress * 100)}%)`;
  return (
    <p data-testid="digest-summary">
      {stats.papers} papers{stats.digestDate ? ` from the ${stats.digestDate} digest` : ''}
      {loading}, {stats.saved} saved
    </p>
  );
}

const app = document.getElementById('app');
if (app) {
  render(
    <>
      <h1>PaperPeek</h1>
      <DigestSummary />
    </>,
    app,
  );
}
