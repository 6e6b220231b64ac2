// The read-along EPUB: an EPUB 3 of the document with Media Overlays. Each exported chapter is
// an XHTML file with every heard sentence in a span, a SMIL file that ties each span to its
// clip of the chapter's audio, and that audio inside the book; readers such as Thorium play it
// and highlight the sentence being read (media:active-class).
//
// The book is made from the document model for every input, EPUB included: mapping sentence
// offsets back into the source book's own XHTML is not done (yet), so `sourceEpubPath` is
// accepted and not used.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import JSZip from 'jszip';
import type { ImportedDocument } from '../../../src-shared/document/model';
import { AppError } from '../../../src-shared/errors/catalogue';
import type { ChapterMark, ExportMetadata, SentenceCue } from '../../../src-shared/export/types';
import { APP_SAMPLE_RATE } from '../../../src-shared/speech/types';
import { partialPath, removeStalePartials } from '../audio/partial-files';
import { outputError } from './output-errors';
import { chapterXhtmlBody, escapeXml, sentenceId } from './epub-text';

/** One exported chapter's encoded audio, already written by the audio writer. */
export interface ChapterAudioFile {
  /** The chapter's index in the document, as in ChapterMark. */
  chapter: number;
  path: string;
  mediaType: 'audio/mpeg' | 'audio/mp4';
  /** Its length: the overlay's clips cover [0, samples). */
  samples: number;
}

export interface ReadAlongEpubOptions {
  outPath: string;
  document: ImportedDocument;
  metadata: ExportMetadata;
  /** The exported chapters, in order, with their samples in the whole export. */
  chapters: readonly ChapterMark[];
  /** Every sentence heard, with its samples in the whole export. */
  cues: readonly SentenceCue[];
  chapterAudio: readonly ChapterAudioFile[];
  /** The source book when the input was an EPUB; not used yet (see the top of this file). */
  sourceEpubPath?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** The class readers put on the sentence being read; style.css highlights it. */
export const ACTIVE_CLASS = '-epub-media-overlay-active';

const AUDIO_EXTENSIONS: Record<ChapterAudioFile['mediaType'], string> = { 'audio/mpeg': 'mp3', 'audio/mp4': 'm4a' };
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
  const parts = chapterParts(options);
  // Opened before writing starts: a missing file fails here, not halfway through the zip.
  const handles: FileHandle[] = [];
  const streams: Readable[] = [];
  const tempPath = partialPath(outPath, process.pid);
  try {
    for (const part of parts) handles.push(await openAudio(part.audio.path));
    await removeStalePartials(outPath);
    const zip = new JSZip();
    // OCF: `mimetype` first and stored, so a reader can recognise the file from its first bytes.
    zip.file('mimetype', 'application/epub+zip', { compression: 'STORE' });
    zip.file('META-INF/container.xml', containerXml());
    zip.file(`${CONTENT_DIR}/content.opf`, packageDocument(options, parts));
    zip.file(`${CONTENT_DIR}/nav.xhtml`, navDocument(options, parts));
    zip.file(`${CONTENT_DIR}/style.css`, STYLE);
    const cover = options.metadata.cover;
    if (cover) zip.file(`${CONTENT_DIR}/cover.${COVER_EXTENSIONS[cover.mediaType]}`, cover.data, { compression: 'STORE' });
    parts.forEach((part, index) => {
      zip.file(`${CONTENT_DIR}/chapter-${part.number}.xhtml`, part.xhtml);
      if (part.smil) zip.file(`${CONTENT_DIR}/chapter-${part.number}.smil`, part.smil);
      // Compressed audio does not shrink: stored, and streamed from disk rather than held in memory.
      const stream = handles[index]!.createReadStream();
      streams.push(stream);
      zip.file(`${CONTENT_DIR}/${part.audioName}`, stream, { compression: 'STORE' });
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
    const smil = heard.length > 0 ? smilDocument(`chapter-${number}.xhtml`, audioName, clips(heard, mark, audio.samples)) : undefined;
    return { number, title, xhtml, smil, audio, audioName };
  });
}

interface Clip {
  sentence: number;
  begin: number;
  end: number;
}

/**
 * Each sentence's clip of its chapter's audio, in samples from the file's start. The clips
 * tile the whole file: the first starts at 0 (the silence before it), and each runs to the
 * next one's start, so the pause after a sentence stays with it and playback never skips
 * a sample. Times are clamped into the file and kept in order.
 */
function clips(cues: readonly SentenceCue[], mark: ChapterMark, samples: number): Clip[] {
  const ordered = [...cues].sort((a, b) => a.startSample - b.startSample);
  const clamp = (value: number): number => Math.min(samples, Math.max(0, value));
  const starts = ordered.map((cue, index) => (index === 0 ? 0 : clamp(cue.startSample - mark.startSample)));
  for (let index = 1; index < starts.length; index++) starts[index] = Math.max(starts[index]!, starts[index - 1]!);
  return ordered.map((cue, index) => ({ sentence: cue.sentence, begin: starts[index]!, end: starts[index + 1] ?? samples }));
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

/** A SMIL timecount in seconds; six decimals keep every sample distinct (one is 41.7 µs). */
function seconds(samples: number): string {
  return `${(samples / APP_SAMPLE_RATE).toFixed(6)}s`;
}

/** A SMIL full clock value, `H:MM:SS.ffffff`, for media:duration. */
function clockValue(samples: number): string {
  // Whole microseconds first: rounding a fraction of seconds alone could print "60.000000".
  const micros = Math.round((samples * 1_000_000) / APP_SAMPLE_RATE);
  const hours = Math.floor(micros / 3_600_000_000);
  const minutes = Math.floor(micros / 60_000_000) % 60;
  const rest = micros % 60_000_000;
  const secondsPart = `${String(Math.floor(rest / 1_000_000)).padStart(2, '0')}.${String(rest % 1_000_000).padStart(6, '0')}`;
  return `${hours}:${String(minutes).padStart(2, '0')}:${secondsPart}`;
}

const STYLE = `body { margin: 0 5%; line-height: 1.5; }
pre { white-space: pre-wrap; }
.not-read { opacity: 0.75; }
.caption { font-style: italic; }
.${ACTIVE_CLASS} { background-color: #ffe58a; color: #000; border-radius: 0.15em; }
`;
