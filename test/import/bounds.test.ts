// Bounded import memory and time: files that expand (Flate streams, zip entries), very long
// files and documents are refused by a limit that the message names, before the parser is
// given more than it can take; a stopped import's worker really stops.
import { open } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImportedDocument } from '../../src-shared/document/model';
import { checkDocumentLength } from '../../src-shared/document/reading';
import { MAX_TEXT_LENGTH } from '../../src-shared/speech/limits';
import { importFile } from '../../src-main/services/import';
import type { ImportProgress } from '../../src-main/services/import';
import {
  circularPagesPdf,
  FixtureDir,
  flateBombPdf,
  HIDDEN_BOMBS,
  hiddenBombPdf,
  hugeChapterEpub,
  hugeDocx,
  makeEpub,
  makeImageOnlyPdf,
  makeTwoColumnPdf,
  objectStreamPdf,
} from './fixtures';
import { refusal } from './refusal';

const dir = new FixtureDir();
afterAll(() => dir.remove());

describe('PDF streams that expand', () => {
  it('refuses a Flate stream of 300 MB of zeros (a 0.3 MB file) by the per-stream limit', async () => {
    const bomb = flateBombPdf(300);
    expect(bomb.length).toBeLessThan(400 * 1024);
    const error = await refusal(dir.write('bomb.pdf', bomb));
    expect(error.code).toBe('FILE_TOO_LARGE');
    expect(error.message).toContain('A stream of the PDF unpacks to more than 32 MB, the limit for one stream.');
  });

  it('refuses streams that pass the per-document limit together, each under the per-stream one', async () => {
    const path = dir.write('pages.pdf', flateBombPdf(3, 3));
    const limits = { maxPdfStreamBytes: 4 * 1024 * 1024, maxPdfDecodedBytes: 8 * 1024 * 1024 };
    const error = await refusal(path, { limits });
    expect(error.code).toBe('FILE_TOO_LARGE');
    expect(error.message).toContain("The PDF's streams unpack to more than 8 MB, the limit for one PDF.");
    // Under both limits the same file is read (and found to have no text: its pages are zeros).
    expect((await refusal(path, { limits: { ...limits, maxPdfDecodedBytes: 10 * 1024 * 1024 } })).code).toBe('NO_TEXT_LAYER');
  });

  // Small limits keep the test light: each stream would decode to 16 MB; 2 MB is the most pdf.js may hold.
  const small = { maxPdfStreamBytes: 2 * 1024 * 1024, maxPdfDecodedBytes: 8 * 1024 * 1024 };

  it.each(HIDDEN_BOMBS)('refuses a stream that expands whatever hides it: %s', async (kind) => {
    const pdf = hiddenBombPdf(kind, 16);
    expect(pdf.length).toBeLessThan(300 * 1024);
    const error = await refusal(dir.write('hidden.pdf', pdf), { limits: small });
    expect(error.code).toBe('FILE_TOO_LARGE');
    expect(error.message).toContain('A stream of the PDF unpacks to more than 2 MB, the limit for one stream.');
  });

  it('counts an object stream pdf.js decodes to find the pages', async () => {
    const path = dir.write('objstm.pdf', objectStreamPdf(16, 0));
    const error = await refusal(path, { limits: small });
    expect(error.code).toBe('FILE_TOO_LARGE');
    expect(error.message).toContain('A stream of the PDF unpacks to more than 2 MB, the limit for one stream.');
    // The same file within the limits is opened: its page has no text.
    expect((await refusal(path, { limits: { maxPdfStreamBytes: 32 * 1024 * 1024 } })).code).toBe('NO_TEXT_LAYER');
  });

  it('keeps one budget per import: a hostile PDF opened beside a normal one fails alone', async () => {
    // Forty pages (of different text, or they read as running headers), so the normal import is
    // still decoding when the hostile one, started first, passes its limit: a budget shared
    // between them would refuse both.
    const name = (i: number): string => `${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}x`;
    const normal = dir.write('normal.pdf', await makeTwoColumnPdf({ pages: Array.from({ length: 40 }, (_, i) => [`Here the story of ${name(i)} begins.`, `It goes on with ${name(i)} and ${name(i + 7)}.`]) }));
    const hostile = dir.write('hostile.pdf', hiddenBombPdf('LZW', 16));
    const [refused, read] = await Promise.all([refusal(hostile, { limits: small }), importFile(normal, { limits: small })]);
    expect(refused.code).toBe('FILE_TOO_LARGE');
    const text = read.chapters.map((chapter) => chapter.text).join('\n');
    expect(text).toContain(`Here the story of ${name(0)} begins.`);
    expect(text).toContain(`Here the story of ${name(39)} begins.`);
  });

  it('refuses a PDF with more pages than the limit, naming both', async () => {
    const path = dir.write('five.pdf', await makeTwoColumnPdf({ pages: Array.from({ length: 5 }, (_, i) => [`Page ${i + 1}.`]) }));
    const error = await refusal(path, { limits: { maxPdfPages: 4 } });
    expect(error.code).toBe('FILE_TOO_LARGE');
    expect(error.message).toContain('(It has 5 pages; the limit for one PDF is 4.)');
  });
});

describe('PDF messages', () => {
  it('says a PDF whose page tree is circular is damaged, not that it has a text layer', async () => {
    const error = await refusal(dir.write('circular.pdf', circularPagesPdf()));
    expect(error.code).toBe('CORRUPT_DOCUMENT');
    expect(error.message).toContain('(Its page could not be read: Pages tree contains circular reference.)');
  });

  it('says a page without text has no text layer, and counts the pages of a longer PDF', async () => {
    const error = await refusal(dir.write('blank.pdf', flateBombPdf(1)));
    expect(error.code).toBe('NO_TEXT_LAYER');
    expect(error.message).toContain('(Its page has no text layer.)');
    expect((await refusal(dir.write('scan.pdf', await makeImageOnlyPdf()))).message).toContain('(None of its 2 pages has a text layer.)');
  });
});

describe('zip entries that expand', () => {
  it('refuses an EPUB chapter of 200 MB (a 0.7 MB file) by its declared size, naming the EPUB limit', async () => {
    const epub = hugeChapterEpub(200);
    expect(epub.length).toBeLessThan(1024 * 1024);
    const error = await refusal(dir.write('huge.epub', epub));
    expect(error.code).toBe('FILE_TOO_LARGE');
    expect(error.message).toContain('("c.xhtml" unpacks to 200 MB; the limit for one part of an EPUB is 8 MB.)');
  });

  it('refuses a DOCX whose document.xml is 200 MB, naming the DOCX limit', async () => {
    const error = await refusal(dir.write('huge.docx', hugeDocx(200)));
    expect(error.code).toBe('FILE_TOO_LARGE');
    expect(error.message).toContain('("word/document.xml" unpacks to 200 MB; the limit for one part of a DOCX is 4 MB.)');
  });

  it('names the limit for all the parts read when that is the one hit', async () => {
    const chapter = (n: number): { name: string; body: string } => ({ name: `c${n}.xhtml`, body: `<p>${`Chapter ${n} words go on. `.repeat(30_000)}</p>` });
    const path = dir.write('two.epub', await makeEpub({ files: [chapter(1), chapter(2)] }));
    const error = await refusal(path, { limits: { maxEpubReadBytes: 1024 * 1024 } });
    expect(error.code).toBe('FILE_TOO_LARGE');
    expect(error.message).toContain('(Its parts unpack to more than 1 MB, the limit for an EPUB.)');
    // Within the limits it opens.
    expect((await importFile(path)).chapters).toHaveLength(2);
  });
});

describe('long text files and documents', () => {
  it('refuses a 200 MB text file from its first bytes, before reading it, with the text limit', async () => {
    const path = dir.write('long.txt', 'A text file that goes on for a very long time.\n\n'.repeat(200));
    // Sparse: 200 MB on paper, nothing written past the first lines.
    const handle = await open(path, 'r+');
    await handle.truncate(200 * 1024 * 1024);
    await handle.close();
    const progress: ImportProgress[] = [];
    const error = await refusal(path, { onProgress: (p) => progress.push(p) });
    expect(error.code).toBe('FILE_TOO_LARGE');
    expect(error.message).toContain('(It is 200 MB; the limit for a text, Markdown or HTML file is 16 MB.)');
    expect(error.message).not.toContain('open it as a document');
    expect(progress).toEqual([]);
  });

  it('refuses a document with more text than the reader takes as a document', () => {
    const chapter = (text: string): ImportedDocument['chapters'][number] => ({ title: 'C', order: 0, text, blocks: [] });
    const long: ImportedDocument = { title: 'Long', format: 'epub', chapters: [chapter('x'.repeat(MAX_TEXT_LENGTH / 2)), chapter('y'.repeat(MAX_TEXT_LENGTH / 2))] };
    // The two chapters fill the limit; the separator between them passes it.
    expect(() => checkDocumentLength(long)).toThrow(expect.objectContaining({ code: 'DOCUMENT_TOO_LONG' }) as Error);
    expect(() => checkDocumentLength({ ...long, chapters: [chapter('x'.repeat(MAX_TEXT_LENGTH))] })).not.toThrow();
  });
});

describe('cancelling', () => {
  it('stops a PDF between pages once the signal is aborted', async () => {
    const path = dir.write('thirty.pdf', await makeTwoColumnPdf({ pages: Array.from({ length: 30 }, (_, i) => [`Page ${i + 1} has words.`]) }));
    const controller = new AbortController();
    const pages: number[] = [];
    const error = await refusal(path, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.stage !== 'pages') return;
        pages.push(p.done);
        if (p.done === 3) controller.abort();
      },
    });
    expect(error.code).toBe('CANCELLED');
    expect(Math.max(...pages)).toBe(3);
  });
});
