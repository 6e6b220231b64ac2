// PDFs of many pages (issue #11: a 10,000-page PDF took 59.5 s): every page read once, in
// order, with progress, and the page limit. The time and memory are bench:import's to measure
// (`npm run bench:import -- --only pages`); nothing here asserts a duration.
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, importFile } from '../../src-main/services/import';
import type { ImportProgress } from '../../src-main/services/import';
import { FixtureDir, manyPagesPdf } from './fixtures';
import { refusal } from './refusal';

const dir = new FixtureDir();
afterAll(() => dir.remove());

// Taken before this file loads pdf.js (it loads on the first PDF read): this test file runs in
// a fresh worker of its own, so these are Node's.
const nodeBuiltins = { push: Array.prototype.push, parse: JSON.parse, stringify: JSON.stringify };

/** A page's lines, each naming the page, so that reading order shows in the text. */
const numbered = (page: number): string[] => [`Page ${page + 1} starts with this sentence.`, `It ends on the second line of page ${page + 1}.`];

/** The page numbers in the order their sentences were read. */
function pagesRead(text: string): number[] {
  return [...text.matchAll(/Page (\d+) starts/g)].map((match) => Number(match[1]));
}

function allText(document: Awaited<ReturnType<typeof importFile>>): string {
  return document.chapters.map((chapter) => chapter.text).join('\n\n');
}

describe('PDFs of many pages', () => {
  const PAGES = 2_000;
  const expected = Array.from({ length: PAGES }, (_, i) => i + 1);

  it('reads 2,000 pages under one /Pages node in order, each once', async () => {
    const document = await importFile(dir.write('flat.pdf', manyPagesPdf(PAGES, numbered)));
    const text = allText(document);
    expect(pagesRead(text)).toEqual(expected);
    expect(text).toContain('It ends on the second line of page 2000.');
    // More than 20 pages without an outline or headings: a chapter per 10 pages.
    expect(document.chapters).toHaveLength(PAGES / 10);
    expect(document.chapters.at(-1)?.title).toBe('Pages 1991–2000');
  });

  it('reads 2,000 pages in a tree of /Pages nodes (ten kids each) in order', async () => {
    const document = await importFile(dir.write('tree.pdf', manyPagesPdf(PAGES, numbered, { fanout: 10 })));
    expect(pagesRead(allText(document))).toEqual(expected);
  });

  it('reports progress page by page, from 0 to the page count', async () => {
    const progress: ImportProgress[] = [];
    await importFile(dir.write('progress.pdf', manyPagesPdf(250, numbered)), { onProgress: (p) => progress.push(p) });
    const pages = progress.filter((p) => p.stage === 'pages');
    expect(pages.every((p) => p.total === 250)).toBe(true);
    expect(pages.map((p) => p.done)).toEqual(Array.from({ length: 251 }, (_, i) => i));
  });

  it("keeps Node's Array.prototype.push and JSON, which pdf.js's legacy polyfills would replace with slower script", async () => {
    await importFile(dir.write('two-pages.pdf', manyPagesPdf(2, numbered)));
    expect(Array.prototype.push).toBe(nodeBuiltins.push);
    expect(JSON.parse).toBe(nodeBuiltins.parse);
    expect(JSON.stringify).toBe(nodeBuiltins.stringify);
    // What core-js adds and pdf.js uses stays.
    expect(typeof (Promise as { withResolvers?: unknown }).withResolvers).toBe('function');
  });

  it(`refuses a PDF of more than ${DEFAULT_LIMITS.maxPdfPages.toLocaleString('en')} pages by default, naming the limit`, async () => {
    const pages = DEFAULT_LIMITS.maxPdfPages + 1;
    // Empty pages: the limit is checked from the page count, before any page is read.
    const progress: ImportProgress[] = [];
    const error = await refusal(
      dir.write('too-many.pdf', manyPagesPdf(pages, () => [])),
      { onProgress: (p) => progress.push(p) },
    );
    expect(error.code).toBe('FILE_TOO_LARGE');
    expect(error.message).toContain(`(It has ${pages.toLocaleString('en')} pages; the limit for one PDF is ${DEFAULT_LIMITS.maxPdfPages.toLocaleString('en')}.)`);
    expect(progress.some((p) => p.stage === 'pages')).toBe(false);
  });
});
