/**
 * Content script entry: spots digest titles on the page and marks them
 * (src/content/page-scanner.ts). Runs in the isolated world, so page scripts that
 * override Array, Node or MutationObserver cannot reach our copies. It never
 * throws into the page, and once the extension is reloaded or removed it takes
 * its marks and listeners away quietly.
 */
import { call, watchForOrphaning } from '../platform/content-runtime';
import { startPageScanner, type PageScanner } from './page-scanner';

let scanner: PageScanner | null = null;
let stopWatching: (() => void) | null = null;

function shutDown(): void {
  try {
    stopWatching?.();
    scanner?.stop();
  } catch {
    // Nothing left to protect: the page keeps working either way.
  }
  scanner = null;
}

try {
  scanner = startPageScanner(document, (units) => call('scan', { units }), shutDown);
  stopWatching = watchForOrphaning(shutDown);
} catch {
  shutDown();
}
