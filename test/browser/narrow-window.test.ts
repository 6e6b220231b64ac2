import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseManifest } from '../../src-main/services/models';
import { axeInBothThemes } from './axe';
import { openReader } from './reader-page';
import type { ReaderPage } from './reader-page';

const root = mkdtempSync(join(tmpdir(), 'kokoro-narrow-'));
const dataDir = join(root, 'data');
/** No model installed: the "Natural voices…" dialog offers to install one. */
const modelDir = join(root, 'models');
let reader: ReaderPage;
let page: Page;

const BOOK = [
  '# The first chapter has a long title that wraps in a narrow window',
  '',
  'It was a bright cold day in April, and the clocks were striking thirteen. '.repeat(8),
  '',
  '# Second chapter',
  '',
  'Outside, even through the shut window-pane, the world looked cold. '.repeat(8),
  '',
].join('\n');

beforeAll(async () => {
  for (const dir of [dataDir, modelDir]) mkdirSync(dir);
  // A model that is never downloaded: only its offer is shown.
  const modelManifest = parseManifest({
    schemaVersion: 1,
    id: 'narrow',
    description: 'a model to offer',
    files: [{ name: 'model.onnx', role: 'model.onnx', format: 'float32', revision: '0'.repeat(40), url: `http://127.0.0.1:9/${'0'.repeat(40)}/model.onnx`, size: 82_000_000, sha256: null }],
  });
  reader = await openReader({ dataDir, engineConfig: { modelDir, dataDir }, modelManifest });
  page = reader.page;
});

afterAll(async () => {
  await reader?.close();
  rmSync(root, { recursive: true, force: true });
});

const status = () => page.locator('[role="status"]').textContent();

async function openBook(): Promise<void> {
  await page.locator('[data-testid="file-input"]').setInputFiles({ name: 'narrow.md', mimeType: 'text/markdown', buffer: Buffer.from(BOOK) });
  await expect.poll(status).toContain('Opened');
  await page.locator('.reading').waitFor();
}

/** Opens the More menu (the compact toolbar's) and chooses an item in it. */
async function fromMore(item: string): Promise<void> {
  await page.getByRole('button', { name: 'More ▾' }).click();
  await page.getByRole('group', { name: 'More settings' }).getByRole('button', { name: item, exact: true }).click();
}

async function dialogNamed(name: string): Promise<Locator> {
  const dialog = page.getByRole('dialog', { name });
  await dialog.waitFor();
  return dialog;
}

/**
 * What does not fit the window: a page wider than it, the open part (`part`) outside it, its
 * controls cut off (each scrolled into view first, as a user would), or a part taller than the
 * window that does not scroll.
 */
async function misfits(part: Locator): Promise<string[]> {
  return part.evaluate((element) => {
    const found: string[] = [];
    const width = window.innerWidth;
    const height = window.innerHeight;
    if (document.documentElement.scrollWidth > width) found.push(`page is ${document.documentElement.scrollWidth} px wide in ${width}`);
    const within = (r: DOMRect, x0: number, y0: number, x1: number, y1: number) => r.left >= x0 - 1 && r.top >= y0 - 1 && r.right <= x1 + 1 && r.bottom <= y1 + 1;
    const box = element.getBoundingClientRect();
    if (!within(box, 0, 0, width, height)) found.push(`part at ${Math.round(box.left)},${Math.round(box.top)}–${Math.round(box.right)},${Math.round(box.bottom)} in ${width}x${height}`);
    const style = getComputedStyle(element);
    if (element.scrollHeight > element.clientHeight + 1 && !['auto', 'scroll'].includes(style.overflowY)) found.push(`part is taller than it shows (${element.scrollHeight} > ${element.clientHeight}) and does not scroll`);
    const controls = element.querySelectorAll<HTMLElement>('button, input:not([type="hidden"]), select, textarea');
    for (const control of controls) {
      if (!control.checkVisibility({ visibilityProperty: true })) continue;
      control.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      const r = control.getBoundingClientRect();
      const name = `${control.tagName.toLowerCase()} “${control.getAttribute('aria-label') ?? ((control as HTMLInputElement).labels?.[0] ?? control).textContent?.trim() ?? ''}”`;
      if (r.width < 2 || r.height < 2) {
        found.push(`${name} is ${r.width}x${r.height}`);
        continue;
      }
      if (!within(r, 0, 0, width, height)) found.push(`${name} outside the window (${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)})`);
      // Cut off by a box that clips (a scroller or overflow: hidden) between it and the part.
      for (let box = control.parentElement; box && box !== document.body; box = box.parentElement) {
        const overflow = getComputedStyle(box);
        if (overflow.overflowX === 'visible' && overflow.overflowY === 'visible') continue;
        const c = box.getBoundingClientRect();
        if (!within(r, c.left, c.top, c.right, c.bottom)) found.push(`${name} cut off by ${box.tagName.toLowerCase()}.${box.className}`);
        if (box === element) break;
      }
    }
    return found;
  });
}

async function expectNoViolations(): Promise<void> {
  expect(await axeInBothThemes(page)).toEqual({ light: [], dark: [] });
}

interface State {
  name: string;
  /** A book open (and the reading view showing) first. */
  withBook: boolean;
  /** Opens the state; returns the part it opened. */
  open: () => Promise<Locator>;
}

const STATES: State[] = [
  {
    name: 'the More menu',
    withBook: true,
    open: async () => {
      await page.getByRole('button', { name: 'More ▾' }).click();
      return page.getByRole('group', { name: 'More settings' });
    },
  },
  {
    name: 'the chapter drawer',
    withBook: true,
    open: async () => {
      await page.getByRole('button', { name: 'Chapters' }).click();
      const chapters = page.getByRole('navigation', { name: 'Chapters' });
      await expect.poll(() => chapters.isVisible()).toBe(true);
      return chapters;
    },
  },
  {
    name: 'Reading settings',
    withBook: true,
    open: async () => {
      await fromMore('Reading settings…');
      return dialogNamed('Reading settings');
    },
  },
  {
    name: 'Voices…',
    withBook: false,
    open: async () => {
      await fromMore('Voices…');
      return dialogNamed('Voices');
    },
  },
  {
    name: 'Pronunciations…',
    withBook: false,
    open: async () => {
      await fromMore('Pronunciations…');
      return dialogNamed('Pronunciations');
    },
  },
  {
    name: 'Natural voices…',
    withBook: false,
    open: async () => {
      await fromMore('Natural voices…');
      return dialogNamed('Natural voices');
    },
  },
  {
    name: 'Export audio…',
    withBook: true,
    open: async () => {
      await fromMore('Export audio…');
      return dialogNamed('Export audio');
    },
  },
  {
    name: 'Screen helper…',
    withBook: false,
    open: async () => {
      await fromMore('Screen helper…');
      return dialogNamed('Screen helper');
    },
  },
  {
    name: 'Keyboard shortcuts',
    withBook: false,
    open: async () => {
      await fromMore('Keyboard shortcuts');
      return dialogNamed('Keyboard shortcuts');
    },
  },
  {
    name: 'the sentence list (Ctrl+L)',
    withBook: true,
    open: async () => {
      await page.locator('.reading').focus();
      await page.keyboard.press('Control+l');
      return dialogNamed('Sentences of this chapter');
    },
  },
  {
    name: 'the Library view',
    withBook: true,
    open: async () => {
      await page.getByRole('button', { name: 'Library', exact: true }).click();
      await expect.poll(() => page.getByRole('button', { name: 'Library', exact: true }).getAttribute('aria-pressed')).toBe('true');
      return page.locator('main');
    },
  },
  {
    name: 'the find bar (Ctrl+F)',
    withBook: true,
    open: async () => {
      await page.locator('.reading').focus();
      await page.keyboard.press('Control+f');
      const find = page.getByRole('search', { name: 'Find in the text' });
      await find.waitFor();
      await page.getByLabel('Find', { exact: true }).fill('cold');
      return find;
    },
  },
  {
    name: 'the Bookmarks panel',
    withBook: true,
    open: async () => {
      await page.getByRole('button', { name: 'Bookmarks' }).click();
      const panel = page.getByRole('region', { name: 'Bookmarks' });
      await panel.waitFor();
      return panel;
    },
  },
  {
    name: 'the playback bar with its sleep-timer menu',
    withBook: true,
    open: async () => {
      await page.getByRole('button', { name: 'Sleep timer', exact: true }).click();
      await page.getByRole('group', { name: 'Stop reading' }).waitFor();
      return page.getByRole('region', { name: 'Position and sound' });
    },
  },
  {
    // The whole window: the toolbar with Pause and Edit text, the bars, the timer's state and its Cancel.
    name: 'the window while reading, a sleep timer set',
    withBook: true,
    open: async () => {
      await page.getByRole('button', { name: 'Play', exact: true }).click();
      await expect.poll(() => page.locator('[data-play-state]').getAttribute('data-play-state')).toBe('playing');
      await page.getByRole('button', { name: 'Sleep timer', exact: true }).click();
      await page.getByRole('button', { name: 'In 15 minutes' }).click();
      await page.getByRole('button', { name: 'Cancel sleep timer' }).waitFor();
      return page.locator('.app');
    },
  },
];

describe.each([
  { width: 360, height: 740 },
  { width: 390, height: 844 },
])('a $width x $height window (Chromium, bridge)', (size) => {
  beforeEach(async () => {
    await page.setViewportSize(size);
    await reader.load();
  });

  it('loads with the toolbar compact: the voice list waits under More', async () => {
    expect(await page.getByLabel('Voice', { exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'More ▾' }).click();
    await expect.poll(() => page.getByLabel('Voice', { exact: true }).locator('option').count()).toBeGreaterThan(0);
  });

  it.each(STATES)('fits $name in the window, with no axe-core violation in either theme', async (state) => {
    if (state.withBook) await openBook();
    const part = await state.open();
    await expect.poll(() => part.isVisible()).toBe(true);
    expect(await misfits(part)).toEqual([]);
    await expectNoViolations();
  });
});
