/**
 * Puts marks on the page and takes them off again. A mark is one element with
 * `data-paperpeek-id` (the test contract of issue 3 §8):
 *
 * - when the title is the whole text of an existing link or emphasis, that
 *   element itself gets the attribute, so the page's structure is untouched;
 * - otherwise the title's characters are wrapped in a `<paperpeek-mark>` element
 *   (an unknown element: inline, unstyled by page CSS that targets real tags),
 *   or inside SVG text in a `<tspan>`, which SVG draws where an HTML element
 *   would not be drawn at all.
 *
 * Marks never nest and never change the page's textContent; links keep working
 * because nothing is replaced, only wrapped.
 *
 * A title over several text nodes (`<em>Pointer</em> Networks`) is wrapped a
 * piece per text node, each piece where its text already is: moving the page's
 * own elements into a mark would pull them from under the framework that
 * renders them (React, Vue and the like keep their nodes' parents and throw
 * when one has moved: facebook/react#11538). The first piece is the mark, with
 * `data-paperpeek-id` and `data-paperpeek-occurrence=N`; the others are its
 * parts, `data-paperpeek-part=N`, found again with markOf.
 */
import { TITLE_CARRIER_TAGS, blockOf, isSkippedElement, nodeAt, shadowHostRightAfter, type TextBlock } from './page-text';

export const MARK_ATTRIBUTE = 'data-paperpeek-id';
/** Set on page elements we marked by attribute, so cleanup removes exactly what we added. */
export const ADOPTED_ATTRIBUTE = 'data-paperpeek-adopted';
export const MARK_TAG = 'paperpeek-mark';
export const MARK_SELECTOR = `[${MARK_ATTRIBUTE}]`;
/** On the mark that is the first piece of a title over several text nodes: the number its other pieces carry. */
const OCCURRENCE_ATTRIBUTE = 'data-paperpeek-occurrence';
/** On the other pieces of such a title: its mark's occurrence number. */
export const PART_ATTRIBUTE = 'data-paperpeek-part';
/** A mark or a part of one: what the pointer or the caret may be on. */
export const MARK_OR_PART_SELECTOR = `${MARK_SELECTOR}, [${PART_ATTRIBUTE}]`;
let occurrences = 0;
/**
 * Told apart from another script instance's numbers (one injected again after an
 * update, while the old one's marks are still going) and from marked markup a
 * page copied.
 */
const INSTANCE = Math.random().toString(36).slice(2, 8);
/** Set when we made an adopted element focusable, so cleanup takes the tabindex back. */
const FOCUSABLE_ATTRIBUTE = 'data-paperpeek-focusable';
const NATIVELY_FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]';

/** Elements whose whole text can carry the mark themselves: inline carriers, and blocks that hold one title. */
const ADOPTABLE_TAGS = new Set([
  'A', 'EM', 'I', 'B', 'STRONG', 'CITE', 'Q', 'MARK', 'U', 'SPAN', 'CODE',
  'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'DT', 'DD', 'TD', 'TH', 'LI', 'P', 'CAPTION', 'FIGCAPTION', 'SUMMARY',
]);

/**
 * Set on the `<tspan>` that marks a title in SVG text (a slide viewer's): an
 * HTML element there would not be drawn, and its text would vanish.
 */
const SVG_MARK_ATTRIBUTE = 'data-paperpeek-mark';
const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';

export function isOurMark(node: Node): boolean {
  return node instanceof Element && (node.tagName.toLowerCase() === MARK_TAG || node.hasAttribute(SVG_MARK_ATTRIBUTE));
}

/** A new mark element for text inside `parent`: ours, or an SVG `<tspan>` inside SVG text. */
function createMark(parent: Element | null): Element {
  if (parent?.namespaceURI !== SVG_NAMESPACE) return document.createElement(MARK_TAG);
  const mark = document.createElementNS(SVG_NAMESPACE, 'tspan');
  mark.setAttribute(SVG_MARK_ATTRIBUTE, '');
  return mark;
}

function isInsideMark(node: Node): boolean {
  const element = node instanceof Element ? node : node.parentElement;
  return element?.closest(MARK_OR_PART_SELECTOR) != null;
}

/** The mark `target` is, or is inside, or whose part it is in; null when none. */
export function markOf(target: EventTarget | null): Element | null {
  const found = target instanceof Element ? target.closest(MARK_OR_PART_SELECTOR) : null;
  const part = found?.getAttribute(PART_ATTRIBUTE);
  if (found == null || part == null) return found ?? null;
  const root = found.getRootNode() as Document | ShadowRoot;
  return root.querySelector(`[${OCCURRENCE_ATTRIBUTE}="${CSS.escape(part)}"]`);
}

/**
 * Unwraps the parts around `node` (in the element that holds it, up to its
 * block) whose mark is gone: the page re-rendered the element the mark was in
 * (`em.textContent = …`) and left the rest. A part without its mark opens no
 * card and would keep the title from being marked again.
 */
function dropOrphanedParts(node: Node): void {
  const element = node instanceof Element ? node : node.parentElement;
  const scope = element ? (blockOf(element) ?? element) : null;
  if (!scope) return;
  for (const part of scope.querySelectorAll(`[${PART_ATTRIBUTE}]`)) if (markOf(part) === null) unwrap(part);
}

/** The other pieces of a title marked over several text nodes, in page order; none for a mark of one piece. */
export function partsOf(mark: Element): Element[] {
  const occurrence = mark.getAttribute(OCCURRENCE_ATTRIBUTE);
  if (occurrence == null) return [];
  return [...(mark.getRootNode() as Document | ShadowRoot).querySelectorAll(`[${PART_ATTRIBUTE}="${CSS.escape(occurrence)}"]`)];
}

/** The text a mark stands for: its own, or from its start to the end of its last part. */
export function markedText(mark: Element): string {
  const parts = partsOf(mark);
  const last = parts[parts.length - 1];
  if (!last) return mark.textContent ?? '';
  const range = document.createRange();
  range.setStartBefore(mark);
  range.setEndAfter(last);
  return range.toString();
}

/** The range of block text [start, end) as a DOM Range. */
export function rangeOf(block: TextBlock, start: number, end: number): Range | null {
  const from = nodeAt(block, start, false);
  const to = nodeAt(block, end, true);
  if (!from || !to || !from.node.isConnected || !to.node.isConnected) return null;
  if (from.offset > from.node.data.length || to.offset > to.node.data.length) return null; // the page changed the text since
  const range = document.createRange();
  range.setStart(from.node, from.offset);
  range.setEnd(to.node, to.offset);
  return range;
}

/**
 * The innermost adoptable element (inside the block) whose whole text is the
 * match, give or take punctuation and spaces: `<a>Pointer Networks.</a>`.
 */
export function wholeElementOf(range: Range, block: TextBlock, sameWords: (text: string) => boolean): Element | null {
  const node = range.commonAncestorContainer;
  for (let element = node instanceof Element ? node : node.parentElement; element; element = element.parentElement) {
    if (ADOPTABLE_TAGS.has(element.tagName.toUpperCase()) && sameWords(element.textContent ?? '')) return element;
    if (element === block.element) break;
  }
  return null;
}

/**
 * The text before and after the match inside the innermost link or emphasis that
 * holds it (inside the block), or null: `<a>[R] Symbolic Discovery of …</a>`,
 * where the line goes on past the link with its flair and domain.
 */
export function sidesInTitleElement(range: Range, block: TextBlock): { before: string; after: string } | null {
  const node = range.commonAncestorContainer;
  for (let element = node instanceof Element ? node : node.parentElement; element; element = element.parentElement) {
    if (TITLE_CARRIER_TAGS.has(element.tagName.toUpperCase())) {
      const before = document.createRange();
      before.selectNodeContents(element);
      before.setEnd(range.startContainer, range.startOffset);
      const after = document.createRange();
      after.selectNodeContents(element);
      after.setStart(range.endContainer, range.endOffset);
      return { before: before.toString(), after: after.toString() };
    }
    if (element === block.element) break;
  }
  return null;
}

/**
 * What a reader sees right after the match when that is a shadow host the line's
 * text does not hold: Distill's `Title<d-cite key=…></d-cite>` shows `[3]` from
 * its shadow root, which is read as a tree of its own. Null when the match is not
 * followed directly (inline, no text between) by an open shadow root's host.
 * At most 80 characters, of the root's children on screen.
 */
export function shownInShadowHostAfter(range: Range): string | null {
  // A match's range ends in a text node (rangeOf); only its rest may lie between.
  const node = range.endContainer;
  if (!(node instanceof Text) || /\S/.test(node.data.slice(range.endOffset))) return null;
  const root = shadowHostRightAfter(node)?.shadowRoot;
  if (!root) return null;
  // Its text node by node, not innerText, which keeps a screen-reader-only copy of the
  // title (Perplexity's chip: `<a><span class=sr-only>Title</span>[7]</a>`).
  let shown = '';
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode: (candidate) =>
      candidate instanceof Element && (isSkippedElement(candidate) || !isVisible(candidate)) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  for (let shownNode = walker.nextNode(); shownNode && shown.length < 80; shownNode = walker.nextNode()) {
    if (shownNode instanceof Text) shown += shownNode.data;
  }
  return shown.slice(0, 80);
}

export function isVisible(element: Element): boolean {
  // checkVisibility: display:none, content-visibility and closed <details> (Chrome 105+, Firefox 106+).
  if (typeof element.checkVisibility !== 'function') return true;
  return element.checkVisibility({ visibilityProperty: true, opacityProperty: false } as CheckVisibilityOptions);
}

/** Marks `range` (or `element`, when the match is its whole text) with the paper id; null when it cannot. */
export function placeMark(range: Range, element: Element | null, id: string): Element | null {
  if (element) {
    if (isInsideMark(element) || element.querySelector(MARK_OR_PART_SELECTOR)) return null;
    element.setAttribute(MARK_ATTRIBUTE, id);
    element.setAttribute(ADOPTED_ATTRIBUTE, '');
    announce(element, element);
    return element;
  }
  dropOrphanedParts(range.commonAncestorContainer);
  if (isInsideMark(range.startContainer) || isInsideMark(range.endContainer)) return null;
  const mark = createMark(range.startContainer.parentElement);
  mark.setAttribute(MARK_ATTRIBUTE, id);
  announce(mark, range.startContainer.parentElement);
  if (range.startContainer === range.endContainer) return wrapPieces(range, mark);
  keepToFirstCell(range);
  if (range.collapsed) return null;
  // The title spans inline elements (`<em>Pointer</em> Networks`). An element the
  // title starts or ends exactly with is taken whole (`<a>When, Why and How
  // Much?</a> Adaptive …`); refuse when the mark would still split a link or
  // already holds a mark; otherwise wrap what the range holds.
  widenToWholeElements(range, false);
  // A link whose text beyond the title is only a quote or a bracket (`<a>“What … learning?</a>
  // Investigations …”`) is taken whole too, its quote inside the mark.
  if (splitsLinkOrHoldsMark(range)) widenToWholeElements(range, true);
  if (splitsLinkOrHoldsMark(range)) return null;
  return wrapPieces(range, mark);
}

/**
 * Wraps each text node's share of `range` where it stands: `mark` around the
 * first, a part around each other one. White space alone between pieces is
 * left as it is (a part there could stand where no inline element may, between
 * table cells or list items), and so is text the page does not show as prose
 * (a style sheet, an editable field).
 */
function wrapPieces(range: Range, mark: Element): Element | null {
  const ancestor = range.commonAncestorContainer;
  // Where each piece starts and ends, all taken before any text node is split.
  const spans: { node: Text; from: number; to: number }[] = [];
  const walker = document.createTreeWalker(ancestor, NodeFilter.SHOW_TEXT);
  for (let node = walker.currentNode instanceof Text ? walker.currentNode : walker.nextNode(); node; node = walker.nextNode()) {
    if (!(node instanceof Text) || !range.intersectsNode(node)) continue;
    const from = node === range.startContainer ? range.startOffset : 0;
    const to = node === range.endContainer ? range.endOffset : node.data.length;
    if (!/\S/.test(node.data.slice(from, to)) || underSkipped(node, ancestor)) continue;
    if (isInsideMark(node)) return null;
    spans.push({ node, from, to });
  }
  if (spans.length === 0) return null;
  const occurrence = `${INSTANCE}-${++occurrences}`;
  if (spans.length > 1) mark.setAttribute(OCCURRENCE_ATTRIBUTE, occurrence);
  spans.forEach(({ node, from, to }, index) => {
    // The page's text node stays where it is, keeping the text before the piece;
    // the piece and the text after it are new nodes, remembered as split from it.
    const split = splitOff.get(node) ?? [];
    if (to < node.data.length) split.push(node.splitText(to));
    const piece = document.createTextNode(node.data.slice(from));
    node.deleteData(from, node.data.length - from);
    let wrapper = mark;
    if (index > 0) {
      wrapper = createMark(node.parentElement);
      wrapper.setAttribute(PART_ATTRIBUTE, occurrence);
    }
    wrapper.appendChild(piece);
    node.parentNode?.insertBefore(wrapper, node.nextSibling);
    split.push(wrapper);
    splitOff.set(node, split);
  });
  return mark;
}

/**
 * For each page text node a mark was cut from, the nodes made of its text: our
 * wrappers and the text after them. The page still owns only the first node and
 * may set its text or remove it (React does both), not knowing the rest.
 */
const splitOff = new WeakMap<Text, Node[]>();

/**
 * The page set the text of `node`, or removed it, after a mark was cut from it:
 * what was split off holds its old text and goes, so the page shows only what
 * it wrote (or nothing). Its title is marked again when the block is read again.
 * True when anything went.
 */
export function takeBackSplitText(node: Node): boolean {
  if (!(node instanceof Text)) return false;
  const split = splitOff.get(node);
  if (!split) return false;
  splitOff.delete(node);
  for (const made of split) {
    // The title's other pieces, cut from text the page did not touch, keep their text unmarked.
    if (made instanceof Element) for (const piece of piecesWith(made)) if (piece !== made) unwrap(piece);
    // (A text split off may have had a mark cut from it in turn.)
    takeBackSplitText(made);
    made.parentNode?.removeChild(made);
  }
  return true;
}

/** Every piece of the occurrence `piece` belongs to: its mark, then its parts. */
function piecesWith(piece: Element): Element[] {
  const mark = piece.hasAttribute(PART_ATTRIBUTE) ? markOf(piece) : piece;
  return mark ? [mark, ...partsOf(mark)] : [piece];
}

function unwrap(element: Element): void {
  const parent = element.parentNode;
  if (!parent) return;
  while (element.firstChild) parent.insertBefore(element.firstChild, element);
  parent.removeChild(element);
}

/** Whether `node` lies in an element (below `stop`) whose text is not read as prose: a style sheet, a script, an editable field. */
function underSkipped(node: Node, stop: Node): boolean {
  for (let element = node.parentElement; element && element !== stop; element = element.parentElement) {
    if (isSkippedElement(element)) return true;
  }
  return false;
}

/**
 * A title wrapped over two lines of a code listing (page-text.ts, codeListingOf:
 * table rows, or the line blocks of a drawn copy), or over two `<text>` lines
 * of an SVG text box, is marked on its first line: a mark cannot hold table
 * rows, blocks or SVG lines, and one mark stands for one occurrence.
 */
function keepToFirstCell(range: Range): void {
  const lineOf = (node: Node) => (node instanceof Element ? node : node.parentElement)?.closest('text') ?? blockOf(node);
  const first = lineOf(range.startContainer);
  if (first && first !== lineOf(range.endContainer)) range.setEnd(first, first.childNodes.length);
}

/**
 * Moves the range's ends out of the elements it starts at the very beginning of,
 * or ends at the very end of, up to the elements both ends share: the text it
 * holds is the same, and those elements are then inside it whole.
 */
function widenToWholeElements(range: Range, overSetOff: boolean): void {
  const lengthOf = (node: Node) => (node.nodeType === Node.TEXT_NODE ? (node as Text).data.length : node.childNodes.length);
  // With overSetOff, a text node's opening or closing quotes, brackets and spaces count as its edge.
  const setOff = (node: Node, from: number, to: number) => overSetOff && node instanceof Text && SET_OFF_ONLY.test(node.data.slice(from, to));
  const atStart = () => range.startOffset === 0 || setOff(range.startContainer, 0, range.startOffset);
  const atEnd = () => range.endOffset === lengthOf(range.endContainer) || setOff(range.endContainer, range.endOffset, lengthOf(range.endContainer));
  while (atStart() && range.startContainer !== range.commonAncestorContainer) range.setStartBefore(range.startContainer);
  while (atEnd() && range.endContainer !== range.commonAncestorContainer) range.setEndAfter(range.endContainer);
}

/** Quotes, brackets and spaces only: what sets a title off inside the element around it. */
const SET_OFF_ONLY = /^[\s"'“”„‟‘’‚«»‹›「」『』《》〈〉()[\]]*$/u;

/** Whether marking the range would cut a link in two or wrap a mark already placed. */
function splitsLinkOrHoldsMark(range: Range): boolean {
  const ancestor = range.commonAncestorContainer;
  const inside = ancestor instanceof Element ? ancestor.querySelectorAll(`a, ${MARK_OR_PART_SELECTOR}`) : [];
  for (const element of inside) {
    if (!range.intersectsNode(element)) continue;
    if (element.matches(MARK_OR_PART_SELECTOR)) return true;
    const wholeInside = range.isPointInRange(element, 0) && range.isPointInRange(element, element.childNodes.length);
    if (!wholeInside) return true;
  }
  return false;
}

/**
 * Tells assistive technology the mark opens a card, and lets a keyboard reach it:
 * links already take focus; any other mark gets a tab stop, unless `place`
 * (where the mark goes, which it may not be in yet) is under `aria-hidden` (a
 * read-only text area's drawn copy, page-text.ts): a tab stop there is one a
 * screen reader cannot name. The keyboard reaches those papers from the
 * popup's "On this tab".
 */
function announce(element: Element, place: Element | null): void {
  element.setAttribute('aria-haspopup', 'dialog');
  if (!element.matches(NATIVELY_FOCUSABLE) && !place?.closest('[aria-hidden="true"]')) {
    element.setAttribute('tabindex', '0');
    element.setAttribute(FOCUSABLE_ATTRIBUTE, '');
  }
}

/** Removes every mark this script placed under `root`, restoring the page's own elements. */
export function removeMarks(root: ParentNode): void {
  for (const element of root.querySelectorAll(MARK_OR_PART_SELECTOR)) {
    if (isOurMark(element)) unwrap(element);
    else if (element.hasAttribute(ADOPTED_ATTRIBUTE)) {
      for (const name of [MARK_ATTRIBUTE, ADOPTED_ATTRIBUTE, 'aria-haspopup']) element.removeAttribute(name);
      if (element.hasAttribute(FOCUSABLE_ATTRIBUTE)) {
        element.removeAttribute('tabindex');
        element.removeAttribute(FOCUSABLE_ATTRIBUTE);
      }
    }
  }
}

/**
 * The manifest's marks.css reaches the document only; marks inside open shadow
 * roots get the same quiet underline from a constructed sheet (which a page CSP
 * cannot block).
 */
const SHADOW_MARK_CSS = `${MARK_OR_PART_SELECTOR} { text-decoration: underline dotted rgb(37 99 235 / 0.75) !important; text-decoration-thickness: 1.5px !important; text-underline-offset: 0.18em !important; }
@media (prefers-color-scheme: dark) { ${MARK_OR_PART_SELECTOR} { text-decoration-color: rgb(147 197 253 / 0.8) !important; } }`;
let shadowSheet: CSSStyleSheet | null = null;

export function styleShadowRoot(root: ShadowRoot): void {
  try {
    if (!shadowSheet) {
      shadowSheet = new CSSStyleSheet();
      shadowSheet.replaceSync(SHADOW_MARK_CSS);
    }
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, shadowSheet];
  } catch {
    // No constructed sheets here: the marks still work, only unstyled.
  }
}

/**
 * The reader's mark style. The default (dotted underline) comes from the
 * manifest's marks.css; the highlight is a constructed sheet added to the
 * document, which a page CSP cannot block.
 */
const HIGHLIGHT_CSS = `${MARK_OR_PART_SELECTOR} { text-decoration: none !important; background-color: rgb(250 204 21 / 0.28) !important; border-radius: 2px !important; }
@media (prefers-color-scheme: dark) { ${MARK_OR_PART_SELECTOR} { background-color: rgb(250 204 21 / 0.22) !important; } }`;
let highlightSheet: CSSStyleSheet | null = null;

export function setMarkStyle(doc: Document, style: 'underline' | 'highlight'): void {
  try {
    // Touch the document's sheets only on a change: every assignment restyles the page.
    const present = highlightSheet !== null && doc.adoptedStyleSheets.includes(highlightSheet);
    if (style === 'highlight' && !present) {
      if (!highlightSheet) {
        highlightSheet = new CSSStyleSheet();
        highlightSheet.replaceSync(HIGHLIGHT_CSS);
      }
      doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, highlightSheet];
    } else if (style === 'underline' && present) {
      doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((sheet) => sheet !== highlightSheet);
    }
  } catch {
    // No constructed sheets: marks keep the default underline.
  }
}
