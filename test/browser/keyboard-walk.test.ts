// Issue #15: every feature of the reader window, walked with the keyboard alone. The page is
// driven only by page.keyboard; locators only read what the keys did. Two walks need a Kokoro
// model and live beside their features: a voice blend made and deleted (voices.test.ts) and the
// model's download with Pause and Resume (model-install.test.ts), both by keys alone.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReader } from './reader-page';
import type { ReaderPage } from './reader-page';
import { focusedName as focusedNameOf, tabTo as tabToIn } from './keys';

let reader: ReaderPage;
let page: Page;
const root = mkdtempSync(join(tmpdir(), 'kokoro-keyboard-walk-'));

const PASTED = Array.from({ length: 10 }, (_, i) => `Pasted sentence number ${i + 1} goes on for a little while, so that it takes time to say.`).join(' ');
const BOOK = [
  '# Harbour',
  '',
  'The boats lay still in the harbour that morning. A gull cried out over the water. The nets were dry.',
  '',
  '# Open sea',
  '',
  'Far out, the whale rose and sang. The crew listened without a word. Then the wind came back.',
].join('\n');

beforeAll(async () => {
  const dataDir = join(root, 'data');
  const modelDir = join(root, 'models');
  mkdirSync(dataDir);
  mkdirSync(modelDir);
  // A model folder (empty) so that More offers Natural voices…
  reader = await openReader({ dataDir, engineConfig: { modelDir, dataDir } });
  page = reader.page;
  page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await reader?.close();
  rmSync(root, { recursive: true, force: true });
});

const playState = () => page.locator('[data-play-state]').getAttribute('data-play-state');
const status = () => page.locator('footer [role="status"]').first().textContent();
const spoken = () => page.evaluate(() => Number(document.querySelector<HTMLElement>('.reading [aria-current="true"]')?.dataset.sentence ?? -1));
const libraryList = () => reader.web.services.library?.list() ?? [];
const dialogOpen = (name: string) => page.getByRole('dialog', { name }).isVisible();

const focusedName = () => focusedNameOf(page);
const focusedTag = () => page.evaluate(() => document.activeElement?.tagName ?? '');
const focusIsOnText = () => page.evaluate(() => document.activeElement?.classList.contains('reading') ?? false);
const tabTo = (name: string | RegExp, back = false) => tabToIn(page, name, back);

/** The skip link leads to the text: the way back there from anywhere, by keys. */
async function skipToText(): Promise<void> {
  await tabTo('Skip to the text', true);
  await page.keyboard.press('Enter');
  await expect.poll(focusIsOnText).toBe(true);
}

/** Tabs to More ▾ (back from the text, or on from the toolbar's voice controls), opens it, and Tabs to one of its items. */
async function moreItem(name: string | RegExp, back = true): Promise<void> {
  await tabTo('More ▾', back);
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator('#more-menu').isVisible()).toBe(true);
  await tabTo(name);
}

/** A dialog closed by Esc gives the focus back to a control in the page, not to <body>. */
async function escapeCloses(name: string): Promise<string> {
  await page.keyboard.press('Escape');
  await expect.poll(() => dialogOpen(name)).toBe(false);
  const back = await focusedName();
  expect(back, `focus after closing “${name}”`).not.toBe('<body>');
  return back;
}

/** Records where each speak request starts (the sentence sought by a key). */
function watchSpeaks(): { starts: number[]; restore: () => void } {
  const starts: number[] = [];
  const restore = reader.intercept('speech:speak', (real, params, client) => {
    starts.push(params.fromSentence ?? 0);
    return real(params, client);
  });
  return { starts, restore };
}

describe('the reader window, by keyboard alone (Chromium, bridge, SQLite)', () => {
  let keptAt = -1;

  it('skips to the editor, reads typed text, and controls reading with its keys', async () => {
    await page.keyboard.press('Tab');
    expect(await focusedName()).toBe('Skip to the text');
    await page.keyboard.press('Enter');
    await expect.poll(focusedTag).toBe('TEXTAREA');
    await page.keyboard.insertText(PASTED);
    await page.keyboard.press('Control+Enter');
    await expect.poll(playState).toBe('playing');

    await page.keyboard.press('Space');
    await expect.poll(playState).toBe('paused');
    await page.keyboard.press('Space');
    await expect.poll(playState).toBe('playing');

    const speaks = watchSpeaks();
    try {
      // Each speed step reads on at the new speed: a new speak request.
      const speed = () => page.locator('header.toolbar output').textContent();
      expect(await speed()).toBe('1.00×');
      await page.keyboard.press('+');
      await expect.poll(speed).toBe('1.10×');
      await expect.poll(() => speaks.starts.length).toBeGreaterThan(0);
      const requests = speaks.starts.length;
      await page.keyboard.press('-');
      await expect.poll(speed).toBe('1.00×');
      await expect.poll(() => speaks.starts.length).toBeGreaterThan(requests);
      await expect.poll(playState).toBe('playing');

      await page.keyboard.press('Space');
      await expect.poll(playState).toBe('paused');
      const at = await spoken();
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => speaks.starts.at(-1)).toBe(at + 1);
      await expect.poll(playState).toBe('playing');
      await page.keyboard.press('Space');
      await expect.poll(playState).toBe('paused');
      const later = await spoken();
      await page.keyboard.press('ArrowLeft');
      await expect.poll(() => speaks.starts.at(-1)).toBe(later - 1);
      await expect.poll(playState).toBe('playing');
      // Paused, so that no new sentence's status follows the position at once.
      await page.keyboard.press('Space');
      await expect.poll(playState).toBe('paused');
    } finally {
      speaks.restore();
    }
    await page.keyboard.press('i');
    await expect.poll(status).toMatch(/Sentence \d+ of 10, \d+:\d\d of \d+:\d\d\./);
    await page.keyboard.press('Escape');
    await expect.poll(playState).toBe('idle');
  });

  it('keeps the pasted text in the library, where it remembers where reading stopped', async () => {
    await skipToText();
    await tabTo('Keep in library', true);
    await page.keyboard.press('Enter');
    await expect.poll(status).toContain('Kept in the library');
    await expect.poll(() => libraryList().length).toBe(1);
    await skipToText();
    await page.keyboard.press('Space');
    await expect.poll(playState).toBe('playing');
    await page.keyboard.press('Escape');
    await expect.poll(playState).toBe('idle');
    keptAt = await spoken();
    expect(keptAt).toBeGreaterThanOrEqual(0);
    await expect.poll(() => libraryList()[0]?.position?.sentenceIndex).toBe(keptAt);
  });

  it('opens a Markdown book with Ctrl+O and picks its second chapter from the chapter list', async () => {
    // Ctrl+O clicks the page's hidden file input: the browser's file chooser, reached by keyboard.
    const chooser = page.waitForEvent('filechooser');
    await page.keyboard.press('Control+o');
    await (await chooser).setFiles({ name: 'sea.md', mimeType: 'text/markdown', buffer: Buffer.from(BOOK) });
    await expect.poll(status).toContain('Opened');
    const chapters = page.getByRole('navigation', { name: 'Chapters' });
    await expect.poll(() => chapters.locator('button.chapter').allTextContents()).toEqual(['Harbour', 'Open sea']);

    await skipToText();
    await tabTo('Open sea', true);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.reading').textContent()).toContain('the whale rose and sang');
    expect(await chapters.locator('[aria-current="true"]').textContent()).toBe('Open sea');
  });

  it('moves the Chapter and Book sliders, the volume and the sleep timer with keys', async () => {
    const speaks = watchSpeaks();
    try {
      await skipToText();
      const first = await page.evaluate(() => Number(document.querySelector<HTMLElement>('.reading [data-sentence]')?.dataset.sentence));
      await tabTo(/^Chapter/);
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => speaks.starts.at(-1)).toBe(first + 1);
      await expect.poll(playState).toBe('playing');
      await tabTo(/^Book/);
      await page.keyboard.press('Home');
      await expect.poll(() => speaks.starts.at(-1)).toBe(0);
      await expect.poll(() => page.locator('.reading').textContent()).toContain('The boats lay still');
    } finally {
      speaks.restore();
    }

    await tabTo('Volume');
    const volume = () => page.evaluate(() => document.activeElement?.getAttribute('aria-valuetext'));
    expect(await volume()).toBe('100%');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(volume).toBe('95%');

    await tabTo('Sleep timer');
    await page.keyboard.press('Enter');
    await expect.poll(focusedName).toBe('At the end of the chapter');
    await page.keyboard.press('Tab');
    const choice = await focusedName();
    expect(choice).toMatch(/^In \d+ minutes$/);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.sleep-state').textContent()).toMatch(/Stops in \d+:\d\d/);
    expect(await focusedName()).toBe('Sleep timer');
    await tabTo('Cancel sleep timer');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.sleep-state').count()).toBe(0);
    await page.keyboard.press('Escape');
    await expect.poll(playState).toBe('idle');
  });

  it('reads from a sentence chosen in the Ctrl+L list, finds with Ctrl+F, and bookmarks with Ctrl+B', async () => {
    await skipToText();
    const speaks = watchSpeaks();
    try {
      await page.keyboard.press('Control+l');
      await expect.poll(() => dialogOpen('Sentences of this chapter')).toBe(true);
      await page.keyboard.press('ArrowDown');
      const chosen = await page.evaluate(() => {
        const list = document.querySelector('[role="listbox"]');
        return document.getElementById(list?.getAttribute('aria-activedescendant') ?? '')?.textContent?.trim() ?? '';
      });
      await page.keyboard.press('Enter');
      await expect.poll(() => dialogOpen('Sentences of this chapter')).toBe(false);
      expect(await focusIsOnText()).toBe(true);
      await expect.poll(() => speaks.starts.length).toBeGreaterThan(0);
      const from = speaks.starts.at(-1) ?? -1;
      expect(chosen).toContain(await page.locator(`.reading [data-sentence="${from}"]`).textContent());
    } finally {
      speaks.restore();
    }
    await page.keyboard.press('Escape');
    await expect.poll(playState).toBe('idle');

    await page.keyboard.press('Control+f');
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)).toBe('search');
    await page.keyboard.type('the');
    await expect.poll(() => page.locator('#find-summary').textContent()).toMatch(/^1 of \d+$/);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#find-summary').textContent()).toMatch(/^2 of \d+$/);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('search', { name: 'Find in the text' }).count()).toBe(0);
    expect(await focusIsOnText()).toBe(true);

    const marked = (await page.locator('.reading [aria-current="true"]').textContent()) ?? '';
    expect(marked).not.toBe('');
    await page.keyboard.press('Control+b');
    await tabTo('Bookmarks', true);
    await page.keyboard.press('Enter');
    const panel = page.getByRole('region', { name: 'Bookmarks' });
    await expect.poll(() => panel.getByRole('listitem').allTextContents()).toEqual([expect.stringContaining(marked)]);
    await page.keyboard.press('Enter');
    await expect.poll(() => panel.count()).toBe(0);
  });

  it('changes the font size in Reading settings (kept after a reload), and gives the focus back on Esc', async () => {
    await skipToText();
    await moreItem('Reading settings…');
    await page.keyboard.press('Enter');
    await expect.poll(() => dialogOpen('Reading settings')).toBe(true);
    await tabTo(/^Font size/);
    const size = () => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value);
    const before = Number(await size());
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(size).toBe(String(before + 2));
    await expect.poll(() => page.locator('.reading').evaluate((element) => getComputedStyle(element).fontSize)).toBe(`${before + 2}px`);
    expect(await escapeCloses('Reading settings')).toBe('More ▾');

    await reader.load();
    await page.keyboard.press('Control+,');
    await expect.poll(() => dialogOpen('Reading settings')).toBe(true);
    await tabTo(/^Font size/);
    expect(await size()).toBe(String(before + 2));
    await page.keyboard.press('Escape');
    await expect.poll(() => dialogOpen('Reading settings')).toBe(false);
  });

  it('filters, stars and previews a voice in Voices…', async () => {
    await page.keyboard.press('Tab');
    await tabTo('Voices…');
    await page.keyboard.press('Enter');
    await expect.poll(() => dialogOpen('Voices')).toBe(true);
    expect(await focusedName()).toMatch(/^Filter/);
    await page.keyboard.type('great britain');
    const picker = page.getByRole('dialog', { name: 'Voices' });
    await expect.poll(() => picker.locator('button.choose').count()).toBe(1);
    const name = (await picker.locator('button.choose').textContent()) ?? '';
    await page.keyboard.press('ArrowDown');
    expect(await focusedName()).toBe(name);
    await page.keyboard.press('Tab');
    expect(await focusedName()).toBe(`Star ${name}`);
    await page.keyboard.press('Enter');
    await expect.poll(focusedName).toBe(`Unstar ${name}`);
    await expect.poll(() => page.locator('optgroup[label="Starred"] option').allTextContents()).toEqual([`★ ${name}`]);
    await page.keyboard.press('Tab');
    expect(await focusedName()).toBe(`Preview ${name}`);
    await page.keyboard.press('Enter');
    await expect.poll(() => picker.locator('.preview[role="status"]').textContent()).toBe(`Previewing ${name}…`);
    expect(await escapeCloses('Voices')).toBe('Voices…');
  });

  it('adds a word in Pronunciations…', async () => {
    await moreItem('Pronunciations…', false);
    await page.keyboard.press('Enter');
    await expect.poll(() => dialogOpen('Pronunciations')).toBe(true);
    await page.keyboard.type('Kokoro');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await expect.poll(focusedName).toBe('Say it as');
    await page.keyboard.type('Koh koh roh');
    await page.keyboard.press('Enter');
    const listed = () => page.getByRole('list', { name: 'Pronunciations' }).getByRole('listitem').allTextContents();
    await expect.poll(async () => (await listed()).join('|')).toContain('Kokoro');
    expect(await escapeCloses('Pronunciations')).toBe('More ▾');
  });

  it('opens the Keyboard shortcuts list, Screen helper… and Natural voices…, and cycles the theme', async () => {
    for (const [item, title] of [
      ['Keyboard shortcuts', 'Keyboard shortcuts'],
      ['Screen helper…', 'Screen helper'],
      ['Natural voices…', 'Natural voices'],
    ] as const) {
      await moreItem(item);
      await page.keyboard.press('Enter');
      await expect.poll(() => dialogOpen(title)).toBe(true);
      if (title === 'Keyboard shortcuts') expect(await page.locator('dialog[open]').textContent()).toContain('Ctrl+L');
      expect(await escapeCloses(title)).toBe('More ▾');
    }

    const theme = () => page.evaluate(() => document.documentElement.dataset.theme ?? 'system');
    const before = await theme();
    await moreItem(/^Theme: /);
    await page.keyboard.press('Enter');
    await expect.poll(theme).not.toBe(before);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('#more-menu').count()).toBe(0);
    expect(await focusedName()).toBe('More ▾');
  });

  it('opens the kept text from the Library view, where reading stopped', async () => {
    const kept = libraryList().find((e) => e.title.startsWith('Pasted sentence'))?.title ?? '';
    expect(kept).not.toBe('');
    // The focus is on More ▾: the Library button comes next, below the toolbar.
    await tabTo('Library');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('library-heading');
    await tabTo('Search the library');
    await page.keyboard.type('pasted');
    await tabTo(kept);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('region', { name: 'Library' }).count()).toBe(0);
    await expect.poll(() => page.locator('.reading').textContent()).toContain('Pasted sentence number 1 goes on');
    await expect.poll(spoken).toBe(keptAt);
  });

  it('opens the Export dialog with Ctrl+E and closes it with Esc, the focus back where it was', async () => {
    await skipToText();
    await page.keyboard.press('Control+e');
    await expect.poll(() => dialogOpen('Export audio')).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialogOpen('Export audio')).toBe(false);
    expect(await focusIsOnText()).toBe(true);
  });

  it('turns focus mode on in Reading settings and leaves it by a button Tab reaches', async () => {
    await skipToText();
    await page.keyboard.press('Control+,');
    await expect.poll(() => dialogOpen('Reading settings')).toBe(true);
    await tabTo(/^Focus mode/);
    await page.keyboard.press('Space');
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.checked)).toBe(true);
    expect(await escapeCloses('Reading settings')).not.toBe('<body>');
    await expect.poll(() => page.locator('header.toolbar').isVisible()).toBe(false);
    await tabTo('Leave focus mode', true);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('header.toolbar').isVisible()).toBe(true);
    // The button is gone with focus mode: the focus goes on to the text, not to <body>.
    await expect.poll(focusIsOnText).toBe(true);
  });

  it('sorts the library and opens the book from it, finds backwards, and jumps to and deletes a bookmark', async () => {
    await tabTo('Library', true);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('library-heading');
    // The search typed before is still there: cleared, every item shows.
    await tabTo('Search the library');
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Backspace');
    await expect.poll(() => page.locator('.library button.title').count()).toBe(libraryList().length);
    await tabTo(/^Sort by/);
    const sort = () => page.evaluate(() => (document.activeElement as HTMLSelectElement | null)?.value);
    expect(await sort()).toBe('last-opened');
    await page.keyboard.press('ArrowDown');
    await expect.poll(sort).toBe('title');
    const titles = await page.locator('.library button.title').allTextContents();
    expect(titles).toEqual([...titles].sort(new Intl.Collator(undefined, { sensitivity: 'base', numeric: true }).compare));
    // Remove asks first, and the safe answer has the focus.
    const book = libraryList().find((e) => !e.title.startsWith('Pasted sentence'))?.title ?? '';
    await tabTo(`Remove ${book} from the library`);
    await page.keyboard.press('Enter');
    await expect.poll(focusedName).toBe('Keep it');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('dialog').filter({ hasText: 'from the library?' }).isVisible()).toBe(false);
    expect(libraryList().map((e) => e.title)).toContain(book);
    await tabTo(book, true);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('navigation', { name: 'Chapters' }).isVisible()).toBe(true);

    await skipToText();
    await page.keyboard.press('Control+f');
    await page.keyboard.type('the');
    const found = () => page.locator('#find-summary').textContent();
    await expect.poll(found).toMatch(/^1 of \d+$/);
    await page.keyboard.press('Enter');
    await expect.poll(found).toMatch(/^2 of \d+$/);
    await page.keyboard.press('Shift+Enter');
    await expect.poll(found).toMatch(/^1 of \d+$/);
    await page.keyboard.press('Escape');
    await expect.poll(focusIsOnText).toBe(true);

    // A bookmark on another sentence than the one the voice will be at.
    await page.keyboard.press('Control+b');
    await tabTo('Bookmarks', true);
    await page.keyboard.press('Enter');
    const panel = page.getByRole('region', { name: 'Bookmarks' });
    const marks = () => panel.locator('button.go').allTextContents();
    await expect.poll(async () => (await marks()).length).toBeGreaterThan(0);
    const label = (await marks())[0] ?? '';
    await tabTo(label);
    await page.keyboard.press('Enter');
    await expect.poll(status).toContain(`At the bookmark “${label}”`);
    const count = (await marks()).length;
    await tabTo(`Delete bookmark: ${label}`);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await marks()).length).toBe(count - 1);
  });

  it('exports one chapter from the chapter list, and uses the chapter drawer of a narrow window', async () => {
    await skipToText();
    await tabTo('Export chapter 2…', true);
    await page.keyboard.press('Enter');
    await expect.poll(() => dialogOpen('Export audio')).toBe(true);
    expect(await escapeCloses('Export audio')).toBe('Export chapter 2…');

    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await skipToText();
      await tabTo('Chapters', true);
      await page.keyboard.press('Enter');
      const drawer = page.getByRole('navigation', { name: 'Chapters' });
      await expect.poll(() => drawer.isVisible()).toBe(true);
      await tabTo('Harbour');
      await page.keyboard.press('Enter');
      await expect.poll(() => drawer.isVisible()).toBe(false);
      await expect.poll(focusIsOnText).toBe(true);
      expect(await page.locator('.reading').textContent()).toContain('The boats lay still');
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('asks before Edit text turns a book\'s chapter into text to change: Keep reading first, then Edit', async () => {
    await skipToText();
    await tabTo('Edit text', true);
    await page.keyboard.press('Enter');
    const question = () => page.getByRole('dialog').filter({ hasText: 'Editing turns this chapter into pasted text' }).isVisible();
    await expect.poll(question).toBe(true);
    expect(await focusedName()).toBe('Keep reading');
    await page.keyboard.press('Enter');
    await expect.poll(question).toBe(false);
    expect(await page.getByRole('navigation', { name: 'Chapters' }).isVisible()).toBe(true);

    await tabTo('Edit text', true);
    await page.keyboard.press('Enter');
    await expect.poll(question).toBe(true);
    await tabTo('Edit the text');
    await page.keyboard.press('Enter');
    await expect.poll(focusedTag).toBe('TEXTAREA');
    await expect.poll(() => page.locator('.editor textarea').inputValue()).toContain('The boats lay still');
    expect(await page.getByRole('navigation', { name: 'Chapters' }).count()).toBe(0);
  });
});
