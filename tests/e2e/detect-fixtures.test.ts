/**
 * Title spotting on the detection fixtures (tests/fixtures/detect/): real documents
 * rendered from markdown and hand-written pages in the shapes readers meet. For
 * every page the marked ids must be exactly the labelled ones (as a multiset),
 * marks must never nest, and the page's text must be the same as without the
 * extension (issue 3 §8). `npm run eval:detect` prints the same comparison as
 * precision and recall.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  evaluateFixture,
  launchBaselineBrowser,
  loadAllFixturePages,
  loadDigest,
  serveFixturePages,
  warmUp,
} from '../../scripts/detect-eval-lib';
import { launchExtension, type ExtensionSession, type FixtureServer } from './harness';

const digest = loadDigest();
const fixtures = loadAllFixturePages(digest);

describe('digest titles marked on the detection fixtures', () => {
  let session: ExtensionSession;
  let server: FixtureServer;
  let baselineBrowser: Browser;
  let baselineContext: BrowserContext;

  beforeAll(async () => {
    server = await serveFixturePages(fixtures, digest);
    baselineBrowser = await launchBaselineBrowser();
    baselineContext = await baselineBrowser.newContext();
    session = await launchExtension();
    await warmUp(session, server); // wakes the worker; a page that never gets marked fails below
  });
  afterAll(async () => {
    await session?.close(); // fails the suite if the extension made any network request
    await baselineBrowser?.close();
    await server?.close();
  });

  it.each(fixtures.map((fixture) => [fixture.name, fixture] as const))('%s', async (_name, fixture) => {
    const result = await evaluateFixture(session, baselineContext, server, fixture, digest);
    // A label that is not on the page is a broken fixture, not a detection failure.
    expect(result.labelProblems, 'labels match the page').toEqual([]);
    expect(
      {
        // Labels marked known_miss (with the reason) are scored by the eval, not required here.
        missing: result.missed.filter((m) => !m.knownMiss).map((m) =>
          [m.title, m.asWritten !== m.title ? `as written: ${m.asWritten}` : '', m.where ?? ''].filter(Boolean).join('  |  '),
        ),
        // Marks listed as known_false (with the reason) are scored by the eval as false marks, not refused here.
        unexpected: result.unexpected.filter((u) => !u.knownFalse).map((u) => `${u.title}  |  marked <${u.tag}>: ${u.markedText}  |  in: ${u.context}`),
      },
      `marks on ${fixture.name} differ from its labels`,
    ).toEqual({ missing: [], unexpected: [] });
    expect(result.nesting, 'marks never nest').toEqual([]);
    expect(result.textChanges, 'text unchanged by marking').toEqual([]);
    // The same comparison stated plainly: marks per paper (by title) equal labelled occurrences.
    const perTitle = (ids: string[]) =>
      Object.fromEntries([...new Set(ids)].map((id) => [digest.titleById.get(id) ?? id, ids.filter((x) => x === id).length]));
    const expected = fixture.labels.filter((l) => !l.inUrl).map((l) => l.id);
    for (const known of result.missed.filter((m) => m.knownMiss)) expected.splice(expected.indexOf(digest.idByTitle.get(known.title) ?? ''), 1);
    for (const known of result.unexpected.filter((u) => u.knownFalse)) expected.push(known.id);
    expect(perTitle(result.marks.map((m) => m.id))).toEqual(perTitle(expected));
  });
});
