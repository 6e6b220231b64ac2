// The page lookup patched into pdf.js's Catalog (pdf-page-lookup.ts): one walk of the page tree
// instead of one per page. Here it is compared with pdf.js's own walk, page by page, on page
// trees it takes (flat, nested) and ones it leaves to pdf.js (a /Count that lies, a cycle). The
// import of many pages is in pdf-pages.test.ts.
import { describe, expect, it } from 'vitest';
import { loadPdfJs, loadPdfJsWorkerInternals, withPdfDecodeBudget } from '../../src-main/services/import/pdf-decode-budget';
import { pdfJsPageWalk } from '../../src-main/services/import/pdf-page-lookup';
import type { GetPageDict } from '../../src-main/services/import/pdf-page-lookup';
import { circularPagesPdf, manyPagesPdf, rawPdf } from './fixtures';

type Outcome = { ref: string | undefined; dict: unknown } | { error: string };

/** An outcome to compare: the page's ref and, instead of the dictionary (deep-equal would walk all of pdf.js's xref), whether it is `other`'s. */
function comparable(outcomes: Outcome[], others: Outcome[]): unknown[] {
  return outcomes.map((found, index) => {
    const other = others[index];
    return 'error' in found ? found : { ref: found.ref, sameDict: other !== undefined && 'dict' in other && other.dict === found.dict };
  });
}

async function outcome(lookup: GetPageDict, catalog: ThisParameterType<GetPageDict>, index: number): Promise<Outcome> {
  try {
    const [dict, ref] = await lookup.call(catalog, index);
    return { ref: ref?.toString(), dict };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** What the installed lookup and pdf.js's walk give for pages 0…count (one past the end), in order. */
async function bothLookups(pdf: Uint8Array, count: number): Promise<{ installed: Outcome[]; walk: Outcome[] }> {
  const [internals, pdfjs] = await Promise.all([loadPdfJsWorkerInternals(), loadPdfJs()]);
  const walk = pdfJsPageWalk();
  if (!walk) throw new Error('the page lookup is not installed');
  const prototype = internals.Catalog.prototype;
  const installed = prototype.getPageDict as GetPageDict;
  const catalogs: ThisParameterType<GetPageDict>[] = [];
  // The catalog of the document opened below, caught as pdf.js looks up its first page.
  prototype.getPageDict = function getPageDict(this: ThisParameterType<GetPageDict>, index: number) {
    catalogs.push(this);
    return installed.call(this, index);
  };
  try {
    return await withPdfDecodeBudget({ maxPdfStreamBytes: 1 << 20, maxPdfDecodedBytes: 1 << 24 }, async () => {
      const task = pdfjs.getDocument({ data: pdf, isEvalSupported: false, verbosity: 0 });
      try {
        await task.promise;
        const catalog = catalogs[0];
        if (!catalog) throw new Error('no page was looked up');
        const result: { installed: Outcome[]; walk: Outcome[] } = { installed: [], walk: [] };
        for (let index = 0; index <= count; index++) {
          result.installed.push(await outcome(installed, catalog, index));
          result.walk.push(await outcome(walk, catalog, index));
        }
        return result;
      } finally {
        await task.destroy();
      }
    });
  } finally {
    prototype.getPageDict = installed;
  }
}

const lines = (page: number): string[] => [`Page ${page + 1}.`];

describe("pdf.js's page lookup", () => {
  it("is installed in place of pdf.js's walk of the page tree", async () => {
    const { Catalog } = await loadPdfJsWorkerInternals();
    expect(pdfJsPageWalk()).toBeTypeOf('function');
    expect(Catalog.prototype.getPageDict).not.toBe(pdfJsPageWalk());
  });

  it.each([
    ['under one /Pages node', {}],
    ['in a tree of /Pages nodes', { fanout: 7 }],
  ])('finds the page pdf.js would find, %s, and fails past the last as pdf.js does', async (_, options) => {
    const { installed, walk } = await bothLookups(manyPagesPdf(120, lines, options), 120);
    expect(comparable(installed, walk)).toEqual(comparable(walk, walk));
    expect(new Set(installed.map((found) => ('ref' in found ? found.ref : undefined))).size).toBe(121);
    expect(installed.at(-1)).toEqual({ error: 'Page index 120 not found.' });
  });

  it('leaves a page tree whose /Count lies, or that has a cycle, to pdf.js', async () => {
    const page = '<< /Type /Page /MediaBox [0 0 612 792] >>';
    // The first inner node claims one page and has two: pdf.js skips it for any page after the first.
    const lying = rawPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 4 >>',
      '<< /Type /Pages /Kids [5 0 R 6 0 R] /Count 1 >>',
      '<< /Type /Pages /Kids [7 0 R 8 0 R] /Count 2 >>',
      page,
      page,
      page,
      page,
    ]);
    const lies = await bothLookups(lying, 4);
    expect(comparable(lies.installed, lies.walk)).toEqual(comparable(lies.walk, lies.walk));
    expect(lies.installed.map((found) => ('ref' in found ? found.ref : found.error))).toEqual(['5R', '7R', '8R', 'Page index 3 not found.', 'Page index 4 not found.']);
    const circular = await bothLookups(circularPagesPdf(), 0);
    expect(comparable(circular.installed, circular.walk)).toEqual(comparable(circular.walk, circular.walk));
    expect(circular.installed[0]).toEqual({ error: 'Pages tree contains circular reference.' });
  });
});
