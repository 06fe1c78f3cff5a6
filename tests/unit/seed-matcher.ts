/**
 * The worker's matcher over the bundled seed digest, in memory: what the unit
 * tests of matching, the coarse scan and the page scanner look titles up in.
 */
import { DEFAULT_SEEDS_DIR, bundleDigests, digestFilesIn } from '../../scripts/digest-files';
import { bucketize } from '../../src/shared/paper-buckets';
import type { KeyEntry } from '../../src/shared/title-index';
import { matchProbes, probeSignatures, type MatchOptions, type ScanHit } from '../../src/shared/title-scanner';

export const seedBundle = bundleDigests(digestFilesIn(DEFAULT_SEEDS_DIR));

const bySignature = new Map<number, KeyEntry[]>();
for (const entry of bucketize(seedBundle.papers).keyBuckets.flatMap((bucket) => bucket.entries)) {
  const signature = entry[5];
  bySignature.set(signature, [...(bySignature.get(signature) ?? []), entry]);
}
const prefilter = new Set(bySignature.keys());

/** The hits of the seed digest's titles in scan units, as the worker finds them. */
export function matchSeedTitles(units: Parameters<typeof probeSignatures>[0], options?: MatchOptions): ScanHit[] {
  return matchProbes(probeSignatures(units, prefilter), (signature) => bySignature.get(signature) ?? [], options);
}
