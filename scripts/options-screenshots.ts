/**
 * Writes screenshots of the options page to docs/screenshots/: a digest
 * import's preview (with a problem) above the imported digests, light and dark,
 * from the built extension.
 *
 *   npm run build && npx tsx scripts/options-screenshots.ts
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchExtension, openExtensionPage } from '../tests/e2e/harness';
import { generateDigest } from './synthetic-digest';

const ROOT = resolve(import.meta.dirname, '..');
const SHOTS = join(ROOT, 'docs', 'screenshots');

async function main(): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const session = await launchExtension();
  try {
    const page = await openExtensionPage(session, 'src/options/index.html');
    const input = page.locator('input[type=file][accept=".txt,text/plain"]');
    await input.setInputFiles({ name: 'mar14.txt', mimeType: 'text/plain', buffer: Buffer.from(generateDigest(120, { seed: 3, date: 'Mar 14' })) });
    await page.getByRole('button', { name: /^Import [\d,]+ new papers?$/ }).click();
    await page.getByTestId('import-done').waitFor({ timeout: 60_000 });
    const next = `${generateDigest(40, { seed: 4, date: 'Mar 15' })}\nA title with no abstract after it\n`;
    await input.setInputFiles({ name: 'mar15.txt', mimeType: 'text/plain', buffer: Buffer.from(next) });
    await page.getByTestId('import-preview').waitFor();
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width: 900, height: 1000 });
      await page.getByRole('heading', { name: 'Digests', exact: true }).scrollIntoViewIfNeeded();
      await page.evaluate(() => document.getElementById('digests-heading')?.scrollIntoView());
      await page.screenshot({ path: join(SHOTS, `options-import-${scheme}.png`) });
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
