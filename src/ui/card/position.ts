/**
 * Keeps the card next to its anchor with @floating-ui/dom: below it by
 * default, flipped above when below does not fit, shifted sideways to stay in
 * the viewport, and re-placed on scroll, resize and layout shifts.
 */
import { autoUpdate, computePosition, flip, offset, shift, size, type Placement } from '@floating-ui/dom';
import type { HostPlacement } from './shadow-host';

/** Gap between anchor and card, and the card's minimum distance from the viewport edges. */
const GAP = 8;
const EDGE = 8;

/**
 * Starts following `anchor`, writing each new position into `target`; returns
 * the function that stops it. `anchorGone` is called once if the page removes the anchor.
 */
export function followAnchor(anchor: Element, card: HTMLElement, target: HostPlacement, anchorGone: () => void): () => void {
  let stopped = false;
  // Start below; once flipped, prefer the side we are on, so scrolling or
  // expanding the abstract does not make the card jump back and forth.
  let placement: Placement = 'bottom-start';

  const update = () => {
    if (stopped) return;
    if (!anchor.isConnected) {
      stopped = true;
      anchorGone();
      return;
    }
    void computePosition(anchor, card, {
      placement,
      strategy: 'absolute',
      middleware: [
        offset(GAP),
        // Flip on the vertical axis only: sideways overflow is shift's job.
        // When neither side fits, 'bestFit' takes the side with more room and
        // size() below caps the card's height there, so it never covers the anchor.
        flip({ padding: EDGE, crossAxis: false, fallbackStrategy: 'bestFit' }),
        shift({ padding: EDGE }),
        size({
          padding: EDGE,
          // Applied at once: floating-ui then re-measures the capped card.
          apply: ({ availableHeight }) => target.setMaxHeight(availableHeight),
        }),
      ],
    }).then(
      (result) => {
        if (stopped) return;
        placement = result.placement;
        target.moveTo(result.x, result.y);
      },
      () => {
        // A layout read failed (the page tore the anchor down mid-update): the next update retries.
      },
    );
  };

  const stop = autoUpdate(anchor, card, update, {
    // Older engines and test DOMs lack these observers; scroll and resize listening still works.
    elementResize: typeof ResizeObserver === 'function',
    layoutShift: typeof IntersectionObserver === 'function',
  });
  return () => {
    stopped = true;
    stop();
  };
}
