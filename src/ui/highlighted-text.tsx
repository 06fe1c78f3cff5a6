/**
 * Text with some words highlighted: plain text nodes and <mark> elements built
 * from segments (src/shared/search.ts `highlight`), never from HTML.
 */
import type { TextSegment } from '../shared/search';

export function HighlightedText({ segments }: { segments: readonly TextSegment[] }) {
  return <>{segments.map((segment, i) => (segment.mark ? <mark key={i}>{segment.text}</mark> : segment.text))}</>;
}
