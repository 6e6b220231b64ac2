// Hostile and broken files: each gives a catalogue error or a sanitised document, quickly,
// and nothing in them runs or loads anything.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError, ErrorCode } from '../../src-shared/errors/catalogue';
import { importFile } from '../../src-main/services/import';
import { DEFAULT_LIMITS } from '../../src-main/services/import/limits';
import { prepareXml } from '../../src-main/services/import/xml-safety';
import { GuardedZip, zipLimitsFor } from '../../src-main/services/import/zip-guard';
import { bombDocx, bombEpub, FixtureDir, makeEncryptedPdf, makeEpub, makeImageOnlyPdf, manyEntriesEpub, PNG_BYTES, storedEntry, writeRawZip, xhtml } from './fixtures';
import { refusal } from './refusal';

const dir = new FixtureDir();
afterAll(() => dir.remove());

/** The code an import is refused with. */
async function errorCode(path: string): Promise<ErrorCode> {
  // How quickly each is refused is measured by `npm run bench:import`, not here.
  return (await refusal(path)).code;
}

describe('files that are not documents', () => {
  it('refuses missing, empty and whitespace-only files', async () => {
    expect(await errorCode(`${dir.path}/missing.txt`)).toBe('FILE_NOT_FOUND');
    expect(await errorCode(dir.write('empty.epub', ''))).toBe('EMPTY_DOCUMENT');
    expect(await errorCode(dir.write('blank.txt', ' \n\n\t \n'))).toBe('EMPTY_DOCUMENT');
    expect(await errorCode(dir.path)).toBe('PATH_IS_FOLDER');
  });

  // A pipe with no writer would hold a blocking open (and the import worker) for ever.
  it.skipIf(process.platform === 'win32')('refuses a named pipe, a device and a socket without waiting for them', async () => {
    const pipe = `${dir.path}/pipe.txt`;
    execFileSync('mkfifo', [pipe]);
    expect(await errorCode(pipe)).toBe('NOT_A_REGULAR_FILE');
    expect(await errorCode('/dev/zero')).toBe('NOT_A_REGULAR_FILE');
    const socketServer = createServer();
    const socket = `${dir.path}/socket.md`;
    await new Promise<void>((resolve) => socketServer.listen(socket, resolve));
    try {
      expect(await errorCode(socket)).toBe('NOT_A_REGULAR_FILE');
    } finally {
      socketServer.close();
    }
  });

  it('refuses a PNG renamed .epub, other binaries, and zips that are not books', async () => {
    expect(await errorCode(dir.write('picture.epub', PNG_BYTES))).toBe('UNSUPPORTED_FORMAT');
    expect(await errorCode(dir.write('program.txt', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0])))).toBe('UNSUPPORTED_FORMAT');
    expect(await errorCode(dir.write('noise.bin', new Uint8Array([1, 2, 3, 0, 0, 0, 4, 5])))).toBe('UNSUPPORTED_FORMAT');
    const JSZip = (await import('jszip')).default;
    const zip = await new JSZip().file('readme.txt', 'hello').generateAsync({ type: 'uint8array' });
    expect(await errorCode(dir.write('archive.zip', zip))).toBe('UNSUPPORTED_FORMAT');
  });

  it('refuses a text file named .pdf as a damaged PDF', async () => {
    expect(await errorCode(dir.write('fake.pdf', 'just some text'))).toBe('CORRUPT_DOCUMENT');
  });

  it('refuses files over the size limit before reading them', async () => {
    const path = dir.write('big.txt', 'x'.repeat(2048));
    await expect(importFile(path, { limits: { maxFileBytes: 1024 } })).rejects.toMatchObject({ code: 'FILE_TOO_LARGE' });
  });
});

describe('broken and hostile zips', () => {
  it('refuses a truncated EPUB as corrupt', async () => {
    const whole = await makeEpub({ files: [{ name: 'c.xhtml', body: `<p>${'Words in a chapter. '.repeat(200)}</p>` }] });
    expect(await errorCode(dir.write('truncated.epub', whole.subarray(0, Math.floor(whole.length / 2))))).toBe('CORRUPT_DOCUMENT');
  });

  it('refuses a zip bomb by its declared sizes before inflating anything', async () => {
    // 1.1 GB of zeros in about 1 MB.
    const bomb = bombEpub(1100);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    expect(await errorCode(dir.write('bomb.epub', bomb))).toBe('ZIP_BOMB');
  });

  it('refuses an entry that inflates past the size it declares', async () => {
    expect(await errorCode(dir.write('liar.epub', bombEpub(16, 4096)))).toBe('ZIP_BOMB');
  });

  it('refuses a zip with more than 10,000 entries', async () => {
    expect(await errorCode(dir.write('many.epub', manyEntriesEpub(10_001)))).toBe('ZIP_BOMB');
  });

  it('refuses billion-laughs and external entities in an EPUB', async () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE html [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]><html xmlns="http://www.w3.org/1999/xhtml"><body><p>&lol9;</p></body></html>`;
    const laughing = await makeEpub({ files: [{ name: 'c.xhtml', body: '' }], raw: { 'c.xhtml': laughs } });
    expect(await errorCode(dir.write('laughs.epub', laughing))).toBe('UNSAFE_DOCUMENT');
    const xxe = `<?xml version="1.0"?><!DOCTYPE package [<!ENTITY secret SYSTEM "file:///etc/passwd">]><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata><title>&secret;</title></metadata></package>`;
    const external = await makeEpub({ files: [{ name: 'c.xhtml', body: '<p>x</p>' }], raw: { 'content.opf': xxe } });
    expect(await errorCode(dir.write('xxe.epub', external))).toBe('UNSAFE_DOCUMENT');
  });

  it('refuses DRM-protected EPUBs', async () => {
    const encryption = `<?xml version="1.0"?><encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/><enc:CipherData><enc:CipherReference URI="OEBPS/c.xhtml"/></enc:CipherData></enc:EncryptedData></encryption>`;
    const encrypted = await makeEpub({ files: [{ name: 'c.xhtml', body: '<p>x</p>' }], extra: { 'META-INF/encryption.xml': encryption } });
    expect(await errorCode(dir.write('drm.epub', encrypted))).toBe('DRM_PROTECTED');
    const adobe = await makeEpub({ files: [{ name: 'c.xhtml', body: '<p>x</p>' }], extra: { 'META-INF/rights.xml': '<rights/>' } });
    expect(await errorCode(dir.write('adobe.epub', adobe))).toBe('DRM_PROTECTED');
  });

  it('refuses an EPUB with no chapters, or with only a cover and nav page', async () => {
    const noSpine = await makeEpub({ files: [], nav: false });
    expect(await errorCode(dir.write('zero.epub', noSpine))).toBe('EMPTY_DOCUMENT');
    const coverOnly = await makeEpub({ files: [], cover: true, toc: [] });
    expect(await errorCode(dir.write('cover-only.epub', coverOnly))).toBe('EMPTY_DOCUMENT');
  });

  it('refuses a DOCX with an inflated part past its declared size', async () => {
    expect(await errorCode(dir.write('liar.docx', bombDocx(16, 4096)))).toBe('ZIP_BOMB');
  });

  it('counts the entries JSZip reads, not those of a zip64 record that it ignores', async () => {
    const limits = zipLimitsFor({ ...DEFAULT_LIMITS, maxZipEntries: 10 }, 'EPUB');
    const entries = (count: number): ReturnType<typeof storedEntry>[] => Array.from({ length: count }, (_, i) => storedEntry(`f${i}.txt`, `file ${i}`));
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
    await expect(GuardedZip.open(crafted, limits)).rejects.toMatchObject({ code: 'ZIP_BOMB' });
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
    await expect(GuardedZip.open(crafted, zipLimitsFor(DEFAULT_LIMITS, 'EPUB'))).rejects.toMatchObject({ code: 'ZIP_BOMB' });
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

describe('PDF problems', () => {
  it('reports a password-protected PDF', async () => {
    expect(await errorCode(dir.write('locked.pdf', makeEncryptedPdf()))).toBe('ENCRYPTED_DOCUMENT');
  });

  it('reports an image-only PDF as having no text layer', async () => {
    expect(await errorCode(dir.write('scan.pdf', await makeImageOnlyPdf()))).toBe('NO_TEXT_LAYER');
  });

  it('reports a truncated PDF as corrupt', async () => {
    expect(await errorCode(dir.write('cut.pdf', '%PDF-1.7\n1 0 obj\n<< /Type /Catalog'))).toBe('CORRUPT_DOCUMENT');
  });
});

describe('active content', () => {
  let requests: string[] = [];
  let base = '';
  const server = createServer((request, response) => {
    requests.push(request.url ?? '');
    response.end('/* fetched */');
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const hostile = (): string => `<html><head><title>Trap</title><script>document.title = 'pwned'; fetch('${base}/script');</script>
    <script src="${base}/external.js"></script><link rel="stylesheet" href="${base}/style.css"><style>@import url("${base}/import.css"); body { background: url("${base}/bg.png"); }</style>
    <meta http-equiv="refresh" content="0; url=${base}/refresh"></head>
    <body onload="fetch('${base}/onload')"><h1>Safe heading</h1><p>Visible text <img src="${base}/image.png" srcset="${base}/2x.png 2x" onerror="fetch('${base}/onerror')"> stays.</p>
    <iframe src="${base}/frame"></iframe><object data="${base}/object"></object><embed src="${base}/embed"><video src="${base}/video" poster="${base}/poster.png"></video>
    <svg><image href="${base}/svg.png"/><script>alert('svg')</script></svg><noscript>Enable JavaScript</noscript><template><p>Template text</p></template>
    <p>Last paragraph.</p></body></html>`;

  it('keeps only the text of HTML with scripts, styles, frames and remote images, and fetches nothing', async () => {
    requests = [];
    const document = await importFile(dir.write('trap.html', hostile()));
    const json = JSON.stringify(document);
    expect(document.chapters.map((chapter) => chapter.text)).toEqual(['Safe heading\n\nVisible text stays.\n\nLast paragraph.']);
    for (const fragment of ['pwned', 'fetch', 'alert', 'background', 'Enable JavaScript', 'Template text', base]) expect(json).not.toContain(fragment);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(requests).toEqual([]);
  });

  it('does the same for Markdown with raw HTML and an EPUB chapter', async () => {
    requests = [];
    const markdown = await importFile(dir.write('trap.md', `# Notes\n\n![remote](${base}/md.png)\n\n<script>fetch('${base}/md')</script>\n\n<iframe src="${base}/md-frame"></iframe>\n\nPlain words.`));
    expect(markdown.chapters[0]?.text).toBe('Notes\n\nPlain words.');
    const epub = await importFile(dir.write('trap.epub', await makeEpub({ files: [{ name: 'c.xhtml', body: '' }], raw: { 'c.xhtml': xhtml(`<p>Chapter text.<img src="${base}/epub.png"/></p><script>fetch('${base}/epub')</script><iframe src="${base}/epub-frame"/>`) } })));
    expect(epub.chapters[0]?.text).toBe('Chapter text.');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(requests).toEqual([]);
  });
});
