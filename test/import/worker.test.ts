// The worker entry is bundled by esbuild exactly as the app build does (ESM, packages
// external), so this also checks that the bundle loads pdf.js and friends from node_modules.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src-shared/errors/catalogue';
import { importFileInWorker, liveImportWorkers } from '../../src-main/services/import';
import type { ImportProgress } from '../../src-main/services/import';
import { blockTexts, FixtureDir, flateBombPdf, hiddenBombPdf, hugeDocx, makeEpub, makeTwoColumnPdf } from './fixtures';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// Inside node_modules so the bundle resolves its external packages like dist/ does.
const OUT_DIR = join(ROOT, 'node_modules/.cache/kokoro-import-test');
const WORKER = join(OUT_DIR, 'import-worker.mjs');

const dir = new FixtureDir();
afterAll(() => dir.remove());

beforeAll(async () => {
  mkdirSync(OUT_DIR, { recursive: true });
  await build({
    entryPoints: [join(ROOT, 'src-main/services/import/import-worker.ts')],
    outfile: WORKER,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'error',
  });
});

describe('importFileInWorker', () => {
  it('imports an EPUB and a PDF in a worker thread and reports progress', async () => {
    const epub = dir.write('book.epub', await makeEpub({ title: 'Worker Book', files: [{ name: 'a.xhtml', body: '<h1>A</h1><p>Text.</p>' }] }));
    const progress: ImportProgress[] = [];
    const document = await importFileInWorker(epub, { workerEntry: WORKER, onProgress: (p) => progress.push(p) });
    expect(document.title).toBe('Worker Book');
    expect(blockTexts(document)).toEqual(['A', 'Text.']);
    expect(progress.some((p) => p.stage === 'chapters')).toBe(true);

    const pdf = dir.write('doc.pdf', await makeTwoColumnPdf({ pages: [['Hello from a PDF page.']] }));
    const fromPdf = await importFileInWorker(pdf, { workerEntry: WORKER });
    expect(blockTexts(fromPdf)).toEqual(['Hello from a PDF page.']);
  });

  it('brings catalogue errors back across the thread', async () => {
    await expect(importFileInWorker(join(dir.path, 'nope.epub'), { workerEntry: WORKER })).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    const error = await importFileInWorker(dir.write('empty.txt', ''), { workerEntry: WORKER }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'EMPTY_DOCUMENT' });
  });

  it('stops on cancel and on timeout', async () => {
    const path = dir.write('slow.txt', 'Some text.');
    const controller = new AbortController();
    const cancelled = importFileInWorker(path, { workerEntry: WORKER, signal: controller.signal });
    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(importFileInWorker(path, { workerEntry: WORKER, timeoutMs: 1 })).rejects.toMatchObject({ code: 'IMPORT_TIMEOUT' });
  });

  it('refuses PDF Flate bombs (one behind ASCIIHex) and a DOCX with a 200 MB part in the worker by their limits', async () => {
    const bomb = importFileInWorker(dir.write('bomb.pdf', flateBombPdf(500)), { workerEntry: WORKER });
    await expect(bomb).rejects.toMatchObject({ code: 'FILE_TOO_LARGE', message: expect.stringContaining('the limit for one stream') as string });
    const hidden = importFileInWorker(dir.write('hidden.pdf', hiddenBombPdf('ASCIIHex before Flate', 500)), { workerEntry: WORKER });
    await expect(hidden).rejects.toMatchObject({ code: 'FILE_TOO_LARGE', message: expect.stringContaining('the limit for one stream') as string });
    const docx = importFileInWorker(dir.write('huge.docx', hugeDocx(200)), { workerEntry: WORKER });
    await expect(docx).rejects.toMatchObject({ code: 'FILE_TOO_LARGE', message: expect.stringContaining('the limit for one part of a DOCX is 4 MB') as string });
  });

  it('settles at once with IMPORT_TIMEOUT when the worker never answers, and stops that worker', async () => {
    // A worker stuck in a loop: it never reads its messages or yields.
    const spinner = dir.write('spin.mjs', 'while (true) {}');
    const path = dir.write('any.txt', 'Some text.');
    await expect(importFileInWorker(path, { workerEntry: spinner, timeoutMs: 200 })).rejects.toMatchObject({ code: 'IMPORT_TIMEOUT' });
    await expect.poll(() => liveImportWorkers(), { timeout: 60_000 }).toBe(0);
    // The next import gets a fresh worker.
    expect(blockTexts(await importFileInWorker(path, { workerEntry: WORKER }))).toEqual(['Some text.']);
    await expect.poll(() => liveImportWorkers(), { timeout: 60_000 }).toBe(0);
  });

  it('says so when the worker entry is not configured', async () => {
    await expect(importFileInWorker(join(dir.path, 'x.txt'))).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
