// Regressions from the importer review: quadratic work on hostile input, stray PDF items,
// zip directory tricks, wrong charset labels, DOCTYPE decoys and huge Math.min/max spreads.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src-shared/errors/catalogue';
import { importBytes } from '../../src-main/services/import';
import { DEFAULT_LIMITS } from '../../src-main/services/import/limits';
import { buildParagraphs, pageLines } from '../../src-main/services/import/pdf-layout';
import type { PdfLine, PdfTextItem } from '../../src-main/services/import/pdf-layout';
import { importPlainText } from '../../src-main/services/import/text-importer';
import { decodeText } from '../../src-main/services/import/text-decode';
import { prepareXml } from '../../src-main/services/import/xml-safety';
import { splitByHeadings } from '../../src-main/services/import/chapters';
import { GuardedZip } from '../../src-main/services/import/zip-guard';
import { storedEntry, writeRawZip } from './fixtures';

/** Runs `work` and returns how long it took, in ms. */
function timed(work: () => void): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).code;
  }
  throw new Error('no error');
}

describe('plain text line ends', () => {
  it('trims line ends in linear time, even after a long run of spaces inside a line', () => {
    const text = `${' '.repeat(100_000)}x`;
    let document: ReturnType<typeof importPlainText> | undefined;
    const ms = timed(() => {
      document = importPlainText(new TextEncoder().encode(text), 'spaces.txt');
    });
    expect(ms).toBeLessThan(500);
    expect(document?.chapters[0]?.text).toBe('x');
  });

  it('still drops spaces and tabs before each line end and keeps the rest', () => {
    const document = importPlainText(new TextEncoder().encode('one \t\r\n  two\u00a0 \nthree\u2028four  \n\nnext  '), 'ends.txt');
    expect(document.chapters[0]?.text).toContain('one\n  two\u00a0\nthree\u2028four');
    expect(document.chapters[0]?.text).toContain('next');
    expect(document.chapters[0]?.text).not.toMatch(/[ \t]\n/);
  });
});

describe('PDF stray items', () => {
  const item = (str: string, x: number, y: number, fontSize = 10): PdfTextItem => ({ str, x, y, width: str.length * fontSize * 0.5, fontSize });
  const columns = (): PdfTextItem[] => {
    const items: PdfTextItem[] = [];
    for (let row = 0; row < 6; row++) items.push(item(`left ${row} words words`, 50, 100 + row * 12), item(`right ${row} words words`, 330, 100 + row * 12));
    return items;
  };

  it('ignores an item far outside the page instead of throwing or stalling, and still finds the columns', () => {
    const expected = pageLines({ index: 0, width: 612, height: 792, items: columns() }).map((line) => line.text);
    for (const x of [1e12, 3e7, -1e9]) {
      let texts: string[] = [];
      const ms = timed(() => {
        texts = pageLines({ index: 0, width: 612, height: 792, items: [...columns(), item('stray', x, 200)] }).map((line) => line.text);
      });
      expect(texts).toEqual(expected);
      expect(ms).toBeLessThan(200);
    }
  });

  it('finds the top of a line with very many items', () => {
    const items = Array.from({ length: 200_000 }, (_, i) => item('a', i * 0.001, 100 + (i % 3) * 0.1));
    const lines = pageLines({ index: 0, width: 612, height: 792, items });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.y).toBeCloseTo(100.2);
  });
});

describe('PDF paragraphs', () => {
  const line = (text: string, index: number, x = 50): PdfLine => ({ page: Math.floor(index / 60), text, x, right: 560, y: 60 + (index % 60) * 12, fontSize: 10, column: 0 });

  it('joins tens of thousands of lines into one paragraph in linear time, hyphens handled', () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => line(i % 2 ? 'ordinary text goes on and on and' : 'words of an extra-', i));
    let text = '';
    const ms = timed(() => {
      const paragraphs = buildParagraphs(lines);
      expect(paragraphs).toHaveLength(1);
      text = paragraphs[0]?.text ?? '';
    });
    expect(ms).toBeLessThan(1000);
    expect(text.startsWith('words of an extraordinary text goes on and on and words of an extraordinary')).toBe(true);
    expect(text).toHaveLength(15_000 * ('words of an extraordinary text goes on and on and'.length + 1) - 1);
  });

  it('drops a soft hyphen and keeps known compounds across lines', () => {
    const paragraphs = buildParagraphs([line('soft\u00ad', 0), line('ware and a well-', 1), line('known fact, a well-known one.', 2)]);
    expect(paragraphs.map((paragraph) => paragraph.text)).toEqual(['software and a well-known fact, a well-known one.']);
  });

  it('ends a sentence at CJK full stops', () => {
    // Each next line is indented, which starts a paragraph only after a finished sentence.
    for (const end of ['。', '！', '？']) {
      const paragraphs = buildParagraphs([line(`これは最初の段落です${end}`, 0), line('次の段落が始まります。', 1, 70)]);
      expect(paragraphs.map((paragraph) => paragraph.text)).toEqual([`これは最初の段落です${end}`, '次の段落が始まります。']);
    }
    expect(buildParagraphs([line('これは続いている', 0), line('文です。', 1, 70)])).toHaveLength(1);
  });
});

describe('zip directory checks', () => {
  const limits = { ...DEFAULT_LIMITS, maxZipEntries: 10 };
  const entries = (count: number): ReturnType<typeof storedEntry>[] => Array.from({ length: count }, (_, i) => storedEntry(`f${i}.txt`, `file ${i}`));

  it('ignores a zip64 record that JSZip ignores (normal record not saturated)', async () => {
    const zip = Buffer.from(writeRawZip(entries(11)));
    const eocd = zip.length - 22;
    const directorySize = zip.readUInt32LE(eocd + 12);
    const directoryOffset = zip.readUInt32LE(eocd + 16);
    // A zip64 end record claiming 0 entries, and its locator, between the directory and the end record.
    const zip64 = Buffer.alloc(56);
    zip64.writeUInt32LE(0x06064b50, 0);
    zip64.writeBigUInt64LE(44n, 4);
    zip64.writeBigUInt64LE(BigInt(directoryOffset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(eocd), 8);
    locator.writeUInt32LE(1, 16);
    const end = Buffer.from(zip.subarray(eocd));
    // The normal record's directory size covers the zip64 records, so JSZip reads it without shifting.
    end.writeUInt32LE(directorySize + 76, 12);
    const crafted = new Uint8Array(Buffer.concat([zip.subarray(0, eocd), zip64, locator, end]));
    expect(await codeOf(GuardedZip.open(crafted, limits))).toBe('ZIP_BOMB');
    // The same archive without the trick opens.
    expect((await GuardedZip.open(writeRawZip(entries(10)), limits)).names()).toHaveLength(10);
  });

  it('checks the declared sizes JSZip loaded (it takes the last zip64 extra field)', async () => {
    const zip = Buffer.from(writeRawZip([storedEntry('a.txt', 'tiny')]));
    const eocd = zip.length - 22;
    const directoryOffset = zip.readUInt32LE(eocd + 16);
    const central = Buffer.from(zip.subarray(directoryOffset, eocd));
    const nameLength = central.readUInt16LE(28);
    // Uncompressed size 0xFFFFFFFF, then two zip64 extra fields: 4 bytes first, 1.5 GiB last
    // (JSZip reads 64-bit numbers through 32-bit shifts: it must stay below 2 GiB).
    central.writeUInt32LE(0xffffffff, 24);
    const extra = Buffer.alloc(24);
    extra.writeUInt16LE(1, 0);
    extra.writeUInt16LE(8, 2);
    extra.writeBigUInt64LE(4n, 4);
    extra.writeUInt16LE(1, 12);
    extra.writeUInt16LE(8, 14);
    extra.writeBigUInt64LE(3n * 512n * 1024n ** 2n, 16);
    central.writeUInt16LE(extra.length, 30);
    const directory = Buffer.concat([central.subarray(0, 46 + nameLength), extra, central.subarray(46 + nameLength)]);
    const end = Buffer.from(zip.subarray(eocd));
    end.writeUInt32LE(directory.length, 12);
    const crafted = new Uint8Array(Buffer.concat([zip.subarray(0, directoryOffset), directory, end]));
    expect(await codeOf(GuardedZip.open(crafted, DEFAULT_LIMITS))).toBe('ZIP_BOMB');
  });
});

describe('declared UTF-16 without a BOM', () => {
  it('reads an ASCII page that declares utf-16 as UTF-8', async () => {
    const html = '<!DOCTYPE html><html><head><meta charset="utf-16"><title>Page</title></head><body><h1>Heading</h1><p>Plain café text.</p></body></html>';
    const document = await importBytes(new TextEncoder().encode(html), 'page.html');
    expect(document.chapters.map((chapter) => chapter.text).join('\n')).toContain('Plain café text.');
    expect(decodeText(new TextEncoder().encode('abc'), { declared: 'UTF-16BE' })).toEqual({ text: 'abc', encoding: 'utf-8' });
    // A real UTF-16 file (recognised by its zero bytes) is still read as UTF-16.
    expect(decodeText(new Uint8Array(Buffer.from('abcd', 'utf16le')), { declared: 'utf-16' })).toEqual({ text: 'abcd', encoding: 'utf-16le' });
  });
});

describe('DOCTYPE decoys', () => {
  it('does not let a commented-out DOCTYPE hide the real one', () => {
    const source = '<?xml version="1.0"?><!-- <!DOCTYPE decoy> --><!DOCTYPE html [<!ENTITY e "value">]><html>&e;</html>';
    let text = '';
    try {
      text = prepareXml(source).text;
    } catch (error) {
      expect((error as AppError).code).toBe('UNSAFE_DOCUMENT');
      return;
    }
    // Whatever is done, the real DOCTYPE must not reach the parser.
    expect(text).not.toMatch(/<!DOCTYPE html|<!ENTITY/i);
  });

  it('refuses a document with two DOCTYPEs', () => {
    expect(() => prepareXml('<!DOCTYPE a><!DOCTYPE b [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>')).toThrow(expect.objectContaining({ code: 'UNSAFE_DOCUMENT' }) as Error);
    expect(prepareXml('<!DOCTYPE html [<!ENTITY e "v">]><html>&e;</html>')).toEqual({ text: '<html>v</html>', hadDoctype: true });
  });
});

describe('huge arrays', () => {
  it('splits a flow with more headings than a spread can pass', () => {
    const blocks = Array.from({ length: 600_000 }, (_, i) =>
      i % 2 ? { kind: 'paragraph' as const, text: `Text ${i}` } : { kind: 'heading' as const, level: i === 0 ? 1 : 2, text: `H${i}` },
    );
    const split = splitByHeadings(blocks, 'Fallback');
    expect(split.documentHeading).toBe('H0');
    expect(split.chapters).toHaveLength(300_000);
  });
});
