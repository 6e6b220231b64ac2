import type { Page } from 'playwright-core';
import { createDevWeb } from '../../src-main/cli/dev-web';
import type { DevWeb, DevWebOptions } from '../../src-main/cli/dev-web';
import { launchChromium } from '../helpers/browser';
import { ENGINE_ENTRY, IMPORT_WORKER, RENDERER_DIR, requireBuild } from '../helpers/paths';

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
