// PDF through pdf.js (legacy build, the one that runs in Node). pdf.js runs its "worker"
// in-process here (the import itself runs in a worker thread when it matters), never
// evaluates document code (isEvalSupported: false), loads no fonts into the process, paints
// no image (maxImageSize: 0), and reads character maps and standard font data only from its
// own package folder. Every stream it decodes counts against the import's decode budget
// (pdf-decode-budget.ts); a limit passed ends the import with FILE_TOO_LARGE.
//
// Chapters: the outline's top-level entries where the PDF has an outline (one wrapping
// entry is looked through). Without one, headings found by font size split it as in HTML;
// failing that, a PDF of more than 20 pages gets one chapter per 10 pages, else one chapter.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AppError } from '../../../src-shared/errors/catalogue';
import type { ImportedDocument } from '../../../src-shared/document/model';
import { buildChapters, cleanTitle, splitByHeadings } from './chapters';
import type { DraftChapter } from './chapters';
import { titleFromFileName } from './html-importer';
import type { FlowBlock } from './html-walker';
import { checkAborted, yieldToEventLoop } from './limits';
import type { ImportContext } from './limits';
import { buildParagraphs, pageLines, removePageFurniture } from './pdf-layout';
import { loadPdfJs, withPdfDecodeBudget } from './pdf-decode-budget';
import type { PdfDecodeBudget, PdfJs } from './pdf-decode-budget';
import type { PdfLine, PdfPageText, PdfParagraph } from './pdf-layout';

type PdfDocument = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;

const PAGES_PER_CHUNK = 10;
/**
 * pdf.js caches what it parsed for the pages read (fonts and more) until told to clean up:
 * about 17 KB a page of a 10,000-page PDF (bench:import, before the 5,000-page limit; heap kept
 * after a full GC at page 9,000: 266 MB without clean-ups, 123 MB with one every 1,000 pages), for about 15% more CPU
 * time (measured with one every 100). What still grows is the text read and the page objects
 * pdf.js keeps for the document's life (no API lets them go), about 6 KB a page together.
 */
const CLEANUP_EVERY_PAGES = 100;
const CHUNK_ABOVE_PAGES = 20;

/** pdf.js's data folders as local paths with the trailing slash it insists on. */
function pdfjsDataUrls(): { cMapUrl: string; standardFontDataUrl: string; wasmUrl: string } {
  // Main is bundled to CommonJS, where import.meta.url is empty; __filename exists there.
  const require = createRequire(import.meta.url ?? __filename);
  const root = dirname(require.resolve('pdfjs-dist/package.json'));
  return { cMapUrl: join(root, 'cmaps') + '/', standardFontDataUrl: join(root, 'standard_fonts') + '/', wasmUrl: join(root, 'wasm') + '/' };
}

interface OutlineNode {
  title: string;
  dest: string | unknown[] | null;
  items: OutlineNode[];
}

export async function importPdf(bytes: Uint8Array, context: ImportContext): Promise<ImportedDocument> {
  const pdfjs = await loadPdfJs();
  return withPdfDecodeBudget(context.limits, (budget) => openAndRead(pdfjs, bytes, context, budget));
}

async function openAndRead(pdfjs: PdfJs, bytes: Uint8Array, context: ImportContext, budget: PdfDecodeBudget): Promise<ImportedDocument> {
  const task = pdfjs.getDocument({
    // pdf.js takes ownership of (detaches) the buffer it is given.
    data: new Uint8Array(bytes),
    ...pdfjsDataUrls(),
    cMapPacked: true,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    enableXfa: false,
    isOffscreenCanvasSupported: false,
    stopAtErrors: false,
    maxImageSize: 0,
    verbosity: 0,
  });
  const onAbort = (): void => void task.destroy();
  context.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    let pdf: PdfDocument;
    try {
      pdf = await task.promise;
    } catch (error) {
      checkAborted(context.signal);
      budget.check();
      throw pdfError(error);
    }
    budget.check();
    let document: ImportedDocument;
    try {
      document = await readDocument(pdf, context, budget);
    } catch (error) {
      // pdf.js may have carried on past a limit and failed later for want of the stream (no
      // pages, no text): the limit is what to report.
      checkAborted(context.signal);
      budget.check();
      throw error;
    }
    // Metadata and the outline may have decoded streams too; pdf.js swallows their failures.
    budget.check();
    return document;
  } finally {
    context.signal?.removeEventListener('abort', onAbort);
    await task.destroy();
  }
}

function pdfError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const name = (error as { name?: string } | null)?.name;
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'PasswordException') return AppError.of('ENCRYPTED_DOCUMENT');
  return AppError.of('CORRUPT_DOCUMENT', `(${message})`);
}

async function readDocument(pdf: PdfDocument, context: ImportContext, budget: PdfDecodeBudget): Promise<ImportedDocument> {
  const pageCount = pdf.numPages;
  if (pageCount === 0) throw AppError.of('EMPTY_DOCUMENT', '(The PDF has no pages.)');
  const { maxPdfPages } = context.limits;
  if (pageCount > maxPdfPages) throw AppError.of('FILE_TOO_LARGE', `(It has ${pageCount.toLocaleString('en')} pages; the limit for one PDF is ${maxPdfPages.toLocaleString('en')}.)`);
  const pages: PdfLine[][] = [];
  const heights: number[] = [];
  const toViewportY: ((x: number, y: number) => number)[] = [];
  let characters = 0;
  let unreadable = 0;
  let firstProblem = '';
  for (let index = 0; index < pageCount; index++) {
    checkAborted(context.signal);
    context.progress('pages', index, pageCount);
    if (index % 8 === 0) await yieldToEventLoop();
    let pageText: PdfPageText;
    let lines: PdfLine[];
    let toY: (x: number, y: number) => number;
    try {
      const page = await pdf.getPage(index + 1);
      const viewport = page.getViewport({ scale: 1 });
      const content = await page.getTextContent();
      pageText = { index, width: viewport.width, height: viewport.height, items: [] };
      for (const item of content.items) {
        if (!('str' in item) || item.str.length === 0) continue;
        const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = item.transform as number[];
        const [x, y] = viewport.convertToViewportPoint(e, f) as [number, number];
        const fontSize = Math.hypot(c, d) || Math.hypot(a, b) || item.height;
        pageText.items.push({ str: item.str, x, y, width: item.width, fontSize });
        characters += item.str.trim().length;
      }
      // Layout inside the try: one page with absurd coordinates should not sink the document.
      lines = pageLines(pageText);
      toY = (px, py) => (viewport.convertToViewportPoint(px, py) as [number, number])[1];
      page.cleanup();
      // pdf.js reads a page whose streams failed as one with less text.
      budget.check();
    } catch (error) {
      checkAborted(context.signal);
      budget.check();
      if (pdfError(error).code === 'ENCRYPTED_DOCUMENT') throw pdfError(error);
      unreadable++;
      firstProblem ||= error instanceof Error ? error.message : String(error);
      // One broken page should not lose the book.
      pageText = { index, width: 612, height: 792, items: [] };
      lines = [];
      toY = (_, py) => 792 - py;
    }
    toViewportY.push(toY);
    heights.push(pageText.height);
    pages.push(lines);
    if ((index + 1) % CLEANUP_EVERY_PAGES === 0) await pdf.cleanup();
  }
  context.progress('pages', pageCount, pageCount);
  if (unreadable === pageCount) {
    throw AppError.of('CORRUPT_DOCUMENT', `(${pageCount === 1 ? 'Its page could not' : `None of its ${pageCount} pages could`} be read: ${firstProblem.replace(/\.$/, '')}.)`);
  }
  if (characters === 0) {
    const unread = unreadable > 0 ? `; ${unreadable} could not be read` : '';
    throw AppError.of('NO_TEXT_LAYER', `(${pageCount === 1 ? 'Its page has no text layer' : `None of its ${pageCount} pages has a text layer${unread}`}.)`);
  }

  const lines = removePageFurniture(pages, heights).flat();
  const info = await metadata(pdf);
  const title = info.title ?? titleFromFileName(context.fileName);
  const outline = await outlineStarts(pdf, lines, toViewportY);
  const breaks = new Set(outline.map((start) => start.line));
  const paragraphs = buildParagraphs(lines, breaks);
  const drafts = outline.length > 0 ? chaptersFromOutline(paragraphs, outline, title) : chaptersWithoutOutline(paragraphs, title, pageCount);
  const chapters = buildChapters(drafts);
  if (chapters.length === 0) throw AppError.of('EMPTY_DOCUMENT');
  const document: ImportedDocument = { title, format: 'pdf', chapters };
  if (info.author) document.author = info.author;
  if (info.language) document.language = info.language;
  return document;
}

async function metadata(pdf: PdfDocument): Promise<{ title?: string; author?: string; language?: string }> {
  try {
    const info = (await pdf.getMetadata()).info as Record<string, unknown>;
    const pick = (key: string): string | undefined => (typeof info[key] === 'string' && cleanTitle(info[key]) ? cleanTitle(info[key]) : undefined);
    const out: { title?: string; author?: string; language?: string } = {};
    const title = pick('Title');
    const author = pick('Author');
    const language = pick('Language');
    if (title) out.title = title;
    if (author) out.author = author;
    if (language) out.language = language;
    return out;
  } catch {
    return {};
  }
}

interface OutlineStart {
  title: string;
  line: number;
}

/** Where each top-level outline entry starts, as an index into the reading-order lines. */
async function outlineStarts(pdf: PdfDocument, lines: readonly PdfLine[], toViewportY: readonly ((x: number, y: number) => number)[]): Promise<OutlineStart[]> {
  let outline: OutlineNode[] | null;
  try {
    outline = (await pdf.getOutline()) as OutlineNode[] | null;
  } catch {
    return [];
  }
  if (!outline || outline.length === 0) return [];
  let entries = outline;
  const only = outline[0];
  if (outline.length === 1 && only && only.items.length > 1) entries = only.items;
  const starts: OutlineStart[] = [];
  for (const entry of entries) {
    const target = await resolveDestination(pdf, entry.dest);
    if (!target) continue;
    const top = target.top === undefined ? undefined : toViewportY[target.page]?.(0, target.top);
    const line = lines.findIndex((candidate) => candidate.page > target.page || (candidate.page === target.page && (top === undefined || candidate.y >= top - 2)));
    if (line >= 0) starts.push({ title: cleanTitle(entry.title) || `Chapter ${starts.length + 1}`, line });
  }
  starts.sort((a, b) => a.line - b.line);
  return starts;
}

async function resolveDestination(pdf: PdfDocument, dest: OutlineNode['dest']): Promise<{ page: number; top?: number } | undefined> {
  try {
    const explicit = typeof dest === 'string' ? await pdf.getDestination(dest) : dest;
    if (!Array.isArray(explicit) || explicit.length === 0) return undefined;
    const ref = explicit[0] as unknown;
    const page = typeof ref === 'number' ? ref : await pdf.getPageIndex(ref as Parameters<PdfDocument['getPageIndex']>[0]);
    const mode = (explicit[1] as { name?: string } | undefined)?.name;
    const top = mode === 'XYZ' ? explicit[3] : mode === 'FitH' || mode === 'FitBH' ? explicit[2] : undefined;
    return typeof top === 'number' ? { page, top } : { page };
  } catch {
    return undefined;
  }
}

function toBlock(paragraph: PdfParagraph): FlowBlock {
  return paragraph.level === undefined ? { kind: paragraph.kind, text: paragraph.text } : { kind: paragraph.kind, level: paragraph.level, text: paragraph.text };
}

function chaptersFromOutline(paragraphs: readonly PdfParagraph[], starts: readonly OutlineStart[], title: string): DraftChapter[] {
  const drafts: DraftChapter[] = [{ title, blocks: [] }];
  let next = 0;
  for (const paragraph of paragraphs) {
    while (next < starts.length && (starts[next]?.line ?? Infinity) <= paragraph.firstLine) {
      drafts.push({ title: starts[next]?.title ?? title, blocks: [] });
      next++;
    }
    drafts.at(-1)?.blocks.push(toBlock(paragraph));
  }
  return drafts;
}

function chaptersWithoutOutline(paragraphs: readonly PdfParagraph[], title: string, pageCount: number): DraftChapter[] {
  const byHeadings = splitByHeadings(paragraphs.map(toBlock), title).chapters;
  if (byHeadings.length >= 2) return byHeadings;
  if (pageCount <= CHUNK_ABOVE_PAGES) return [{ title, blocks: paragraphs.map(toBlock) }];
  const drafts: DraftChapter[] = [];
  for (const paragraph of paragraphs) {
    const chunk = Math.floor(paragraph.page / PAGES_PER_CHUNK);
    const first = chunk * PAGES_PER_CHUNK + 1;
    const label = `Pages ${first}–${Math.min(pageCount, first + PAGES_PER_CHUNK - 1)}`;
    const last = drafts.at(-1);
    if (last?.title === label) last.blocks.push(toBlock(paragraph));
    else drafts.push({ title: label, blocks: [toBlock(paragraph)] });
  }
  return drafts;
}
