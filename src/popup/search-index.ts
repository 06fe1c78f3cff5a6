/**
 * The popup's search (src/shared/search.ts): the packaged index built at build
 * time (scripts/vite-digest-plugin.ts), opened once per popup opening. Opening
 * reads the vocabulary; each query then reads the shards it needs, while `warm`
 * reads the paper list and the title postings in the background.
 *
 * Imported papers (digest import, issue 7) join after the index opens: the
 * worker lists their search documents, and `search.addDocuments` ranks them
 * with the bundled ones (`withImportedPapers`). Queries typed before that are
 * answered from the bundled papers and run again once the imported ones are in.
 */
import { call, readPackagedText } from '../platform/extension-api';
import { PaperSearch } from '../shared/search';

let loading: Promise<PaperSearch> | null = null;

/** A packaged index file, marked for the popup benchmark (which counts the shards read). */
async function read(path: string): Promise<string> {
  const text = await readPackagedText(path);
  performance.mark('paperpeek-search-read', { detail: path });
  return text;
}

export function paperSearch(): Promise<PaperSearch> {
  loading ??= PaperSearch.open(read).then((search) => {
    performance.mark('paperpeek-search-ready');
    // Between steps, wait for the main thread to be idle: typing goes first.
    const idle = () => new Promise<void>((done) => requestIdleCallback(() => done(), { timeout: 500 }));
    void search.warm(idle).then(
      () => performance.mark('paperpeek-search-warm'),
      () => undefined,
    );
    return search;
  });
  loading.catch(() => (loading = null));
  return loading;
}

let importing: Promise<number> | null = null;

/**
 * Adds the imported papers to the search, once per popup opening; resolves with
 * how many were added (0 when there are none, or the worker could not list them).
 */
export function withImportedPapers(search: PaperSearch): Promise<number> {
  importing ??= call('importedSearchDocs', {}).then(async (reply) => {
    if (!reply.ok || reply.value.docs.length === 0) return 0;
    await search.addDocuments(reply.value.docs);
    return reply.value.docs.length;
  });
  return importing;
}
