import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations on the page as it is now (or within the element `selector` names), one line each (rule: elements). */
export async function axeViolations(page: Page, selector?: string): Promise<string[]> {
  // Through the debugger, which the page's CSP (script-src 'self') does not govern.
  await page.evaluate(axeSource);
  return page.evaluate(async (within) => {
    const axe = (window as unknown as { axe: { run(context: Document | string): Promise<{ violations: { id: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const { violations } = await axe.run(within ?? document);
    return violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  }, selector);
}

/** axe-core's violations in the light and the dark theme (the page's theme is put back after). */
export async function axeViolationsInBothThemes(page: Page, selector?: string): Promise<Record<string, string[]>> {
  const found: Record<string, string[]> = {};
  const before = await page.evaluate(() => document.documentElement.dataset.theme ?? '');
  for (const theme of ['light', 'dark']) {
    await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
    found[theme] = await axeViolations(page, selector);
  }
  await page.evaluate((t) => {
    if (t) document.documentElement.dataset.theme = t;
    else delete document.documentElement.dataset.theme;
  }, before);
  return found;
}
