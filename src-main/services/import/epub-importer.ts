// EPUB 2 and 3: container.xml -> OPF (metadata, manifest, spine) -> chapters in spine order.
// Titles come from the EPUB 3 nav document, else the NCX; a TOC entry that points into the
// middle of a file splits the file there. Files the TOC does not name continue the chapter
// before them (books often split one chapter over several files). Cover and nav pages and
// non-linear items are not read; footnotes and asides go to the end of their chapter.
import { DOMParser } from 'linkedom';
import { AppError } from '../../../src-shared/errors/catalogue';
import type { ImportedDocument } from '../../../src-shared/document/model';
import { countWords } from '../../../src-shared/document/words';
import { buildChapters, cleanTitle, firstHeading } from './chapters';
import type { DraftChapter } from './chapters';
import { titleFromFileName } from './html-importer';
import { depthFirst, epubTypes, inDocumentOrder, isAnchor, localNameOf, walkHtml } from './html-walker';
import type { DomElement, DomNode, FlowBlock } from './html-walker';
import { checkAborted, yieldToEventLoop } from './limits';
import type { ImportContext } from './limits';
import { checkNesting, MAX_NESTING } from './nesting';
import { prepareXml } from './xml-safety';
import { asArray, attr, decodeXml, parseXml, path, textOf } from './xml';
import type { XmlObject, XmlValue } from './xml';
import { GuardedZip, zipLimitsFor } from './zip-guard';

// Font obfuscation is not DRM: the text stays readable.
const FONT_OBFUSCATION = new Set(['http://www.idpf.org/2008/embedding', 'http://ns.adobe.com/pdf/enc#RC']);

export interface ManifestItem {
  id: string;
  path: string;
  mediaType: string;
  properties: string[];
}

interface TocEntry {
  title: string;
  path: string;
  fragment?: string;
  depth: number;
}

export async function importEpub(bytes: Uint8Array, context: ImportContext): Promise<ImportedDocument> {
  const zip = await GuardedZip.open(bytes, zipLimitsFor(context.limits, 'EPUB'));
  await refuseDrm(zip);

  const { opfPath, pkg, manifest } = await readPackage(zip);
  const spineNode = path(pkg, 'spine') as XmlObject | undefined;
  const spine = (asArray(spineNode?.itemref) as XmlObject[])
    .map((ref) => ({ item: manifest.get(attr(ref, 'idref') ?? ''), linear: attr(ref, 'linear') !== 'no' }))
    .filter((entry): entry is { item: ManifestItem; linear: boolean } => entry.item !== undefined);
  if (spine.length === 0) throw AppError.of('EMPTY_DOCUMENT', '(The EPUB has no chapters.)');

  const metadata = path(pkg, 'metadata') as XmlObject | undefined;
  const title = cleanTitle(textOf(asArray(metadata?.title)[0]));
  const authors = asArray(metadata?.creator).map(textOf).map(cleanTitle).filter(Boolean);
  const language = cleanTitle(textOf(asArray(metadata?.language)[0]));

  const warnings: string[] = [];
  const navItem = [...manifest.values()].find((item) => item.properties.includes('nav'));
  const noNav = { toc: [], covers: [], tocPages: [] };
  const nav = navItem ? await unlessTooDeep(() => readNav(zip, navItem.path), noNav, warnings) : noNav;
  let toc = nav.toc;
  if (toc.length === 0) {
    const ncxId = attr(spineNode, 'toc');
    const ncx = (ncxId ? manifest.get(ncxId) : undefined) ?? [...manifest.values()].find((item) => item.mediaType === 'application/x-dtbncx+xml');
    if (ncx && zip.has(ncx.path)) toc = await unlessTooDeep(() => readNcx(zip, ncx.path), [], warnings);
  }
  const coverPaths = new Set(nav.covers);
  const skipPaths = new Set(nav.tocPages);
  if (navItem) skipPaths.add(navItem.path);
  for (const reference of asArray(path(pkg, 'guide', 'reference')) as XmlObject[]) {
    const type = attr(reference, 'type')?.toLowerCase();
    const href = attr(reference, 'href');
    if (!href) continue;
    if (type === 'cover') coverPaths.add(resolveHref(opfPath, href).path);
    if (type === 'toc') skipPaths.add(resolveHref(opfPath, href).path);
  }

  let missingFiles = 0;
  const drafts: DraftChapter[] = [];
  const untitled = new Set<DraftChapter>();
  let current: DraftChapter | undefined;
  // Whether `current` holds a block that is not a note, kept as it grows: asking the blocks at
  // every anchor would be quadratic in a file of many notes and many TOC targets.
  let currentHasText = false;
  // The TOC entries of each file, grouped once: filtering the whole TOC per spine item would be
  // quadratic in a book of many files and a long TOC.
  const tocByPath = new Map<string, TocEntry[]>();
  for (const entry of toc) {
    const list = tocByPath.get(entry.path);
    if (list) list.push(entry);
    else tocByPath.set(entry.path, [entry]);
  }
  const readable = spine.filter(({ item, linear }) => linear && !skipPaths.has(item.path) && /x?html|xml/.test(item.mediaType));
  let done = 0;
  for (const { item } of readable) {
    checkAborted(context.signal);
    context.progress('chapters', done++, readable.length);
    await yieldToEventLoop();
    if (!zip.has(item.path)) {
      missingFiles++;
      warnings.push(`Missing file skipped: ${item.path}`);
      continue;
    }
    const entries = tocByPath.get(item.path) ?? [];
    const depth = entries.reduce((min, entry) => Math.min(min, entry.depth), Infinity);
    const starts = entries.filter((entry) => entry.depth === depth);
    const anchors = new Map<string, string>();
    for (const entry of starts) if (entry.fragment && !anchors.has(entry.fragment)) anchors.set(entry.fragment, entry.title);
    const { body, isCover } = await readContent(zip, item.path);
    const flow = walkHtml(body, { epub: true, anchorIds: new Set(anchors.keys()) });
    const blocks = flow.filter((flowItem) => !isAnchor(flowItem)) as FlowBlock[];
    if (isCover || looksLikeCover(item, coverPaths, blocks)) continue;

    const whole = starts.find((entry) => !entry.fragment);
    if (whole || (toc.length === 0 && blocks.length > 0) || !current) {
      current = { title: whole?.title ?? '', blocks: [] };
      currentHasText = false;
      if (!whole) untitled.add(current);
      drafts.push(current);
    }
    for (const flowItem of flow) {
      if (isAnchor(flowItem)) {
        const anchorTitle = anchors.get(flowItem.anchor);
        if (anchorTitle === undefined) continue;
        anchors.delete(flowItem.anchor);
        if (current.blocks.length === 0 && current.title === '') {
          current.title = anchorTitle;
          untitled.delete(current);
        } else if (currentHasText) {
          current = { title: anchorTitle, blocks: [] };
          currentHasText = false;
          drafts.push(current);
        }
        continue;
      }
      current.blocks.push(flowItem);
      if (!flowItem.footnote) currentHasText = true;
    }
  }
  context.progress('chapters', readable.length, readable.length);
  untitled.forEach((draft) => {
    draft.title = firstHeading(draft.blocks) ?? '';
  });
  const filled = drafts.filter((draft) => draft.blocks.length > 0);
  filled.forEach((draft, index) => {
    if (!draft.title) draft.title = `Section ${index + 1}`;
  });
  const chapters = buildChapters(filled);
  if (!chapters.some((chapter) => chapter.blocks.some((block) => !block.skipFromReading))) {
    if (missingFiles > 0 && chapters.length === 0) throw AppError.of('CORRUPT_DOCUMENT', '(The files of its chapters are missing.)');
    throw AppError.of('EMPTY_DOCUMENT', '(The EPUB has no chapters with text.)');
  }
  const document: ImportedDocument = { title: title || titleFromFileName(context.fileName), format: 'epub', chapters };
  if (authors.length > 0) document.author = authors.join(', ');
  if (language) document.language = language;
  if (warnings.length > 0) document.warnings = warnings;
  return document;
}

async function refuseDrm(zip: GuardedZip): Promise<void> {
  if (zip.has('META-INF/rights.xml')) throw AppError.of('DRM_PROTECTED', '(Adobe DRM.)');
  if (zip.has('META-INF/license.lcpl')) throw AppError.of('DRM_PROTECTED', '(Readium LCP.)');
  if (zip.has('META-INF/sinf.xml')) throw AppError.of('DRM_PROTECTED', '(Apple FairPlay.)');
  if (!zip.has('META-INF/encryption.xml')) return;
  const encryption = await readXml(zip, 'META-INF/encryption.xml');
  const items = asArray(path(encryption, 'encryption', 'EncryptedData')) as XmlObject[];
  for (const item of items) {
    const algorithm = attr(path(item, 'EncryptionMethod'), 'Algorithm') ?? '';
    if (FONT_OBFUSCATION.has(algorithm)) continue;
    const uri = attr(path(item, 'CipherData', 'CipherReference'), 'URI') ?? '';
    // Some tools encrypt only fonts with a real cipher; text stays readable then.
    if (/\.(?:otf|ttf|woff2?)$/i.test(uri)) continue;
    throw AppError.of('DRM_PROTECTED', '(Its content files are encrypted.)');
  }
}

/**
 * A table of contents nested absurdly deep is left out, with a note, rather than refusing the
 * book: the chapters still read in spine order.
 */
async function unlessTooDeep<T>(read: () => Promise<T>, fallback: T, warnings: string[]): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'DOCUMENT_TOO_DEEP') throw error;
    warnings.push(`The table of contents nests more than ${MAX_NESTING.toLocaleString('en-US')} levels deep, so it was not used.`);
    return fallback;
  }
}

/** The package document (OPF) named by container.xml, and its manifest by id. */
export async function readPackage(zip: GuardedZip): Promise<{ opfPath: string; pkg: XmlObject; manifest: Map<string, ManifestItem> }> {
  const container = await readXml(zip, 'META-INF/container.xml');
  const rootfiles = asArray(path(container, 'container', 'rootfiles', 'rootfile')) as XmlObject[];
  const opfPath = rootfiles.map((rootfile) => attr(rootfile, 'full-path')).find((value) => value && zip.has(value));
  if (!opfPath) throw AppError.of('CORRUPT_DOCUMENT', '(The EPUB has no package file.)');
  const opf = await readXml(zip, opfPath);
  const pkg = path(opf, 'package') as XmlObject | undefined;
  if (!pkg) throw AppError.of('CORRUPT_DOCUMENT', '(The EPUB package file is not valid.)');
  const manifest = new Map<string, ManifestItem>();
  for (const item of asArray(path(pkg, 'manifest', 'item')) as XmlObject[]) {
    const id = attr(item, 'id');
    const href = attr(item, 'href');
    if (!id || !href) continue;
    manifest.set(id, { id, path: resolveHref(opfPath, href).path, mediaType: attr(item, 'media-type') ?? '', properties: words(attr(item, 'properties')) });
  }
  return { opfPath, pkg, manifest };
}

async function readXml(zip: GuardedZip, name: string): Promise<XmlObject> {
  if (!zip.has(name)) throw AppError.of('CORRUPT_DOCUMENT', `(The EPUB has no ${name}.)`);
  return parseXml(await zip.bytes(name), name);
}

type XmlDocumentLike = DomNode & { documentElement: DomElement | null; querySelector(selector: string): DomElement | null; querySelectorAll(selector: string): ArrayLike<DomElement> };

async function parseXhtml(zip: GuardedZip, name: string): Promise<XmlDocumentLike> {
  const text = prepareXml(decodeXml(await zip.bytes(name)), { htmlEntities: true, name }).text;
  checkNesting(text, { xml: true, name });
  return new DOMParser().parseFromString(text, 'text/xml') as unknown as XmlDocumentLike;
}

async function readContent(zip: GuardedZip, name: string): Promise<{ body: DomNode; isCover: boolean }> {
  const document = await parseXhtml(zip, name);
  const body = document.querySelector('body') ?? document.documentElement ?? document;
  const isCover = epubTypes(body as DomElement).includes('cover');
  return { body, isCover };
}

function looksLikeCover(item: ManifestItem, coverPaths: ReadonlySet<string>, blocks: readonly FlowBlock[]): boolean {
  const named = coverPaths.has(item.path) || /(?:^|[^a-z])cover(?:[^a-z]|$)/i.test(item.id) || /(?:^|[^a-z])cover(?:[^a-z]|$)/i.test(item.path.replace(/^.*\//, ''));
  if (!named) return false;
  // A cover is an image with at most a title and author under it; a real chapter is longer.
  const wordCount = blocks.reduce((sum, block) => sum + countWords(block.text), 0);
  return wordCount < 60;
}

async function readNav(zip: GuardedZip, navPath: string): Promise<{ toc: TocEntry[]; covers: string[]; tocPages: string[] }> {
  const result = { toc: [] as TocEntry[], covers: [] as string[], tocPages: [] as string[] };
  if (!zip.has(navPath)) return result;
  const document = await parseXhtml(zip, navPath);
  const navs = Array.from(document.querySelectorAll('nav'));
  const tocNav = navs.find((nav) => epubTypes(nav).includes('toc')) ?? navs.find((nav) => epubTypes(nav).length === 0);
  if (tocNav) {
    const list = firstDescendant(tocNav, 'ol');
    for (const entry of list ? navEntries(list) : []) {
      const target = resolveHref(navPath, entry.href);
      if (!target.external) result.toc.push({ title: entry.title, depth: entry.depth, path: target.path, ...(target.fragment ? { fragment: target.fragment } : {}) });
    }
  }
  const landmarks = navs.find((nav) => epubTypes(nav).includes('landmarks'));
  if (landmarks) {
    for (const link of Array.from((landmarks as unknown as XmlDocumentLike).querySelectorAll('a'))) {
      const href = link.getAttribute('href');
      if (!href) continue;
      const types = epubTypes(link);
      if (types.includes('cover')) result.covers.push(resolveHref(navPath, href).path);
      if (types.includes('toc')) result.tocPages.push(resolveHref(navPath, href).path);
    }
  }
  return result;
}

/** The entries of a nav list in reading order: each item, then the lists inside it. */
function navEntries(list: DomElement): { title: string; href: string; depth: number }[] {
  const itemsOf = (from: DomElement): DomElement[] => childElements(from).filter((child) => localNameOf(child) === 'li');
  const nestedItems = (item: DomElement): DomElement[] =>
    childElements(item)
      .filter((child) => localNameOf(child) === 'ol' || localNameOf(child) === 'ul')
      .flatMap(itemsOf);
  const entries: { title: string; href: string; depth: number }[] = [];
  for (const { node: item, depth } of depthFirst(itemsOf(list), nestedItems)) {
    const children = childElements(item);
    const link = children.find((child) => localNameOf(child) === 'a');
    const label = link ?? children.find((child) => localNameOf(child) === 'span');
    const href = link?.getAttribute('href');
    if (label && href) entries.push({ title: cleanTitle(textContent(label)), href, depth });
  }
  return entries;
}

async function readNcx(zip: GuardedZip, ncxPath: string): Promise<TocEntry[]> {
  const ncx = await readXml(zip, ncxPath);
  const entries: TocEntry[] = [];
  const pointsOf = (points: XmlValue): XmlObject[] => asArray(points) as XmlObject[];
  for (const { node: point, depth } of depthFirst(pointsOf(path(ncx, 'ncx', 'navMap', 'navPoint')), (parent) => pointsOf(parent.navPoint))) {
    const src = attr(path(point, 'content'), 'src');
    const title = cleanTitle(textOf(path(point, 'navLabel', 'text')));
    if (src) {
      const target = resolveHref(ncxPath, src);
      if (!target.external) entries.push({ title, depth, path: target.path, ...(target.fragment ? { fragment: target.fragment } : {}) });
    }
  }
  return entries;
}

// ---------------------------------------------------------------- helpers

function childElements(element: DomElement): DomElement[] {
  return Array.from(element.childNodes).filter((child): child is DomElement => child.nodeType === 1);
}

function firstDescendant(element: DomElement, name: string): DomElement | undefined {
  for (const node of inDocumentOrder(element)) {
    if (node !== element && node.nodeType === 1 && localNameOf(node as DomElement) === name) return node as DomElement;
  }
  return undefined;
}

function textContent(node: DomNode): string {
  const parts: string[] = [];
  for (const each of inDocumentOrder(node)) if (each.nodeType === 3 || each.nodeType === 4) parts.push(each.nodeValue ?? '');
  return parts.join('');
}

/** Resolves an href against the file it appears in; zip paths have no leading slash. */
function resolveHref(base: string, href: string): { path: string; fragment?: string; external: boolean } {
  const hash = href.indexOf('#');
  const rawPath = hash >= 0 ? href.slice(0, hash) : href;
  const fragment = hash >= 0 ? safeDecode(href.slice(hash + 1)) : undefined;
  if (/^[a-z][a-z0-9+.-]*:/i.test(rawPath)) return { path: rawPath, external: true };
  const parts = rawPath.startsWith('/') ? [] : base.split('/').slice(0, -1);
  if (rawPath === '') parts.push(...base.split('/').slice(-1));
  for (const part of safeDecode(rawPath).split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return { path: parts.join('/'), external: false, ...(fragment ? { fragment } : {}) };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function words(value: string | undefined): string[] {
  return value ? value.split(/\s+/).filter(Boolean) : [];
}
