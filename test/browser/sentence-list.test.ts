// Sentences reached as a list by keyboard (Ctrl+L): moving through them does not restart
// speech; Enter reads from the one chosen.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './axe';
import { openReader } from './reader-page';
import type { ReaderPage } from './reader-page';

let reader: ReaderPage;
let page: Page;
const TEXT = Array.from({ length: 8 }, (_, i) => `Sentence number ${i + 1} is a plain one.`).join(' ');

beforeAll(async () => {
  reader = await openReader();
  page = reader.page;
});

afterAll(async () => {
  await reader?.close();
});

const playState = () => page.locator('[data-play-state]').getAttribute('data-play-state');
const spoken = () => page.evaluate(() => Number(document.querySelector<HTMLElement>('.reading [aria-current="true"]')?.dataset.sentence ?? -1));
const listbox = () => page.getByRole('listbox', { name: 'Sentences' });
const activeOption = () => page.evaluate(() => {
  const list = document.querySelector('[role="listbox"]');
  return document.getElementById(list?.getAttribute('aria-activedescendant') ?? '')?.textContent?.trim() ?? '';
});

describe('the sentence list (Chromium, bridge)', () => {
  it('opens at the sentence being read, moves with the arrows without a new speak request, and reads from the one chosen with Enter', async () => {
    const speaks: number[] = [];
    const restore = reader.intercept('speech:speak', (real, params, client) => {
      speaks.push(params.fromSentence ?? 0);
      return real(params, client);
    });
    try {
      await page.locator('textarea').fill(TEXT);
      await page.getByRole('button', { name: 'Play', exact: true }).click();
      await expect.poll(playState).toBe('playing');
      await page.locator('.reading').focus();
      await page.keyboard.press('Space');
      await expect.poll(playState).toBe('paused');
      const reading = await spoken();
      const requests = speaks.length;

      await page.keyboard.press('Control+l');
      await expect.poll(() => listbox().isVisible()).toBe(true);
      expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('listbox');
      expect(await activeOption()).toBe(`Sentence number ${reading + 1} is a plain one. (being read)`);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await expect.poll(activeOption).toBe(`Sentence number ${reading + 3} is a plain one.`);
      await page.keyboard.press('End');
      await expect.poll(activeOption).toBe('Sentence number 8 is a plain one.');
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowDown');
      await expect.poll(activeOption).toBe('Sentence number 2 is a plain one.');
      // Browsing changed nothing in the reading.
      expect(await playState()).toBe('paused');
      expect(await spoken()).toBe(reading);
      expect(speaks.length).toBe(requests);
      expect(await axeViolations(page)).toEqual([]);

      await page.keyboard.press('End');
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('Enter');
      await expect.poll(() => listbox().isVisible()).toBe(false);
      await expect.poll(spoken).toBe(6);
      await expect.poll(playState).toBe('playing');
      expect(speaks.at(-1)).toBe(6);
    } finally {
      restore();
      await page.keyboard.press('Escape');
    }
  });

  it('closes with Esc and leaves the reading as it was', async () => {
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect.poll(playState).toBe('playing');
    await page.locator('.reading').focus();
    await page.keyboard.press('Space');
    await expect.poll(playState).toBe('paused');
    await page.keyboard.press('Control+l');
    await expect.poll(() => listbox().isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => listbox().isVisible()).toBe(false);
    expect(await playState()).toBe('paused');
  });
});
