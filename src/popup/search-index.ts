/**
 * The popup's search index: the packaged MiniSearch index (built at build time,
 * scripts/vite-digest-plugin.ts), read once per popup opening.
 */
import type MiniSearch from 'minisearch';
import { readPackagedJson } from '../platform/extension-api';
import { SEARCH_INDEX_PATH, loadSearchIndex, type PackagedSearchIndex, type SearchDoc } from '../shared/search';

let loading: Promise<MiniSearch<SearchDoc>> | null = null;

export function searchIndex(): Promise<MiniSearch<SearchDoc>> {
  loading ??= readPackagedJson(SEARCH_INDEX_PATH).then((json) => {
    const index = loadSearchIndex(json as PackagedSearchIndex);
    performance.mark('paperpeek-search-ready');
    return index;
  });
  loading.catch(() => (loading = null));
  return loading;
}
