// DOCX through mammoth (to semantic HTML) and then the HTML walker: headings split
// chapters, lists become list items, tables are read cell by cell, row by row, and notes go
// to the end of their chapter. Mammoth reads the package through our GuardedZip, so zip-bomb
// limits hold for every part it inflates; it is told not to read external files, and images
// become empty placeholders instead of base64 copies.
import mammoth from 'mammoth';
import type { ImportedDocument } from '../../../src-shared/document/model';
import { AppError } from '../../../src-shared/errors/catalogue';
import { cleanTitle } from './chapters';
import { extractHtml, htmlToDocument } from './html-importer';
import type { ImportContext } from './limits';
import { checkNesting } from './nesting';
import { asArray, parseXml, path, textOf } from './xml';
import { GuardedZip, zipLimitsFor } from './zip-guard';

export async function importDocx(bytes: Uint8Array, context: ImportContext): Promise<ImportedDocument> {
  const zip = await GuardedZip.open(bytes, zipLimitsFor(context.limits, 'DOCX'));
  if (!zip.has('word/document.xml')) throw AppError.of('CORRUPT_DOCUMENT', '(The DOCX has no main document part.)');
  let html: string;
  try {
    const input = { file: nestingChecked(zip.asMammothFile()) } as unknown as Parameters<typeof mammoth.convertToHtml>[0];
    const result = await mammoth.convertToHtml(input, {
      externalFileAccess: false,
      convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })),
    });
    html = result.value;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw AppError.of('CORRUPT_DOCUMENT', `(${error instanceof Error ? error.message : String(error)})`);
  }
  const extracted = extractHtml(`<!doctype html><html><body>${html}</body></html>`, { readability: false });
  delete extracted.title;
  const properties = await coreProperties(zip);
  if (properties.title) extracted.title = properties.title;
  if (properties.author) extracted.author = properties.author;
  if (properties.language) extracted.language = properties.language;
  return htmlToDocument(extracted, 'docx', context.fileName);
}

type MammothFile = ReturnType<GuardedZip['asMammothFile']>;

/**
 * Mammoth converts XML parts recursively, so a part nested too deep would overflow the stack:
 * each XML part it reads is measured first, and refused with our message.
 */
function nestingChecked(file: MammothFile): MammothFile {
  return {
    ...file,
    read: async (name, encoding) => {
      const content = await file.read(name, encoding);
      if (typeof content === 'string' && encoding !== 'base64') checkNesting(content, { xml: true, name });
      return content;
    },
  };
}

async function coreProperties(zip: GuardedZip): Promise<{ title?: string; author?: string; language?: string }> {
  if (!zip.has('docProps/core.xml')) return {};
  try {
    const core = parseXml(await zip.bytes('docProps/core.xml'), 'docProps/core.xml');
    const props = path(core, 'coreProperties');
    const get = (key: string): string => cleanTitle(textOf(asArray(path(props, key))[0]));
    const out: { title?: string; author?: string; language?: string } = {};
    if (get('title')) out.title = get('title');
    if (get('creator')) out.author = get('creator');
    if (get('language')) out.language = get('language');
    return out;
  } catch (error) {
    // Metadata is optional; only a safety refusal matters.
    if (error instanceof AppError && error.code !== 'CORRUPT_DOCUMENT') throw error;
    return {};
  }
}
