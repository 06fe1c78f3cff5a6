/**
 * Service worker entry. Listeners are registered synchronously at the top level:
 * Chrome stops the worker after 30 s idle and restarts it for the next message,
 * which must find its listener already in place.
 */
import {
  acceptLifelines,
  createSelectionMenuItem,
  onMenuItemClicked,
  openPopupAt,
  setTabBadge,
  extensionIdentity,
  listenForRequests,
  notifyAllTabs,
  onInstalledOrUpdated,
  openExtensionTab,
  readPackagedBytes,
  readPackagedText,
  syncStorageArea,
} from '../platform/extension-api';
import { bundledDigest } from 'virtual:paperpeek-digest';
import { PaperPeekDatabase, openLoaderConnection } from './db';
import { createDigestLoader, parseDigestPart, type DigestPart } from './digest-loader';
import { badgeText, createHandlers } from './handlers';
import { createRouter } from './router';
import { createImportCatalog } from './imports';
import { createSyncEngine } from './sync';
import { packedFromJson, type PackedRelated, type PackedRelatedJson } from '../shared/related';

const db = new PaperPeekDatabase();
const loader = createDigestLoader(openLoaderConnection(), bundledDigest, readBundledParts, Date.now, readBundledRelated);
const catalog = createImportCatalog(db, loader);
const notifyTabs = (notice: Parameters<typeof notifyAllTabs>[0]) => void notifyAllTabs(notice).catch(() => undefined);
const syncArea = syncStorageArea();
const sync = syncArea ? createSyncEngine(db, catalog, syncArea, undefined, notifyTabs) : null;
const route = createRouter(
  createHandlers(
    db,
    loader,
    Date.now,
    {
      notify: notifyTabs,
      openExtensionPage: openExtensionTab,
      setBadge: (tabId, count) => setTabBadge(tabId, badgeText(count)),
    },
    catalog,
    sync,
  ),
  extensionIdentity(),
);

listenForRequests(route);
acceptLifelines();
// Registers the sync storage listener at the top level, like every other listener.
sync?.start();
onInstalledOrUpdated(() => {
  void loader.whenReady().catch(reportLoadFailure);
  createSelectionMenuItem(FIND_MENU_ITEM, 'Find in PaperPeek');
});
onMenuItemClicked((itemId, selection, tabId) => {
  if (itemId === FIND_MENU_ITEM) void findSelection(selection, tabId);
});

// The database can be closed under us (storage cleared, browser shutting down):
// never wipe anything, just verify the digest again on the next request.
db.on('close', () => {
  loader.reset();
  catalog.reset();
});

void loader.whenReady().catch(reportLoadFailure);

/** Yields the packaged digest part by part, reading the next while the last is written. */
async function* readBundledParts(): AsyncGenerator<DigestPart> {
  // A part's JSON is gzipped (scripts/vite-digest-plugin.ts; readPackagedText gunzips
  // a `.gz` file); its packed papers are written as they are, never parsed here.
  const read = async (i: number) => {
    const [text, papers] = await Promise.all([readPackagedText(bundledDigest.partPaths[i] as string), readPackagedBytes(bundledDigest.papersPaths[i] as string)]);
    return parseDigestPart(JSON.parse(text) as unknown, papers, bundledDigest);
  };
  const count = bundledDigest.partPaths.length;
  if (bundledDigest.papersPaths.length !== count) throw new Error(`the build packaged ${count} digest parts but ${bundledDigest.papersPaths.length} packed paper files`);
  let next = count === 0 ? undefined : read(0);
  for (let i = 0; i < count && next; i++) {
    const current = next;
    next = i + 1 < count ? read(i + 1) : undefined;
    // Keep a failed prefetch from being reported as unhandled; awaiting it still throws.
    next?.catch(() => undefined);
    yield await current;
  }
}

/** Reads the packaged related-papers pack, checked against this build's digest version. */
async function readBundledRelated(): Promise<PackedRelated> {
  const json = JSON.parse(await readPackagedText(bundledDigest.relatedPath)) as { version?: unknown; related?: unknown };
  if (json.version !== bundledDigest.version) throw new Error('the packaged related papers belong to another digest');
  return packedFromJson(json.related as PackedRelatedJson);
}

/** The popup page, as the manifest's action names it. */
const POPUP_PAGE = 'src/popup/index.html';
/** The popup laid out as a page, for a tab (vite.config.ts OWN_PAGES `asPage`: built from the popup's HTML). */
const POPUP_AS_PAGE = 'src/popup/page.html';
const FIND_MENU_ITEM = 'paperpeek-find';
/** Longest selection searched (a query, not a document). */
const MAX_SELECTION_QUERY = 200;

/** "Find in PaperPeek": the popup's search with the selection, or the same page in a tab. */
async function findSelection(selection: string, tabId: number | undefined): Promise<void> {
  const query = selection.replace(/\s+/g, ' ').trim().slice(0, MAX_SELECTION_QUERY);
  const search = `?q=${encodeURIComponent(query)}`;
  if (await openPopupAt(`${POPUP_PAGE}${search}`, POPUP_PAGE, tabId)) return;
  await openExtensionTab(`${POPUP_AS_PAGE}${search}`);
}

function reportLoadFailure(error: unknown): void {
  console.error('PaperPeek: loading the bundled digest failed; will retry on the next request', error);
}
