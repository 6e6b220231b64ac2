import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src-main/electron/app-main';
import { RENDERER_DIR } from '../helpers/paths';
import { openReader } from './reader-page';
import type { ReaderPage } from './reader-page';

let reader: ReaderPage;
let page: Page;
const consoleErrors: string[] = [];

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
}

const MARKDOWN = ['# Lists', '', 'Before the list.', '', '- one item', '  - a nested item', '- another item', '', '# Second', '', 'The end.', ''].join('\n');

beforeAll(async () => {
  // A page answered by the test (below) counts as public to Chromium, which would then refuse it
  // the bridge on 127.0.0.1 (Local Network Access); that check is not what is tested here.
  reader = await openReader({}, ['--disable-features=LocalNetworkAccessChecks']);
  page = reader.page;
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  // The page is served as the app serves it: with the Electron shell's CSP header on top of the
  // page's own meta CSP (both apply).
  await page.route('**/*', async (route) => {
    if (route.request().resourceType() !== 'document') return route.continue();
    const response = await route.fetch();
    return route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': CONTENT_SECURITY_POLICY } });
  });
  await page.addInitScript(() => {
    const seen: Violation[] = [];
    (window as unknown as { cspViolations: Violation[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push({ directive: event.effectiveDirective, blocked: event.blockedURI, sample: event.sample }));
  });
  await reader.load();
});

afterAll(async () => {
  await reader?.close();
});

const violations = (): Promise<Violation[]> => page.evaluate(() => (window as unknown as { cspViolations: Violation[] }).cspViolations);

describe('the Content Security Policy (Chromium, bridge)', () => {
  it('allows no inline style, in the app shell or in the page', () => {
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(readFileSync(join(RENDERER_DIR, 'index.html'), 'utf8'))?.[1];
    expect(meta).toContain("style-src 'self'");
    for (const policy of [CONTENT_SECURITY_POLICY, meta]) expect(policy).not.toContain('unsafe-inline');
  });

  it('raises no violation while the reader is used: text, a document with nested lists, playing, the menus and the theme', async () => {
    await page.locator('textarea').fill('A first sentence. And a second.');
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect.poll(() => page.locator('[data-play-state]').getAttribute('data-play-state'), { timeout: 20_000 }).toBe('idle');
    await page.locator('[data-testid="file-input"]').setInputFiles({ name: 'lists.md', mimeType: 'text/markdown', buffer: Buffer.from(MARKDOWN) });
    // The nested list item is indented by a style set from script (Svelte's style: directive).
    await expect.poll(() => page.locator('.reading li, .reading [style]').count()).toBeGreaterThan(0);
    const indents = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.reading [style]')].map((element) => element.style.marginLeft));
    expect(indents.filter((indent) => indent !== '').length).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect.poll(() => page.locator('[data-play-state]').getAttribute('data-play-state'), { timeout: 20_000 }).toBe('playing');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'More ▾' }).click();
    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    await expect.poll(() => page.getByRole('dialog', { name: 'Keyboard shortcuts' }).isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'More ▾' }).click();
    await page.getByRole('button', { name: /^Theme: / }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBeDefined();
    expect(await violations()).toEqual([]);
    expect(consoleErrors.filter((text) => text.includes('Content Security Policy'))).toEqual([]);
  });

  it('is enforced: a style attribute written into the page is refused and reported', async () => {
    await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<p id="planted" style="color: rgb(255, 0, 0)">planted</p>'));
    await expect.poll(violations).toContainEqual(expect.objectContaining({ directive: 'style-src-attr' }));
    expect(await page.evaluate(() => getComputedStyle(document.getElementById('planted') as HTMLElement).color)).not.toBe('rgb(255, 0, 0)');
  });
});
