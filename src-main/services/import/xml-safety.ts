// XML from documents is never handed to a parser with its DOCTYPE: the DOCTYPE is cut out
// here, so no parser can expand entities recursively (billion laughs) or load external
// ones (XXE). Plain literal entities, the kind real books declare, are substituted by hand
// with a size budget; recursive, parameter or external entities refuse the document.
import { DOMParser } from 'linkedom';
import { BoundedCache } from '../../../src-shared/cache/bounded-cache';
import { AppError } from '../../../src-shared/errors/catalogue';

const XML_PREDEFINED = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
const MAX_DECLARED_ENTITIES = 200;
const MAX_ENTITY_VALUE = 1000;

export interface PreparedXml {
  text: string;
  /** True when a DOCTYPE was present (and removed). */
  hadDoctype: boolean;
}

/**
 * Removes the DOCTYPE, substitutes its literal entities, and (for XHTML) decodes HTML named
 * entities such as &nbsp; that an XML parser would leave as text. Throws UNSAFE_DOCUMENT.
 */
export function prepareXml(source: string, options: { htmlEntities?: boolean; name?: string } = {}): PreparedXml {
  const doctype = findDoctype(source);
  let text = source;
  let entities = new Map<string, string>();
  if (doctype) {
    entities = readEntityDeclarations(source.slice(doctype.start, doctype.end), options.name);
    text = source.slice(0, doctype.start) + source.slice(doctype.end);
  }
  if (entities.size > 0 || options.htmlEntities) {
    const budget = { left: text.length + 1024 * 1024 };
    text = text.replace(/&([A-Za-z_][\w.-]{0,63});/g, (match, name: string) => {
      if (XML_PREDEFINED.has(name)) return match;
      const value = entities.get(name) ?? (options.htmlEntities ? htmlEntity(name) : undefined);
      if (value === undefined) return `&amp;${name};`;
      budget.left -= value.length;
      if (budget.left < 0) throw AppError.of('UNSAFE_DOCUMENT', `(Entities in ${options.name ?? 'the XML'} expand too far.)`);
      return escapeXmlText(value);
    });
  }
  return { text, hadDoctype: doctype !== undefined };
}

function findDoctype(source: string): { start: number; end: number } | undefined {
  const start = source.search(/<!DOCTYPE/i);
  if (start < 0) return undefined;
  // Only one can be cut out: a second (say after a decoy inside a comment) would reach the
  // parser. Telling comments apart here would risk disagreeing with the parser on where
  // they end, so any second DOCTYPE refuses the document.
  if (/<!DOCTYPE/i.test(source.slice(start + 9))) throw AppError.of('UNSAFE_DOCUMENT', '(The XML has more than one DOCTYPE.)');
  // Scan to the closing '>' outside quotes and outside the [...] internal subset.
  let inSubset = false;
  let quote = '';
  for (let at = start + 9; at < source.length; at++) {
    const ch = source[at];
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '[') {
      inSubset = true;
    } else if (ch === ']') {
      inSubset = false;
    } else if (ch === '>' && !inSubset) {
      return { start, end: at + 1 };
    }
  }
  throw AppError.of('CORRUPT_DOCUMENT', '(An XML DOCTYPE is not closed.)');
}

function readEntityDeclarations(doctype: string, name: string | undefined): Map<string, string> {
  const entities = new Map<string, string>();
  const where = name ?? 'the XML';
  const declarations = doctype.match(/<!ENTITY[\s\S]*?>/gi) ?? [];
  if (declarations.length > MAX_DECLARED_ENTITIES) throw AppError.of('UNSAFE_DOCUMENT', `(${where} declares ${declarations.length} entities.)`);
  for (const declaration of declarations) {
    const literal = /^<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"([^"]*)"|'([^']*)')\s*>$/i.exec(declaration);
    if (!literal || !literal[1]) throw AppError.of('UNSAFE_DOCUMENT', `(${where} declares a parameter or external entity.)`);
    const value = literal[2] ?? literal[3] ?? '';
    if (value.includes('&') || value.includes('%') || value.includes('<')) {
      throw AppError.of('UNSAFE_DOCUMENT', `(${where} declares an entity that refers to other entities or markup.)`);
    }
    if (value.length > MAX_ENTITY_VALUE) throw AppError.of('UNSAFE_DOCUMENT', `(${where} declares an oversized entity.)`);
    entities.set(literal[1], value);
  }
  return entities;
}

const htmlEntityCache = new BoundedCache<string, string | undefined>(2000);

/** Decodes one HTML named entity with linkedom's HTML parser (its full table), cached. */
function htmlEntity(name: string): string | undefined {
  return htmlEntityCache.getOrCompute(name, () => {
    const document = new DOMParser().parseFromString(`<p>&${name};</p>`, 'text/html') as unknown as { querySelector(selector: string): { textContent: string | null } | null };
    const decoded = document.querySelector('p')?.textContent ?? undefined;
    return decoded === undefined || decoded === `&${name};` ? undefined : decoded;
  });
}

function escapeXmlText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
