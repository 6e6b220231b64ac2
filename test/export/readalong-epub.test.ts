import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeReadAlongEpub } from '../../src-main/services/export/readalong-epub';
import type { ChapterAudioFile, ReadAlongEpubOptions } from '../../src-main/services/export/readalong-epub';
import { AppError } from '../../src-shared/errors/catalogue';
import { APP_SAMPLE_RATE } from '../../src-shared/speech/types';
import { PROJECT_ROOT } from '../helpers/goldens';
import { resolveInZip, secondsOf } from './epub-paths';
import { sampleDocument, timelineOf } from './timeline';

type Node = Record<string, unknown>;
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', isArray: (name) => ['item', 'itemref', 'meta', 'par', 'li'].includes(name) });
const ONE_SAMPLE = 1 / APP_SAMPLE_RATE;

const document = sampleDocument();
const timeline = timelineOf(document, [0, 1, 2]);
const cover = { mediaType: 'image/png' as const, data: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]) };
let folder: string;
let chapterAudio: ChapterAudioFile[];

/** Encodes `samples` of a quiet tone with Debian's ffmpeg, as the audio writer would. */
function encodeAudio(path: string, samples: number, codec: 'libmp3lame' | 'aac'): void {
  const pcm = new Int16Array(samples);
  for (let index = 0; index < samples; index++) pcm[index] = Math.round(3000 * Math.sin((2 * Math.PI * 440 * index) / APP_SAMPLE_RATE));
  const raw = `${path}.pcm`;
  writeFileSync(raw, new Uint8Array(pcm.buffer));
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 's16le', '-ar', String(APP_SAMPLE_RATE), '-ac', '1', '-i', raw, '-c:a', codec, path]);
}

function optionsFor(outPath: string, overrides: Partial<ReadAlongEpubOptions> = {}): ReadAlongEpubOptions {
  return {
    outPath,
    document,
    metadata: { title: document.title, author: document.author, language: 'en', cover },
    chapters: timeline.chapters,
    cues: timeline.cues,
    chapterAudio,
    ...overrides,
  };
}

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'readalong-'));
  mkdirSync(join(folder, 'audio'));
  chapterAudio = timeline.chapters.map((mark, index) => {
    const mediaType = index === 1 ? ('audio/mp4' as const) : ('audio/mpeg' as const);
    const path = join(folder, 'audio', `chapter-${mark.chapter}.${index === 1 ? 'm4a' : 'mp3'}`);
    const samples = timeline.chapterSamples.get(mark.chapter)!;
    encodeAudio(path, samples, index === 1 ? 'aac' : 'libmp3lame');
    return { chapter: mark.chapter, path, mediaType, samples };
  });
});

/** Seconds from "12.345678s" (timecount) or "0:01:02.5" (clock value). */

function collectIds(node: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(node)) node.forEach((each) => collectIds(each, into));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '@_id') into.add(String(value));
      else collectIds(value, into);
    }
  }
  return into;
}

/** The text inside a sentence's span, markup removed and entities decoded. */
function spanText(xhtml: string, id: string): string | undefined {
  const match = new RegExp(`<span id="${id}">([\\s\\S]*?)</span>`).exec(xhtml);
  if (!match) return undefined;
  return match[1]!
    .replace(/<br\/>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

async function readText(zip: JSZip, name: string): Promise<string> {
  const file = zip.file(name);
  expect(file, name).not.toBeNull();
  return file!.async('string');
}

describe('read-along EPUB', () => {
  let bytes: Buffer;
  let zip: JSZip;
  let opfPath: string;
  let opf: Node;

  beforeAll(async () => {
    const outPath = join(folder, 'book.epub');
    expect(await writeReadAlongEpub(optionsFor(outPath))).toBe(outPath);
    bytes = readFileSync(outPath);
    zip = await JSZip.loadAsync(bytes);
    const container = parser.parse(await readText(zip, 'META-INF/container.xml')) as Node;
    opfPath = String((((container.container as Node).rootfiles as Node).rootfile as Node)['@_full-path']);
    const opfText = await readText(zip, opfPath);
    expect(XMLValidator.validate(opfText)).toBe(true);
    opf = (parser.parse(opfText) as Node).package as Node;
  });

  it('starts with the mimetype entry, stored, with no extra field (OCF)', () => {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(view.getUint32(0, true)).toBe(0x04034b50); // local file header
    expect(view.getUint16(8, true)).toBe(0); // stored
    expect(view.getUint16(26, true)).toBe(8);
    expect(view.getUint16(28, true)).toBe(0); // no extra field
    expect(bytes.subarray(30, 38).toString('latin1')).toBe('mimetype');
    expect(bytes.subarray(38, 58).toString('latin1')).toBe('application/epub+zip');
    expect(Object.keys(zip.files)[0]).toBe('mimetype');
    // The zip is whole for another reader too.
    expect(() => execFileSync('unzip', ['-tqq', join(folder, 'book.epub')])).not.toThrow();
  });

  it('has the package metadata, the cover and the table of contents', async () => {
    const metadata = opf.metadata as Node;
    expect(metadata['dc:title']).toBe(document.title);
    expect(metadata['dc:creator']).toBe(document.author);
    expect(metadata['dc:language']).toBe('en');
    expect(String((metadata['dc:identifier'] as Node)['#text'])).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    const metas = metadata.meta as Node[];
    expect(String(metas.find((meta) => meta['@_property'] === 'dcterms:modified')!['#text'])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const items = (opf.manifest as Node).item as Node[];
    const coverItem = items.find((item) => item['@_properties'] === 'cover-image')!;
    expect(coverItem['@_media-type']).toBe('image/png');
    expect(new Uint8Array(await zip.file(resolveInZip(opfPath, String(coverItem['@_href'])))!.async('uint8array'))).toEqual(cover.data);
    const navItem = items.find((item) => item['@_properties'] === 'nav')!;
    const nav = await readText(zip, resolveInZip(opfPath, String(navItem['@_href'])));
    expect(XMLValidator.validate(nav)).toBe(true);
    const titles = [...nav.matchAll(/<a href="([^"]+)">([^<]*)<\/a>/g)].map((match) => match[2]);
    expect(titles).toEqual(['One &amp; only', 'Two', 'Three']);
  });

  it('gives every chapter a media overlay whose media:duration is its audio length, and a total', () => {
    const items = (opf.manifest as Node).item as Node[];
    const byId = new Map(items.map((item) => [String(item['@_id']), item]));
    const spine = ((opf.spine as Node).itemref as Node[]).map((ref) => byId.get(String(ref['@_idref']))!);
    expect(spine).toHaveLength(timeline.chapters.length);
    const metas = (opf.metadata as Node).meta as Node[];
    const durations = new Map(metas.filter((meta) => meta['@_property'] === 'media:duration').map((meta) => [String(meta['@_refines'] ?? 'total'), secondsOf(String(meta['#text']))]));
    spine.forEach((item, index) => {
      const overlay = byId.get(String(item['@_media-overlay']));
      expect(overlay?.['@_media-type']).toBe('application/smil+xml');
      expect(Math.abs(durations.get(`#${String(overlay!['@_id'])}`)! - chapterAudio[index]!.samples / APP_SAMPLE_RATE)).toBeLessThanOrEqual(ONE_SAMPLE);
    });
    expect(durations.size).toBe(timeline.chapters.length + 1);
    expect(Math.abs(durations.get('total')! - timeline.totalSamples / APP_SAMPLE_RATE)).toBeLessThanOrEqual(ONE_SAMPLE);
    expect(metas.find((meta) => meta['@_property'] === 'media:active-class')?.['#text']).toBe('-epub-media-overlay-active');
  });

  it('has a <par> per sentence heard, each pointing at its span and at an audio file inside the book, with clips that tile the audio', async () => {
    const items = (opf.manifest as Node).item as Node[];
    const byId = new Map(items.map((item) => [String(item['@_id']), item]));
    const css = await readText(zip, resolveInZip(opfPath, String(items.find((item) => item['@_media-type'] === 'text/css')!['@_href'])));
    expect(css).toMatch(/\.-epub-media-overlay-active\s*\{[^}]*background/);
    const spine = ((opf.spine as Node).itemref as Node[]).map((ref) => byId.get(String(ref['@_idref']))!);
    for (const [index, item] of spine.entries()) {
      const mark = timeline.chapters[index]!;
      const smilPath = resolveInZip(opfPath, String(byId.get(String(item['@_media-overlay']))!['@_href']));
      const smilText = await readText(zip, smilPath);
      expect(XMLValidator.validate(smilText)).toBe(true);
      const seq = ((parser.parse(smilText) as Node).smil as Node).body as Node;
      const pars = (seq.seq as Node).par as Node[];
      const cues = timeline.cues.filter((cue) => cue.chapter === mark.chapter);
      expect(pars).toHaveLength(cues.length);

      const xhtmlPath = resolveInZip(opfPath, String(item['@_href']));
      const xhtml = await readText(zip, xhtmlPath);
      expect(XMLValidator.validate(xhtml)).toBe(true);
      const ids = collectIds(parser.parse(xhtml), new Set());
      let previousEnd = 0;
      for (const [at, par] of pars.entries()) {
        const [textFile, fragment] = String((par.text as Node)['@_src']).split('#');
        expect(resolveInZip(smilPath, textFile!)).toBe(xhtmlPath);
        expect(ids.has(fragment!)).toBe(true);
        const cue = cues[at]!;
        expect(fragment).toBe(`s${cue.sentence}`);
        // Escaping kept the text: the span holds the sentence (less what XML cannot hold).
        expect(spanText(xhtml, fragment!)).toBe(cue.text.replaceAll('\u0001', ''));

        const audio = par.audio as Node;
        const audioPath = resolveInZip(smilPath, String(audio['@_src']));
        expect(zip.file(audioPath), audioPath).not.toBeNull();
        const begin = secondsOf(String(audio['@_clipBegin']));
        const end = secondsOf(String(audio['@_clipEnd']));
        expect(Math.abs(begin - previousEnd)).toBeLessThanOrEqual(ONE_SAMPLE);
        expect(end).toBeGreaterThanOrEqual(begin);
        // The sentence is heard inside its clip.
        expect(begin).toBeLessThanOrEqual((cue.startSample - mark.startSample) / APP_SAMPLE_RATE + ONE_SAMPLE);
        expect(end).toBeGreaterThanOrEqual((cue.endSample - mark.startSample) / APP_SAMPLE_RATE - ONE_SAMPLE);
        previousEnd = end;
      }
      expect(Math.abs(previousEnd - chapterAudio[index]!.samples / APP_SAMPLE_RATE)).toBeLessThanOrEqual(ONE_SAMPLE);
      // The audio inside the book is the chapter's file, byte for byte.
      const audioPath = resolveInZip(smilPath, String(((pars[0]!.audio as Node)['@_src'])));
      expect(Buffer.from(await zip.file(audioPath)!.async('uint8array')).equals(readFileSync(chapterAudio[index]!.path))).toBe(true);
    }
  });

  it('writes blocks as elements, emphasis nested inside sentence spans, and text not read without spans', async () => {
    const xhtml = await readText(zip, resolveInZip(opfPath, 'chapter-1.xhtml'));
    expect(xhtml).toMatch(/<h1><span id="s0">One &amp; only<\/span><\/h1>/);
    expect(xhtml).toMatch(/<span id="s1"><em>It began<\/em> at 5 &lt; 6 o'clock\.<\/span>/);
    // Strong runs over a sentence's end and overlaps an <em>: split so that it nests.
    expect(xhtml).toContain('<span id="s4">Bold <strong>words<em> here.</em></strong></span><strong><em> </em></strong><span id="s5"><strong><em>And m</em></strong><em>ore word</em>s there!</span>');
    expect(xhtml).toMatch(/<ul>\s*<li><span id="s\d+">First item\.<\/span>\s*<ul>\s*<li><span id="s\d+">Nested item\.<\/span>\s*<\/li><\/ul>\s*<\/li>\s*<li>/);
    expect(xhtml).toContain('<pre class="not-read"><code>const a = 1 &lt; 2;\n\nreturn a;</code></pre>');
  });
});

describe('read-along EPUB: cancel and failure', () => {
  const leftovers = (dir: string): string[] => readdirSync(dir).filter((name) => name !== 'audio');

  it('cancelled mid-write, leaves no file and keeps the previous one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'readalong-cancel-'));
    const outPath = join(dir, 'book.epub');
    writeFileSync(outPath, 'the previous export');
    // The last chapter's audio comes through a pipe the test holds open, so the writer is
    // certainly mid-way (its temporary file exists) when the test cancels.
    const fifo = join(dir, 'pipe.mp3');
    execFileSync('mkfifo', [fifo]);
    const audio = chapterAudio.map((file, index) => (index === chapterAudio.length - 1 ? { ...file, path: fifo } : file));
    const controller = new AbortController();
    const writing = writeReadAlongEpub(optionsFor(outPath, { chapterAudio: audio, signal: controller.signal }));
    const pipe = await open(fifo, 'w');
    await pipe.write(new Uint8Array(64 * 1024));
    await expect.poll(() => readdirSync(dir).some((name) => name.endsWith('.partial'))).toBe(true);
    controller.abort();
    // The writer's read of the pipe may be pending, and closing its file handle waits for that
    // read (FileHandle.close), so the pipe ends (EOF) before the cancel is awaited.
    await pipe.close();
    const error = await writing.catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CANCELLED');
    expect(leftovers(dir).sort()).toEqual(['book.epub', 'pipe.mp3']);
    expect(readFileSync(outPath, 'utf8')).toBe('the previous export');
  });

  it('cancelled before it starts, writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'readalong-cancel-'));
    const controller = new AbortController();
    controller.abort();
    await expect(writeReadAlongEpub(optionsFor(join(dir, 'book.epub'), { signal: controller.signal }))).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(leftovers(dir)).toEqual([]);
  });

  it('a disk that fills up mid-write (a file size limit) is OUTPUT_DISK_FULL and leaves no file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'readalong-full-'));
    // Incompressible "audio" (the writer stores it as is): 3 x 256 KiB against a 400 KiB limit.
    const audioPaths = [0, 1, 2].map((index) => {
      const path = join(dir, `audio-${index}.mp3`);
      writeFileSync(path, randomBytes(256 * 1024));
      return path;
    });
    const child = join(PROJECT_ROOT, 'test/export/epub-child.ts');
    const quoted = [process.execPath, '--import', 'tsx', child, join(dir, 'book.epub'), ...audioPaths].map((arg) => `'${arg}'`).join(' ');
    const stdout = execFileSync('bash', ['-c', `ulimit -f 400 && exec ${quoted}`], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    const outcome = JSON.parse(stdout.trim().split('\n').at(-1)!) as { code?: string; message?: string };
    expect(outcome.code).toBe('OUTPUT_DISK_FULL');
    expect(outcome.message).toContain('EFBIG');
    expect(readdirSync(dir).sort()).toEqual(['audio-0.mp3', 'audio-1.mp3', 'audio-2.mp3']);
  });

  it('an unwritable target is OUTPUT_UNWRITABLE, a missing chapter audio file INTERNAL, and neither leaves a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'readalong-fail-'));
    await expect(writeReadAlongEpub(optionsFor(join(dir, 'no-such-folder', 'book.epub')))).rejects.toMatchObject({ code: 'OUTPUT_UNWRITABLE' });
    const missing = chapterAudio.map((file, index) => (index === 1 ? { ...file, path: join(dir, 'gone.m4a') } : file));
    await expect(writeReadAlongEpub(optionsFor(join(dir, 'book.epub'), { chapterAudio: missing }))).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(leftovers(dir)).toEqual([]);
    expect(existsSync(join(dir, 'book.epub'))).toBe(false);
  });
});
