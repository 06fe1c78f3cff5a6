/**
 * The card's isolated home on the page: a `<paperpeek-card>` element on
 * `document.documentElement` (not body, so transformed or filtered page
 * containers cannot trap or clip it) with a closed shadow root.
 */

/** Where the card sits: position.ts writes it, the ShadowHost turns it into CSS. */
export interface HostPlacement {
  /** Caps the card's height (it scrolls inside), keeping it between the anchor and the viewport edge. */
  setMaxHeight(px: number): void;
  /** Moves the card to document coordinates and makes it visible. */
  moveTo(x: number, y: number): void;
}

const TAG = 'paperpeek-card';

export interface ShadowHost extends HostPlacement {
  host: HTMLElement;
  root: ShadowRoot;
  /** Where Preact renders. */
  mount: HTMLElement;
  /** Hides the card again until the next moveTo (a new anchor must not see it at the old spot). */
  conceal(): void;
}

export function createShadowHost(css: string): ShadowHost {
  const host = document.createElement(TAG);
  // Closed: page scripts cannot reach in to read the card or press its buttons.
  const root = host.attachShadow({ mode: 'closed' });
  const writeBase = addSheet(root);
  const writePlacement = addSheet(root);
  writeBase(css);
  const mount = document.createElement('div');
  root.append(mount);

  // The position is a rule in the shadow root, not a style attribute: page CSS
  // with `!important` would beat an inline style, but not an inner `:host` rule.
  let placed: { x: number; y: number } | null = null;
  let maxHeight: number | null = null;
  const writePosition = () => {
    let rule = maxHeight === null ? '' : `--pp-max-height:${px(Math.max(0, maxHeight))} !important;`;
    if (placed) rule += `left:${px(placed.x)} !important;top:${px(placed.y)} !important;visibility:visible !important;`;
    // `:host(paperpeek-card)` outranks the base sheet's `:host` by specificity, not just by order.
    writePlacement(rule && `:host(${TAG}){${rule}}`);
  };

  return {
    host,
    root,
    mount,
    setMaxHeight(value) {
      if (value === maxHeight) return;
      maxHeight = value;
      writePosition();
    },
    moveTo(x, y) {
      if (placed?.x === x && placed.y === y) return;
      placed = { x, y };
      writePosition();
    },
    conceal() {
      placed = null;
      maxHeight = null;
      writePosition();
    },
  };
}

/**
 * Adds an empty style sheet to `root` and returns its writer. Constructed sheets
 * (`adoptedStyleSheets`) are not subject to the page's `style-src` CSP, unlike a
 * `<style>` element, which is only the fallback for browsers without them (or
 * where the content-script sandbox refuses the assignment).
 */
function addSheet(root: ShadowRoot): (css: string) => void {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    try {
      const sheet = new CSSStyleSheet();
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
      return (css) => sheet.replaceSync(css);
    } catch {
      // Fall through to a <style> element.
    }
  }
  const style = document.createElement('style');
  root.append(style);
  return (css) => {
    style.textContent = css;
  };
}

function px(value: number): string {
  return `${Math.round(value * 100) / 100}px`;
}
