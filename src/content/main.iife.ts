/**
 * Content script entry. For now it spots digest titles written as whole link or
 * heading texts and marks the element with `data-paperpeek-id`; the detection
 * issue grows this into full title spotting. It never throws into the page.
 */
import { call } from '../platform/extension-api';
import { MAX_LOOKUP_KEYS } from '../shared/protocol';
import { collectCandidates } from './collect-candidates';

async function scan(): Promise<void> {
  const candidates = collectCandidates(document);
  const keys = [...candidates.keys()];
  // The background rejects oversized requests whole: send pages with many links in slices.
  for (let start = 0; start < keys.length; start += MAX_LOOKUP_KEYS) {
    const reply = await call('lookup', { keys: keys.slice(start, start + MAX_LOOKUP_KEYS) });
    if (!reply.ok) return; // orphaned after an update, or the worker failed: stay quiet
    for (const match of reply.value.matches) {
      for (const element of candidates.get(match.key) ?? []) {
        element.setAttribute('data-paperpeek-id', match.id);
      }
    }
  }
}

scan().catch(() => {
  /* a broken page must never see our errors */
});
