/**
 * Which elements the browser is skipping under `content-visibility: auto`.
 *
 * innerText leaves out the content of such an element while it is far from
 * the viewport, so the coarse pass (rendered-text.ts) would not see titles in
 * it. The browser says when an element starts or stops being skipped with a
 * `contentvisibilityautostatechange` event, and says it first right after the
 * element's first layout, long before `document_idle`. So a tiny content script
 * (skipped-watch.iife.ts) listens from `document_start` and keeps the answer
 * here, in the isolated world the main content script shares; the scanner reads
 * skipped elements node by node instead.
 */
export const SKIPPED_WATCH_KEY = '__paperpeekSkippedWatch';

export interface SkippedWatch {
  /** Elements skipped now. */
  skipped: Set<Element>;
  /** Elements that were rendered at some point (their text was in innerText then). */
  rendered: WeakSet<Element>;
  /** Told about an element skipped that was never rendered: one added off-screen. */
  onNewlySkipped: ((element: Element) => void) | null;
}

type Scope = Record<string, unknown>;

export function installSkippedWatch(doc: Document, scope: Scope = globalThis as unknown as Scope): SkippedWatch {
  const existing = skippedWatch(scope);
  if (existing) return existing;
  const watch: SkippedWatch = { skipped: new Set(), rendered: new WeakSet(), onNewlySkipped: null };
  Object.defineProperty(scope, SKIPPED_WATCH_KEY, { value: watch });
  /**
   * The set holds its elements strongly, and a virtualised feed removes skipped
   * items all the time, on tabs where nothing reads the set (detection off):
   * past this size, elements that left the page are dropped (amortised O(1)).
   */
  let pruneAt = 64;
  doc.addEventListener(
    'contentvisibilityautostatechange',
    (event) => {
      try {
        const target = event.target;
        if (!event.isTrusted || !(target instanceof Element)) return;
        if ((event as Event & { skipped?: boolean }).skipped) {
          watch.skipped.add(target);
          if (watch.skipped.size > pruneAt) {
            for (const element of watch.skipped) if (!element.isConnected) watch.skipped.delete(element);
            pruneAt = watch.skipped.size * 2 + 64;
          }
          if (!watch.rendered.has(target)) watch.onNewlySkipped?.(target);
        } else {
          watch.skipped.delete(target);
          watch.rendered.add(target);
        }
      } catch {
        // Never into the page.
      }
    },
    { capture: true, passive: true },
  );
  return watch;
}

export function skippedWatch(scope: Scope = globalThis as unknown as Scope): SkippedWatch | null {
  return (scope[SKIPPED_WATCH_KEY] as SkippedWatch | undefined) ?? null;
}

/** Skipped elements inside `root` that are still on the page (forgetting those that left). */
export function skippedInside(watch: SkippedWatch | null, root: Node): Element[] {
  if (!watch || watch.skipped.size === 0) return [];
  const inside: Element[] = [];
  for (const element of watch.skipped) {
    if (!element.isConnected) watch.skipped.delete(element);
    else if (root.contains(element)) inside.push(element);
  }
  return inside;
}
