/**
 * A regular expression built the first time it is asked for.
 *
 * V8 checks every regex literal in a script while parsing it, and a literal
 * with Unicode property classes (`\p{L}`, `\p{Lu}`, `\p{sc=Han}`) costs about
 * a quarter of a millisecond to check, even inside a function that never runs;
 * `new RegExp` at module level costs the same when the module loads. The exact
 * half of the content script holds some sixty of them, which made importing it
 * cost 20 ms on a fresh page against 5 for an empty module, 9 once built here
 * (2026-12-03, fresh-page `import()` timings in Chromium 150). Written as a string and built
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
