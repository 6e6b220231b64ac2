import { afterAll, describe, expect, it } from 'vitest';
import { documentProblems } from '../../src-shared/document';
import type { ImportedDocument } from '../../src-shared/document';
import { importFile } from '../../src-main/services/import';
import { blockTexts, FixtureDir, makeEpub } from './fixtures';

const dir = new FixtureDir();
afterAll(() => dir.remove());

const titles = (document: ImportedDocument): string[] => document.chapters.map((chapter) => chapter.title);

describe('EPUB 3', () => {
  it('reads chapters in spine order with nav titles, skipping the cover and nav page, notes out of the flow', async () => {
    const bytes = await makeEpub({
      title: 'The Sea',
      author: 'Mar Azul',
      language: 'es',
      cover: true,
      files: [
        { name: 'one.xhtml', body: '<h1>I</h1><p>The tide came in<a epub:type="noteref" href="#n1">1</a>.</p><aside epub:type="footnote" id="n1"><p>Twice a day.</p></aside><p>Then it went out.</p>' },
        { name: 'two.xhtml', body: '<h1>II</h1><p>Gulls&nbsp;cried &mdash; loudly.</p>' },
      ],
      toc: [
        { title: 'The Tide', href: 'one.xhtml' },
        { title: 'The Gulls', href: 'two.xhtml' },
      ],
    });
    const document = await importFile(dir.write('sea.epub', bytes));
    expect(document).toMatchObject({ title: 'The Sea', author: 'Mar Azul', language: 'es', format: 'epub' });
    expect(titles(document)).toEqual(['The Tide', 'The Gulls']);
    expect(blockTexts(document, 0)).toEqual(['I', 'The tide came in.', 'Then it went out.', 'Twice a day.']);
    expect(document.chapters[0]?.blocks.map((block) => Boolean(block.skipFromReading))).toEqual([false, false, false, true]);
    expect(blockTexts(document, 1)).toEqual(['II', 'Gulls\u00a0cried — loudly.']);
    const all = JSON.stringify(document);
    expect(all).not.toContain('Contents');
    expect(all).not.toContain('Cover');
    expect(documentProblems(document)).toEqual([]);
  });

  it('splits a file at TOC fragments, continues a chapter over files the TOC does not name, and ignores deeper entries', async () => {
    const bytes = await makeEpub({
      files: [
        { name: 'part1.xhtml', body: '<h1 id="a">Alpha</h1><p>Alpha text.</p><h2 id="a1">Alpha one</h2><p>More alpha.</p><h1 id="b">Beta</h1><p>Beta text.</p>' },
        { name: 'part1_split.xhtml', body: '<p>Beta continues in another file.</p>' },
        { name: 'part2.xhtml', body: '<h1>Gamma</h1><p>Gamma text.</p>' },
        { name: 'notes.xhtml', body: '<p>Not in the reading order.</p>', linear: false },
      ],
      toc: [
        { title: 'Alpha', href: 'part1.xhtml#a', children: [{ title: 'Alpha one', href: 'part1.xhtml#a1' }] },
        { title: 'Beta', href: 'part1.xhtml#b' },
        { title: 'Gamma', href: 'part2.xhtml' },
      ],
    });
    const document = await importFile(dir.write('split.epub', bytes));
    expect(titles(document)).toEqual(['Alpha', 'Beta', 'Gamma']);
    expect(blockTexts(document, 0)).toEqual(['Alpha', 'Alpha text.', 'Alpha one', 'More alpha.']);
    expect(blockTexts(document, 1)).toEqual(['Beta', 'Beta text.', 'Beta continues in another file.']);
    expect(JSON.stringify(document)).not.toContain('Not in the reading order');
    expect(documentProblems(document)).toEqual([]);
  });

  it('falls back to headings for titles when there is no TOC, and keeps endnote sections unread', async () => {
    const bytes = await makeEpub({
      nav: false,
      files: [
        { name: 'a.xhtml', body: '<section><h2>Opening</h2><p>First words.</p></section>' },
        { name: 'b.xhtml', body: '<p>No heading here.</p>' },
        { name: 'c.xhtml', body: '<section epub:type="endnotes"><h2>Notes</h2><ol><li id="e1">An endnote.</li></ol></section>' },
      ],
    });
    const document = await importFile(dir.write('notoc.epub', bytes));
    expect(titles(document)).toEqual(['Opening', 'Section 2', 'Notes']);
    expect(document.chapters[2]?.blocks.every((block) => block.skipFromReading)).toBe(true);
  });

  it('substitutes literal entities a chapter declares and accepts font obfuscation', async () => {
    const chapter = `<?xml version="1.0"?><!DOCTYPE html [<!ENTITY author "Ann Smith">]><html xmlns="http://www.w3.org/1999/xhtml"><body><p>By &author;.</p></body></html>`;
    const encryption = `<?xml version="1.0"?><encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.idpf.org/2008/embedding"/><enc:CipherData><enc:CipherReference URI="OEBPS/font.otf"/></enc:CipherData></enc:EncryptedData></encryption>`;
    const bytes = await makeEpub({ files: [{ name: 'c.xhtml', body: '' }], raw: { 'c.xhtml': chapter }, extra: { 'META-INF/encryption.xml': encryption } });
    const document = await importFile(dir.write('entities.epub', bytes));
    expect(blockTexts(document)).toEqual(['By Ann Smith.']);
  });

  it('keeps the text of sloppy XHTML (bare <br> and <img>) that an XML parse nests', async () => {
    const bytes = await makeEpub({ files: [{ name: 'c.xhtml', body: '<p>Line one<br>Line two</p><p>Before <img src="x.png"> after.</p><p>Last.</p>' }] });
    const document = await importFile(dir.write('sloppy.epub', bytes));
    expect(blockTexts(document)).toEqual(['Line one\nLine two', 'Before after.', 'Last.']);
  });
});

describe('EPUB 2', () => {
  it('takes titles from the NCX and skips the guide cover', async () => {
    const bytes = await makeEpub({
      version: 2,
      title: 'Old Book',
      cover: true,
      files: [
        { name: 'ch1.xhtml', body: '<h2>One</h2><p>It was a dark night.</p>' },
        { name: 'ch2.xhtml', body: '<h2>Two</h2><p>Morning came.</p>' },
      ],
      toc: [
        { title: 'Chapter the First', href: 'ch1.xhtml' },
        { title: 'Chapter the Second', href: 'ch2.xhtml' },
      ],
    });
    const document = await importFile(dir.write('old.epub', bytes));
    expect(document.title).toBe('Old Book');
    expect(titles(document)).toEqual(['Chapter the First', 'Chapter the Second']);
    expect(blockTexts(document, 1)).toEqual(['Two', 'Morning came.']);
  });

  it('reads XHTML in a declared legacy encoding', async () => {
    const body = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="windows-1252"?><html xmlns="http://www.w3.org/1999/xhtml"><body><p>Na'), Buffer.from([0xef]), Buffer.from('ve </p></body></html>')]);
    const bytes = await makeEpub({ version: 2, files: [{ name: 'c.xhtml', body: '' }], extra: { 'OEBPS/c.xhtml': body } });
    const document = await importFile(dir.write('legacy.epub', bytes));
    expect(blockTexts(document)).toEqual(['Naïve']);
  });
});
