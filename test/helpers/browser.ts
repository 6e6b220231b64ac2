import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { createDevWeb } from '../../src-main/cli/dev-web';
import type { DevWeb, DevWebOptions } from '../../src-main/cli/dev-web';
import { ENGINE_ENTRY, IMPORT_WORKER, RENDERER_DIR, requireBuild } from './paths';

/** Debian's Chromium (playwright cannot download browsers here); override with CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless Chromium with a fresh profile (playwright makes a temporary one per launch). */
export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`apt-get install chromium\` (.ci/run does).`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  return { browser, close: () => browser.close() };
}

export interface ReaderPage {
  web: DevWeb;
  page: Page;
  /** Loads (or reloads) the reader and waits until the voices have arrived from the engine. */
  load(): Promise<void>;
  close(): Promise<void>;
}

/** The app's services behind the dev/test bridge, and a Chromium page on the reader. */
export async function openReader(options: DevWebOptions = {}): Promise<ReaderPage> {
  requireBuild();
  const web = await createDevWeb(ENGINE_ENTRY, { staticDir: RENDERER_DIR, importWorker: IMPORT_WORKER, ...options });
  const chromium = await launchChromium();
  const page = await chromium.browser.newPage();
  const load = async (): Promise<void> => {
    await page.goto(web.bridge.url);
    await page.waitForFunction(() => (document.querySelector('select')?.options.length ?? 0) > 0, null, { timeout: 20_000 });
  };
  await load();
  return {
    web,
    page,
    load,
    async close() {
      await chromium.close();
      await web.close();
    },
  };
}
