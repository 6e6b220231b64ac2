// The decode budget patched into pdf.js's worker classes (pdf-decode-budget.ts). The hostile
// PDFs that it refuses are in bounds.test.ts; here, what they cannot reach from a file: the
// audited pdf.js version, the image decoders, and decoding outside an import.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { loadPdfJs, loadPdfJsWorkerInternals, withPdfDecodeBudget } from '../../src-main/services/import/pdf-decode-budget';
import type { WorkerClass } from '../../src-main/services/import/pdf-decode-budget';

interface DecodeStreamLike {
  getBytes(length?: number): Uint8Array;
  getImageData(length: number): Promise<Uint8Array>;
  ensureBuffer(requested: number): Uint8Array;
}

const construct = (type: WorkerClass, ...args: unknown[]): DecodeStreamLike => new (type as unknown as new (...a: unknown[]) => DecodeStreamLike)(...args);

describe('pdf.js decode budget', () => {
  it('is installed in the pdf.js version it was checked against', async () => {
    const pdfjs = await loadPdfJs();
    const pinned = (createRequire(import.meta.url)('../../package.json') as { dependencies: Record<string, string> }).dependencies['pdfjs-dist'];
    // An upgrade may add a decoder or a decode path: re-read pdf.worker.mjs against
    // pdf-decode-budget.ts (ensureBuffer, asyncGetBytesFromDecompressionStream, the image
    // decoders), then move this version.
    expect(pdfjs.version).toBe('5.6.205');
    expect(pinned).toBe(pdfjs.version);
  });

  it('never runs the image decoders (JPEG, JPEG 2000, JBIG2, CCITT): their output size comes from the image', async () => {
    const internals = await loadPdfJsWorkerInternals();
    // A JPEG header claiming 65,000 x 65,000 pixels; the decoder would size its buffers from it.
    const jpeg = Buffer.from('ffd8ffc0000b08fde8fde80101110000ffd9', 'hex');
    await withPdfDecodeBudget({ maxPdfStreamBytes: 1024, maxPdfDecodedBytes: 4096 }, async () => {
      for (const decoder of [internals.JpegStream, internals.JpxStream, internals.Jbig2Stream, internals.CCITTFaxStream]) {
        const stream = (): DecodeStreamLike => construct(decoder, construct(internals.Stream, new Uint8Array(jpeg)), jpeg.length, null);
        expect(() => stream().getBytes()).toThrow('Images are not decoded');
        await expect(stream().getImageData(100)).rejects.toThrow('Images are not decoded');
      }
    });
  });

  it('lets a decoder grow only within the import budget, and not at all outside an import', async () => {
    const { DecodeStream } = await loadPdfJsWorkerInternals();
    expect(() => construct(DecodeStream).ensureBuffer(100)).toThrow('outside an import');
    await withPdfDecodeBudget({ maxPdfStreamBytes: 1024, maxPdfDecodedBytes: 4096 }, async (budget) => {
      expect(construct(DecodeStream).ensureBuffer(1000).length).toBe(1024);
      // pdf.js sizes a first buffer from the encoded length (here 100 kB): never past one stream's limit.
      expect(construct(DecodeStream, 100_000).ensureBuffer(10).length).toBe(1024);
      construct(DecodeStream).ensureBuffer(1000);
      construct(DecodeStream).ensureBuffer(1000);
      expect(budget.error()).toBeUndefined();
      // 4 x 1024 bytes held: the next 512 pass the document's limit, and every later growth fails.
      expect(() => construct(DecodeStream).ensureBuffer(1)).toThrow('limit passed');
      expect(budget.error()?.message).toContain("The PDF's streams unpack to more than 4 KB, the limit for one PDF.");
      expect(() => construct(DecodeStream).ensureBuffer(1)).toThrow('limit passed');
    });
    await withPdfDecodeBudget({ maxPdfStreamBytes: 1024, maxPdfDecodedBytes: 4096 }, async (budget) => {
      expect(() => construct(DecodeStream).ensureBuffer(1025)).toThrow('limit passed');
      expect(() => budget.check()).toThrow(expect.objectContaining({ code: 'FILE_TOO_LARGE' }) as Error);
    });
  });
});
