// Decoding bytes of unknown encoding: a BOM wins; then a charset the document declares;
// then strict UTF-8; BOM-less UTF-16 is recognised by its zero bytes; anything else is read
// as Windows-1252, the usual encoding of old Western text files (every byte maps to a char).
import { AppError } from '../../../src-shared/errors/catalogue';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | (string & {});

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
}

export function decodeText(bytes: Uint8Array, options: { declared?: string | undefined } = {}): DecodedText {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return decodeWith('utf-8', bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeWith('utf-16le', bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeWith('utf-16be', bytes.subarray(2));
  const utf16 = sniffUtf16(bytes);
  if (utf16) return decodeWith(utf16, bytes);
  let declared = options.declared ? normaliseLabel(options.declared) : undefined;
  // A UTF-16 label on bytes with no BOM and no UTF-16 pattern is wrong (the declaration itself
  // was readable as ASCII): WHATWG treats it as UTF-8.
  if (declared === 'utf-16le' || declared === 'utf-16be') declared = 'utf-8';
  if (declared && declared !== 'utf-8') {
    try {
      return decodeWith(declared, bytes);
    } catch {
      // An unknown label: fall through to detection.
    }
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return decodeWith('windows-1252', bytes);
  }
}

function decodeWith(encoding: string, bytes: Uint8Array): DecodedText {
  const normalised = new TextDecoder(encoding).encoding;
  if (normalised === 'windows-1252') return { text: decodeWindows1252(bytes), encoding: normalised };
  return { text: new TextDecoder(normalised).decode(bytes), encoding: normalised };
}

// Node 20's TextDecoder treats windows-1252 (and its aliases latin1, iso-8859-1) as ISO-8859-1,
// turning curly quotes, dashes and the euro sign into C1 control characters.
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

export function decodeWindows1252(bytes: Uint8Array): string {
  return new TextDecoder('latin1').decode(bytes).replace(/[\u0080-\u009f]/g, (ch) => CP1252_HIGH[ch.charCodeAt(0) - 0x80] ?? ch);
}

function normaliseLabel(label: string): string | undefined {
  const trimmed = label.trim().toLowerCase();
  try {
    // TextDecoder knows the WHATWG labels ("latin1", "iso-8859-1", "cp1252", ...).
    return new TextDecoder(trimmed).encoding;
  } catch {
    return undefined;
  }
}

/** BOM-less UTF-16: most ASCII text has a zero in every other byte. */
function sniffUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const sample = Math.min(bytes.length, 4096) & ~1;
  if (sample < 4) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const pairs = sample / 2;
  if (oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05) return 'utf-16le';
  if (evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05) return 'utf-16be';
  return undefined;
}

/** True when bytes look like a binary file rather than text (NULs or many control bytes). */
export function looksBinary(bytes: Uint8Array): boolean {
  const sample = Math.min(bytes.length, 8192);
  if (sample === 0) return false;
  if (sniffUtf16(bytes) || (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return false;
  let control = 0;
  for (let i = 0; i < sample; i++) {
    const b = bytes[i] ?? 0;
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32 && b !== 27)) control++;
  }
  return control > sample * 0.1;
}

/** Decodes a text document and refuses what is clearly not text. */
export function decodeTextDocument(bytes: Uint8Array, declared?: string): DecodedText {
  if (looksBinary(bytes)) throw AppError.of('FILE_UNREADABLE', '(It looks like a binary file.)');
  const decoded = decodeText(bytes, { declared });
  return { text: decoded.text.replace(/\r\n?/g, '\n'), encoding: decoded.encoding };
}
