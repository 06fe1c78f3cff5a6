/**
 * The popup's search (src/shared/search.ts): the packaged index built at build
 * time (scripts/vite-digest-plugin.ts), opened once per popup opening. Opening
 * reads the vocabulary; each query then reads the shards it needs, while `warm`
 * reads the paper list and the title postings in the background.
 *
 * Runtime papers (digest import, issue 7) join here: once the worker can list
 * the papers it imported, read them after the first paint and hand them to
 * `await search.addDocuments(papers)` (SearchDoc: id, title, abstract, digestDate).
 * They are then searched and ranked with the bundled ones, and one with the id
 * of a bundled paper replaces it.
 */
import { readPackagedText } from '../platform/extension-api';
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
