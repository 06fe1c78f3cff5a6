/**
 * The half of the content script that reads places node by node and marks
 * them, with the hover card's intent. Built as its own module (exact/exact.js,
 * web-accessible with a per-session URL, like the card) and imported only when
 * the coarse pass found a place to read, so pages with nothing to find never
 * compile it.
 */
export { createExactReader } from './exact-reader';
export { startHoverIntent } from './hover-intent';
