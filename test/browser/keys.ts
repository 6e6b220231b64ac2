import type { Page } from 'playwright-core';

/** What the focused element is called: its aria-label, a field's label, or its text ("<body>" for none). */
export function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return '<body>';
    const label = element.getAttribute('aria-label');
    if (label) return label;
    if (element instanceof HTMLInputElement || element instanceof HTMLSelectElement || element instanceof HTMLTextAreaElement) {
      return element.labels?.[0]?.textContent?.replace(/\s+/g, ' ').trim() ?? element.tagName;
    }
    return element.textContent?.replace(/\s+/g, ' ').trim() ?? element.tagName;
  });
}

/** Presses Tab (Shift+Tab when `back`) until the focused element's name matches, as a keyboard user would. */
export async function tabTo(page: Page, name: string | RegExp, back = false): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const now = await focusedName(page);
    if (typeof name === 'string' ? now === name : name.test(now)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached “${String(name)}” (the focus is on “${await focusedName(page)}”)`);
}
