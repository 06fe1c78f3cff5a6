/**
 * Answers `scan` requests: finds digest titles in the page's candidate texts.
 * Keeps the signature prefilter of each key layer (the bundled digest, and the
 * imported layer when there are imports) in memory (one read per worker start
 * or layer change, ~4 bytes per key) and reads only the key buckets that a
 * prefilter lets through, in one bulkGet per layer.
 */
import type { KeyBucket } from '../shared/paper-buckets';
import { keyBucketOfSignature, type KeyEntry } from '../shared/title-index';
import { matchProbes, probeSignatures, skipProbesLeft, type MatchOptions, type Probe, type ScanHit, type ScanUnit } from '../shared/title-scanner';
import type { PaperPeekDatabase } from './db';
import { SIGNATURES_META_KEY, type StoredSignatures } from './digest-loader';
import type { Corpus } from './imported-layer';
import { IMPORTED_SIGNATURES_KEY } from './imports';

export interface TitleMatcher {
  /** `options.gluedEnds`: also find a full title whose last word runs into the next (matchProbes). */
  scan(units: readonly ScanUnit[], corpus: Corpus, options?: MatchOptions): Promise<ScanHit[]>;
}

/**
 * Key buckets kept in memory between scans (most recently used last), grouped by
 * signature so a probe compares only the keys that open the way it does. Pages of
 * one field cite the same openings again and again; 512 buckets are ~8 MB at most.
 */
const CACHED_BUCKETS = 512;

/** A key bucket store (bundled or imported); only bulkGet is used. */
type KeyTable = { bulkGet(keys: number[]): Promise<(KeyBucket | undefined)[]> };

/** One layer's keys: its signature set and an LRU of its key buckets. */
interface KeyLayer {
  version: string;
  bucketCount: number;
  prefilter: Promise<Set<number>>;
  cache: Map<number, Map<number, KeyEntry[]>>;
}

function groupBySignature(entries: readonly KeyEntry[]): Map<number, KeyEntry[]> {
  const bySignature = new Map<number, KeyEntry[]>();
  for (const entry of entries) {
    const group = bySignature.get(entry[5]);
    if (group) group.push(entry);
    else bySignature.set(entry[5], [entry]);
  }
  return bySignature;
}

export function createTitleMatcher(db: PaperPeekDatabase): TitleMatcher {
  const layers = new Map<string, KeyLayer>();

  /** The layer kept for this version (a new version drops the old layer's cache). */
  function layerFor(name: string, metaKey: string, version: string, bucketCount: number): KeyLayer {
    const current = layers.get(name);
    if (current?.version === version) return current;
    const prefilter = db.meta.get(metaKey).then((row) => {
      const stored = row?.value as StoredSignatures | undefined;
      if (stored?.version !== version) throw new Error(`the title index of the ${name} papers is missing`);
      return new Set(stored.signatures);
    });
    const layer: KeyLayer = { version, bucketCount, prefilter, cache: new Map() };
    layers.set(name, layer);
    // A failed read is retried by the next request rather than kept.
    prefilter.catch(() => {
      if (layers.get(name) === layer) layers.delete(name);
    });
    return layer;
  }

  async function readBuckets(layer: KeyLayer, table: KeyTable, numbers: number[]): Promise<Map<number, Map<number, KeyEntry[]>>> {
    const found = new Map<number, Map<number, KeyEntry[]>>();
    const missing: number[] = [];
    for (const number of numbers) {
      const entries = layer.cache.get(number);
      if (entries) {
        found.set(number, entries);
        layer.cache.delete(number);
        layer.cache.set(number, entries);
      } else missing.push(number);
    }
    if (missing.length > 0) {
      const rows = await table.bulkGet(missing);
      rows.forEach((row, i) => {
        const bySignature = groupBySignature(row?.entries ?? []);
        found.set(missing[i] as number, bySignature);
        layer.cache.set(missing[i] as number, bySignature);
      });
      for (const oldest of layer.cache.keys()) {
        if (layer.cache.size <= CACHED_BUCKETS) break;
        layer.cache.delete(oldest);
      }
    }
    return found;
  }

  return {
    async scan(units, corpus, options = {}) {
      const active: { layer: KeyLayer; table: KeyTable }[] = [
        { layer: layerFor('bundled', SIGNATURES_META_KEY, corpus.bundled.version, corpus.bundled.bucketCount), table: db.keyBuckets },
      ];
      if (corpus.imported) {
        active.push({
          layer: layerFor('imported', IMPORTED_SIGNATURES_KEY, corpus.imported.version, corpus.imported.bucketCount),
          table: db.importedKeyBuckets,
        });
      } else layers.delete('imported');
      const prefilters = await Promise.all(active.map(({ layer }) => layer.prefilter));
      const passes = prefilters.length === 1 ? (prefilters[0] as Set<number>) : { has: (s: number) => prefilters.some((p) => p.has(s)) };
      const probes = probeSignatures(units, passes);
      if (probes.length === 0) return [];
      // Skip probes look in the skip entries' own buckets (paper-buckets.ts keyBucketOfEntry).
      const lookupFor = async (wanted: readonly Probe[], skip: boolean) => {
        const lookups = await Promise.all(
          active.map(async ({ layer, table }, i) => {
            const mine = prefilters[i] as Set<number>;
            const bucketOf = (signature: number) => (skip ? layer.bucketCount : 0) + keyBucketOfSignature(signature, layer.bucketCount);
            const numbers = [...new Set(wanted.filter((probe) => mine.has(probe.signature)).map((probe) => bucketOf(probe.signature)))];
            const buckets = await readBuckets(layer, table, numbers);
            return (signature: number) => buckets.get(bucketOf(signature))?.get(signature) ?? [];
          }),
        );
        return lookups.length === 1 ? (lookups[0] as (s: number) => KeyEntry[]) : (signature: number) => lookups.flatMap((lookup) => lookup(signature));
      };
      // Openings first; then only the skip probes (titles with a slip) at words no title found covers.
      const openings = probes.filter((probe) => probe.skip !== true);
      const openingsFor = await lookupFor(openings, false);
      const hits = matchProbes(openings, openingsFor, options);
      const skips = skipProbesLeft(probes, hits);
      if (skips.length === 0) return hits;
      const skipsFor = await lookupFor(skips, true);
      return matchProbes([...openings, ...skips], (signature) => [...openingsFor(signature), ...skipsFor(signature)], options);
    },
  };
}
