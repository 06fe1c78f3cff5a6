// @vitest-environment happy-dom
import axe from 'axe-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CardController } from '../../src/ui/card/card-api';
import { createCard } from '../../src/ui/card/card';
import { CARD_CSS } from '../../src/ui/card/card-styles';

let card: CardController | null = null;

afterEach(() => {
  card?.destroy();
  card = null;
  vi.restoreAllMocks();
  document.body.replaceChildren();
});

describe('hover card accessibility', () => {
  it('has no serious or critical axe violation', async () => {
    // axe cannot look into closed shadow roots; open this one for the audit only.
    const attach = Element.prototype.attachShadow;
    vi.spyOn(Element.prototype, 'attachShadow').mockImplementation(function (this: Element, init: ShadowRootInit) {
      return attach.call(this, { ...init, mode: 'open' });
    });
    const noop = () => {};
    card = createCard({
      loadPaper: async () => null,
      setSaved: async (_id, saved) => saved,
      openPaper: noop,
      pointerEntered: noop,
      pointerLeft: noop,
      closeRequested: noop,
    });
    const anchor = document.createElement('a');
    anchor.href = '#';
    anchor.textContent = 'A paper';
    document.body.append(anchor);
    card.show(anchor, {
      id: 'p',
      title: 'A paper',
      abstract: 'Words about the paper. '.repeat(40),
      links: ['https://github.com/a/b'],
      digestDate: 'Mar 13',
      related: [{ id: 'q', title: 'Another paper', reason: 'both: prompts' }],
      saved: false,
    });
    await new Promise((resolve) => setTimeout(resolve, 0)); // the first placement makes the card visible
    // happy-dom caches the host's computed style and misses the placement sheet's
    // replaceSync(); an attribute change on the host drops that cache.
    const host = document.querySelector('paperpeek-card');
    host?.setAttribute('data-audit', '');
    expect(host && getComputedStyle(host).visibility).toBe('visible');

    const results = await axe.run(
      { include: [['paperpeek-card']] },
      {
        // Page-level rules judge the test page, not the card; contrast needs real layout (see below).
        rules: Object.fromEntries(
          ['document-title', 'html-has-lang', 'landmark-one-main', 'page-has-heading-one', 'region', 'bypass', 'color-contrast'].map(
            (id) => [id, { enabled: false }],
          ),
        ),
      },
    );
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`)).toEqual([]);
    // Guard against a vacuous pass: axe must actually have seen the card's contents.
    const passed = results.passes.map((p) => p.id);
    expect(passed).toEqual(expect.arrayContaining(['aria-dialog-name', 'button-name', 'link-name', 'list']));
  });
});

/** WCAG relative luminance and contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The `--pp-*` colours of the light block (first `.card` rule) or the dark one. */
function palette(scheme: 'light' | 'dark'): Record<string, string> {
  const dark = CARD_CSS.indexOf('prefers-color-scheme: dark');
  const block = scheme === 'light' ? CARD_CSS.slice(0, dark) : CARD_CSS.slice(dark);
  return Object.fromEntries([...block.matchAll(/--pp-([a-z-]+):\s*(#[0-9a-f]{6})/g)].map((m) => [m[1], m[2]]));
}

describe('hover card colours', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`meets WCAG AA contrast in ${scheme} mode`, () => {
      const c = palette(scheme);
      const pairs: [string, string, number][] = [
        ['fg', 'bg', 4.5],
        ['muted', 'bg', 4.5],
        ['accent', 'bg', 4.5], // links and the text buttons
        ['fg', 'button', 4.5],
        ['fg', 'button-hover', 4.5],
        ['muted', 'button', 4.5], // related-paper reasons
        ['accent', 'button', 4.5], // the pressed Save toggle
        ['accent-fg', 'accent', 4.5], // the Open button
        ['focus', 'bg', 3], // focus ring (non-text contrast)
        ['border', 'bg', 1.4], // decorative: buttons also differ by fill
      ];
      for (const [fg, bg, min] of pairs) {
        expect(c[fg], `--pp-${fg}`).toBeDefined();
        expect(contrast(c[fg] ?? '', c[bg] ?? ''), `${fg} on ${bg}`).toBeGreaterThanOrEqual(min);
      }
    });
  }
});
