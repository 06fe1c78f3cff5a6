/**
 * happy-dom has no layout, and its innerText runs list items and headings
 * together (`Pointer NetworksAn unrelated post`). The coarse pass of the page
 * scanner reads innerText, so unit tests give elements the browser's reading:
 * blocks and `<br>` end lines, table cells are separated by tabs, hidden and
 * script-like subtrees show nothing, runs of spaces collapse. (The e2e suite
 * runs the real one in Chromium.)
 */
const INLINE = new Set(['A', 'B', 'I', 'EM', 'STRONG', 'SPAN', 'CODE', 'SMALL', 'SUB', 'SUP', 'Q', 'CITE', 'MARK', 'U', 'S', 'ABBR', 'TIME', 'LABEL', 'PAPERPEEK-MARK']);
const UNRENDERED = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'TEXTAREA', 'HEAD', 'TITLE']);

function read(element: Element): string {
  let text = '';
  for (const node of element.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) text += (node.textContent ?? '').replace(/\s+/g, ' ');
    else if (node instanceof Element) {
      if (UNRENDERED.has(node.tagName) || node.hasAttribute('hidden')) continue;
      if (node.tagName === 'BR') text += '\n';
      else if (node.tagName === 'TD' || node.tagName === 'TH') text += `${read(node)}\t`;
      else if (INLINE.has(node.tagName)) text += read(node);
      else text += `\n${read(node)}\n`;
    }
  }
  return text;
}

export function installBrowserInnerText(): void {
  Object.defineProperty(HTMLElement.prototype, 'innerText', {
    configurable: true,
    get(this: HTMLElement) {
      return read(this).replace(/[ \t]*\n[ \t]*/g, '\n').replace(/\n+/g, '\n').replace(/\t+\n/g, '\n').trim();
    },
  });
}
