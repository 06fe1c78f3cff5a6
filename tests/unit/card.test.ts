// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CardCallbacks, CardController, CardPaper } from '../../src/ui/card/card-api';
import { createCard, type CardOptions } from '../../src/ui/card/card';

const LONG_ABSTRACT = 'We study continual learning with prompts. '.repeat(20).trim();

function paper(overrides: Partial<CardPaper> = {}): CardPaper {
  return {
    id: 'p1',
    title: 'Prompting for Continual Learning',
    abstract: LONG_ABSTRACT,
    links: ['https://github.com/GengDavid/SLCA', 'javascript:alert(1)', 'https://www.example.org/project/'],
    digestDate: 'Mar 13',
    related: [{ id: 'p2', title: 'Slow Learner, Fast Classifier', reason: 'both: continual learning, prompts' }],
    saved: false,
    ...overrides,
  };
}

const RELATED = paper({ id: 'p2', title: 'Slow Learner, Fast Classifier', abstract: 'Short.', links: [], related: [] });

interface Harness {
  card: CardController;
  root: ShadowRoot;
  callbacks: { [K in keyof CardCallbacks]: ReturnType<typeof vi.fn> } & CardCallbacks;
  anchor: HTMLElement;
}

let current: Harness | null = null;

/** Builds a card; the closed shadow root is captured from attachShadow, since the card never exposes it. */
function setup(options: CardOptions = { allowUntrustedEvents: true }): Harness {
  const attach = vi.spyOn(Element.prototype, 'attachShadow');
  const callbacks = {
    loadPaper: vi.fn(async (id: string) => (id === RELATED.id ? RELATED : null)),
    setSaved: vi.fn(async (_id: string, saved: boolean) => saved),
    openPaper: vi.fn(),
    pointerEntered: vi.fn(),
    pointerLeft: vi.fn(),
    closeRequested: vi.fn(),
  };
  const card = createCard(callbacks, options);
  const root = attach.mock.results[0]?.value as ShadowRoot;
  attach.mockRestore();
  const anchor = document.createElement('a');
  anchor.href = '#';
  anchor.textContent = 'Prompting for Continual Learning';
  document.body.append(anchor);
  current = { card, root, callbacks: callbacks as Harness['callbacks'], anchor };
  return current;
}

afterEach(() => {
  current?.card.destroy();
  current = null;
  document.body.replaceChildren();
});

/** Lets pending promises (loadPaper, setSaved) settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function button(root: ShadowRoot, name: string | RegExp): HTMLButtonElement {
  const found = [...root.querySelectorAll('button')].find((b) => {
    const label = b.getAttribute('aria-label') ?? b.textContent ?? '';
    return typeof name === 'string' ? label.trim() === name : name.test(label);
  });
  if (!found) throw new Error(`no button ${String(name)}`);
  return found;
}

const text = (root: ShadowRoot, selector: string) => root.querySelector(selector)?.textContent ?? null;

describe('hover card', () => {
  it('mounts a host on <html> and renders title, date, abstract and http(s) links', () => {
    const { card, root, anchor } = setup();
    expect(() => card.show(anchor, paper())).not.toThrow();
    const host = document.querySelector('paperpeek-card');
    expect(host?.parentNode).toBe(document.documentElement);
    expect(card.isOpen()).toBe(true);
    expect(card.currentPaperId()).toBe('p1');
    expect(text(root, 'h2')).toBe('Prompting for Continual Learning');
    expect(text(root, '.meta')).toContain('Mar 13');
    expect(text(root, '.abstract-text')).toBe(LONG_ABSTRACT);
    const links = [...root.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://github.com/GengDavid/SLCA', 'https://www.example.org/project/']);
    expect(links[0]?.textContent).toContain('github.com/GengDavid/SLCA');
    expect(links[1]?.textContent).toContain('example.org/project');
    for (const a of links) {
      expect(a.getAttribute('target')).toBe('_blank');
      expect(a.getAttribute('rel')).toBe('noopener noreferrer');
    }
    // Styles go in through the shadow root, never into the page.
    expect(root.adoptedStyleSheets.length).toBeGreaterThan(0);
    expect(document.head.querySelector('style')).toBeNull();
  });

  it('shows an HTML payload as literal text and creates no element from it', () => {
    const { card, root, anchor } = setup();
    const payload = '<img src=x onerror=alert(1)> and <script>alert(2)</script>';
    card.show(anchor, paper({ title: payload, abstract: payload, related: [{ id: 'x', title: payload, reason: payload }] }));
    expect(text(root, 'h2')).toBe(payload);
    expect(text(root, '.abstract-text')).toBe(payload);
    expect(root.querySelector('img, script')).toBeNull();
    expect(document.querySelector('img, script')).toBeNull();
  });

  it('omits empty sections', () => {
    const { card, root, anchor } = setup();
    card.show(anchor, paper({ related: [], links: [], digestDate: '', abstract: 'Short.' }));
    expect(root.querySelector('.related')).toBeNull();
    expect(root.querySelector('.links')).toBeNull();
    expect(root.querySelector('.meta')).toBeNull();
    expect(root.querySelector('[aria-expanded]')).toBeNull(); // nothing to expand
  });

  it('expands and collapses the abstract in place', () => {
    const { card, root, anchor } = setup();
    card.show(anchor, paper());
    const toggle = button(root, 'Show more');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(root.querySelector('.abstract-text')?.classList.contains('clamped')).toBe(true);
    toggle.click();
    expect(button(root, 'Show less').getAttribute('aria-expanded')).toBe('true');
    expect(root.querySelector('.abstract-text')?.classList.contains('clamped')).toBe(false);
    button(root, 'Show less').click();
    expect(button(root, 'Show more').getAttribute('aria-expanded')).toBe('false');
  });

  it('opens a related paper in the same card and goes back', async () => {
    const { card, root, anchor, callbacks } = setup();
    card.show(anchor, paper());
    expect(root.querySelector('.back')).toBeNull();
    button(root, /Slow Learner/).click();
    await settle();
    expect(callbacks.loadPaper).toHaveBeenCalledWith('p2');
    expect(card.currentPaperId()).toBe('p2');
    expect(text(root, 'h2')).toBe('Slow Learner, Fast Classifier');
    button(root, /Back$/).click();
    expect(card.currentPaperId()).toBe('p1');
    expect(text(root, 'h2')).toBe('Prompting for Continual Learning');
    expect(root.querySelector('.back')).toBeNull();
  });

  it('keeps keyboard focus in the card across navigation', async () => {
    const { card, root, anchor, callbacks } = setup();
    card.show(anchor, paper());
    button(root, /Slow Learner/).focus();
    button(root, /Slow Learner/).click();
    await settle();
    // The clicked button is gone; focus lands on the new title, not on the page.
    expect(root.activeElement?.tagName).toBe('H2');
    expect(callbacks.closeRequested).not.toHaveBeenCalled();
  });

  it('says so when a related paper cannot be loaded, and ignores answers for a card that moved on', async () => {
    const { card, root, anchor, callbacks } = setup();
    card.show(anchor, paper({ related: [{ id: 'missing', title: 'Gone', reason: '' }] }));
    button(root, /Gone/).click();
    await settle();
    expect(card.currentPaperId()).toBe('p1');
    expect(text(root, '[role="status"]')).toMatch(/could not be loaded/);

    // A slow answer arrives after the reader hovered another paper: it must not paint.
    let resolve: (p: CardPaper) => void = () => {};
    callbacks.loadPaper.mockImplementationOnce(() => new Promise<CardPaper>((r) => (resolve = r)));
    card.show(anchor, paper());
    button(root, /Slow Learner/).click();
    card.show(anchor, paper({ id: 'p3', title: 'Another paper' }));
    resolve(RELATED);
    await settle();
    expect(card.currentPaperId()).toBe('p3');
  });

  it('resets navigation and expansion when shown with a new paper', async () => {
    const { card, root, anchor } = setup();
    card.show(anchor, paper());
    button(root, 'Show more').click();
    button(root, /Slow Learner/).click();
    await settle();
    card.show(anchor, paper({ id: 'p9', title: 'Fresh' }));
    expect(card.currentPaperId()).toBe('p9');
    expect(root.querySelector('.back')).toBeNull();
    expect(button(root, 'Show more').getAttribute('aria-expanded')).toBe('false');
  });

  it('toggles Save and shows the state the background answered', async () => {
    const { card, root, anchor, callbacks } = setup();
    card.show(anchor, paper());
    const save = button(root, 'Save');
    expect(save.getAttribute('aria-pressed')).toBe('false');
    save.click();
    await settle();
    expect(callbacks.setSaved).toHaveBeenCalledWith('p1', true);
    expect(button(root, 'Saved').getAttribute('aria-pressed')).toBe('true');

    // A failed save resolves with the unchanged state: the toggle stays as it was.
    callbacks.setSaved.mockResolvedValueOnce(true);
    button(root, 'Saved').click();
    await settle();
    expect(callbacks.setSaved).toHaveBeenLastCalledWith('p1', false);
    expect(button(root, 'Saved').getAttribute('aria-pressed')).toBe('true');
    expect(text(root, '[role="status"]')).toMatch(/failed/i);

    // Saved elsewhere (another tab): only the shown paper's toggle changes.
    card.setSavedState('other', false);
    expect(button(root, 'Saved').getAttribute('aria-pressed')).toBe('true');
    card.setSavedState('p1', false);
    expect(button(root, 'Save').getAttribute('aria-pressed')).toBe('false');
  });

  it('opens the paper page', () => {
    const { card, root, anchor, callbacks } = setup();
    card.show(anchor, paper());
    button(root, 'Open in PaperPeek').click();
    expect(callbacks.openPaper).toHaveBeenCalledWith('p1');
  });

  it('is a named, non-modal dialog', () => {
    const { card, root, anchor } = setup();
    card.show(anchor, paper());
    const dialog = root.querySelector('[role="dialog"]');
    expect(dialog?.getAttribute('aria-modal')).toBe('false');
    const labelledBy = dialog?.getAttribute('aria-labelledby') ?? '';
    expect(root.getElementById(labelledBy)?.textContent).toBe('Prompting for Continual Learning');
    expect(root.getElementById(labelledBy)?.tagName).toBe('H2');
  });

  it('never takes focus on show, and focusFirst moves focus into the card', () => {
    const { card, root, anchor } = setup();
    anchor.focus();
    card.show(anchor, paper());
    expect(document.activeElement).toBe(anchor);
    expect(root.activeElement).toBeNull();
    card.focusFirst();
    expect(root.activeElement?.tagName).toBe('BUTTON');
    expect(card.contains(root.activeElement)).toBe(true);
    expect(card.contains(anchor)).toBe(false);
    expect(card.contains(document.querySelector('paperpeek-card'))).toBe(true);
  });

  it('returns keyboard focus to the anchor when hidden from inside, and leaves it alone otherwise', () => {
    const { card, anchor } = setup();
    const elsewhere = document.createElement('input');
    document.body.append(elsewhere);
    card.show(anchor, paper());
    card.focusFirst();
    card.hide();
    expect(document.activeElement).toBe(anchor);
    card.show(anchor, paper());
    elsewhere.focus();
    card.hide();
    expect(document.activeElement).toBe(elsewhere);
  });

  it('asks to close on Escape', () => {
    const { card, root, anchor, callbacks } = setup();
    card.show(anchor, paper());
    card.focusFirst();
    root.activeElement?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    expect(callbacks.closeRequested).toHaveBeenCalledTimes(1);
  });

  it('asks to close when focus leaves for the page, but not for the anchor or inside the card', () => {
    const { card, root, anchor, callbacks } = setup();
    const elsewhere = document.createElement('button');
    document.body.append(elsewhere);
    card.show(anchor, paper());
    card.focusFirst();
    button(root, 'Save').focus();
    expect(callbacks.closeRequested).not.toHaveBeenCalled();
    anchor.focus();
    expect(callbacks.closeRequested).not.toHaveBeenCalled();
    card.focusFirst();
    elsewhere.focus();
    expect(callbacks.closeRequested).toHaveBeenCalledTimes(1);
  });

  it('reports the pointer entering and leaving', () => {
    const { card, anchor, callbacks } = setup();
    card.show(anchor, paper());
    const host = document.querySelector('paperpeek-card');
    host?.dispatchEvent(new PointerEvent('pointerenter'));
    host?.dispatchEvent(new PointerEvent('pointerleave'));
    expect(callbacks.pointerEntered).toHaveBeenCalledTimes(1);
    expect(callbacks.pointerLeft).toHaveBeenCalledTimes(1);
  });

  it('ignores untrusted (script-made) events by default', async () => {
    const { card, root, anchor, callbacks } = setup({});
    card.show(anchor, paper());
    button(root, 'Save').click();
    button(root, 'Open in PaperPeek').click();
    button(root, /Slow Learner/).click();
    button(root, 'Show more').click();
    root.querySelector('button')?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    document.querySelector('paperpeek-card')?.dispatchEvent(new PointerEvent('pointerenter'));
    await settle();
    expect(callbacks.setSaved).not.toHaveBeenCalled();
    expect(callbacks.openPaper).not.toHaveBeenCalled();
    expect(callbacks.loadPaper).not.toHaveBeenCalled();
    expect(callbacks.closeRequested).not.toHaveBeenCalled();
    expect(callbacks.pointerEntered).not.toHaveBeenCalled();
    expect(button(root, 'Show more').getAttribute('aria-expanded')).toBe('false');
  });

  it('hides, shows again, and is removed for good by destroy', () => {
    const { card, root, anchor } = setup();
    card.show(anchor, paper());
    card.hide();
    expect(card.isOpen()).toBe(false);
    expect(card.currentPaperId()).toBeNull();
    expect(document.querySelector('paperpeek-card')).toBeNull();
    expect(root.querySelector('[role="dialog"]')).toBeNull();
    card.show(anchor, paper({ id: 'p5', title: 'Again' }));
    expect(text(root, 'h2')).toBe('Again');
    card.destroy();
    expect(document.querySelector('paperpeek-card')).toBeNull();
    card.show(anchor, paper());
    expect(card.isOpen()).toBe(false);
  });
});
