/**
 * Runtime shape checks for untrusted message payloads. Hand-written rather than a
 * schema library: the payloads are a handful of flat objects, and these guards
 * cost nothing in the bundles that ship to every page.
 */
export type Guard<T> = (value: unknown) => value is T;

/** Paper ids are base-36 hashes; allow a little room for future formats. */
const PAPER_ID = /^[a-z0-9_-]{1,64}$/;

export const isPaperId: Guard<string> = (value): value is string => typeof value === 'string' && PAPER_ID.test(value);

export function isStringWithin(maxLength: number): Guard<string> {
  return (value): value is string => typeof value === 'string' && value.length <= maxLength;
}

export function isArrayOf<T>(item: Guard<T>, maxLength: number): Guard<T[]> {
  return (value): value is T[] => Array.isArray(value) && value.length <= maxLength && value.every(item);
}

/** A plain object with exactly these keys, each passing its guard (no extra keys, no prototype tricks). */
export function isExactObject<T extends object>(value: unknown, shape: { [K in keyof T]: Guard<T[K]> }): value is T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const keys = Object.keys(value);
  const expected = Object.keys(shape) as (keyof T & string)[];
  if (keys.length !== expected.length) return false;
  return expected.every((key) => Object.hasOwn(value, key) && shape[key]((value as Record<string, unknown>)[key]));
}
