import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's violations on the page as it is, one line each (rule: targets); `include`: only in
 * these parts of the page (CSS selectors), e.g. the views a test is about.
 */
export async function axeViolations(page: Page, include?: readonly string[]): Promise<string[]> {
  // Through the debugger, which the page's CSP (script-src 'self') does not govern.
  await page.evaluate(axeSource);
  return page.evaluate(async (parts) => {
    type Axe = { run(context: unknown): Promise<{ violations: { id: string; nodes: { target: unknown[] }[] }[] }> };
    const axe = (window as unknown as { axe: Axe }).axe;
    const { violations } = await axe.run(parts ? { include: parts.map((selector) => [selector]) } : document);
    return violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  }, include ? [...include] : undefined);
}

/** axe's violations in the light and then the dark theme, keyed by theme; the page's own theme is put back. */
export async function axeInBothThemes(page: Page, include?: readonly string[]): Promise<Record<string, string[]>> {
  const found: Record<string, string[]> = {};
  const before = await page.evaluate(() => document.documentElement.dataset.theme ?? '');
  for (const theme of ['light', 'dark']) {
    await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
    found[theme] = await axeViolations(page, include);
  }
  await page.evaluate((t) => {
    if (t) document.documentElement.dataset.theme = t;
    else delete document.documentElement.dataset.theme;
  }, before);
  return found;
}
