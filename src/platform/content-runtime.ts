/**
 * The browser API as content scripts use it: send a request, and learn when the
 * extension went away. Written against the native `browser`/`chrome` runtime
 * rather than webextension-polyfill, because every page pays for the content
 * script's size (issue 3 §7: 30 KB) and the two calls it needs are promise-based
 * natively in Chrome 99+ and Firefox.
 */
import { LIFELINE_PORT, type Method, type Payload, type Reply } from '../shared/protocol';
import { fail, type Result } from '../shared/result';

interface NativePort {
  disconnect(): void;
  onDisconnect: { addListener(listener: () => void): void };
}

type NativeSender = { id?: string; tab?: unknown; url?: string };
type NativeListener = (message: unknown, sender: NativeSender, sendResponse: (reply: unknown) => void) => boolean | void;

interface NativeRuntime {
  id?: string;
  sendMessage(message: unknown): Promise<unknown>;
  connect(info: { name: string }): NativePort;
  getURL(path: string): string;
  onMessage: {
    addListener(listener: NativeListener): void;
    removeListener(listener: NativeListener): void;
  };
}

function runtime(): NativeRuntime | undefined {
  const scope = globalThis as { browser?: { runtime?: NativeRuntime }; chrome?: { runtime?: NativeRuntime } };
  return scope.browser?.runtime ?? scope.chrome?.runtime;
}

/** Whether this script's extension is still there (false once it was reloaded, updated or removed). */
export function isExtensionAlive(): boolean {
  try {
    const id = runtime()?.id;
    return typeof id === 'string' && id !== '';
  } catch {
    return false;
  }
}

/** Sends a typed request to the background. Never rejects; a lost extension answers `forbidden`. */
export async function call<M extends Method>(method: M, payload: Payload<M>): Promise<Result<Reply<M>>> {
  const api = runtime();
  if (!api || !isExtensionAlive()) return fail('forbidden', 'the extension is gone');
  try {
    const reply: unknown = await api.sendMessage({ method, payload });
    if (typeof reply === 'object' && reply !== null && 'ok' in reply) return reply as Result<Reply<M>>;
    return fail('internal', `no reply to ${method}`);
  } catch (error) {
    return fail(isExtensionAlive() ? 'internal' : 'forbidden', error instanceof Error ? error.message : String(error));
  }
}

/**
 * Calls `onOrphaned` once this content script has lost its extension. A port to
 * the background disconnects at once when the extension is reloaded or removed;
 * it also disconnects when an idle worker is stopped, which is not orphaning, so
 * the check is repeated when the reader comes back to the tab. (Reconnecting
 * would wake the worker every 30 s for every open tab.)
 */
export function watchForOrphaning(onOrphaned: () => void): () => void {
  let reported = false;
  let port: NativePort | null = null;
  const check = () => {
    if (reported || isExtensionAlive()) return;
    reported = true;
    stop();
    onOrphaned();
  };
  function stop() {
    document.removeEventListener('visibilitychange', check);
    window.removeEventListener('focus', check);
    try {
      port?.disconnect();
    } catch {
      // already gone
    }
    port = null;
  }
  document.addEventListener('visibilitychange', check);
  window.addEventListener('focus', check);
  try {
    port = runtime()?.connect({ name: LIFELINE_PORT }) ?? null;
    port?.onDisconnect.addListener(() => {
      port = null;
      // Chrome invalidates the old context a moment after the port drops: look again shortly.
      check();
      for (const delay of [500, 2000, 8000]) setTimeout(check, delay);
    });
  } catch {
    check();
  }
  return stop;
}

/**
 * Imports a module packaged with the extension (listed as a web-accessible
 * resource). Used to load the hover card only when a reader first hovers a mark.
 */
export async function importPackagedModule<T>(path: string): Promise<T> {
  const api = runtime();
  if (!api || !isExtensionAlive()) throw new Error('the extension is gone');
  return (await import(/* @vite-ignore */ api.getURL(path))) as T;
}

/**
 * Listens for notices the background pushes to tabs (a paper saved elsewhere).
 * Only messages from our own extension's background (no tab) are passed on.
 */
export function onBackgroundNotice(listener: (notice: unknown) => void): () => void {
  const api = runtime();
  if (!api) return () => undefined;
  const receive = (message: unknown, sender: { id?: string; tab?: unknown }) => {
    if (sender.id === api.id && sender.tab === undefined) listener(message);
  };
  api.onMessage.addListener(receive);
  return () => {
    try {
      api.onMessage.removeListener(receive);
    } catch {
      // the extension is gone: nothing to remove from
    }
  };
}

/**
 * Answers requests our own extension pages (the popup) send to this tab with
 * `tabs.sendMessage`. Only messages from this extension whose sender is one of
 * its pages reach `answer`; anything else is left unanswered. The reply goes
 * back through `sendResponse` (works in Chrome and Firefox alike).
 */
export function onExtensionPageRequest(answer: (request: unknown) => Promise<unknown> | null): () => void {
  const api = runtime();
  if (!api) return () => undefined;
  const receive: NativeListener = (message, sender, sendResponse) => {
    let origin = '';
    try {
      origin = api.getURL('');
    } catch {
      return undefined;
    }
    if (sender.id !== api.id || typeof sender.url !== 'string' || !sender.url.startsWith(origin)) return undefined;
    const reply = answer(message);
    if (!reply) return undefined;
    reply.then(sendResponse, () => sendResponse(null));
    return true;
  };
  api.onMessage.addListener(receive);
  return () => {
    try {
      api.onMessage.removeListener(receive);
    } catch {
      // the extension is gone: nothing to remove from
    }
  };
}
