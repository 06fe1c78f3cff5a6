/**
 * Imported digests (issue 7 §1-2): staging an import chunk by chunk, committing
 * it, listing and removing imports, and keeping the imported layer
 * (imported-layer.ts) in step with them and with the bundled digest.
 *
 * An import is written in three steps so the options page can show progress and
 * the database never holds half of one:
 * 1. begin: the worker notes what is coming (name, content id, paper count);
 * 2. chunks: papers are checked (isImportPaper) and written as `importPapers`
 *    rows that nothing points to yet;
 * 3. commit: the new layer is built in memory, then one transaction adds the
 *    import's record and swaps the layer in. Until then the import does not
 *    exist: a closed page or a failed build leaves rows nobody reads, which the
 *    next import sweeps away.
 * Removing an import is the same swap without it. Saved papers are never
 * touched: each keeps its own copy of its text.
 */
import { digestContentId, parseImportChunk, type ImportSummary } from '../shared/digest-import';
import { normalizeTitle } from '../shared/normalize';
import type { BundledDigestMeta, ImportRecord, PaperPeekDatabase } from './db';
import type { DigestLoader } from './digest-loader';
import { FULL_RELATED_LIMIT, bundledIdsAmong, buildImportedLayer, layerIdsAmong, type Corpus, type ImportedLayerMeta, type LayerBuild } from './imported-layer';

export const IMPORTED_LAYER_KEY = 'importedLayer';
export const IMPORTED_SIGNATURES_KEY = 'importedSignatures';
export const IMPORTED_RELATED_KEY = 'importedRelated';
export const IMPORTED_SEARCH_KEY = 'importedSearchDocs';

export class ImportError extends Error {}

export interface BeginImport {
  name: string;
  digestDate: string;
  contentId: string;
  count: number;
}

export interface ImportCheck {
  /** Which of the ids the extension already knows (bundled digest or an earlier import). */
  known: string[];
  /** The import with the same content, when this digest was imported before. */
  duplicate: ImportSummary | null;
}

export interface ImportCatalog {
  /** The digest and imported layer every request is answered from; rebuilds the layer when stale. */
  corpus(): Promise<Corpus>;
  check(contentId: string, ids: readonly string[]): Promise<ImportCheck>;
  begin(info: BeginImport): Promise<string>;
  /** Checks and stores one chunk (a JSON array of papers); answers how many papers have arrived. */
  addChunk(token: string, index: number, json: string): Promise<number>;
  commit(token: string): Promise<ImportSummary>;
  cancel(token: string): Promise<void>;
  list(): Promise<ImportSummary[]>;
  remove(id: string): Promise<boolean>;
  /** Forget what is cached, e.g. after the database was closed under us. */
  reset(): void;
}

interface Staged extends BeginImport {
  rowsKey: string;
  chunks: Map<number, number>;
}

export const summaryOf = ({ id, name, digestDate, importedAt, count, added }: ImportRecord): ImportSummary => ({
  id,
  name,
  digestDate,
  importedAt,
  count,
  added,
});

export function createImportCatalog(
  db: PaperPeekDatabase,
  loader: DigestLoader,
  now: () => number = Date.now,
  /** Papers related papers are recomputed over at most (imported-layer.ts). */
  relatedLimit: number = FULL_RELATED_LIMIT,
): ImportCatalog {
  const staged = new Map<string, Staged>();
  let cached: Promise<Corpus> | null = null;
  // Layer changes run one at a time: two imports committed at once must not each
  // build a layer without the other.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  const records = () => db.imports.orderBy('importedAt').toArray();
  const storedLayer = async () => (await db.meta.get(IMPORTED_LAYER_KEY))?.value as ImportedLayerMeta | undefined;

  /** One transaction: the layer's stores and meta rows, plus the record change that caused it. */
  async function swapIn(build: LayerBuild | null, change: () => Promise<unknown>): Promise<void> {
    await db.transaction('rw', [db.imports, db.importPapers, db.importedPaperBuckets, db.importedKeyBuckets, db.meta], async () => {
      await change();
      await db.importedPaperBuckets.clear();
      await db.importedKeyBuckets.clear();
      if (!build) {
        await db.meta.bulkDelete([IMPORTED_LAYER_KEY, IMPORTED_SIGNATURES_KEY, IMPORTED_RELATED_KEY, IMPORTED_SEARCH_KEY]);
        return;
      }
      await db.importedPaperBuckets.bulkPut(build.paperBuckets);
      await db.importedKeyBuckets.bulkPut(build.keyBuckets);
      const version = build.meta.version;
      await db.meta.bulkPut([
        { name: IMPORTED_SIGNATURES_KEY, value: { version, signatures: build.signatures } },
        { name: IMPORTED_SEARCH_KEY, value: { version, docs: build.searchDocs } },
        { name: IMPORTED_LAYER_KEY, value: build.meta },
      ]);
      if (build.related) await db.meta.put({ name: IMPORTED_RELATED_KEY, value: { version, pack: build.related } });
      else await db.meta.delete(IMPORTED_RELATED_KEY);
    });
  }

  /** Whether the stored layer was built from these imports over this bundled digest. */
  const isCurrent = (layer: ImportedLayerMeta | undefined, bundled: BundledDigestMeta, all: readonly ImportRecord[]) =>
    !!layer && layer.bundledVersion === bundled.version && layer.importIds.join(',') === all.map((r) => r.id).join(',');

  /** The layer the stored imports call for, rebuilt when the bundled digest or the imports changed. */
  async function currentLayer(bundled: BundledDigestMeta): Promise<ImportedLayerMeta | null> {
    const [all, stored] = await Promise.all([records(), storedLayer()]);
    if (all.length === 0) return null;
    if (isCurrent(stored, bundled, all)) return stored as ImportedLayerMeta;
    try {
      return await exclusive(async () => {
        // Another request may have rebuilt it while this one waited.
        const [current, currentLayerMeta] = await Promise.all([records(), storedLayer()]);
        if (isCurrent(currentLayerMeta, bundled, current)) return currentLayerMeta as ImportedLayerMeta;
        const build = await buildImportedLayer(db, bundled, current, now, relatedLimit);
        await swapIn(build, async () => undefined);
        return build.meta;
      });
    } catch (error) {
      // The stored layer still matches its own stores: serve it rather than nothing.
      console.error('PaperPeek: rebuilding the imported layer failed; serving the previous one', error);
      return stored ?? null;
    }
  }

  function corpus(): Promise<Corpus> {
    if (!cached) {
      const attempt = loader.whenReady().then(async (bundled) => ({ bundled, imported: await currentLayer(bundled) }));
      attempt.catch(() => {
        if (cached === attempt) cached = null;
      });
      cached = attempt;
    }
    return cached;
  }

  /** Drops staged rows that no import points to and no import in progress is writing. */
  async function sweepAbandonedRows(): Promise<void> {
    const referenced = new Set((await records()).map((r) => r.rowsKey));
    const live = new Set([...staged.values()].map((s) => s.rowsKey));
    const keys = (await db.importPapers.orderBy('rowsKey').uniqueKeys()) as string[];
    const abandoned = keys.filter((key) => !referenced.has(key) && !live.has(key));
    if (abandoned.length > 0) await db.importPapers.where('rowsKey').anyOf(abandoned).delete();
  }

  function stagedImport(token: string): Staged {
    const entry = staged.get(token);
    if (!entry) throw new ImportError('this import is no longer in progress (the extension restarted?): start it again');
    return entry;
  }

  return {
    corpus,

    async check(contentId, ids) {
      const { bundled, imported } = await corpus();
      const [inBundle, inLayer, duplicate] = await Promise.all([
        bundledIdsAmong(db, bundled, ids),
        layerIdsAmong(db, imported, ids),
        db.imports.get(contentId),
      ]);
      return { known: ids.filter((id) => inBundle.has(id) || inLayer.has(id)), duplicate: duplicate ? summaryOf(duplicate) : null };
    },

    async begin(info) {
      await corpus();
      const duplicate = await db.imports.get(info.contentId);
      if (duplicate) {
        throw new ImportError(`this digest was already imported on ${new Date(duplicate.importedAt).toLocaleString()} as "${duplicate.name}"`);
      }
      await sweepAbandonedRows();
      const token = crypto.randomUUID();
      staged.set(token, { ...info, rowsKey: `staged-${token}`, chunks: new Map() });
      return token;
    },

    async addChunk(token, index, json) {
      const entry = stagedImport(token);
      const parsed = parseImportChunk(json);
      if (!parsed.ok) throw new ImportError(parsed.error);
      const { papers } = parsed;
      const keyed = papers.map((paper) => ({ ...paper, links: [...paper.links], key: normalizeTitle(paper.title) }));
      await db.importPapers.put({ rowsKey: entry.rowsKey, chunk: index, papers: keyed });
      entry.chunks.set(index, papers.length);
      return [...entry.chunks.values()].reduce((sum, n) => sum + n, 0);
    },

    async commit(token) {
      const entry = stagedImport(token);
      const bundled = await loader.whenReady();
      try {
        return await exclusive(async () => {
          const rows = await db.importPapers.where('rowsKey').equals(entry.rowsKey).sortBy('chunk');
          const papers = rows.flatMap((row) => row.papers);
          if (papers.length !== entry.count) {
            throw new ImportError(`the import is incomplete: ${papers.length} of ${entry.count} papers arrived`);
          }
          // The record's id is the content the worker holds, not what the page announced.
          const plain = papers.map(({ id, title, abstract, links, digestDate, source }) => ({ id, title, abstract, links, digestDate, source }));
          if (digestContentId(plain) !== entry.contentId) throw new ImportError('the papers that arrived do not match the digest that was previewed');
          if (await db.imports.get(entry.contentId)) throw new ImportError('this digest was already imported');
          const ids = papers.map((p) => p.id);
          const [inBundle, inLayer] = await Promise.all([bundledIdsAmong(db, bundled, ids), layerIdsAmong(db, (await storedLayer()) ?? null, ids)]);
          const record: ImportRecord = {
            id: entry.contentId,
            name: entry.name,
            digestDate: entry.digestDate,
            importedAt: Math.max(now(), ...(await records()).map((r) => r.importedAt + 1)),
            count: papers.length,
            added: ids.filter((id) => !inBundle.has(id) && !inLayer.has(id)).length,
            rowsKey: entry.rowsKey,
          };
          const build = await buildImportedLayer(db, bundled, [...(await records()), record], now, relatedLimit);
          await swapIn(build, () => db.imports.add(record));
          cached = Promise.resolve({ bundled, imported: build.meta });
          return summaryOf(record);
        });
      } finally {
        staged.delete(token);
      }
    },

    async cancel(token) {
      const entry = staged.get(token);
      staged.delete(token);
      if (entry) await db.importPapers.where('rowsKey').equals(entry.rowsKey).delete();
    },

    async list() {
      return (await records()).reverse().map(summaryOf);
    },

    async remove(id) {
      const bundled = await loader.whenReady();
      return exclusive(async () => {
        const record = await db.imports.get(id);
        if (!record) return false;
        const rest = (await records()).filter((r) => r.id !== id);
        const build = rest.length > 0 ? await buildImportedLayer(db, bundled, rest, now, relatedLimit) : null;
        await swapIn(build, async () => {
          await db.imports.delete(id);
          await db.importPapers.where('rowsKey').equals(record.rowsKey).delete();
        });
        cached = Promise.resolve({ bundled, imported: build?.meta ?? null });
        return true;
      });
    },

    reset() {
      cached = null;
    },
  };
}
