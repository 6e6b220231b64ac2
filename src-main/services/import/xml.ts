// Small XML files of packages (EPUB container/OPF/NCX, DOCX core properties) as plain objects.
import { XMLParser } from 'fast-xml-parser';
import { AppError } from '../../../src-shared/errors/catalogue';
import { checkNesting } from './nesting';
import { decodeText } from './text-decode';
import { prepareXml } from './xml-safety';

export type XmlValue = string | number | boolean | XmlObject | XmlValue[] | undefined;
export interface XmlObject {
  [key: string]: XmlValue;
}

const ARRAY_TAGS = new Set(['rootfile', 'item', 'itemref', 'reference', 'navPoint', 'title', 'creator', 'language', 'EncryptedData', 'meta']);

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // The DOCTYPE is already cut out (prepareXml), so only predefined and numeric entities remain.
  processEntities: true,
  htmlEntities: true,
  isArray: (name) => ARRAY_TAGS.has(name),
});

/** Decodes XML bytes by BOM, then the encoding its declaration names, then UTF-8/Windows-1252. */
export function decodeXml(bytes: Uint8Array): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const declared = /^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1];
  return decodeText(bytes, { declared }).text;
}

/** Parses XML with its DOCTYPE removed first (see xml-safety). Throws AppError. */
export function parseXml(bytes: Uint8Array, name: string): XmlObject {
  const text = prepareXml(decodeXml(bytes), { name }).text;
  // fast-xml-parser builds its objects recursively.
  checkNesting(text, { xml: true, name });
  try {
    return xmlParser.parse(text) as XmlObject;
  } catch (error) {
    throw AppError.of('CORRUPT_DOCUMENT', `(${name}: ${error instanceof Error ? error.message : String(error)})`);
  }
}

export function asArray(value: XmlValue): XmlValue[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export function path(value: XmlValue, ...keys: string[]): XmlValue {
  let node = value;
  for (const key of keys) {
    if (Array.isArray(node)) node = node[0];
    if (!node || typeof node !== 'object') return undefined;
    node = (node as XmlObject)[key];
  }
  return node;
}

export function attr(value: XmlValue, name: string): string | undefined {
  const node = Array.isArray(value) ? value[0] : value;
  if (!node || typeof node !== 'object') return undefined;
  const found = (node as XmlObject)[`@_${name}`];
  return typeof found === 'string' ? found : undefined;
}

export function textOf(value: XmlValue): string {
  if (value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(textOf).join(' ');
  return textOf(value['#text']);
}

