import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReader } from './reader-page';
import type { ReaderPage } from './reader-page';

let reader: ReaderPage;
let page: Page;

const THREE = 'The first sentence is here. Then comes the second one. And this is the third.';

const pageErrors: Error[] = [];

beforeAll(async () => {
  reader = await openReader();
  page = reader.page;
  page.on('pageerror', (error) => pageErrors.push(error));
});

afterAll(async () => {
  await reader?.close();
  expect(pageErrors).toEqual([]);
});

interface Observation {
  sentence: number | undefined;
  state: string | undefined;
}

/** Samples the page until `until` holds: which sentence is highlighted, and the play state. */
async function observe(until: (seen: Observation[]) => boolean, timeoutMs = 20_000): Promise<Observation[]> {
  const seen: Observation[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    seen.push(
      await page.evaluate(() => {
        const current = document.querySelector<HTMLElement>('[aria-current="true"]');
        return {
          sentence: current ? Number(current.dataset.sentence) : undefined,
          state: document.querySelector<HTMLElement>('[data-play-state]')?.dataset.playState,
        };
      }),
    );
    if (until(seen)) return seen;
    await new Promise((r) => setTimeout(r, 40));
  }
  throw new Error(`gave up waiting; last: ${JSON.stringify(seen.slice(-3))}`);
}

/** The order in which sentences were highlighted, without repeats. */
const order = (seen: Observation[]): number[] =>
  seen.map((o) => o.sentence).filter((s): s is number => s !== undefined).filter((s, i, all) => s !== all[i - 1]);

const finished = (seen: Observation[]): boolean => seen.some((o) => o.state === 'playing') && seen.at(-1)?.state === 'idle';

describe('reader window in Chromium, over the dev/test bridge', () => {
  it('plays pasted text and highlights sentences 1, 2, 3 in order while the audio plays', async () => {
    await page.locator('textarea').fill(THREE);
    await page.getByRole('button', { name: 'Play' }).click();
    const seen = await observe(finished);
    expect(order(seen)).toEqual([0, 1, 2]);
    // The highlight moved while audio was playing, not all at once at the end.
    const playing = seen.filter((o) => o.state === 'playing');
    expect(new Set(playing.map((o) => o.sentence))).toEqual(new Set([0, 1, 2]));
    expect(await page.locator('[role="status"]').textContent()).toContain('Finished');
  });

  it('starts reading at sentence 2 when it is clicked', async () => {
    await page.locator('[data-sentence="1"]').click();
    const seen = await observe(finished);
    expect(order(seen)).toEqual([1, 2]);
  });

  it('pauses and resumes with Space, stops with Escape, and moves to the next sentence with the right arrow', async () => {
    await page.locator('[data-sentence="0"]').click();
    await observe((seen) => seen.at(-1)?.state === 'playing');
    await page.locator('.reading').focus();
    await page.keyboard.press('Space');
    await observe((seen) => seen.at(-1)?.state === 'paused');
    await page.keyboard.press('Space');
    await observe((seen) => seen.at(-1)?.state === 'playing');
    await page.keyboard.press('ArrowRight');
    const next = await observe((seen) => seen.at(-1)?.state === 'playing' && seen.at(-1)?.sentence === 1);
    expect(next.at(-1)?.sentence).toBe(1);
    await page.keyboard.press('Escape');
    await observe((seen) => seen.at(-1)?.state === 'idle');
    expect(await page.locator('[role="status"]').textContent()).toContain('Stopped');
  });

  it('keeps the highlight readable in light and dark themes', async () => {
    for (const theme of ['light', 'dark']) {
      await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
      const ratio = await page.locator('[data-sentence="1"]').evaluate((el) => {
        el.classList.add('current');
        const style = getComputedStyle(el);
        const luminance = (css: string): number => {
          const [r, g, b] = (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number).map((v) => v / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
          return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
        };
        const [hi, lo] = [luminance(style.color), luminance(style.backgroundColor)].sort((a, b) => b - a);
        el.classList.remove('current');
        return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
      });
      // WCAG AA for normal text.
      expect(ratio, theme).toBeGreaterThanOrEqual(4.5);
    }
    await page.evaluate(() => delete document.documentElement.dataset.theme);
  });

  it('says clearly when there is nothing to read', async () => {
    await page.getByRole('button', { name: 'Edit text' }).click();
    await page.locator('textarea').fill('   ');
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => page.locator('[role="status"]').textContent()).toContain('There is no text to read');
    await page.locator('textarea').fill('😀 🎉');
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => page.locator('[role="status"]').textContent()).toContain('nothing that can be spoken');
  });
});
