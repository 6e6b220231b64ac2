// The README's picture of the reader: the app's services behind the dev bridge, Debian's
// Chromium on the window, a short generated book open and being read aloud.
//   npm run build && npx tsx scripts/screenshot.ts [out.png]   (default docs/reader.png)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDevWeb } from '../src-main/cli/dev-web';
import { launchChromium } from '../test/helpers/browser';
import { ENGINE_ENTRY, IMPORT_WORKER, RENDERER_DIR, requireBuild } from '../test/helpers/paths';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const out = resolve(process.argv[2] ?? join(root, 'docs', 'reader.png'));

const BOOK = [
  '# The Lighthouse Keeper',
  '',
  'The lamp was lit at dusk, as it had been every evening for forty years. Mara climbed the spiral stairs with the oil can in one hand and a book in the other.',
  '',
  'Outside, the sea had turned the colour of slate. Gulls wheeled over the rocks, calling to one another, and the first lights of the fishing boats came up one by one along the bay.',
  '',
  'She trimmed the wick, wound the clockwork, and sat down by the window to read aloud, as her grandmother had taught her: slowly, so that the words could be heard above the wind.',
  '',
  '# The Storm',
  '',
  'By midnight the wind had risen to a gale. The tower hummed like a plucked string.',
].join('\n');

async function main(): Promise<void> {
  requireBuild();
  const web = await createDevWeb(ENGINE_ENTRY, { staticDir: RENDERER_DIR, importWorker: IMPORT_WORKER, dataDir: mkdtempSync(join(tmpdir(), 'kokoro-shot-')) });
  const chromium = await launchChromium();
  try {
    const page = await chromium.browser.newPage({ viewport: { width: 1180, height: 720 } });
    await page.goto(web.bridge.url);
    await page.locator('select[aria-label="Voice"] option').first().waitFor({ state: 'attached', timeout: 60_000 });
    await page.locator('[data-testid="file-input"]').setInputFiles({ name: 'lighthouse.md', mimeType: 'text/markdown', buffer: Buffer.from(BOOK) });
    await page.locator('.reading').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    // A moment into the second sentence, so both highlights show.
    await page.locator('.reading [aria-current="true"][data-sentence="2"]').waitFor({ timeout: 60_000 });
    await page.screenshot({ path: out });
    console.log(`wrote ${out}`);
  } finally {
    await chromium.close();
    await web.close();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
