/**
 * Content script at `document_start`: records which elements the browser skips
 * under `content-visibility: auto` (skipped-watch.ts), for the main content
 * script that runs at `document_idle` in the same isolated world.
 */
import { installSkippedWatch } from './skipped-watch';

try {
  installSkippedWatch(document);
} catch {
  // Nothing to record then; the main script reads what innerText shows.
}
