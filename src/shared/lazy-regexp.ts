/**
 * A regular expression built the first time it is asked for.
 *
 * V8 checks every regex literal in a script while parsing it, and a literal
 * with Unicode property classes (`\p{L}`, `\p{Lu}`, `\p{sc=Han}`) costs about
 * a quarter of a millisecond to check, even inside a function that never runs;
 * `new RegExp` at module level costs the same when the module loads. The exact
 * half of the content script holds some sixty of them, which made importing it
 * cost ~25 ms on a fresh page against ~7 for an empty module (2026-12-03,
 * fresh-page `import()` timings in Chromium 14x). Written as a string and built
 * here on first use, a rule costs nothing until a page needs it, and V8's
 * regexp cache then shares one compilation between equal patterns.
 *
 * Call the returned function where the RegExp is needed (`WORD_BEFORE().exec(text)`).
 * It returns the same instance each time, so a `g` or `y` pattern's `lastIndex`
 * is shared just as a module-level literal's would be.
 */
export function lazyRegExp(source: string, flags = ''): () => RegExp {
  let built: RegExp | undefined;
  return () => (built ??= new RegExp(source, flags));
}
