// The read-along EPUB: an EPUB 3 of the document with Media Overlays. Each exported chapter is
// an XHTML file with every heard sentence in a span, a SMIL file that ties each span to its
// clip of the chapter's audio, and that audio inside the book; readers such as Thorium play it
// and highlight the sentence being read (media:active-class).
//
// For an EPUB input the book is the source book itself with overlays added (readalong-source.ts);
// for every other input, or a source book that cannot be followed, it is made from the
// document model here.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import JSZip from 'jszip';
import { AppError } from '../../../src-shared/errors/catalogue';
import type { ExportMetadata } from '../../../src-shared/export/types';
import { partialPath, removeStalePartials } from '../audio/partial-files';
import { outputError } from './output-errors';
import { chapterXhtmlBody, escapeXml, sentenceId } from './epub-text';
import { ACTIVE_CLASS, AUDIO_EXTENSIONS, chapterClips, clockValue, seconds } from './readalong-common';
import type { BookPlan, ChapterAudioFile, Clip, ReadAlongEpubOptions } from './readalong-common';
import { sourceReadAlongBook } from './readalong-source';

export type { ChapterAudioFile, ReadAlongEpubOptions } from './readalong-common';
export { ACTIVE_CLASS } from './readalong-common';

const COVER_EXTENSIONS: Record<NonNullable<ExportMetadata['cover']>['mediaType'], string> = { 'image/jpeg': 'jpg', 'image/png': 'png' };
const CONTENT_DIR = 'OEBPS';

/** One exported chapter's files inside the book, named by its place in the export (1-based). */
interface ChapterPart {
  number: number;
  title: string;
  xhtml: string;
  smil: string | undefined;
  audio: ChapterAudioFile;
  audioName: string;
}

/**
 * Writes the book into a temporary file beside `outPath`, renamed into place when complete:
 * a cancelled (signal) or failed run leaves no file. Returns `outPath`.
 */
export async function writeReadAlongEpub(options: ReadAlongEpubOptions): Promise<string> {
  const { outPath, signal } = options;
  if (signal?.aborted) throw cancelled();
  const plan = (await sourceBook(options)) ?? generatedBook(options);
  // Opened before writing starts: a missing file fails here, not halfway through the zip.
  const handles: FileHandle[] = [];
  const streams: Readable[] = [];
  const tempPath = partialPath(outPath, process.pid);
  try {
    for (const audio of plan.audio) handles.push(await openAudio(audio.file.path));
    await removeStalePartials(outPath);
    const zip = new JSZip();
    // OCF: `mimetype` first and stored, so a reader can recognise the file from its first bytes.
    for (const entry of plan.entries) zip.file(entry.name, entry.data, entry.store ? { compression: 'STORE' } : {});
    plan.audio.forEach((audio, index) => {
      // Compressed audio does not shrink: stored, and streamed from disk rather than held in memory.
      const stream = handles[index]!.createReadStream();
      streams.push(stream);
      zip.file(audio.name, stream, { compression: 'STORE' });
    });
    const output = zip.generateNodeStream({ type: 'nodebuffer', streamFiles: true, compression: 'DEFLATE', compressionOptions: { level: 6 } });
    await pipeline(output, createWriteStream(tempPath), signal ? { signal } : {});
    await rename(tempPath, outPath);
    return outPath;
  } catch (thrown) {
    await rm(tempPath, { force: true }).catch(() => undefined);
    if (signal?.aborted) throw cancelled();
    throw outputError(thrown, outPath);
  } finally {
    for (const stream of streams) stream.destroy();
    await Promise.all(handles.map((handle) => handle.close().catch(() => undefined)));
  }
}

/** The source book with overlays, when there is one that can be followed. */
async function sourceBook(options: ReadAlongEpubOptions): Promise<BookPlan | undefined> {
  if (!options.sourceEpubPath) return undefined;
  const bytes = await readFile(options.sourceEpubPath).catch(() => undefined);
  return bytes ? sourceReadAlongBook(options, new Uint8Array(bytes)) : undefined;
}

/** The book made from the document model: one XHTML, SMIL and audio file per chapter. */
function generatedBook(options: ReadAlongEpubOptions): BookPlan {
  const parts = chapterParts(options);
  const plan: BookPlan = {
    entries: [
      { name: 'mimetype', data: 'application/epub+zip', store: true },
      { name: 'META-INF/container.xml', data: containerXml() },
      { name: `${CONTENT_DIR}/content.opf`, data: packageDocument(options, parts) },
      { name: `${CONTENT_DIR}/nav.xhtml`, data: navDocument(options, parts) },
      { name: `${CONTENT_DIR}/style.css`, data: STYLE },
    ],
    audio: [],
  };
  const cover = options.metadata.cover;
  if (cover) plan.entries.push({ name: `${CONTENT_DIR}/cover.${COVER_EXTENSIONS[cover.mediaType]}`, data: cover.data, store: true });
  for (const part of parts) {
    plan.entries.push({ name: `${CONTENT_DIR}/chapter-${part.number}.xhtml`, data: part.xhtml });
    if (part.smil) plan.entries.push({ name: `${CONTENT_DIR}/chapter-${part.number}.smil`, data: part.smil });
    plan.audio.push({ name: `${CONTENT_DIR}/${part.audioName}`, file: part.audio });
  }
  return plan;
}

function cancelled(): AppError {
  return AppError.of('CANCELLED', '(The export was stopped; no file was written.)');
}

async function openAudio(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (thrown) {
    throw AppError.of('INTERNAL', `(The audio of a chapter is missing: ${path}: ${(thrown as NodeJS.ErrnoException).code ?? String(thrown)})`);
  }
}

function chapterParts(options: ReadAlongEpubOptions): ChapterPart[] {
  const audioByChapter = new Map(options.chapterAudio.map((audio) => [audio.chapter, audio]));
  return options.chapters.map((mark, index) => {
    const chapter = options.document.chapters[mark.chapter];
    const audio = audioByChapter.get(mark.chapter);
    if (!chapter || !audio) throw AppError.of('INTERNAL', `(Chapter ${mark.chapter + 1} has no ${chapter ? 'audio' : 'text'} for the read-along EPUB.)`);
    const number = index + 1;
    const title = mark.title || chapter.title || `Chapter ${number}`;
    const cues = options.cues.filter((cue) => cue.chapter === mark.chapter);
    const { body, placed } = chapterXhtmlBody(chapter, cues);
    const audioName = `audio/chapter-${number}.${AUDIO_EXTENSIONS[audio.mediaType]}`;
    const heard = cues.filter((cue) => placed.has(cue.sentence));
    const xhtml = xhtmlDocument(title, language(options), `<section epub:type="chapter">\n${body}\n</section>`);
    // A chapter with no sentence to point at gets no overlay: a SMIL body may not be empty.
    const smil = heard.length > 0 ? smilDocument(`chapter-${number}.xhtml`, audioName, chapterClips(heard, mark, audio.samples)) : undefined;
    return { number, title, xhtml, smil, audio, audioName };
  });
}

// ---------------------------------------------------------------- documents

function language(options: ReadAlongEpubOptions): string {
  return options.metadata.language || options.document.language || 'und';
}

function containerXml(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="${CONTENT_DIR}/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
`;
}

function packageDocument(options: ReadAlongEpubOptions, parts: readonly ChapterPart[]): string {
  const { metadata } = options;
  const lang = escapeXml(language(options));
  // dcterms:modified is CCYY-MM-DDThh:mm:ssZ, without fractions of a second.
  const modified = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const overlays = parts.filter((part) => part.smil);
  const total = overlays.reduce((sum, part) => sum + part.audio.samples, 0);
  const meta = [
    `<dc:identifier id="book-id">urn:uuid:${randomUUID()}</dc:identifier>`,
    `<dc:title>${escapeXml(metadata.title)}</dc:title>`,
    ...(metadata.author ? [`<dc:creator>${escapeXml(metadata.author)}</dc:creator>`] : []),
    `<dc:language>${lang}</dc:language>`,
    `<meta property="dcterms:modified">${modified}</meta>`,
    ...overlays.map((part) => `<meta property="media:duration" refines="#smil-${part.number}">${clockValue(part.audio.samples)}</meta>`),
    ...(overlays.length > 0 ? [`<meta property="media:duration">${clockValue(total)}</meta>`, `<meta property="media:active-class">${ACTIVE_CLASS}</meta>`] : []),
    // EPUB 2 readers find the cover this way.
    ...(metadata.cover ? ['<meta name="cover" content="cover-image"/>'] : []),
  ];
  const items = [
    '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
    '<item id="style" href="style.css" media-type="text/css"/>',
    ...(metadata.cover ? [`<item id="cover-image" href="cover.${COVER_EXTENSIONS[metadata.cover.mediaType]}" media-type="${metadata.cover.mediaType}" properties="cover-image"/>`] : []),
    ...parts.flatMap((part) => [
      `<item id="chapter-${part.number}" href="chapter-${part.number}.xhtml" media-type="application/xhtml+xml"${part.smil ? ` media-overlay="smil-${part.number}"` : ''}/>`,
      ...(part.smil ? [`<item id="smil-${part.number}" href="chapter-${part.number}.smil" media-type="application/smil+xml"/>`] : []),
      `<item id="audio-${part.number}" href="${part.audioName}" media-type="${part.audio.mediaType}"/>`,
    ]),
  ];
  const spine = parts.map((part) => `<itemref idref="chapter-${part.number}"/>`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" xml:lang="${lang}">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    ${meta.join('\n    ')}
  </metadata>
  <manifest>
    ${items.join('\n    ')}
  </manifest>
  <spine>
    ${spine.join('\n    ')}
  </spine>
</package>
`;
}

function navDocument(options: ReadAlongEpubOptions, parts: readonly ChapterPart[]): string {
  const entries = parts.map((part) => `<li><a href="chapter-${part.number}.xhtml">${escapeXml(part.title)}</a></li>`);
  const body = `<nav epub:type="toc" id="toc">
<h1>${escapeXml(options.metadata.title)}</h1>
<ol>
${entries.join('\n')}
</ol>
</nav>`;
  return xhtmlDocument(options.metadata.title, language(options), body);
}

function xhtmlDocument(title: string, lang: string, body: string): string {
  const escapedLang = escapeXml(lang);
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="${escapedLang}" lang="${escapedLang}">
<head>
<meta charset="UTF-8"/>
<title>${escapeXml(title)}</title>
<link rel="stylesheet" type="text/css" href="style.css"/>
</head>
<body>
${body}
</body>
</html>
`;
}

function smilDocument(textHref: string, audioHref: string, clipList: readonly Clip[]): string {
  const pars = clipList.map(
    (clip) =>
      `<par id="par-${sentenceId(clip.sentence)}"><text src="${textHref}#${sentenceId(clip.sentence)}"/><audio src="${audioHref}" clipBegin="${seconds(clip.begin)}" clipEnd="${seconds(clip.end)}"/></par>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops" version="3.0">
<body>
<seq id="seq-1" epub:textref="${textHref}" epub:type="chapter">
${pars.join('\n')}
</seq>
</body>
</smil>
`;
}

const STYLE = `body { margin: 0 5%; line-height: 1.5; }
pre { white-space: pre-wrap; }
.not-read { opacity: 0.75; }
.caption { font-style: italic; }
.${ACTIVE_CLASS} { background-color: #ffe58a; color: #000; border-radius: 0.15em; }
`;
