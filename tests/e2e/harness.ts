/**
 * Real-browser harness: Debian's Chromium driven by playwright-core, with the
 * built extension loaded unpacked, and fixture pages served on 127.0.0.1.
 *
 * Every launch records every request the browser makes; `extensionRequests()`
 * returns those the extension itself made (worker, extension pages) other than
 * reads of its own packaged files. The suite asserts it stays empty.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page, type Request, type Worker } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const DIST = join(ROOT, 'dist');
export const CHROMIUM = process.env.PAPERPEEK_CHROMIUM ?? '/usr/bin/chromium';

export interface RecordedRequest {
  url: string;
  /** Who made it: the worker, an extension page, or a web page (content scripts count as the page). */
  initiator: 'extension-worker' | 'extension-page' | 'web-page';
}

export interface ExtensionSession {
  context: BrowserContext;
  /** The current extension service worker (replaced by waitForNewWorker after a reload). */
  worker: Worker;
  extensionId: string;
  profileDir: string;
  cdp: CDPSession;
  requests: RecordedRequest[];
  /** Requests made by the extension to anything but its own packaged files. */
  extensionRequests(): RecordedRequest[];
  /** Lets a test's own deliberate request pass the close-time check (the recorder's self-test). */
  allowRequest(url: string): void;
  /** Stops every service worker (as Chrome does after 30 s idle). */
  stopWorkers(): Promise<void>;
  /** After runtime.reload(): waits for the reloaded extension's worker and makes it `worker`. */
  waitForNewWorker(): Promise<Worker>;
  /** Closes the browser, then fails if the extension made any request. */
  close(): Promise<void>;
}

function assertBrowserPresent(): void {
  if (!existsSync(CHROMIUM)) {
    // Never skip: a missing browser is a broken environment, and CI must say so.
    throw new Error(`Chromium not found at ${CHROMIUM}. Install it (apt-get install -y chromium) or set PAPERPEEK_CHROMIUM.`);
  }
}

/**
 * Chromium flags for every browser the tests and benchmarks start: quiet (no
 * background networking, sync or component updates, so the no-network check
 * sees only what the extension does) and headless unless asked otherwise.
 */
export function browserFlags(options: { headless?: boolean } = {}): string[] {
  return [
    ...(options.headless === false ? [] : ['--headless=new']),
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--disable-default-apps',
  ];
}

export async function launchExtension(
  options: { distDir?: string; profileDir?: string; /** false opens a window (the demo with a display). */ headless?: boolean } = {},
): Promise<ExtensionSession> {
  assertBrowserPresent();
  const distDir = options.distDir ?? DIST;
  if (!existsSync(join(distDir, 'manifest.json'))) throw new Error(`no built extension in ${distDir}: run npm run build`);
  const ownsProfile = options.profileDir === undefined;
  const profileDir = options.profileDir ?? mkdtempSync(join(tmpdir(), 'paperpeek-profile-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: false,
    args: [...browserFlags({ headless: options.headless !== false }), `--disable-extensions-except=${distDir}`, `--load-extension=${distDir}`],
  });
  const requests: RecordedRequest[] = [];
  const allowed = new Set<string>();
  const record = (request: Request) => {
    let initiator: RecordedRequest['initiator'] = 'web-page';
    if (request.serviceWorker()) initiator = 'extension-worker';
    else {
      try {
        if (request.frame().url().startsWith('chrome-extension://')) initiator = 'extension-page';
      } catch {
        // Requests without a frame (e.g. from a worker) stay attributed to the page.
      }
    }
    requests.push({ url: request.url(), initiator });
  };
  context.on('request', record);

  const worker =
    context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ??
    (await context.waitForEvent('serviceworker', { predicate: (w) => w.url().startsWith('chrome-extension://') }));
  const extensionId = new URL(worker.url()).host;
  const cdp = await context.newCDPSession(await context.newPage());
  // Running status of each version of our worker, as CDP reports it.
  const workerStatus = new Map<string, string>();
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const version of versions) {
      if (version.scriptURL.startsWith(`chrome-extension://${extensionId}/`)) {
        workerStatus.set(version.versionId, version.runningStatus);
      }
    }
  });

  const session: ExtensionSession = {
    context,
    worker,
    extensionId,
    profileDir,
    cdp,
    requests,
    extensionRequests: () =>
      requests.filter(
        (r) => r.initiator !== 'web-page' && !r.url.startsWith(`chrome-extension://${extensionId}/`),
      ),
    async stopWorkers() {
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      // Wait until Chrome reports our worker stopped, so the next message really wakes it.
      await waitFor(async () => workerStatus.size > 0 && [...workerStatus.values()].every((s) => s === 'stopped'), 'the worker to stop', 10_000);
    },
    async waitForNewWorker() {
      const next = await context.waitForEvent('serviceworker', {
        predicate: (w) => w.url().startsWith(`chrome-extension://${extensionId}/`),
        timeout: 30_000,
      });
      session.worker = next;
      return next;
    },
    allowRequest(url) {
      allowed.add(url);
    },
    async close() {
      await context.close();
      if (ownsProfile) rmSync(profileDir, { recursive: true, force: true });
      // Every suite that loads the extension checks, on close, that it made no request.
      const violations = session.extensionRequests().filter((r) => !allowed.has(r.url));
      if (violations.length > 0) {
        throw new Error(`the extension made network requests:\n${violations.map((r) => `${r.initiator}: ${r.url}`).join('\n')}`);
      }
    },
  };
  return session;
}

export const POPUP_PATH = 'src/popup/index.html';
/** The popup laid out as a page, for a tab (built from the popup's HTML: vite.config.ts). */
export const POPUP_AS_PAGE_PATH = 'src/popup/page.html';

/** Opens one of the extension's own pages in a tab (by default the popup). */
export async function openExtensionPage(session: ExtensionSession, path = POPUP_PATH): Promise<Page> {
  const page = await session.context.newPage();
  await page.goto(`chrome-extension://${session.extensionId}/${path}`);
  return page;
}

/** Sends a raw protocol request from a page (an extension page, so it passes the sender check). */
export interface RawReply {
  ok: boolean;
  value?: Record<string, unknown>;
  error?: { code: string; message: string };
}

/** The extension API as a page script sees it (no @types/chrome: tests need one call). */
type ChromeGlobal = { chrome: { runtime: { sendMessage(message: unknown): Promise<unknown>; reload(): void } } };

export async function sendFrom(page: Page, method: string, payload: unknown): Promise<RawReply> {
  return page.evaluate(
    ([m, p]) => (globalThis as unknown as ChromeGlobal).chrome.runtime.sendMessage({ method: m, payload: p }),
    [method, payload] as const,
  ) as Promise<RawReply>;
}

/** chrome://extensions' private API, which its Reload button uses. */
type DeveloperPrivate = {
  chrome: {
    developerPrivate: {
      updateProfileConfiguration(update: { inDeveloperMode: boolean }, done: () => void): void;
      reload(id: string, options: { failQuietly: boolean }, done: () => void): void;
    };
  };
};

/**
 * Reloads the unpacked extension from disk, as the Reload button of
 * chrome://extensions does (and as an update does): the worker is re-registered
 * from the new files and onInstalled fires with reason "update". Developer mode
 * must be on, or Chromium disables a reloaded unpacked extension.
 */
export async function reloadExtension(session: ExtensionSession): Promise<Worker> {
  const next = session.waitForNewWorker();
  const page = await session.context.newPage();
  await page.goto('chrome://extensions');
  await page.evaluate(async (id) => {
    const api = (globalThis as unknown as DeveloperPrivate).chrome.developerPrivate;
    await new Promise<void>((done) => api.updateProfileConfiguration({ inDeveloperMode: true }, done));
    await new Promise<void>((done) => api.reload(id, { failQuietly: true }, done));
  }, session.extensionId);
  await page.close();
  return next;
}

/** Polls `probe` until it returns a truthy value or the timeout passes. */
export async function waitFor<T>(probe: () => Promise<T>, what: string, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last as NonNullable<T>;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
}

export interface FixtureServer {
  origin: string;
  /** Adds or replaces a page. */
  route(path: string, html: string): void;
  hits: string[];
  /** Closes the browser, then fails if the extension made any request. */
  close(): Promise<void>;
}

/** A tiny HTTP server on 127.0.0.1 serving the pages a test registers. */
export async function startFixtureServer(pages: Record<string, string> = {}): Promise<FixtureServer> {
  const routes = new Map(Object.entries(pages));
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    hits.push(path);
    const body = routes.get(path);
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    route: (path, html) => routes.set(path, html),
    hits,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/**
 * Runs axe-core on an extension page and returns its violations as `id (nodes)`.
 * Injected through the DevTools protocol, as DevTools does: the page's CSP allows no other script.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; nodes: unknown[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
  });
}
