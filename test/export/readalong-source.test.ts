// The read-along EPUB of an EPUB input is the source book itself: its files kept, its
// sentences wrapped in spans where they are, and overlays that tile each chapter's audio.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import JSZip from 'jszip';
import { DOMParser } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src-main/services/import';
import { writeReadAlongEpub } from '../../src-main/services/export/readalong-epub';
import type { ChapterAudioFile } from '../../src-main/services/export/readalong-epub';
import { significantKey } from '../../src-main/services/export/readalong-source';
import type { ImportedDocument } from '../../src-shared/document/model';
import { APP_SAMPLE_RATE } from '../../src-shared/speech/types';
import { makeEpub } from '../import/fixtures';
import { resolveInZip, secondsOf } from './epub-paths';
import { timelineOf } from './timeline';
import type { Timeline } from './timeline';

type Node = Record<string, unknown>;
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', isArray: (name) => ['item', 'itemref', 'meta', 'par'].includes(name) });
const ONE_SAMPLE = 1 / APP_SAMPLE_RATE;
const STYLE_SHEET = 'p.kept { text-indent: 1em; }\n';
const PICTURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 9, 8, 7, 6]);

const CHAPTERS = [
  {
    name: 'ch1.xhtml',
    body:
      '<h1 class="kept-heading">The First</h1>' +
      '<p class="kept">It began at <em>five</em> o’clock. <em>She said</em> nothing, and “left.” Then a ﬁne day came.</p>' +
      '<p class="kept">A second paragraph <a href="#n1">1</a> with a note.</p>' +
      '<aside epub:type="footnote" id="n1"><p>A footnote here.</p></aside>' +
      '<p><img src="pic.png" alt="A picture"/></p>',
  },
  { name: 'ch2.xhtml', body: '<h1>Second</h1><p>Short one. Yes, short.</p>' },
  { name: 'ch3.xhtml', body: '<h1>Third</h1><p>Last words of the whole book, said slowly.</p>' },
];

function withStyle(body: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>Chapter</title><link rel="stylesheet" href="style/book.css"/></head><body>${body}</body></html>`;
}

async function sourceBook(version: 2 | 3): Promise<Uint8Array> {
  return makeEpub({
    version,
    title: 'The Source',
    author: 'Some Author',
    files: CHAPTERS.map((chapter) => ({ name: chapter.name, body: chapter.body })),
    raw: Object.fromEntries(CHAPTERS.map((chapter) => [chapter.name, withStyle(chapter.body)])),
    extra: { 'OEBPS/style/book.css': STYLE_SHEET, 'OEBPS/pic.png': PICTURE },
  });
}

interface Made {
  folder: string;
  document: ImportedDocument;
  timeline: Timeline;
  audio: ChapterAudioFile[];
  zip: JSZip;
  opfPath: string;
  opf: Node;
}

/** Imports the source book, exports `chapters` of it (audio is opaque bytes here), and opens the result. */
async function exportReadAlong(source: Uint8Array, chapters: readonly number[], documentFrom?: Uint8Array): Promise<Made> {
  const folder = mkdtempSync(join(tmpdir(), 'readalong-source-'));
  const sourcePath = join(folder, 'source.epub');
  writeFileSync(sourcePath, source);
  const modelPath = join(folder, 'model.epub');
  writeFileSync(modelPath, documentFrom ?? source);
  const document = await importFile(modelPath);
  const timeline = timelineOf(document, chapters);
  const audio = timeline.chapters.map((mark) => {
    const path = join(folder, `chapter-${mark.chapter}.mp3`);
    writeFileSync(path, randomBytes(2048));
    return { chapter: mark.chapter, path, mediaType: 'audio/mpeg' as const, samples: timeline.chapterSamples.get(mark.chapter)! };
  });
  const outPath = join(folder, 'book.epub');
  await writeReadAlongEpub({ outPath, document, metadata: { title: document.title, language: 'en' }, chapters: timeline.chapters, cues: timeline.cues, chapterAudio: audio, sourceEpubPath: sourcePath });
  const zip = await JSZip.loadAsync(readFileSync(outPath));
  const container = parser.parse(await zip.file('META-INF/container.xml')!.async('string')) as Node;
  const opfPath = String((((container.container as Node).rootfiles as Node).rootfile as Node)['@_full-path']);
  const opfText = await zip.file(opfPath)!.async('string');
  expect(XMLValidator.validate(opfText)).toBe(true);
  return { folder, document, timeline, audio, zip, opfPath, opf: (parser.parse(opfText) as Node).package as Node };
}

interface ParInfo {
  smilPath: string;
  textPath: string;
  id: string;
  audioPath: string;
  begin: number;
  end: number;
}

async function overlays(made: Made): Promise<{ byItem: Map<string, ParInfo[]>; pars: ParInfo[] }> {
  const items = (made.opf.manifest as Node).item as Node[];
  const byId = new Map(items.map((item) => [String(item['@_id']), item]));
  const byItem = new Map<string, ParInfo[]>();
  for (const item of items.filter((each) => each['@_media-overlay'])) {
    const smilPath = resolveInZip(made.opfPath, String(byId.get(String(item['@_media-overlay']))!['@_href']));
    const smilText = await made.zip.file(smilPath)!.async('string');
    expect(XMLValidator.validate(smilText)).toBe(true);
    const seq = (((parser.parse(smilText) as Node).smil as Node).body as Node).seq as Node;
    const pars = (seq.par as Node[]).map((par) => {
      const [textFile, id] = String((par.text as Node)['@_src']).split('#');
      const audio = par.audio as Node;
      return { smilPath, textPath: resolveInZip(smilPath, textFile!), id: id!, audioPath: resolveInZip(smilPath, String(audio['@_src'])), begin: secondsOf(String(audio['@_clipBegin'])), end: secondsOf(String(audio['@_clipEnd'])) };
    });
    byItem.set(resolveInZip(made.opfPath, String(item['@_href'])), pars);
  }
  return { byItem, pars: [...byItem.values()].flat() };
}

function spanText(xhtml: string, id: string): string | undefined {
  const doc = new DOMParser().parseFromString(xhtml, 'text/xml') as unknown as { getElementById(id: string): { textContent: string } | null };
  return doc.getElementById(id)?.textContent;
}

describe('read-along EPUB from the source book', () => {
  let made: Made;

  beforeAll(async () => {
    made = await exportReadAlong(await sourceBook(3), [0, 2]);
  }, 60_000);

  it('keeps the source book: its identifier, title, style sheet, picture and markup, and the chapter not exported untouched', async () => {
    const metadata = made.opf.metadata as Node;
    expect(String((metadata['dc:identifier'] as Node)['#text'])).toBe('urn:test');
    expect(metadata['dc:title']).toBe('The Source');
    expect(made.opf['@_version']).toBe('3.0');
    expect(await made.zip.file('OEBPS/style/book.css')!.async('string')).toBe(STYLE_SHEET);
    expect(new Uint8Array(await made.zip.file('OEBPS/pic.png')!.async('uint8array'))).toEqual(PICTURE);
    const first = await made.zip.file('OEBPS/ch1.xhtml')!.async('string');
    expect(XMLValidator.validate(first)).toBe(true);
    expect(first).toContain('<h1 class="kept-heading">');
    expect(first).toContain('href="style/book.css"');
    expect(first).toMatch(/<img src="pic.png" alt="A picture"\s*\/>/);
    const source = await JSZip.loadAsync(await sourceBook(3));
    expect(await made.zip.file('OEBPS/ch2.xhtml')!.async('string')).toBe(await source.file('OEBPS/ch2.xhtml')!.async('string'));
    expect(Object.keys(made.zip.files)[0]).toBe('mimetype');
  });

  it('gives the exported chapters\' files overlays whose <par>s point at spans holding their sentences', async () => {
    const { byItem, pars } = await overlays(made);
    expect([...byItem.keys()].sort()).toEqual(['OEBPS/ch1.xhtml', 'OEBPS/ch3.xhtml']);
    const cues = new Map(made.timeline.cues.map((cue) => [`kr-s${cue.sentence}`, cue]));
    for (const par of pars) {
      const xhtml = await made.zip.file(par.textPath)!.async('string');
      const text = spanText(xhtml, par.id);
      expect(text, par.id).toBeDefined();
      expect(significantKey(text!)).toBe(significantKey(cues.get(par.id)!.text));
      expect(made.zip.file(par.audioPath), par.audioPath).not.toBeNull();
    }
    // Every sentence of this book is found, emphasis and quotes and ligature included.
    expect(pars).toHaveLength(made.timeline.cues.length);
    const first = await made.zip.file('OEBPS/ch1.xhtml')!.async('string');
    expect(first).toMatch(/<span id="kr-s\d+">It began at <em>five<\/em> o’clock\.<\/span>/);
    expect(first).toMatch(/<span id="kr-s\d+"><em>She said<\/em> nothing, and “left\.”<\/span>/);
  });

  it('tiles each chapter\'s audio with the clips, in order, and states the overlays\' durations', async () => {
    const { byItem, pars } = await overlays(made);
    for (const audio of made.audio) {
      const mine = pars.filter((par) => made.zip.file(par.audioPath) && par.audioPath.endsWith(`chapter-${made.audio.indexOf(audio) + 1}.mp3`));
      expect(mine.length).toBeGreaterThan(0);
      let previousEnd = 0;
      for (const par of mine) {
        expect(Math.abs(par.begin - previousEnd)).toBeLessThanOrEqual(ONE_SAMPLE);
        expect(par.end).toBeGreaterThanOrEqual(par.begin);
        previousEnd = par.end;
      }
      expect(Math.abs(previousEnd - audio.samples / APP_SAMPLE_RATE)).toBeLessThanOrEqual(ONE_SAMPLE);
      // The audio inside the book is the chapter's file, byte for byte.
      const inside = await made.zip.file(mine[0]!.audioPath)!.async('uint8array');
      expect(Buffer.from(inside).equals(readFileSync(audio.path))).toBe(true);
    }
    const items = (made.opf.manifest as Node).item as Node[];
    const metas = (made.opf.metadata as Node).meta as Node[];
    const durations = new Map(metas.filter((meta) => meta['@_property'] === 'media:duration').map((meta) => [String(meta['@_refines'] ?? 'total'), secondsOf(String(meta['#text']))]));
    for (const [path, itemPars] of byItem) {
      const item = items.find((each) => resolveInZip(made.opfPath, String(each['@_href'])) === path)!;
      const sum = itemPars.reduce((total, par) => total + par.end - par.begin, 0);
      expect(Math.abs(durations.get(`#${String(item['@_media-overlay'])}`)! - sum)).toBeLessThanOrEqual(itemPars.length * ONE_SAMPLE);
    }
    expect(Math.abs(durations.get('total')! - made.timeline.totalSamples / APP_SAMPLE_RATE)).toBeLessThanOrEqual(ONE_SAMPLE * 4);
    expect(metas.find((meta) => meta['@_property'] === 'media:active-class')?.['#text']).toBe('-epub-media-overlay-active');
    const css = items.find((item) => item['@_id'] === 'kr-read-along-style')!;
    expect(await made.zip.file(resolveInZip(made.opfPath, String(css['@_href'])))!.async('string')).toMatch(/\.-epub-media-overlay-active\s*\{[^}]*background/);
  });

  it('makes an EPUB 2 book an EPUB 3 with a navigation document that points at the chapters', async () => {
    const fromTwo = await exportReadAlong(await sourceBook(2), [0, 1, 2]);
    expect(fromTwo.opf['@_version']).toBe('3.0');
    const items = (fromTwo.opf.manifest as Node).item as Node[];
    const nav = items.find((item) => item['@_properties'] === 'nav')!;
    const navPath = resolveInZip(fromTwo.opfPath, String(nav['@_href']));
    const navText = await fromTwo.zip.file(navPath)!.async('string');
    expect(XMLValidator.validate(navText)).toBe(true);
    const links = [...navText.matchAll(/<a href="([^"#]+)#([^"]+)">/g)];
    expect(links).toHaveLength(3);
    for (const [, file, id] of links) expect(spanText(await fromTwo.zip.file(resolveInZip(navPath, file!))!.async('string'), id!)).toBeDefined();
    const metas = (fromTwo.opf.metadata as Node).meta as Node[];
    expect(metas.some((meta) => meta['@_property'] === 'dcterms:modified')).toBe(true);
    expect(items.find((item) => item['@_id'] === 'ncx')).toBeDefined();
  });

  it('makes the book from the document model when the source book is not the one the document came from', async () => {
    const other = await makeEpub({ title: 'Other', files: [{ name: 'x.xhtml', body: '<p>Nothing in common with anything here at all.</p>' }] });
    const made2 = await exportReadAlong(other, [0, 2], await sourceBook(3));
    expect(made2.zip.file('OEBPS/x.xhtml')).toBeNull();
    expect(made2.zip.file('OEBPS/chapter-1.xhtml')).not.toBeNull();
  });
});
