/**
 * Service worker entry. Listeners are registered synchronously at the top level:
 * Chrome stops the worker after 30 s idle and restarts it for the next message,
 * which must find its listener already in place.
 */
import {
  extensionIdentity,
  listenForRequests,
  onInstalledOrUpdated,
  readPackagedJson,
} from '../platform/extension-api';
import { bundledDigest } from 'virtual:paperpeek-digest';
import { PaperPeekDatabase } from './db';
import { createDigestLoader, parseBundledPapers } from './digest-loader';
import { createHandlers } from './handlers';
import { createRouter } from './router';

const db = new PaperPeekDatabase();
const loader = createDigestLoader(db, bundledDigest, async () =>
  parseBundledPapers(await readPackagedJson(bundledDigest.assetPath), bundledDigest.version),
);
const route = createRouter(createHandlers(db, loader), extensionIdentity());

listenForRequests(route);
onInstalledOrUpdated(() => void loader.whenReady().catch(reportLoadFailure));

// The database can be closed under us (storage cleared, browser shutting down):
// never wipe anything, just verify the digest again on the next request.
db.on('close', () => loader.reset());

void loader.whenReady().catch(reportLoadFailure);

function reportLoadFailure(error: unknown): void {
  console.error('PaperPeek: loading the bundled digest failed; will retry on the next request', error);
}
