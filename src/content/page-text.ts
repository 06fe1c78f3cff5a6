/**
 * Reads a page's visible-text structure: text grouped into blocks (paragraphs,
 * list items, cells, headings...) with the text node behind every character, so
 * a title found in a block's text can be marked on the exact nodes.
 *
 * One TreeWalker without a filter function (DESIGN.md §5: a filter callback per
 * node is what makes walkers slow), resumable so the caller can stop at a time
 * budget and go on at the next idle slice. Subtrees that never hold a readable
 * title (scripts, styles, form fields, editable areas, hidden or our own UI) are
 * skipped whole.
 */

/** MathML presentation elements, upper-cased: their token elements (mi, mn, mo, mtext) hold what a formula shows. */
const MATHML_TEXT_TAGS = [
  'MATH', 'SEMANTICS', 'MROW', 'MI', 'MN', 'MO', 'MS', 'MTEXT', 'MSUP', 'MSUB', 'MSUBSUP', 'MOVER', 'MUNDER', 'MUNDEROVER',
  'MFRAC', 'MSQRT', 'MROOT', 'MSTYLE', 'MPADDED', 'MENCLOSE',
];
const MATHML_NAMESPACE = 'http://www.w3.org/1998/Math/MathML';
/** SVG's text elements, upper-cased. */
const SVG_TEXT_TAGS = ['TEXT', 'TSPAN', 'TEXTPATH'];
const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';

/** Inline elements that set a title apart from the line around them: links, emphasis, citations, quotes. */
export const TITLE_CARRIER_TAGS: ReadonlySet<string> = new Set(['A', 'EM', 'I', 'B', 'STRONG', 'CITE', 'Q', 'MARK', 'U']);

/** Elements whose text flows inside the surrounding block. Every other element starts a block. */
const INLINE_TAGS = new Set([
  'A', 'ABBR', 'B', 'BDI', 'BDO', 'BIG', 'CITE', 'CODE', 'DATA', 'DEL', 'DFN', 'EM', 'FONT', 'I', 'INS', 'KBD',
  'LABEL', 'MARK', 'NOBR', 'BR', 'Q', 'RUBY', 'S', 'SAMP', 'SMALL', 'SPAN', 'STRIKE', 'STRONG', 'SUB', 'SUP', 'TIME',
  'TT', 'U', 'VAR', 'WBR', 'PAPERPEEK-MARK',
  // MathML read as the inline text it shows: LaTeXML (arXiv HTML) writes `E²-LLM` as
  // `E<math>…<msup><mi></mi><mn>2</mn></msup>…</math>-LLM`.
  ...MATHML_TEXT_TAGS,
  // SVG text as a slide viewer draws it (Google Slides' published decks): each `<text>` is
  // one line of the text box (its `<g>`), and starts a new line there.
  ...SVG_TEXT_TAGS,
]);

/** Subtrees with no readable page text, or text a reader is typing. */
const SKIPPED_TAGS = new Set([
  'SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA', 'INPUT', 'SELECT', 'OPTION', 'BUTTON', 'IFRAME', 'FRAME',
  'OBJECT', 'EMBED', 'CANVAS', 'VIDEO', 'AUDIO', 'HEAD', 'TITLE', 'PAPERPEEK-CARD',
  // What SVG defines to draw elsewhere or describes unseen (its text is read only where shown).
  'DEFS', 'SYMBOL', 'CLIPPATH', 'MASK', 'PATTERN', 'MARKER', 'FILTER', 'DESC', 'METADATA',
  // A formula's source (TeX, content MathML) beside what it shows; and what it lays out unseen.
  'ANNOTATION', 'ANNOTATION-XML', 'MPHANTOM',
]);

const PREFORMATTED_TAGS = new Set(['PRE', 'LISTING', 'XMP', 'PLAINTEXT']);
/** What a table is built of: inside a code listing (isCodeListing) they are read as its lines. */
const TABLE_PART_TAGS = new Set(['TBODY', 'THEAD', 'TFOOT', 'TR', 'TD', 'TH']);
/** Cells of a listing's row: a line number, the line, and perhaps a blame or diff marker. */
const MAX_LISTING_CELLS = 3;
/** The only elements attachShadow() accepts besides custom elements (HTML standard). */
const SHADOW_HOST_TAGS = new Set([
  'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'BODY', 'DIV', 'FOOTER', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'MAIN', 'NAV', 'P', 'SECTION', 'SPAN',
]);
/**
 * Every element known to HTML (and the common SVG and MathML ones) that cannot
 * hold a shadow root, most frequent first.
 */
const NOT_HOST_TAGS =
  'a li td tr img path i b ul em strong br th input button label option svg g small code pre time sup sub table tbody thead tfoot ol dl dt dd form select textarea script style link meta picture source video audio iframe figure figcaption cite q mark u s abbr hr wbr noscript template canvas html head title base col colgroup caption details summary dialog fieldset legend kbd samp var ins del dfn bdi bdo ruby rt rp data meter progress output datalist optgroup map area object embed track slot search menu hgroup address font center big strike tt nobr marquee frame frameset noframes noembed param xmp listing plaintext image circle rect line polyline polygon ellipse text tspan defs use symbol clipPath linearGradient radialGradient stop mask pattern filter foreignObject desc marker feGaussianBlur feOffset feBlend feColorMatrix feFlood feComposite feMerge feMergeNode math mi mo mn ms mtext mrow msup msub msubsup mfrac msqrt mroot mstyle mspace mtable mtr mtd annotation semantics paperpeek-mark paperpeek-card';
/** The built-in elements attachShadow() accepts. */
const BUILT_IN_HOST_TAGS = 'div span p section article aside blockquote footer header main nav h1 h2 h3 h4 h5 h6 body';
/** Every tag named above, the most frequent on pages first. */
const KNOWN_TAGS = ['a', 'li', 'div', 'span', 'td', 'tr', 'p', ...`${NOT_HOST_TAGS} ${BUILT_IN_HOST_TAGS}`.split(' ').filter((tag) => !['a', 'li', 'div', 'span', 'td', 'tr', 'p'].includes(tag))];

/**
 * Elements that may hold an open shadow root, in one native query that stays
 * cheap on pages of a hundred thousand divs:
 * - custom elements (`<paper-card>`) and tags not named here: `:not()` of every
 *   known tag, most frequent first, gives up at the first name that fits, so a
 *   link, list item or div costs one to three comparisons;
 * - built-in hosts with no light DOM at all (`:empty`), which is how a host of a
 *   shadow root usually comes.
 *
 * Why not every div, span and section: on a page of 140,000 elements, 100,000 of
 * them divs, that query took 340 ms in one native call, this one 70 ms. A
 * built-in host with light children (slotted content, or only whitespace) is
 * found by the exact walk (BlockWalker) when a located place or a change to the
 * page brings the walk there.
 */
export const SHADOW_HOST_QUERY = `:not(${KNOWN_TAGS.join(',')}), :empty:is(${BUILT_IN_HOST_TAGS.split(' ').join(',')})`;
/** Computed-style reads a walk may spend on touching text runs (each forces up-to-date style). */
const MAX_STYLE_CHECKS = 2000;
const KEEPS_BREAKS_COLLAPSE = new Set(['preserve', 'preserve-breaks', 'break-spaces']);
/** What the older `white-space` values say of collapsing, where `white-space-collapse` is not known. */
const COLLAPSE_OF_WHITE_SPACE: Record<string, string> = { pre: 'preserve', 'pre-wrap': 'preserve', 'pre-line': 'preserve-breaks', 'break-spaces': 'break-spaces' };

/** How an element's white space collapses: `white-space` is a shorthand since Chrome 114, its newline half `white-space-collapse`. */
function whiteSpaceCollapseOf(style: CSSStyleDeclaration): string {
  const collapse = (style as CSSStyleDeclaration & { whiteSpaceCollapse?: string }).whiteSpaceCollapse;
  return collapse || (COLLAPSE_OF_WHITE_SPACE[style.whiteSpace] ?? 'collapse');
}

export interface TextBlock {
  element: Element;
  text: string;
  /** Text nodes in order, and where each starts in `text`. */
  nodes: Text[];
  offsets: number[];
  /** Positions in `text` where a line ends: a `<br>`, or a newline inside `<pre>`. */
  breaks: number[];
}

/**
 * Text only a screen reader hears, by the class names the common frameworks
 * give it: Bootstrap's and Tailwind's `sr-only`, Bootstrap 5's and Drupal's
 * `visually-hidden` (`element-invisible` in Drupal 7), HTML5 Boilerplate's
 * `visuallyhidden`, WordPress's `screen-reader-text`, Moodle's `accesshide`,
 * GOV.UK's. It is not on screen, and read as part of the line it glues a
 * hint onto a title (`<a>Pointer Networks <span class=accesshide> URL</span></a>`
 * reads as a longer title, `Pointer Networks URL`).
 */
const SCREEN_READER_ONLY =
  '.sr-only, .visually-hidden, .visuallyhidden, .element-invisible, .screen-reader-text, .accesshide, .govuk-visually-hidden, ' +
  // The same written inline: clipped to nothing (`clip: rect(0 0 0 0)`, WordPress's `rect(1px, 1px, 1px, 1px)`,
  // `clip-path: inset(50%)`); not a visible crop such as `rect(0, 300px, 200px, 0)`.
  ['rect(0 0 0 0)', 'rect(0,0,0,0)', 'rect(0, 0, 0, 0)', 'rect(0px 0px 0px 0px)', 'rect(1px, 1px, 1px, 1px)', 'rect(1px 1px 1px 1px)', 'inset(50%)']
    .map((clip) => `[style*="${clip}"]`)
    .join(', ');
/**
 * What a read-only text area's `aria-hidden` siblings after it are: the same
 * text drawn on screen, which assistive technology reads from the text area
 * instead. GitHub's code view is built so (`textarea#read-only-cursor-text-area`,
 * then `div.react-code-file-contents[aria-hidden=true]` holding the highlighted
 * lines). That drawing is what a reader sees, so it is read, as the lines of
 * one block like a code listing; an editor's own text area (Monaco,
 * CodeMirror) is not read-only, and hidden siblings of it stay skipped.
 */
export const READ_ONLY_TEXT_AREA = 'textarea[aria-readonly="true"], textarea[readonly]';
const DRAWN_COPY = `:is(${READ_ONLY_TEXT_AREA}) ~ [aria-hidden="true"]`;
const ELSE_HIDDEN_OR_EDITABLE = `[hidden], [inert], [contenteditable]:not([contenteditable="false"]), ${SCREEN_READER_ONLY}`;
/** Hidden or editable by attribute: one compiled selector match instead of several attribute reads. */
const SKIPPED_BY_ATTRIBUTE = `[aria-hidden="true"]:not(${DRAWN_COPY}), ${ELSE_HIDDEN_OR_EDITABLE}`;
/** The same with every `aria-hidden`: the walk's one match per element, asked again only when it holds. */
const HIDDEN_OR_DRAWN_BY_ATTRIBUTE = `[aria-hidden="true"], ${ELSE_HIDDEN_OR_EDITABLE}`;

/** Whether a subtree can hold no readable title. */
export function isSkippedElement(element: Element): boolean {
  if (SKIPPED_TAGS.has(element.tagName.toUpperCase())) return true;
  return element.hasAttributes() && element.matches(SKIPPED_BY_ATTRIBUTE);
}

export function isInlineElement(element: Element): boolean {
  return INLINE_TAGS.has(element.tagName.toUpperCase());
}

/**
 * The open shadow root's host that comes right after `node` on its line, with
 * only white space or comments between, out of the inline elements `node`
 * ends (`<em>Title</em> <d-cite>`). Distill's `<d-cite>` shows
 * its `[3]` from there, which the line's own text does not hold.
 */
export function shadowHostRightAfter(node: Node): Element | null {
  for (let current = node; ; ) {
    let next = current.nextSibling;
    while ((next instanceof Text && !/\S/.test(next.data)) || next instanceof Comment) next = next.nextSibling;
    if (next) return next instanceof Element && next.shadowRoot ? next : null;
    const parent = current.parentNode;
    if (!(parent instanceof Element) || !isInlineElement(parent)) return null;
    current = parent;
  }
}

/** The block an element's text belongs to: itself when it is a block, else its nearest block ancestor. */
export function blockOf(node: Node): Element | null {
  let element: Element | null = node instanceof Element ? node : node.parentElement;
  while (element && isInlineElement(element)) {
    element = element.parentElement ?? hostOf(element);
  }
  return element ?? (node.getRootNode() instanceof ShadowRoot ? (node.getRootNode() as ShadowRoot).host : null);
}

function hostOf(element: Element): Element | null {
  const root = element.getRootNode();
  return root instanceof ShadowRoot ? root.host : null;
}

/**
 * Whether a light child of a shadow host is on screen: assigned to a slot whose
 * box is shown. Unassigned, it is not rendered at all; a footnote's text slotted
 * into a hover box that is `display: none` until hovered (Distill's
 * `<d-footnote>`) is not on screen either. innerText already leaves both out;
 * this is for what is read node by node.
 */
function isShownBySlot(node: Element | Text): boolean {
  const slot = node.assignedSlot;
  if (!slot) return false;
  // A slot is `display: contents`, with no box of its own to ask.
  const box = slot.parentElement ?? hostOf(slot);
  return !box || typeof box.checkVisibility !== 'function' || box.checkVisibility({ visibilityProperty: true } as CheckVisibilityOptions);
}

/** Whether a node sits in a skipped subtree (checked for mutation targets, which the walker did not vet). */
export function isInSkippedSubtree(node: Node): boolean {
  for (let element = node instanceof Element ? node : node.parentElement; element; element = element.parentElement) {
    if (isSkippedElement(element)) return true;
  }
  return false;
}

/** Tables already asked (isCodeListing): located rows of one listing ask once. */
const listingAnswers = new WeakMap<Element, boolean>();

/**
 * Whether a table is a code listing, one row per line of a file (GitHub's and
 * Gist's file view, a diff): rows of at most three cells, one of its first
 * row's cells keeping white space as written (`white-space: pre`), as a file
 * view's code cell does. Data tables wrap their cells. Its rows are then read
 * as the lines of one block, so a title wrapped over two lines of a `.bib` or
 * `.bbl` is read whole.
 */
export function isCodeListing(table: Element): boolean {
  const known = listingAnswers.get(table);
  if (known !== undefined) return known;
  let answer = false;
  const rows = (table as HTMLTableElement).rows;
  const first = rows?.[0];
  const view = table.ownerDocument.defaultView;
  if (first && view && rows.length >= 2 && first.cells.length <= MAX_LISTING_CELLS) {
    for (const cell of first.cells) {
      if (whiteSpaceCollapseOf(view.getComputedStyle(cell)) === 'preserve') {
        answer = true;
        break;
      }
    }
  }
  listingAnswers.set(table, answer);
  return answer;
}

/** Whether an element draws a read-only text area's text on screen (DRAWN_COPY), read as one block of lines. */
export function isDrawnCopy(element: Element): boolean {
  return element.matches(DRAWN_COPY) && !element.matches(ELSE_HIDDEN_OR_EDITABLE);
}

/**
 * The code listing a located place belongs to, or null: the table of a
 * listing's row or cell (isCodeListing), or the drawn copy of a read-only text
 * area (isDrawnCopy) that holds it.
 */
export function codeListingOf(element: Element): Element | null {
  if (TABLE_PART_TAGS.has(element.tagName.toUpperCase())) {
    const table = element.closest('table');
    if (table && isCodeListing(table)) return table;
  }
  const drawn = element.closest(DRAWN_COPY);
  return drawn && isDrawnCopy(drawn) ? drawn : null;
}

/**
 * Walks one root (an element or a shadow root) and builds its blocks. `step`
 * returns false once the walk is complete; open shadow roots met on the way are
 * reported through `onShadowRoot` so the caller can walk and observe them too.
 */
export class BlockWalker {
  private readonly walker: TreeWalker;
  private readonly blocks = new Map<Element, TextBlock>();
  /**
   * The elements on the path from the root to where the walk is, with the block
   * each one's text belongs to. A stack rather than a map of every element seen:
   * holding 20,000 element wrappers alive made garbage collection of the isolated
   * world a third of the cost on a page of 10,000 links.
   */
  private readonly pathNodes: Node[] = [];
  private readonly pathBlocks: (Element | null)[] = [];
  private done = false;
  /**
   * Shadow hosts met on this walk (and the root, when it is one): their light
   * children render only where a slot shows them (isShownBySlot).
   */
  private readonly shadowHosts = new Set<Node>();
  private lastTextBlock: TextBlock | null = null;
  private lastText: Text | null = null;
  /** Computed-style reads left for this walk (see separatesVisually). */
  private styleChecks = MAX_STYLE_CHECKS;
  /** The same after the source's indentation between tags, a budget of its own: indented pages have one per element. */
  private blankStyleChecks = MAX_STYLE_CHECKS;
  /** White-space reads (keepsLineBreaks), a budget of their own so they never use up the checks above. */
  private whiteSpaceChecks = MAX_STYLE_CHECKS;
  /** The last text parent whose white-space was read, and whether it keeps line breaks (keepsLineBreaks). */
  private lastStyledParent: Element | null = null;
  private lastKeepsBreaks = false;
  /**
   * Tables met on this walk that are a code listing, one row per line of a file
   * (GitHub's and Gist's file view, a diff): read as one block, a line per row,
   * so a title wrapped over two lines of a `.bib` or `.bbl` is read whole.
   */
  private readonly codeListings = new Set<Element>();

  constructor(
    readonly root: Element | ShadowRoot,
    private readonly onShadowRoot: (root: ShadowRoot) => void,
  ) {
    const doc = root.ownerDocument ?? document;
    this.walker = doc.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    const rootBlock = root instanceof ShadowRoot ? root.host : blockOf(root);
    this.pathNodes.push(root);
    this.pathBlocks.push(rootBlock);
    if (root instanceof Element && root.shadowRoot) this.shadowHosts.add(root);
    if (root instanceof Element && (root.tagName.toUpperCase() === 'TABLE' ? this.isCodeListingWithinBudget(root) : isDrawnCopy(root))) this.codeListings.add(root);
  }

  /** Whether the page detached the node this walk paused on (resuming would stop early). */
  lostItsPlace(): boolean {
    return !this.done && !this.walker.currentNode.isConnected;
  }

  /** Walks until `shouldYield()` says so; returns true while there is more to walk. */
  step(shouldYield: () => boolean): boolean {
    if (this.done) return false;
    let visited = 0;
    for (;;) {
      const node = this.walker.nextNode();
      if (!node) {
        this.done = true;
        return false;
      }
      if (node.nodeType === Node.TEXT_NODE) this.addText(node as Text);
      else {
        this.enterElement(node as Element);
        if (this.done) return false;
      }
      // Checking the clock costs more than a node: look every 256 nodes.
      if ((++visited & 255) === 0 && shouldYield()) return true;
    }
  }

  /** Blocks completed so far; a walk that yields mid-block finishes that block on its next step. */
  takeBlocks(final: boolean): TextBlock[] {
    const ready: TextBlock[] = [];
    const current = this.walker.currentNode;
    // Look, don't pop: the walk may have paused inside a subtree it is skipping.
    const at = final ? -1 : this.pathNodes.lastIndexOf(current instanceof Element ? current : (current.parentNode ?? current));
    const open = at >= 0 ? this.pathBlocks[at] : null;
    for (const [element, block] of this.blocks) {
      if (element === open || (open && element.contains(open))) continue;
      ready.push(block);
      this.blocks.delete(element);
    }
    return ready;
  }

  private enterElement(element: Element): void {
    // One tagName read serves every check: each DOM call from the isolated world
    // costs, and a page of 10,000 links has 20,000 elements.
    const tag = element.tagName.toUpperCase();
    // Links always have attributes and are almost never hidden or editable by attribute;
    // a hidden one is still caught by the visibility check before marking.
    let drawnCopy = false;
    if (SKIPPED_TAGS.has(tag) || (tag !== 'A' && element.hasAttributes() && element.matches(HIDDEN_OR_DRAWN_BY_ATTRIBUTE))) {
      drawnCopy = !SKIPPED_TAGS.has(tag) && isDrawnCopy(element);
      if (!drawnCopy) {
        this.skipSubtree();
        return;
      }
    }
    const parent = element.parentNode;
    if (parent && this.shadowHosts.has(parent) && !isShownBySlot(element)) {
      this.skipSubtree();
      return;
    }
    let inline = INLINE_TAGS.has(tag);
    let block = inline ? (this.blockBelow(parent) ?? blockOf(element)) : element;
    /** Whether the element starts a line of the block it joins: a listing's row, a drawn copy's line, an SVG `<text>`. */
    let startsLine = inline && tag === 'TEXT' && element.namespaceURI === SVG_NAMESPACE;
    if (!inline || TABLE_PART_TAGS.has(tag)) {
      // Inside a code listing, rows are lines of the table's block; inside a drawn copy, every block is a line.
      const outer = this.blockBelow(parent);
      if (outer && this.codeListings.has(outer) && (TABLE_PART_TAGS.has(tag) || outer.tagName.toUpperCase() !== 'TABLE')) {
        startsLine = tag === 'TR' || !TABLE_PART_TAGS.has(tag);
        inline = true;
        block = outer;
      }
    }
    if (tag === 'TABLE' ? this.isCodeListingWithinBudget(element) : drawnCopy) this.codeListings.add(element);
    this.pathNodes.push(element);
    this.pathBlocks.push(block);
    if (startsLine && block) this.addBreak(this.blockFor(block));
    if (SHADOW_HOST_TAGS.has(tag) || tag.includes('-')) {
      const shadow = element.shadowRoot;
      if (shadow) {
        this.shadowHosts.add(element);
        this.onShadowRoot(shadow);
      }
    }
    if (tag === 'BR' && block) this.addBreak(this.blockFor(block));
  }

  /**
   * The block of `parent`, the node whose child the walk is at: pops the path
   * until `parent` is on top (the walk went back up). Null when it is not on the
   * path at all (then callers climb the DOM instead).
   */
  private blockBelow(parent: Node | null): Element | null {
    if (!parent) return null;
    while (this.pathNodes.length > 0 && this.pathNodes[this.pathNodes.length - 1] !== parent) {
      this.pathNodes.pop();
      this.pathBlocks.pop();
    }
    return this.pathNodes.length > 0 ? (this.pathBlocks[this.pathBlocks.length - 1] ?? null) : null;
  }

  private skipSubtree(): void {
    // Move to the next node after this subtree: its next sibling, or an ancestor's.
    while (!this.walker.nextSibling()) {
      if (!this.walker.parentNode()) {
        this.done = true;
        return;
      }
    }
    // nextNode() will move past the sibling we landed on: step back onto its predecessor.
    this.walker.previousNode();
  }

  /**
   * A line break that no text node holds (`<br>`, or a nested block between two
   * runs of this block's text): a "\n" in the block text with no node behind it,
   * so words on either side never run together.
   */
  private addBreak(block: TextBlock): void {
    // Not twice in a row; a newline of the source's text before a `<br>` is no break, only space.
    if (block.text.length === 0 || block.breaks[block.breaks.length - 1] === block.text.length - 1) return;
    block.breaks.push(block.text.length);
    block.text += '\n';
  }

  private addText(node: Text): void {
    const data = node.data;
    if (data.length === 0) return;
    const parent = node.parentNode;
    // Whitespace between a host's light children stays: it keeps two slots' texts apart.
    if (parent && this.shadowHosts.has(parent) && /\S/.test(data) && !isShownBySlot(node)) return;
    const element = parent ? (this.blockBelow(parent) ?? blockOf(node)) : null;
    if (!element) return;
    const block = this.blockFor(element);
    if (this.lastTextBlock !== block) this.addBreak(block);
    else if (this.lastText && this.separatesVisually(this.lastText, node)) this.addBreak(block);
    this.lastTextBlock = block;
    this.lastText = node;
    block.nodes.push(node);
    block.offsets.push(block.text.length);
    if (parent instanceof Element && (PREFORMATTED_TAGS.has(element.tagName.toUpperCase()) || this.keepsLineBreaks(parent, data))) {
      for (let at = data.indexOf('\n'); at >= 0; at = data.indexOf('\n', at + 1)) block.breaks.push(block.text.length + at);
    }
    block.text += data;
  }

  /** isCodeListing, from the walk's budget of computed-style reads. */
  private isCodeListingWithinBudget(table: Element): boolean {
    if (this.whiteSpaceChecks <= 0) return false;
    this.whiteSpaceChecks--;
    return isCodeListing(table);
  }

  /**
   * Whether the newlines inside a text run are rendered as line breaks: CSS
   * `white-space: pre-wrap` or `pre-line` on a `<div>` (a video description, a
   * chat message, a notebook's output). Only runs that hold a newline and text
   * cost a computed-style read (not the source's indentation between tags), once
   * per parent element in a row, at most MAX_STYLE_CHECKS times a walk.
   */
  private keepsLineBreaks(parent: Element, data: string): boolean {
    if (!data.includes('\n')) return false;
    if (parent === this.lastStyledParent) return this.lastKeepsBreaks;
    if (!/\S/.test(data)) return false;
    const view = parent.ownerDocument.defaultView;
    if (!view || this.whiteSpaceChecks <= 0) return false;
    this.whiteSpaceChecks--;
    const keeps = KEEPS_BREAKS_COLLAPSE.has(whiteSpaceCollapseOf(view.getComputedStyle(parent)));
    this.lastStyledParent = parent;
    this.lastKeepsBreaks = keeps;
    return keeps;
  }

  /**
   * Whether two text runs that touch with no space between them are laid out
   * apart: inline tags styled as blocks (a link card's `<span class=host>` and
   * `<strong class=title>`, flex items) read as "arxiv.orgTrain Once", and
   * inline boxes with a margin or padding between them (spacedApart). Only
   * such touching runs cost a computed-style read, and a walk does at most
   * MAX_STYLE_CHECKS of them.
   *
   * Runs apart only by the source's indentation between tags are asked too,
   * whether the next is a block (`<span class=date>…</span>⏎  <span
   * class=contents style="display:block">Title…`): the space keeps their words
   * apart, but without the break the title reads as running on from the date.
   */
  private separatesVisually(previous: Text, next: Text): boolean {
    if (previous.parentNode === next.parentNode) return false;
    const before = previous.data;
    if (/^\s/.test(next.data)) return false;
    const blankBefore = !/\S/.test(before);
    if (!blankBefore && /\s$/.test(before)) return false;
    if ((blankBefore ? this.blankStyleChecks : this.styleChecks) <= 0) return false;
    const view = next.ownerDocument.defaultView;
    if (!view) return false;
    const laidOutApart = (element: Element | null, other: Node, side: 'Right' | 'Left'): boolean => {
      for (; element && !element.contains(other); element = element.parentElement) {
        // Inside a formula, boxes are laid out in a row (`block math` is MathML's own layout); a formula is inline unless display="block".
        if (element.namespaceURI === MATHML_NAMESPACE && (element.localName !== 'math' || element.getAttribute('display') !== 'block')) continue;
        if (blankBefore) this.blankStyleChecks--;
        else this.styleChecks--;
        const style = view.getComputedStyle(element);
        if (!style.display.startsWith('inline')) return true;
        // After a space, a margin or padding adds nothing the space did not.
        if (!blankBefore && spacedApart(style, side)) return true;
      }
      return false;
    };
    return (!blankBefore && laidOutApart(previous.parentElement, next, 'Right')) || laidOutApart(next.parentElement, previous, 'Left');
  }

  private blockFor(element: Element): TextBlock {
    let block = this.blocks.get(element);
    if (!block) {
      block = { element, text: '', nodes: [], offsets: [], breaks: [] };
      this.blocks.set(element, block);
    }
    return block;
  }
}

/**
 * Whether an inline box keeps a gap on the side facing its neighbour that
 * reads as a space: a backlink's `<span class=path>` with `margin-left: 6px`
 * after the link ("Discrete Key-Value Bottleneck  Papers"). A gap of a fifth
 * of the font size or more (about a word space) counts; a highlight's 1-2 px
 * of padding inside a word does not.
 */
function spacedApart(style: CSSStyleDeclaration, side: 'Right' | 'Left'): boolean {
  const gap = (parseFloat(style[`margin${side}`]) || 0) + (parseFloat(style[`padding${side}`]) || 0);
  if (gap <= 0) return false;
  const fontSize = parseFloat(style.fontSize) || 16;
  return gap >= fontSize / 5;
}

/**
 * The block's text [start, end) as its text nodes hold it now, without the
 * separators the walk put between them: whether the page changed it since it
 * was read. (A Range's toString would also give text the walk skipped, such
 * as a formula's TeX source in `<annotation>`.)
 */
export function textNow(block: TextBlock, start: number, end: number): string {
  let text = '';
  for (let i = nodeIndexAt(block, start, false); i < block.nodes.length; i++) {
    const at = block.offsets[i] as number;
    if (at >= end) break;
    const data = (block.nodes[i] as Text).data;
    text += data.slice(Math.max(0, start - at), Math.max(0, end - at));
  }
  return text;
}

/** The text node and offset holding position `at` of a block's text (end positions map to the previous node). */
export function nodeAt(block: TextBlock, at: number, isEnd: boolean): { node: Text; offset: number } | null {
  const index = nodeIndexAt(block, at, isEnd);
  const node = block.nodes[index];
  if (!node) return null;
  return { node, offset: at - (block.offsets[index] as number) };
}

function nodeIndexAt(block: TextBlock, at: number, isEnd: boolean): number {
  let low = 0;
  let high = block.nodes.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    const start = block.offsets[mid] as number;
    if (start < at || (!isEnd && start === at)) low = mid;
    else high = mid - 1;
  }
  return low;
}
