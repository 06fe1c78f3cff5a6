/**
 * Content script entry. For now it spots digest titles written as whole link or
 * heading texts and marks the element with `data-paperpeek-id`; the detection
 * issue grows this into full title spotting. It never throws into the page.
 */
import { call } from '../platform/extension-api';
import { collectCandidates } from './collect-candidates';

async function scan(): Promise<void> {
  const candidates = collectCandidates(document);
  if (candidates.size === 0) return;
  const reply = await call('lookup', { keys: [...candidates.keys()] });
  if (!reply.ok) return; // orphaned after an update, or the worker failed: stay quiet
  for (const match of reply.value.matches) {
    for (const element of candidates.get(match.key) ?? []) {
      element.setAttribute('data-paperpeek-id', match.id);
    }
  }
}

scan().catch(() => {
  /* a broken page must never see our errors */
});
