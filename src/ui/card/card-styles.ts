/**
 * The card's CSS. It lives inside the card's shadow root, so page selectors
 * never reach the card's elements and these rules never reach the page. Only
 * the host element itself is exposed to page CSS, which is why every `:host`
 * declaration is `!important`: in the cascade an important rule from inside a
 * shadow tree beats an important rule from the page (`* { all: unset !important }`).
 *
 * Sizes are in px, never rem/em-from-root: the page owns the root font size.
 * Colours are custom properties declared on `.card` (an element the page cannot
 * select), so page variables cannot restyle the card either.
 */

/** Line height of the abstract, and the number of lines shown before "Show more". */
const LINE = 20;
export const CLAMP_LINES = 7;

export const CARD_CSS = `
:host {
  all: initial !important;
  display: block !important;
  position: absolute !important;
  top: 0 !important;
  left: 0 !important;
  z-index: 2147483647 !important;
  box-sizing: border-box !important;
  width: 320px !important;
  max-width: calc(100vw - 16px) !important;
  margin: 0 !important;
  /* 'all' leaves direction alone, so an RTL page would flip the card: the card's own text blocks use dir=auto instead. */
  direction: ltr !important;
  unicode-bidi: isolate !important;
  pointer-events: auto !important;
  /* Custom properties escape 'all' and inherit from the page: pin ours. */
  --pp-max-height: 480px !important;
  /* Hidden until the first position is known (see the position sheet), so it never flashes at the page corner. */
  visibility: hidden !important;
}

*, *::before, *::after { box-sizing: border-box; }

.card {
  --pp-bg: #ffffff;
  --pp-fg: #1d1d1f;
  --pp-muted: #555a60;
  --pp-border: #c4c7cc;
  --pp-accent: #1756c8;
  --pp-accent-fg: #ffffff;
  --pp-button: #eef0f3;
  --pp-button-hover: #e0e3e8;
  --pp-focus: #1756c8;
  --pp-shadow: 0 4px 20px rgba(0, 0, 0, 0.18);
  color-scheme: light;
  max-height: min(var(--pp-max-height), calc(100vh - 16px));
  overflow-y: auto;
  overscroll-behavior: contain;
  padding: 16px;
  border: 1px solid var(--pp-border);
  border-radius: 8px;
  background: var(--pp-bg);
  color: var(--pp-fg);
  box-shadow: var(--pp-shadow);
  font: 400 14px/${LINE}px system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
  text-align: start;
  overflow-wrap: anywhere;
  cursor: auto;
}
@media (prefers-color-scheme: dark) {
  .card {
    --pp-bg: #202124;
    --pp-fg: #e8eaed;
    --pp-muted: #aeb3b9;
    --pp-border: #5f6368;
    --pp-accent: #8ab4f8;
    --pp-accent-fg: #202124;
    --pp-button: #303134;
    --pp-button-hover: #3c4043;
    --pp-focus: #8ab4f8;
    --pp-shadow: 0 4px 20px rgba(0, 0, 0, 0.6);
    color-scheme: dark;
  }
}
@media (forced-colors: active) {
  .card { border-color: CanvasText; }
  button { border: 1px solid ButtonText; }
}

h2, h3, p, ul, li { margin: 0; padding: 0; }
ul { list-style: none; }
a { color: var(--pp-accent); text-decoration: underline; }
button {
  margin: 0;
  font: inherit;
  color: inherit;
  cursor: pointer;
  text-align: inherit;
  min-height: 24px;
}
:focus-visible { outline: 2px solid var(--pp-focus); outline-offset: 2px; }
/* Elements that take focus only from the card's own code (the dialog, the title after navigation). */
[tabindex="-1"]:focus { outline: none; }

.back {
  display: inline-block;
  margin: 0 0 8px;
  padding: 2px 8px;
  border: 1px solid var(--pp-border);
  border-radius: 4px;
  background: var(--pp-button);
  font-size: 13px;
}
.title { font-size: 16px; line-height: 22px; font-weight: 600; }
.meta { margin-top: 4px; color: var(--pp-muted); font-size: 12px; line-height: 16px; }

.abstract { margin-top: 12px; }
.abstract-text { position: relative; white-space: pre-line; }
.abstract-text.clamped { max-height: ${CLAMP_LINES * LINE}px; overflow: hidden; }
.abstract-text.clamped.clipped::after {
  content: '';
  position: absolute;
  left: 0;
  right: 0;
  bottom: 0;
  height: ${2 * LINE}px;
  background: linear-gradient(to bottom, transparent, var(--pp-bg));
  pointer-events: none;
}
.text-button {
  margin-top: 4px;
  padding: 2px 0;
  border: 0;
  background: none;
  color: var(--pp-accent);
  text-decoration: underline;
}

.section { margin-top: 12px; }
.section-title {
  margin-bottom: 4px;
  color: var(--pp-muted);
  font-size: 12px;
  line-height: 16px;
  font-weight: 600;
}
.links li { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.related li + li { margin-top: 4px; }
.related button {
  display: block;
  width: 100%;
  padding: 6px 8px;
  border: 1px solid transparent;
  border-radius: 4px;
  background: var(--pp-button);
}
.related button:hover, .back:hover, .action:hover { background: var(--pp-button-hover); }
.related-title { display: block; font-weight: 500; }
.related-reason { display: block; color: var(--pp-muted); font-size: 12px; line-height: 16px; }

.notice { margin-top: 8px; color: var(--pp-muted); font-size: 12px; line-height: 16px; }
.notice:empty { margin: 0; }

.actions { display: flex; gap: 8px; margin: 10px 0 4px; }
.action {
  padding: 6px 14px;
  border: 1px solid var(--pp-border);
  border-radius: 4px;
  background: var(--pp-button);
  font-weight: 500;
}
.action[aria-pressed='true'] { border-color: var(--pp-accent); color: var(--pp-accent); }
.action.primary { border-color: var(--pp-accent); background: var(--pp-accent); color: var(--pp-accent-fg); }
.action.primary:hover { filter: brightness(1.1); }

.visually-hidden {
  position: absolute;
  width: 1px;
  height: 1px;
  overflow: hidden;
  clip-path: inset(50%);
  white-space: nowrap;
}
`;
