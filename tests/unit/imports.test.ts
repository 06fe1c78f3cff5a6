import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PaperPeekDatabase } from '../../src/background/db';
import { createDigestLoader, type BundledDigestInfo, type DigestPart } from '../../src/background/digest-loader';
import { createHandlers, type Handlers } from '../../src/background/handlers';
import { IMPORTED_LAYER_KEY, createImportCatalog } from '../../src/background/imports';
import { packBucket } from '../../src/shared/packed-buckets';
import { bucketCountFor, bucketize } from '../../src/shared/paper-buckets';
import { digestContentId, IMPORT_CHUNK_PAPERS } from '../../src/shared/digest-import';
import { parseDigest } from '../../src/shared/digest-parser';
import { normalizeTitle, paperIdForTitle } from '../../src/shared/normalize';
import { KEY_FULL } from '../../src/shared/title-index';
import { tokenize } from '../../src/shared/tokenize';
import type { Result } from '../../src/shared/result';
import type { IndexedPaper, Paper } from '../../src/shared/types';

function paper(title: string, abstract: string): IndexedPaper {
  return { id: paperIdForTitle(title), title, abstract, links: [], digestDate: 'Mar 13', source: 'bundled.txt', key: normalizeTitle(title) };
}

function packaged(version: string, papers: IndexedPaper[]) {
  const bucketCount = bucketCountFor(papers.length);
  const info: BundledDigestInfo = { version, digestDate: 'Mar 13', count: papers.length, bucketCount };
  const { paperBuckets, keyBuckets } = bucketize(structuredClone(papers), bucketCount);
  async function* read(): AsyncGenerator<DigestPart> {
    // Packed as the build packs the bundled digest.
    yield { paperBuckets: await Promise.all(paperBuckets.map(packBucket)), keyBuckets };
  }
  return { info, read };
}

const unwrap = <T>(result: Result<T>): T => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
};

const BUNDLED = [
  paper('Pointer Networks', 'We introduce a neural architecture to learn the conditional probability of an output sequence of pointers to input positions.'),
  paper('Deep Model Assembling', 'Large models are trained by dividing them into modules trained separately and assembled afterwards.'),
  paper('Order Matters: Sequence to sequence for sets', 'Sequence to sequence models for inputs and outputs that are sets, where the order of the elements matters.'),
];

/** A digest file as a reader would import it. */
function digestText(papers: { title: string; abstract: string }[], date = 'Mar 14'): string {
  return `new\n\n${date}\n\n${papers.map((p) => `${p.title}\n\n${p.abstract}`).join('\n\n')}\n`;
}

const IMPORTED = [
  {
    title: 'Pointer Sentinel Mixture Models for Language Modelling',
    abstract: 'A pointer sentinel mixture architecture for neural sequence models that can either reproduce a word from the recent context or produce a word from a standard softmax classifier.',
  },
  { title: 'Deep Model Assembling', abstract: 'The same paper as the bundled one, listed again in a later digest.' },
  {
    title: 'Set Transformer: A Framework for Attention-based Permutation-Invariant Neural Networks',
    abstract: 'Many machine learning tasks such as multiple instance learning take sets as inputs, where the order of the elements matters not; an attention-based network models interactions among the elements of the set.',
  },
];

let dbCounter = 0;
let db: PaperPeekDatabase;
let clock = 1_000;
const now = () => clock++;

beforeEach(() => {
  db = new PaperPeekDatabase(`paperpeek-imports-${++dbCounter}`);
});
afterEach(async () => {
  await db.delete();
});

function handlersFor(version = 'v1', bundled = BUNDLED, relatedLimit?: number): Handlers {
  const digest = packaged(version, bundled);
  const loader = createDigestLoader(db, digest.info, digest.read);
  return createHandlers(db, loader, now, undefined, createImportCatalog(db, loader, now, relatedLimit));
}

/** Parses and imports a digest the way the options page does: check, begin, chunks, commit. */
async function importDigest(h: Handlers, text: string, name = 'mar14.txt', chunkSize = IMPORT_CHUNK_PAPERS) {
  const parsed = parseDigest(text, name);
  expect(parsed.problems.filter((p) => p.severity === 'error')).toEqual([]);
  const contentId = digestContentId(parsed.papers);
  const check = unwrap(await h.checkImport({ contentId, ids: parsed.papers.map((p) => p.id) }, 'extension-page'));
  const { token } = unwrap(await h.beginImport({ name, digestDate: parsed.digestDate, contentId, count: parsed.papers.length }, 'extension-page'));
  for (let i = 0, chunk = 0; i < parsed.papers.length; i += chunkSize, chunk++) {
    unwrap(await h.addImportChunk({ token, index: chunk, papers: JSON.stringify(parsed.papers.slice(i, i + chunkSize)) }, 'extension-page'));
  }
  const { digest } = unwrap(await h.commitImport({ token }, 'extension-page'));
  return { parsed, check, digest, contentId };
}

/** Scans one candidate text as the content script sends it (normalised words). */
async function scanIds(h: Handlers, text: string): Promise<string[]> {
  // The match words the page sends for a candidate (spelling folded: `Modelling` reads `modeling`).
  const { hits } = unwrap(await h.scan({ texts: [tokenize(text).words.join(' ')], joins: [], cuts: [] }, 'content-script'));
  return hits.map((hit) => hit.id);
}

describe('importing a digest', () => {
  it('adds its new papers to lookups, title scans, related papers and stats, and reports the known ones', async () => {
    const h = handlersFor();
    const { check, digest, parsed } = await importDigest(h, digestText(IMPORTED));
    expect(check.known).toEqual([paperIdForTitle('Deep Model Assembling')]);
    expect(check.duplicate).toBeNull();
    expect(digest).toMatchObject({ name: 'mar14.txt', digestDate: 'Mar 14', count: 3, added: 2 });

    const setTransformer = parsed.papers[2] as Paper;
    const found = unwrap(await h.getPaper({ id: setTransformer.id }, 'content-script'));
    expect(found.paper?.title).toBe(setTransformer.title);
    // Related papers are recomputed over bundled and imported papers together.
    expect(found.related.map((r) => r.id)).toContain(paperIdForTitle('Order Matters: Sequence to sequence for sets'));
    const pointer = unwrap(await h.getPaper({ id: paperIdForTitle('Pointer Networks') }, 'content-script'));
    expect(pointer.related.map((r) => r.id)).toContain(paperIdForTitle(IMPORTED[0]!.title));

    // A known paper keeps the bundled text: the import does not overwrite it.
    const known = unwrap(await h.getPaper({ id: paperIdForTitle('Deep Model Assembling') }, 'content-script'));
    expect(known.paper?.abstract).toBe(BUNDLED[1]!.abstract);

    expect(await scanIds(h, `as shown in Set Transformer: A Framework for Attention-based Permutation-Invariant Neural Networks (2019)`)).toEqual([
      setTransformer.id,
    ]);
    expect(await scanIds(h, 'Pointer Networks')).toEqual([paperIdForTitle('Pointer Networks')]);

    const stats = unwrap(await h.stats({}, 'extension-page'));
    expect(stats).toMatchObject({ papers: 5, importedPapers: 2, imports: 1 });
    // The popup's search gets the new papers' documents (the known one stays bundled).
    const search = unwrap(await h.importedSearchDocs({}, 'extension-page'));
    expect(search.docs.map((d) => d.title).sort()).toEqual([IMPORTED[0]!.title, IMPORTED[2]!.title].sort());
    expect(unwrap(await h.listImports({}, 'extension-page')).digests).toEqual([digest]);
  });

  it('writes a large digest in chunks and serves all of it once committed', async () => {
    const h = handlersFor();
    const many = Array.from({ length: 2500 }, (_, i) => ({
      title: `Synthetic imported study number ${i} of sparse retrieval`,
      abstract: `We study sparse retrieval setting ${i} with learned term weights and report results on benchmark ${i % 7}.`,
    }));
    const { digest, parsed } = await importDigest(h, digestText(many), 'big.txt');
    expect(digest.count).toBe(2500);
    const last = parsed.papers[2499] as Paper;
    expect(unwrap(await h.getPaper({ id: last.id }, 'content-script')).paper?.title).toBe(last.title);
    expect(await scanIds(h, last.title)).toEqual([last.id]);
  });

  it('refuses the same digest twice, says when it was imported, and changes nothing', async () => {
    const h = handlersFor();
    const first = await importDigest(h, digestText(IMPORTED), 'mar14.txt');
    const before = await db.meta.get(IMPORTED_LAYER_KEY);
    const again = parseDigest(digestText(IMPORTED), 'renamed.txt');
    const contentId = digestContentId(again.papers);
    expect(contentId).toBe(first.contentId);
    const check = unwrap(await h.checkImport({ contentId, ids: again.papers.map((p) => p.id) }, 'extension-page'));
    expect(check.duplicate).toEqual(first.digest);
    const begin = await h.beginImport({ name: 'renamed.txt', digestDate: 'Mar 14', contentId, count: 3 }, 'extension-page');
    expect(begin.ok).toBe(false);
    if (!begin.ok) expect(begin.error.message).toMatch(/already imported .* as "mar14.txt"/);
    expect(await db.imports.count()).toBe(1);
    expect(await db.meta.get(IMPORTED_LAYER_KEY)).toEqual(before);
  });

  it('refuses a commit whose papers are incomplete or differ from the preview, leaving no trace', async () => {
    const h = handlersFor();
    const parsed = parseDigest(digestText(IMPORTED), 'mar14.txt');
    const contentId = digestContentId(parsed.papers);
    const short = unwrap(await h.beginImport({ name: 'mar14.txt', digestDate: 'Mar 14', contentId, count: 3 }, 'extension-page'));
    unwrap(await h.addImportChunk({ token: short.token, index: 0, papers: JSON.stringify(parsed.papers.slice(0, 2)) }, 'extension-page'));
    const incomplete = await h.commitImport({ token: short.token }, 'extension-page');
    expect(incomplete).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringMatching(/2 of 3 papers/) } });

    const swapped = unwrap(await h.beginImport({ name: 'mar14.txt', digestDate: 'Mar 14', contentId, count: 3 }, 'extension-page'));
    const other = parseDigest(digestText([...IMPORTED.slice(0, 2), { title: 'Another Title Entirely', abstract: 'Different text.' }]), 'x.txt');
    unwrap(await h.addImportChunk({ token: swapped.token, index: 0, papers: JSON.stringify(other.papers) }, 'extension-page'));
    const mismatch = await h.commitImport({ token: swapped.token }, 'extension-page');
    expect(mismatch).toMatchObject({ ok: false, error: { message: expect.stringMatching(/do not match/) } });

    expect(await db.imports.count()).toBe(0);
    expect(await db.meta.get(IMPORTED_LAYER_KEY)).toBeUndefined();
    expect(unwrap(await h.getPaper({ id: paperIdForTitle(IMPORTED[0]!.title) }, 'content-script')).paper).toBeNull();
    // The rows an abandoned import wrote are swept by the next import.
    expect(await db.importPapers.count()).toBeGreaterThan(0);
    await importDigest(h, digestText(IMPORTED.slice(0, 1)), 'one.txt');
    expect((await db.importPapers.toArray()).map((row) => row.papers.length)).toEqual([1]);
  });

  it('refuses a chunk that is not JSON, or whose paper claims another paper’s id or carries a non-web link', async () => {
    const h = handlersFor();
    const parsed = parseDigest(digestText(IMPORTED), 'mar14.txt');
    const { token } = unwrap(await h.beginImport({ name: 'mar14.txt', digestDate: 'Mar 14', contentId: digestContentId(parsed.papers), count: 3 }, 'extension-page'));
    const send = (papers: string) => h.addImportChunk({ token, index: 0, papers }, 'extension-page');
    expect(await send('[{"id":')).toMatchObject({ ok: false, error: { code: 'invalid-request', message: 'a chunk of the import is not valid JSON' } });
    const forged = [{ ...parsed.papers[0]!, id: paperIdForTitle('Pointer Networks') }];
    expect(await send(JSON.stringify(forged))).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^paper 1 of a chunk is malformed/) } });
    const scripted = [{ ...parsed.papers[0]!, links: ['javascript:alert(1)'] }];
    expect(await send(JSON.stringify(scripted))).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await db.importPapers.count()).toBe(0);
  });

  it('removes a digest: its papers leave scans and lookups, a saved one keeps its copy', async () => {
    const h = handlersFor();
    const { digest, parsed } = await importDigest(h, digestText(IMPORTED));
    const pointerSentinel = parsed.papers[0] as Paper;
    unwrap(await h.savePaper({ id: pointerSentinel.id }, 'content-script'));
    unwrap(await h.setSavedNote({ id: pointerSentinel.id, note: 'read before the group meeting' }, 'extension-page'));

    expect(unwrap(await h.removeImport({ id: digest.id }, 'extension-page'))).toEqual({ removed: true });
    expect(unwrap(await h.importedSearchDocs({}, 'extension-page')).docs).toEqual([]);
    expect(unwrap(await h.getPaper({ id: pointerSentinel.id }, 'content-script')).paper).toBeNull();
    expect(await scanIds(h, pointerSentinel.title)).toEqual([]);
    expect(await db.importPapers.count()).toBe(0);
    expect(await db.importedPaperBuckets.count()).toBe(0);
    const list = unwrap(await h.listSaved({}, 'extension-page')).papers;
    expect(list).toEqual([expect.objectContaining({ id: pointerSentinel.id, title: pointerSentinel.title, note: 'read before the group meeting' })]);
    expect(unwrap(await h.stats({}, 'extension-page'))).toMatchObject({ papers: 3, importedPapers: 0, imports: 0 });
    expect(unwrap(await h.removeImport({ id: digest.id }, 'extension-page'))).toEqual({ removed: false });
  });

  it('keeps a paper two imports share when one of them is removed', async () => {
    const h = handlersFor();
    const first = await importDigest(h, digestText(IMPORTED.slice(0, 1)), 'a.txt');
    const second = await importDigest(h, digestText(IMPORTED), 'b.txt');
    expect(second.check.known.sort()).toEqual([paperIdForTitle('Deep Model Assembling'), paperIdForTitle(IMPORTED[0]!.title)].sort());
    expect(second.digest.added).toBe(1);
    unwrap(await h.removeImport({ id: first.digest.id }, 'extension-page'));
    expect(unwrap(await h.getPaper({ id: paperIdForTitle(IMPORTED[0]!.title) }, 'content-script')).paper?.title).toBe(IMPORTED[0]!.title);
  });
});

describe('the imported layer across restarts and updates', () => {
  it('is reused as stored by a restarted worker', async () => {
    const h = handlersFor();
    await importDigest(h, digestText(IMPORTED));
    const built = (await db.meta.get(IMPORTED_LAYER_KEY))?.value as { builtAt: number };
    const restarted = handlersFor();
    expect(await scanIds(restarted, IMPORTED[0]!.title)).toEqual([paperIdForTitle(IMPORTED[0]!.title)]);
    expect(((await db.meta.get(IMPORTED_LAYER_KEY))?.value as { builtAt: number }).builtAt).toBe(built.builtAt);
  });

  it('is rebuilt over a new bundled digest, which now holds one of its papers', async () => {
    const h = handlersFor('v1');
    await importDigest(h, digestText(IMPORTED));
    const sentinel = paper(IMPORTED[0]!.title, 'The bundled text of this paper in the next release.');
    const updated = handlersFor('v2', [...BUNDLED, sentinel]);
    const reply = unwrap(await updated.getPaper({ id: sentinel.id }, 'content-script'));
    expect(reply.paper?.abstract).toBe('The bundled text of this paper in the next release.');
    const layer = (await db.meta.get(IMPORTED_LAYER_KEY))?.value as { bundledVersion: string; count: number };
    expect(layer).toMatchObject({ bundledVersion: 'v2', count: 1 });
    expect(unwrap(await updated.stats({}, 'extension-page'))).toMatchObject({ papers: 5, importedPapers: 1 });
  });

  it('drops an imported main-title alias that a bundled title also answers to', async () => {
    const h = handlersFor('v1', [
      ...BUNDLED,
      paper('Retrieval Augmented Generation for Knowledge Intensive Tasks', 'Bundled: a retriever and a generator trained end to end for knowledge intensive tasks.'),
    ]);
    await importDigest(
      h,
      digestText([
        {
          title: 'Retrieval Augmented Generation for Knowledge Intensive Tasks: A Survey of Methods',
          abstract: 'A survey of retrieval augmented generation methods.',
        },
      ]),
    );
    // The imported survey's main-title alias is not kept, and the bare main title is the bundled paper.
    const importedEntries = (await db.importedKeyBuckets.toArray()).flatMap((bucket) => bucket.entries);
    expect(new Set(importedEntries.map((entry) => entry[3]))).toEqual(new Set([KEY_FULL])); // the full title, and its typo anchor
    expect(await scanIds(h, 'Retrieval Augmented Generation for Knowledge Intensive Tasks')).toEqual([
      paperIdForTitle('Retrieval Augmented Generation for Knowledge Intensive Tasks'),
    ]);
  });

  it('serializes two commits so neither is lost', async () => {
    const h = handlersFor();
    await Promise.all([importDigest(h, digestText(IMPORTED.slice(0, 1)), 'a.txt'), importDigest(h, digestText(IMPORTED.slice(2)), 'c.txt')]);
    const layer = (await db.meta.get(IMPORTED_LAYER_KEY))?.value as { importIds: string[]; count: number };
    expect(layer.importIds).toHaveLength(2);
    expect(layer.count).toBe(2);
  });

  it('past the limit, recomputes related papers over the newest papers only; the bundled ones keep theirs', async () => {
    const h = handlersFor('v1', BUNDLED, 4);
    const { parsed } = await importDigest(h, digestText([IMPORTED[0]!, IMPORTED[2]!, { title: 'Pointer Graph Networks', abstract: 'Graph neural networks with pointers to input positions, learning to execute algorithms over sets of elements.' }]));
    const layer = (await db.meta.get(IMPORTED_LAYER_KEY))?.value as { relatedScope: string };
    expect(layer.relatedScope).toBe('recent');
    const importedIds = new Set(parsed.papers.map((p) => p.id));
    const bundledIds = new Set(BUNDLED.map((p) => p.id));
    const ofImported = unwrap(await h.getPaper({ id: parsed.papers[2]!.id }, 'content-script')).related.map((r) => r.id);
    expect(ofImported.length).toBeGreaterThan(0);
    expect(ofImported.every((id) => importedIds.has(id))).toBe(true);
    // Within the limit (the first test) Pointer Networks gains an imported neighbour; past it, it keeps the bundled pack's.
    const ofBundled = unwrap(await h.getPaper({ id: paperIdForTitle('Pointer Networks') }, 'content-script')).related.map((r) => r.id);
    expect(ofBundled.filter((id) => !bundledIds.has(id))).toEqual([]);
  });
});
