import type { Page } from 'playwright-core';
import { createDevWeb } from '../../src-main/cli/dev-web';
import type { DevWeb, DevWebOptions } from '../../src-main/cli/dev-web';
import type { ParamsOf, RequestChannel, ResultOf } from '../../src-shared/ipc/contract';
import type { ClientContext, Handlers } from '../../src-main/services/handlers';
import { launchChromium } from '../helpers/browser';
import { ENGINE_ENTRY, IMPORT_WORKER, RENDERER_DIR, requireBuild } from '../helpers/paths';

/** The toolbar's voice list (other selects live in the dialogs, rendered while closed). */
export const VOICE_SELECT = 'select[aria-label="Voice"]';

export interface ReaderPage {
  web: DevWeb;
  page: Page;
  /**
   * Runs `around` in place of a channel's handler (it gets the real one to call), as a slow
   * machine or a spy would; returns the function that puts the real handler back.
   */
  intercept<C extends RequestChannel>(channel: C, around: (real: Handlers[C], params: ParamsOf<C>, client: ClientContext) => Promise<ResultOf<C>>): () => void;
  /** Loads (or reloads) the reader and waits until the voices have arrived from the engine. */
  load(): Promise<void>;
  close(): Promise<void>;
}

/** The app's services behind the dev/test bridge, and a Chromium page on the reader (`chromiumArgs`: more switches). */
export async function openReader(options: DevWebOptions = {}, chromiumArgs: readonly string[] = []): Promise<ReaderPage> {
  requireBuild();
  const web = await createDevWeb(ENGINE_ENTRY, { staticDir: RENDERER_DIR, importWorker: IMPORT_WORKER, ...options });
  const chromium = await launchChromium(chromiumArgs);
  const page = await chromium.browser.newPage();
  const load = async (): Promise<void> => {
    await page.goto(web.bridge.url);
    // The app's own state, not the toolbar's voice list: a narrow window keeps that under More.
    await page.locator('.app[data-voices="ready"]').waitFor({ state: 'attached', timeout: 20_000 });
  };
  await load();
  return {
    web,
    page,
    load,
    intercept(channel, around) {
      const handlers = web.services.handlers as Record<string, unknown>;
      const real = web.services.handlers[channel];
      handlers[channel] = (params: never, client: ClientContext) => around(real, params, client);
      return () => {
        handlers[channel] = real;
      };
    },
    async close() {
      await chromium.close();
      await web.close();
    },
  };
}
