// The read-along EPUB made from the source book itself: its own XHTML, styles, images and
// metadata, with each heard sentence wrapped in a <span id> and a Media Overlay (SMIL) per
// content file that points at those spans and at the chapters' audio.
//
// The document model keeps no offsets into the source XHTML, so sentences are found again
// by their letters and digits (case and Unicode compatibility forms folded), in reading order,
// each from where the one before ended. What the importer moved (footnotes to the chapter's
// end) or rewrote is simply not found; its audio stays with the sentence heard before it, so
// the clips still tile each chapter's audio. When fewer than half of the sentences are found,
// the book is not the one the document came from, or not one this can follow: the caller
// makes the EPUB from the document model instead.
import { posix } from 'node:path';
import { DOMParser } from 'linkedom';
import { AppError } from '../../../src-shared/errors/catalogue';
import { readPackage } from '../import/epub-importer';
import { DEFAULT_LIMITS } from '../import/limits';
import { checkNesting } from '../import/nesting';
import { prepareXml } from '../import/xml-safety';
import { decodeXml } from '../import/xml';
import { GuardedZip, zipLimitsFor } from '../import/zip-guard';
import type { BookEntry, BookPlan, ChapterAudioFile, ReadAlongEpubOptions } from './readalong-common';
import { ACTIVE_CLASS, AUDIO_EXTENSIONS, chapterClips, clockValue, seconds } from './readalong-common';
import { escapeXml } from './epub-text';

/** Below this share of sentences found, the source book is not followed (see the top). */
const MIN_FOUND_SHARE = 0.5;
/** How far (in letters and digits) a sentence may start past where the last one ended. */
const SKIP_WINDOW = 4000;
/** A key this short is only taken where the last sentence ended: elsewhere it would match inside words. */
const MIN_KEY_TO_SEARCH = 6;
const READ_ALONG_DIR = 'read-along';
const XHTML_NS = 'http://www.w3.org/1999/xhtml';
/** Elements a <span> may not hold: a sentence that reaches across one is not wrapped whole. */
const BLOCKS = new Set(['p', 'div', 'section', 'article', 'aside', 'nav', 'header', 'footer', 'main', 'blockquote', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'caption', 'figure', 'figcaption', 'pre', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'address', 'body', 'html', 'head']);
const UNREAD = new Set(['script', 'style', 'head', 'title']);

// linkedom's DOM, as far as this file uses it.
interface XNode {
  nodeType: number;
  parentNode: XElement | null;
  previousSibling: XNode | null;
  nextSibling: XNode | null;
  textContent: string | null;
}
interface XText extends XNode {
  data: string;
}
interface XElement extends XNode {
  localName: string;
  childNodes: ArrayLike<XNode>;
  firstChild: XNode | null;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  insertBefore(node: XNode, before: XNode | null): void;
  appendChild(node: XNode): void;
}
interface XDocument extends XNode {
  documentElement: XElement;
  createElement(name: string): XElement;
  createTextNode(text: string): XText;
  getElementById(id: string): XElement | null;
  toString(): string;
}

/** One content file of the book: its letters and digits, each tied back to its text node. */
interface ContentFile {
  path: string;
  manifestId: string;
  doc: XDocument;
  significant: string;
  /** For each character of `significant`: its node and its [start, end) in the node's text. */
  origins: { node: XText; start: number; end: number }[];
  found: FoundSentence[];
}

interface FoundSentence {
  chapter: number;
  sentence: number;
  id: string;
  from: number;
  to: number;
}

/** The sentences to find, in reading order, with their chapter. */
interface WantedSentence {
  chapter: number;
  sentence: number;
  key: string;
  firstOfChapter: boolean;
}

const isSignificant = (char: string): boolean => /[\p{L}\p{N}]/u.test(char);

/** A text's letters and digits, lower case, compatibility forms folded (ﬁ → fi). */
export function significantKey(text: string): string {
  let out = '';
  for (const char of text.normalize('NFKC').toLowerCase()) if (isSignificant(char)) out += char;
  return out;
}

/**
 * The read-along book made from the source EPUB, or undefined when it cannot be followed
 * (see the top). Throws CANCELLED when `signal` aborts; other failures reading the source
 * also give undefined, since the document model can still make a book.
 */
export async function sourceReadAlongBook(options: ReadAlongEpubOptions, sourceBytes: Uint8Array): Promise<BookPlan | undefined> {
  let zip: GuardedZip;
  try {
    zip = await GuardedZip.open(sourceBytes, zipLimitsFor(DEFAULT_LIMITS, 'EPUB'));
  } catch {
    return undefined;
  }
  const { opfPath, manifest } = await readPackage(zip).catch(() => ({ opfPath: '', manifest: undefined }));
  if (!manifest) return undefined;
  const opf = parseXml(await zip.bytes(opfPath), opfPath);
  if (!opf) return undefined;
  const spineIds = [...elements(opf, 'itemref')].filter((ref) => ref.getAttribute('linear') !== 'no').map((ref) => ref.getAttribute('idref') ?? '');
  const files: ContentFile[] = [];
  for (const id of spineIds) {
    const item = manifest.get(id);
    if (!item || !/x?html/.test(item.mediaType) || !zip.has(item.path)) continue;
    const doc = parseXml(await zip.bytes(item.path), item.path);
    if (doc) files.push(readContent(item.path, id, doc));
  }
  if (options.signal?.aborted) throw AppError.of('CANCELLED', '(The export was stopped; no file was written.)');

  const wanted = wantedSentences(options);
  const foundCount = findSentences(files, wanted);
  if (wanted.length === 0 || foundCount < wanted.length * MIN_FOUND_SHARE) return undefined;
  for (const file of files) wrapFound(file);

  return assemble(options, zip, opfPath, opf, files);
}

function parseXml(bytes: Uint8Array, name: string): XDocument | undefined {
  try {
    const text = prepareXml(decodeXml(bytes), { htmlEntities: true, name }).text;
    checkNesting(text, { xml: true, name });
    return new DOMParser().parseFromString(text, 'text/xml') as unknown as XDocument;
  } catch {
    return undefined;
  }
}

/** The document's elements of that local name, in document order (a walk: linkedom's XML DOM has no '*' lookup). */
function elements(doc: XDocument, localName: string): XElement[] {
  const out: XElement[] = [];
  const stack: XNode[] = [doc.documentElement];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.nodeType !== 1) continue;
    const element = node as XElement;
    if (localPart(element) === localName) out.push(element);
    for (let index = element.childNodes.length - 1; index >= 0; index--) stack.push(element.childNodes[index]!);
  }
  return out;
}

const localPart = (element: XElement): string => element.localName.replace(/^.*:/, '').toLowerCase();

/** The file's text nodes in document order (skipping head, script, style), as letters and digits. */
function readContent(path: string, manifestId: string, doc: XDocument): ContentFile {
  const origins: ContentFile['origins'] = [];
  let significant = '';
  // Iterative: a deep document must not overflow the stack.
  const stack: XNode[] = [doc.documentElement];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.nodeType === 3) {
      const text = node as XText;
      let at = 0;
      for (const char of text.data) {
        const end = at + char.length;
        for (const folded of char.normalize('NFKC').toLowerCase()) {
          if (!isSignificant(folded)) continue;
          significant += folded;
          origins.push({ node: text, start: at, end });
        }
        at = end;
      }
    } else if (node.nodeType === 1 && !UNREAD.has(localPart(node as XElement))) {
      const children = (node as XElement).childNodes;
      for (let index = children.length - 1; index >= 0; index--) stack.push(children[index]!);
    }
  }
  return { path, manifestId, doc, significant, origins, found: [] };
}

function wantedSentences(options: ReadAlongEpubOptions): WantedSentence[] {
  const out: WantedSentence[] = [];
  for (const mark of options.chapters) {
    const cues = options.cues.filter((cue) => cue.chapter === mark.chapter).sort((a, b) => a.startSample - b.startSample);
    cues.forEach((cue, index) => out.push({ chapter: cue.chapter, sentence: cue.sentence, key: significantKey(cue.text), firstOfChapter: index === 0 }));
  }
  return out;
}

/** Finds each wanted sentence after the one before (see the top); returns how many were found. */
function findSentences(files: ContentFile[], wanted: readonly WantedSentence[]): number {
  let file = 0;
  let at = 0;
  let count = 0;
  for (const sentence of wanted) {
    if (sentence.key.length === 0) continue;
    const place = locate(files, file, at, sentence);
    if (!place) continue;
    const target = files[place.file]!;
    const id = uniqueId(target.doc, `kr-s${sentence.sentence}`);
    target.found.push({ chapter: sentence.chapter, sentence: sentence.sentence, id, from: place.index, to: place.index + sentence.key.length });
    file = place.file;
    at = place.index + sentence.key.length;
    count++;
  }
  return count;
}

function locate(files: readonly ContentFile[], file: number, at: number, sentence: WantedSentence): { file: number; index: number } | undefined {
  const { key } = sentence;
  // A chapter's first sentence may follow chapters that were not exported: look anywhere ahead.
  const window = sentence.firstOfChapter ? Infinity : SKIP_WINDOW;
  for (let candidate = file; candidate < files.length; candidate++) {
    const from = candidate === file ? at : 0;
    const text = files[candidate]!.significant;
    if (key.length < MIN_KEY_TO_SEARCH) {
      if (text.startsWith(key, from)) return { file: candidate, index: from };
    } else {
      const index = text.indexOf(key, from);
      if (index >= 0 && index - from <= window) return { file: candidate, index };
    }
    // Only the next few files can hold the continuation of a chapter, unless looking for its start.
    if (!sentence.firstOfChapter && candidate - file >= 3) break;
    // Text left in this file that was skipped counts against the window.
    if (window !== Infinity && text.length - from > window) break;
  }
  return undefined;
}

function uniqueId(doc: XDocument, wanted: string): string {
  let id = wanted;
  for (let suffix = 2; doc.getElementById(id); suffix++) id = `${wanted}-${suffix}`;
  return id;
}

// ---------------------------------------------------------------- wrapping

/** Wraps every found sentence of the file in a <span id>, last first so earlier offsets hold. */
function wrapFound(file: ContentFile): void {
  for (let index = file.found.length - 1; index >= 0; index--) {
    const found = file.found[index]!;
    const first = file.origins[found.from]!;
    const last = file.origins[found.to - 1]!;
    wrapRange(file.doc, first.node, first.start, last.node, endWithPunctuation(last.node.data, last.end), found.id);
  }
}

/** A sentence's closing punctuation and quotes belong to it. */
function endWithPunctuation(text: string, end: number): number {
  let at = end;
  while (at < text.length && !/\s/u.test(text[at]!) && !isSignificant(text[at]!)) at++;
  return at;
}

/** Cuts a text node at `offset`: the node keeps what is before, and the rest follows it. */
function splitText(doc: XDocument, node: XText, offset: number): XText {
  const rest = doc.createTextNode(node.data.slice(offset));
  node.data = node.data.slice(0, offset);
  node.parentNode!.insertBefore(rest, node.nextSibling);
  return rest;
}

function createSpan(doc: XDocument, id: string): XElement {
  const span = doc.createElement('span');
  span.setAttribute('id', id);
  return span;
}

function wrapRange(doc: XDocument, startNode: XText, startOffset: number, endNode: XText, endOffset: number, id: string): void {
  if (startNode === endNode) {
    const middle = splitText(doc, startNode, startOffset);
    splitText(doc, middle, endOffset - startOffset);
    const span = createSpan(doc, id);
    middle.parentNode!.insertBefore(span, middle);
    span.appendChild(middle);
    return;
  }
  splitText(doc, endNode, endOffset);
  const first = splitText(doc, startNode, startOffset);
  const ancestor = commonAncestor(first, endNode);
  const from = climb(first, ancestor, 'previousSibling');
  const to = climb(endNode, ancestor, 'nextSibling');
  const run: XNode[] = [];
  if (from && to) {
    for (let node: XNode | null = from; node; node = node.nextSibling) {
      run.push(node);
      if (node === to) break;
    }
  }
  if (run.length > 0 && run.at(-1) === to && !run.some(holdsBlock)) {
    const span = createSpan(doc, id);
    ancestor!.insertBefore(span, run[0]!);
    for (const node of run) span.appendChild(node);
    return;
  }
  // The sentence starts or ends inside an element that holds other text, or crosses a block:
  // only its first piece can carry the id (the reader highlights that piece).
  const span = createSpan(doc, id);
  first.parentNode!.insertBefore(span, first);
  span.appendChild(first);
}

function commonAncestor(a: XNode, b: XNode): XElement | undefined {
  const ancestors = new Set<XNode>();
  for (let node = a.parentNode; node; node = node.parentNode) ancestors.add(node);
  for (let node = b.parentNode; node; node = node.parentNode) if (ancestors.has(node)) return node;
  return undefined;
}

/** The node's ancestor just below `ancestor`, if nothing read lies between them on that side. */
function climb(node: XNode, ancestor: XElement | undefined, side: 'previousSibling' | 'nextSibling'): XNode | undefined {
  let current = node;
  while (current.parentNode && current.parentNode !== ancestor) {
    for (let sibling = current[side]; sibling; sibling = sibling[side]) if (significantKey(sibling.textContent ?? '').length > 0) return undefined;
    current = current.parentNode;
  }
  return current.parentNode === ancestor ? current : undefined;
}

function holdsBlock(node: XNode): boolean {
  if (node.nodeType !== 1) return false;
  const stack: XNode[] = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.nodeType !== 1) continue;
    if (BLOCKS.has(localPart(current as XElement))) return true;
    const children = (current as XElement).childNodes;
    for (let index = 0; index < children.length; index++) stack.push(children[index]!);
  }
  return false;
}

// ---------------------------------------------------------------- the book

interface Overlay {
  file: ContentFile;
  smilId: string;
  smilPath: string;
  samples: number;
  pars: string[];
}

/** The new package: every source entry, the changed XHTML and OPF, SMIL files, the audio and a style sheet. */
function assemble(options: ReadAlongEpubOptions, zip: GuardedZip, opfPath: string, opf: XDocument, files: readonly ContentFile[]): Promise<BookPlan> {
  const opfDir = posix.dirname(opfPath) === '.' ? '' : posix.dirname(opfPath);
  const inPackage = (name: string): string => (opfDir ? `${opfDir}/${name}` : name);
  const audioByChapter = new Map(options.chapterAudio.map((audio) => [audio.chapter, audio]));
  const audioNames = new Map<number, string>();
  options.chapters.forEach((mark, index) => {
    const audio = audioByChapter.get(mark.chapter);
    if (audio) audioNames.set(mark.chapter, inPackage(`${READ_ALONG_DIR}/chapter-${index + 1}.${AUDIO_EXTENSIONS[audio.mediaType]}`));
  });
  const clipsBySentence = foundClips(options, files, audioByChapter);

  const overlays: Overlay[] = [];
  for (const [index, file] of files.entries()) {
    if (file.found.length === 0) continue;
    const smilPath = inPackage(`${READ_ALONG_DIR}/overlay-${index + 1}.smil`);
    const overlay: Overlay = { file, smilId: `kr-smil-${index + 1}`, smilPath, samples: 0, pars: [] };
    for (const found of file.found) {
      const clip = clipsBySentence.get(found.sentence);
      const audioPath = audioNames.get(found.chapter);
      if (!clip || !audioPath) continue;
      overlay.samples += clip.end - clip.begin;
      const textSrc = `${relative(smilPath, file.path)}#${found.id}`;
      overlay.pars.push(`<par id="par-${found.id}"><text src="${escapeXml(textSrc)}"/><audio src="${escapeXml(relative(smilPath, audioPath))}" clipBegin="${seconds(clip.begin)}" clipEnd="${seconds(clip.end)}"/></par>`);
    }
    if (overlay.pars.length > 0) overlays.push(overlay);
  }

  const cssPath = inPackage(`${READ_ALONG_DIR}/read-along.css`);
  const replaced = new Map<string, string>();
  for (const overlay of overlays) {
    linkStyle(overlay.file.doc, relative(overlay.file.path, cssPath));
    replaced.set(overlay.file.path, serializeXhtml(overlay.file.doc));
  }
  const navPath = editPackage(options, opf, opfPath, overlays, audioNames, cssPath, files);
  replaced.set(opfPath, `<?xml version="1.0" encoding="UTF-8"?>\n${opf.documentElement.toString()}\n`);

  return (async () => {
    const entries: BookEntry[] = [{ name: 'mimetype', data: 'application/epub+zip', store: true }];
    for (const name of zip.names()) {
      if (name === 'mimetype') continue;
      const data = replaced.get(name) ?? (await zip.bytes(name));
      entries.push({ name, data, store: typeof data !== 'string' && /\.(jpe?g|png|gif|webp|mp3|m4a|mp4|woff2?|otf|ttf)$/i.test(name) });
    }
    for (const overlay of overlays) entries.push({ name: overlay.smilPath, data: smilDocument(relative(overlay.smilPath, overlay.file.path), overlay.pars) });
    entries.push({ name: cssPath, data: `.${ACTIVE_CLASS} { background-color: #ffe58a; color: #000; }\n` });
    if (navPath) entries.push({ name: navPath.path, data: navPath.xhtml });
    const audio = [...audioNames].map(([chapter, name]) => ({ name, file: audioByChapter.get(chapter)! }));
    return { entries, audio };
  })();
}

/**
 * Each found sentence's clip of its chapter's audio. The chapter's clips tile its audio, and
 * a sentence not found gives its clip to the found one before it (or after, at the start).
 */
function foundClips(options: ReadAlongEpubOptions, files: readonly ContentFile[], audioByChapter: Map<number, ChapterAudioFile>): Map<number, { begin: number; end: number }> {
  const foundSentences = new Set(files.flatMap((file) => file.found.map((found) => found.sentence)));
  const out = new Map<number, { begin: number; end: number }>();
  for (const mark of options.chapters) {
    const audio = audioByChapter.get(mark.chapter);
    if (!audio) continue;
    const clips = chapterClips(options.cues.filter((cue) => cue.chapter === mark.chapter), mark, audio.samples);
    let owner: { begin: number; end: number } | undefined;
    let pendingBegin: number | undefined;
    for (const clip of clips) {
      if (foundSentences.has(clip.sentence)) {
        owner = { begin: pendingBegin ?? clip.begin, end: clip.end };
        pendingBegin = undefined;
        out.set(clip.sentence, owner);
      } else if (owner) owner.end = clip.end;
      else pendingBegin ??= clip.begin;
    }
  }
  return out;
}

function relative(fromFile: string, toFile: string): string {
  return posix.relative(posix.dirname(fromFile), toFile) || posix.basename(toFile);
}

function linkStyle(doc: XDocument, href: string): void {
  const head = elements(doc, 'head')[0];
  if (!head) return;
  const link = doc.createElement('link');
  link.setAttribute('rel', 'stylesheet');
  link.setAttribute('type', 'text/css');
  link.setAttribute('href', href);
  head.appendChild(link);
}

/** XHTML with the HTML5 doctype EPUB 3 expects (the source's DOCTYPE was cut before parsing). */
function serializeXhtml(doc: XDocument): string {
  const root = doc.documentElement;
  if (!root.getAttribute('xmlns')) root.setAttribute('xmlns', XHTML_NS);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n${root.toString()}\n`;
}

function smilDocument(textHref: string, pars: readonly string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops" version="3.0">
<body>
<seq id="seq-1" epub:textref="${escapeXml(textHref)}">
${pars.join('\n')}
</seq>
</body>
</smil>
`;
}

/**
 * Edits the OPF in place: version 3.0, dcterms:modified, the overlays' durations and active
 * class, the new items, media-overlay on the content files. An EPUB 2 book gains the EPUB 3
 * navigation document it lacks, which this returns to be written.
 */
function editPackage(
  options: ReadAlongEpubOptions,
  opf: XDocument,
  opfPath: string,
  overlays: readonly Overlay[],
  audioNames: Map<number, string>,
  cssPath: string,
  files: readonly ContentFile[],
): { path: string; xhtml: string } | undefined {
  const root = opf.documentElement;
  root.setAttribute('version', '3.0');
  const metadata = elements(opf, 'metadata')[0]!;
  const manifest = elements(opf, 'manifest')[0]!;
  const addMeta = (text: string, attributes: Record<string, string>): void => {
    const meta = opf.createElement('meta');
    for (const [name, value] of Object.entries(attributes)) meta.setAttribute(name, value);
    meta.appendChild(opf.createTextNode(text));
    metadata.appendChild(meta);
  };
  const addItem = (id: string, path: string, mediaType: string, properties?: string): void => {
    const item = opf.createElement('item');
    item.setAttribute('id', id);
    item.setAttribute('href', relative(opfPath, path));
    item.setAttribute('media-type', mediaType);
    if (properties) item.setAttribute('properties', properties);
    manifest.appendChild(item);
  };
  const modified = elements(opf, 'meta').find((meta) => meta.getAttribute('property') === 'dcterms:modified');
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  if (modified) modified.textContent = now;
  else addMeta(now, { property: 'dcterms:modified' });
  for (const overlay of overlays) addMeta(clockValue(overlay.samples), { property: 'media:duration', refines: `#${overlay.smilId}` });
  addMeta(clockValue(overlays.reduce((sum, overlay) => sum + overlay.samples, 0)), { property: 'media:duration' });
  addMeta(ACTIVE_CLASS, { property: 'media:active-class' });

  const items = elements(opf, 'item');
  for (const overlay of overlays) {
    items.find((item) => item.getAttribute('id') === overlay.file.manifestId)?.setAttribute('media-overlay', overlay.smilId);
    addItem(overlay.smilId, overlay.smilPath, 'application/smil+xml');
  }
  const audioFiles = new Map(options.chapterAudio.map((audio) => [audio.chapter, audio]));
  [...audioNames].forEach(([chapter, path], index) => addItem(`kr-audio-${index + 1}`, path, audioFiles.get(chapter)!.mediaType));
  addItem('kr-read-along-style', cssPath, 'text/css');

  if (items.some((item) => (item.getAttribute('properties') ?? '').split(/\s+/).includes('nav'))) return undefined;
  const navPath = posix.join(posix.dirname(cssPath), 'nav.xhtml');
  addItem('kr-nav', navPath, 'application/xhtml+xml', 'nav');
  return { path: navPath, xhtml: navDocument(options, navPath, files) };
}

/** An EPUB 3 table of contents for an EPUB 2 book: the exported chapters, at their first sentence found. */
function navDocument(options: ReadAlongEpubOptions, navPath: string, files: readonly ContentFile[]): string {
  const entries: string[] = [];
  for (const mark of options.chapters) {
    const file = files.find((each) => each.found.some((found) => found.chapter === mark.chapter));
    const found = file?.found.find((each) => each.chapter === mark.chapter);
    if (!file || !found) continue;
    entries.push(`<li><a href="${escapeXml(`${relative(navPath, file.path)}#${found.id}`)}">${escapeXml(mark.title || `Chapter ${entries.length + 1}`)}</a></li>`);
  }
  const title = escapeXml(options.metadata.title);
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
<head><meta charset="UTF-8"/><title>${title}</title></head>
<body>
<nav epub:type="toc" id="toc">
<h1>${title}</h1>
<ol>
${entries.join('\n')}
</ol>
</nav>
</body>
</html>
`;
}
