import { describe, expect, it } from 'vitest';
import { classifySender, createRouter, type ExtensionIdentity } from '../../src/background/router';
import type { Handlers } from '../../src/background/handlers';
import { ok } from '../../src/shared/result';
import { MAX_RENDERED_LENGTH, MAX_SCAN_CHARS, MAX_SCAN_MARKERS, MAX_SCAN_UNITS, MAX_UNIT_LENGTH, type Method } from '../../src/shared/protocol';

const scan = (texts: unknown, joins: unknown = [], cuts: unknown = []) => ({ method: 'scan', payload: { texts, joins, cuts } });
const scanRendered = (texts: unknown) => ({ method: 'scanRendered', payload: { texts } });
const identity: ExtensionIdentity = { runtimeId: 'abcdefghijklmnop', extensionOrigin: 'chrome-extension://abcdefghijklmnop/' };
const contentScript = { id: identity.runtimeId, url: 'https://example.org/page', tab: { id: 3 } };
const extensionPage = { id: identity.runtimeId, url: 'chrome-extension://abcdefghijklmnop/src/popup/index.html' };
const extensionPageInTab = { ...extensionPage, tab: { id: 4 } };

/** Handlers that record what reached them, so a test can prove a request was stopped before. */
function recordingHandlers(calls: Method[]): Handlers {
  const record =
    <M extends Method>(method: M, reply: unknown) =>
    async () => {
      calls.push(method);
      return ok(reply);
    };
  return {
    scan: record('scan', { hits: [] }),
    scanRendered: record('scanRendered', { spans: [] }),
    getPaper: record('getPaper', { paper: null, related: [] }),
    openPaper: record('openPaper', { opened: true }),
    stats: record('stats', { papers: 0, saved: 0, digestDate: '', digestVersion: '', loadingProgress: null }),
    savePaper: record('savePaper', {}),
    unsavePaper: record('unsavePaper', { removed: false }),
    savedState: record('savedState', { saved: [] }),
    listSaved: record('listSaved', { papers: [] }),
  } as unknown as Handlers;
}

describe('classifySender', () => {
  it('tells content scripts from extension pages, including an extension page opened in a tab', () => {
    expect(classifySender(contentScript, identity)).toBe('content-script');
    expect(classifySender(extensionPage, identity)).toBe('extension-page');
    expect(classifySender(extensionPageInTab, identity)).toBe('extension-page');
  });

  it('rejects other extensions and senders that are neither', () => {
    expect(classifySender({ ...contentScript, id: 'another-extension' }, identity)).toBeNull();
    expect(classifySender({ id: identity.runtimeId }, identity)).toBeNull();
    // A look-alike origin must not pass for ours.
    expect(classifySender({ id: identity.runtimeId, url: 'chrome-extension://abcdefghijklmnopX/x.html' }, identity)).toBe(null);
  });
});

describe('router', () => {
  it('routes a valid request to its handler and returns its reply', async () => {
    const calls: Method[] = [];
    const route = createRouter(recordingHandlers(calls), identity);
    const reply = await route(scan(['pointer networks']), contentScript);
    expect(reply).toEqual({ ok: true, value: { hits: [] } });
    expect(calls).toEqual(['scan']);
    expect(await route(scanRendered(['Pointer Networks\nA line']), contentScript)).toEqual({ ok: true, value: { spans: [] } });
    expect(calls).toEqual(['scan', 'scanRendered']);
  });

  it.each([
    ['another extension', { method: 'stats', payload: {} }, { ...contentScript, id: 'evil' }, 'forbidden'],
    ['a content script asking for the whole reading list', { method: 'listSaved', payload: {} }, contentScript, 'forbidden'],
    ['a non-object message', 'scan', contentScript, 'invalid-request'],
    ['null', null, contentScript, 'invalid-request'],
    ['an unknown method', { method: 'deleteEverything', payload: {} }, extensionPage, 'unknown-method'],
    ['a prototype key as method', { method: 'constructor', payload: {} }, extensionPage, 'unknown-method'],
    ['a missing payload', { method: 'scan' }, contentScript, 'invalid-request'],
    ['texts that are not strings', scan([1, 2]), contentScript, 'invalid-request'],
    ['a payload without markers', { method: 'scan', payload: { texts: ['pointer networks'] } }, contentScript, 'invalid-request'],
    ['too many texts', scan(Array(MAX_SCAN_UNITS + 1).fill('a')), contentScript, 'invalid-request'],
    ['too many characters in all', scan(Array(MAX_SCAN_UNITS).fill('pointer networks '.repeat(10))), contentScript, 'invalid-request'],
    ['an over-long text', scan(['x'.repeat(MAX_UNIT_LENGTH + 1)]), contentScript, 'invalid-request'],
    ['a negative marker', scan(['a b'], [0, -1]), contentScript, 'invalid-request'],
    ['a fractional marker', scan(['a b'], [], [0, 0.5]), contentScript, 'invalid-request'],
    ['an odd marker list', scan(['a b'], [0]), contentScript, 'invalid-request'],
    ['too many markers', scan(['a b'], [], Array(MAX_SCAN_MARKERS * 2 + 2).fill(0)), contentScript, 'invalid-request'],
    ['rendered texts that are not strings', scanRendered([1]), contentScript, 'invalid-request'],
    ['an over-long rendered text', scanRendered(['x'.repeat(MAX_RENDERED_LENGTH + 1)]), contentScript, 'invalid-request'],
    ['too many rendered texts', scanRendered(Array(MAX_SCAN_UNITS + 1).fill('a')), contentScript, 'invalid-request'],
    ['too many rendered characters in all', scanRendered(Array(MAX_SCAN_CHARS / 1000 + 1).fill('x'.repeat(1000))), contentScript, 'invalid-request'],
    ['extra payload fields', { method: 'getPaper', payload: { id: 'abc', extra: 1 } }, contentScript, 'invalid-request'],
    ['an id with path characters', { method: 'getPaper', payload: { id: '../etc' } }, contentScript, 'invalid-request'],
    ['a stats payload with fields', { method: 'stats', payload: { all: true } }, extensionPage, 'invalid-request'],
    ['a content script asking for stats (they count the reading list)', { method: 'stats', payload: {} }, contentScript, 'forbidden'],
  ])('rejects %s without calling any handler', async (_name, message, sender, code) => {
    const calls: Method[] = [];
    const route = createRouter(recordingHandlers(calls), identity);
    const reply = await route(message, sender);
    expect(reply.ok).toBe(false);
    if (!reply.ok) {
      expect(reply.error.code).toBe(code);
      expect(reply.error.message.length).toBeGreaterThan(5);
    }
    expect(calls).toEqual([]);
  });

  it('lets extension pages read the reading list', async () => {
    const calls: Method[] = [];
    const reply = await createRouter(recordingHandlers(calls), identity)({ method: 'listSaved', payload: {} }, extensionPage);
    expect(reply.ok).toBe(true);
    expect(calls).toEqual(['listSaved']);
  });

  it('turns a handler exception into an internal error reply instead of throwing', async () => {
    const handlers = recordingHandlers([]);
    handlers.getPaper = async () => {
      throw new Error('database closed');
    };
    const logged: unknown[] = [];
    const route = createRouter(handlers, identity, (error) => logged.push(error));
    const reply = await route({ method: 'getPaper', payload: { id: 'abc' } }, contentScript);
    expect(reply).toEqual({ ok: false, error: { code: 'internal', message: 'getPaper failed: database closed' } });
    expect(logged).toHaveLength(1);
  });
});
