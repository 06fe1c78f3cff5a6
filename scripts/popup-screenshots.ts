/**
 * Writes screenshots of the popup to docs/screenshots/ (search with a typo,
 * a paper view, the reading list; light and dark), from the built extension.
 * The popup is opened as a page in a 380 px wide tab, as the e2e tests do.
 *
 *   npm run build && npx tsx scripts/popup-screenshots.ts
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchExtension, openExtensionPage, sendFrom, waitFor } from '../tests/e2e/harness';
import { DEFAULT_SEEDS_DIR, bundleDigests, digestFilesIn } from './digest-files';

const ROOT = resolve(import.meta.dirname, '..');
const SHOTS = join(ROOT, 'docs', 'screenshots');
const papers = bundleDigests(digestFilesIn(DEFAULT_SEEDS_DIR)).papers;
const idOf = (title: string) => papers.find((p) => p.title === title)?.id ?? '';

async function main(): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const session = await launchExtension();
  try {
    const setup = await openExtensionPage(session);
    for (const title of ['Pointer Networks', 'Sequence to Sequence Learning with Neural Networks']) await sendFrom(setup, 'savePaper', { id: idOf(title) });
    await sendFrom(setup, 'setSavedStatus', { id: idOf('Pointer Networks'), status: 'reading' });
    await sendFrom(setup, 'setSavedNote', { id: idOf('Pointer Networks'), note: 'Compare with the attention baseline in §4.' });
    await setup.close();
    for (const scheme of ['light', 'dark'] as const) {
      const page = await openExtensionPage(session);
      await page.setViewportSize({ width: 380, height: 560 });
      await page.emulateMedia({ colorScheme: scheme });
      await page.getByRole('combobox', { name: 'Search papers' }).pressSequentially('contnual lerning', { delay: 10 });
      await waitFor(() => page.locator('[role="option"]').count(), 'results');
      await page.getByRole('combobox', { name: 'Search papers' }).press('ArrowDown');
      await page.screenshot({ path: join(SHOTS, `popup-search-${scheme}.png`) });
      await page.getByRole('combobox', { name: 'Search papers' }).press('Enter');
      await page.locator('#paper-title').waitFor();
      await page.screenshot({ path: join(SHOTS, `popup-paper-${scheme}.png`) });
      await page.getByRole('button', { name: '← Back' }).click();
      await page.getByRole('tab', { name: /Reading list/ }).click();
      await page.locator('li.saved').first().waitFor();
      await page.screenshot({ path: join(SHOTS, `popup-list-${scheme}.png`) });
      await page.close();
    }
    console.log(`Screenshots in ${SHOTS}`);
  } finally {
    await session.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
