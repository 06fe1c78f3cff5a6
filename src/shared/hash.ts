/**
 * cyrb53: a fast, well-distributed 53-bit string hash (public domain, by bryc).
 * We need a stable, synchronous hash that runs the same in Node (build), the
 * service worker and the content script; SubtleCrypto is async and absent from
 * some contexts, and 53 bits keep collisions negligible at 100k+ papers.
 */
export function cyrb53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** The hash as a fixed-width base-36 string (11 characters covers 2^53). */
export function hashToBase36(text: string, seed = 0): string {
  return cyrb53(text, seed).toString(36).padStart(11, '0');
}
