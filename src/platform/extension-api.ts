/**
 * The one wrapper over webextension-polyfill. Everything that talks to the browser
 * goes through here, so unit tests can replace this seam and the rest of the code
 * never sees the polyfill (which throws when imported outside an extension).
 */
import browser from 'webextension-polyfill';
import { fail, type Result } from '../shared/result';
import { LIFELINE_PORT, type Method, type Payload, type Reply } from '../shared/protocol';

/** What the router needs to know about who sent a message. */
export interface SenderInfo {
  id?: string;
  url?: string;
  /** Present when the message comes from a tab (a content script or an extension page in a tab). */
  tab?: unknown;
}

export type RequestListener = (message: unknown, sender: SenderInfo) => Promise<unknown>;

/** Thrown-away contexts: the extension was reloaded or updated under this script. */
export function isContextInvalidated(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /context invalidated|extension context|receiving end does not exist/i.test(message);
}

/** Sends a typed request to the background and returns its typed reply. Never rejects. */
export async function call<M extends Method>(method: M, payload: Payload<M>): Promise<Result<Reply<M>>> {
  try {
    const reply: unknown = await browser.runtime.sendMessage({ method, payload });
    if (typeof reply === 'object' && reply !== null && 'ok' in reply) return reply as Result<Reply<M>>;
    return fail('internal', `no reply to ${method}`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return fail(isContextInvalidated(error) ? 'forbidden' : 'internal', message);
  }
}

/**
 * Registers the background's request listener. Must be called synchronously at the
 * worker's top level: a stopped worker is woken by the message it must answer.
 */
export function listenForRequests(listener: RequestListener): void {
  browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) =>
    listener(message, { id: sender.id, url: sender.url, tab: sender.tab }),
  );
}

export function onInstalledOrUpdated(listener: () => void): void {
  browser.runtime.onInstalled.addListener(() => listener());
}

export const extensionIdentity = (): { runtimeId: string; extensionOrigin: string } => ({
  runtimeId: browser.runtime.id,
  extensionOrigin: browser.runtime.getURL(''),
});

/** Fetches a packaged text file (never the network); a `.gz` file is gunzipped. */
export async function readPackagedText(path: string): Promise<string> {
  const response = await fetch(browser.runtime.getURL(path));
  if (!response.ok) throw new Error(`cannot read packaged file ${path}: HTTP ${response.status}`);
  if (!path.endsWith('.gz') || !response.body) return response.text();
  return new Response(response.body.pipeThrough(new DecompressionStream('gzip'))).text();
}

/** Fetches a packaged binary file (never the network). */
export async function readPackagedBytes(path: string): Promise<ArrayBuffer> {
  const response = await fetch(browser.runtime.getURL(path));
  if (!response.ok) throw new Error(`cannot read packaged file ${path}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

/** Accepts content scripts' lifeline ports (see content-runtime.ts); they carry no messages. */
export function acceptLifelines(): void {
  browser.runtime.onConnect.addListener((port) => {
    if (port.name !== LIFELINE_PORT) port.disconnect();
  });
}

/**
 * Sends a notice to the content script of every open tab. Needs no permission:
 * tabs.query without "tabs" returns ids only, and tabs without our content
 * script (or still loading) just reject, which is fine.
 */
export async function notifyAllTabs(notice: unknown): Promise<void> {
  const tabs = await browser.tabs.query({});
  await Promise.all(
    tabs.map((tab) => (tab.id === undefined ? undefined : browser.tabs.sendMessage(tab.id, notice).catch(() => undefined))),
  );
}

/** Opens one of the extension's own pages in a new tab. */
export async function openExtensionTab(path: string): Promise<void> {
  await browser.tabs.create({ url: browser.runtime.getURL(path) });
}

/** Sets the toolbar badge of one tab (a tab that closed meanwhile is fine). */
export async function setTabBadge(tabId: number, text: string): Promise<void> {
  await Promise.all([
    browser.action.setBadgeText({ tabId, text }).catch(() => undefined),
    browser.action.setBadgeBackgroundColor({ tabId, color: '#1a56db' }).catch(() => undefined),
  ]);
}

/** The active tab of the current window (ids only: needs no "tabs" permission). */
export async function activeTabId(): Promise<number | null> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

/**
 * Sends one request to a tab's content script and returns its reply, or null
 * when the tab has no content script of ours (a browser page, a store page, a
 * tab still loading): "Receiving end does not exist" is caught here.
 */
export async function sendToTab(tabId: number, message: unknown): Promise<unknown> {
  try {
    return (await browser.tabs.sendMessage(tabId, message)) ?? null;
  } catch {
    return null;
  }
}

/** Registers (once per install or update) a context-menu item on selected text. */
export function createSelectionMenuItem(id: string, title: string): void {
  void browser.contextMenus
    .removeAll()
    .then(() => browser.contextMenus.create({ id, title, contexts: ['selection'] }))
    .catch((error: unknown) => console.error('PaperPeek: cannot add the context menu item', error));
}

/** Listens for clicks on our context-menu items (register at the worker's top level). */
export function onMenuItemClicked(listener: (itemId: string, selection: string, tabId: number | undefined) => void): void {
  browser.contextMenus.onClicked.addListener((info, tab) => listener(String(info.menuItemId), info.selectionText ?? '', tab?.id));
}

/**
 * Opens the toolbar popup at `path` (our popup page with a query string), or
 * resolves false when the browser refuses (no focused window, older browser).
 * The tab's popup goes back to `defaultPath` afterwards.
 */
export async function openPopupAt(path: string, defaultPath: string, tabId: number | undefined): Promise<boolean> {
  try {
    await browser.action.setPopup({ popup: path, ...(tabId === undefined ? {} : { tabId }) });
    const opener = (browser.action as { openPopup?: () => Promise<void> }).openPopup;
    if (!opener) return false;
    await opener();
    return true;
  } catch {
    return false;
  } finally {
    await browser.action.setPopup({ popup: defaultPath, ...(tabId === undefined ? {} : { tabId }) }).catch(() => undefined);
  }
}

/**
 * The browser's sync storage (needs the "storage" permission), as the worker's
 * sync engine uses it (src/background/sync.ts), or null where a browser has none.
 */
export function syncStorageArea(): {
  get(): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
  onChanged(listener: (changes: Record<string, unknown>) => void): void;
} | null {
  const storage = (browser as { storage?: typeof browser.storage }).storage;
  if (!storage?.sync) return null;
  return {
    get: () => storage.sync.get(null),
    set: (items) => storage.sync.set(items),
    remove: (keys) => storage.sync.remove(keys),
    onChanged(listener) {
      storage.onChanged.addListener((changes, area) => {
        if (area === 'sync') listener(Object.fromEntries(Object.entries(changes).map(([key, change]) => [key, change.newValue])));
      });
    },
  };
}
