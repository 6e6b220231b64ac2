// Turning positioned PDF text items into reading-order lines and paragraphs. Pure functions
// over plain data, so they are tested without pdf.js. Coordinates are top-left based (y grows
// down the page) and y is the text baseline.
//
// 1. Items on one page are grouped into rows by baseline.
// 2. Two columns are found from a vertical strip in the middle of the text that (almost) no
//    row crosses; rows that do cross it (titles) split the page into bands, and each band
//    is read left column first.
// 3. Running headers and footers are the first/last lines of a page that repeat at the same
//    height on nearby pages (digits ignored, so "Page 3"/"Page 4" match); bare page numbers
//    at the top or bottom are dropped too.
// 4. Lines become paragraphs by vertical gaps, indents and font changes; a word hyphenated
//    over a line end is joined (the hyphen is kept when the document spells the word with
//    one elsewhere, as in "well-known").

export interface PdfTextItem {
  str: string;
  x: number;
  /** Baseline, from the top of the page. */
  y: number;
  width: number;
  fontSize: number;
}

export interface PdfPageText {
  index: number;
  width: number;
  height: number;
  items: PdfTextItem[];
}

export interface PdfLine {
  page: number;
  text: string;
  x: number;
  right: number;
  y: number;
  fontSize: number;
  /** 0 single column or left, 1 right column, -1 spanning both columns. */
  column: number;
}

interface Row {
  y: number;
  fontSize: number;
  items: PdfTextItem[];
}

const EDGE_BAND = 0.12;
const REPEAT_WINDOW = 8;
/** No real page is wider (PDF's own limit is 14,400 units); column finding costs this per row. */
const MAX_LAYOUT_SPAN = 20_000;

export function pageLines(page: PdfPageText): PdfLine[] {
  // Text outside the page box is invisible, and a stray item far away would make the column
  // search allocate (and scan) an array as wide as the distance.
  const marginX = Number.isFinite(page.width) && page.width > 0 ? page.width * 0.1 : Infinity;
  const marginY = Number.isFinite(page.height) && page.height > 0 ? page.height * 0.1 : Infinity;
  const items = page.items.filter(
    (item) =>
      item.str.trim().length > 0 &&
      Number.isFinite(item.x) &&
      Number.isFinite(item.y) &&
      Number.isFinite(item.width) &&
      item.x <= page.width + marginX &&
      item.x + item.width >= -marginX &&
      item.y >= -marginY &&
      item.y <= page.height + marginY,
  );
  if (items.length === 0) return [];
  const rows = groupRows(items);
  const gap = findColumnGap(rows, items, page.width);
  if (gap === undefined) return rows.map((row) => toLine(page.index, row.items, 0));

  const lines: PdfLine[] = [];
  let left: PdfLine[] = [];
  let right: PdfLine[] = [];
  const flushBand = (): void => {
    lines.push(...left, ...right);
    left = [];
    right = [];
  };
  for (const row of rows) {
    if (row.items.some((item) => item.x < gap - 1 && item.x + item.width > gap + 1)) {
      flushBand();
      lines.push(toLine(page.index, row.items, -1));
      continue;
    }
    const leftItems = row.items.filter((item) => item.x + item.width / 2 < gap);
    const rightItems = row.items.filter((item) => item.x + item.width / 2 >= gap);
    if (leftItems.length > 0) left.push(toLine(page.index, leftItems, 0));
    if (rightItems.length > 0) right.push(toLine(page.index, rightItems, 1));
  }
  flushBand();
  return lines;
}

function groupRows(items: PdfTextItem[]): Row[] {
  const sorted = [...items].sort((a, b) => a.y - b.y || a.x - b.x);
  const rows: Row[] = [];
  for (const item of sorted) {
    const row = rows.at(-1);
    if (row && Math.abs(item.y - row.y) <= Math.max(1, 0.4 * Math.min(row.fontSize, item.fontSize))) {
      row.items.push(item);
      row.fontSize = Math.max(row.fontSize, item.fontSize);
    } else {
      rows.push({ y: item.y, fontSize: item.fontSize, items: [item] });
    }
  }
  for (const row of rows) row.items.sort((a, b) => a.x - b.x);
  return rows;
}

/** The x of a gutter between two columns, if the page has two. */
function findColumnGap(rows: Row[], items: PdfTextItem[], pageWidth: number): number | undefined {
  if (rows.length < 4) return undefined;
  let minX = Infinity;
  let maxX = -Infinity;
  for (const item of items) {
    minX = Math.min(minX, item.x);
    maxX = Math.max(maxX, item.x + item.width);
  }
  const span = maxX - minX;
  if (span < pageWidth * 0.3 || !(span <= MAX_LAYOUT_SPAN)) return undefined;
  const from = Math.floor(minX + span * 0.3);
  const to = Math.ceil(minX + span * 0.7);
  const coverage = new Uint16Array(to - from + 1);
  for (const row of rows) {
    const covered = new Uint8Array(coverage.length);
    for (const item of row.items) {
      const a = Math.max(from, Math.floor(item.x));
      const b = Math.min(to, Math.ceil(item.x + item.width));
      for (let x = a; x <= b; x++) covered[x - from] = 1;
    }
    for (let i = 0; i < covered.length; i++) coverage[i] = (coverage[i] ?? 0) + (covered[i] ?? 0);
  }
  // Titles, headers and the odd figure caption may cross the gutter.
  const allowance = Math.max(1, Math.floor(rows.length * 0.15));
  let best: { start: number; length: number } | undefined;
  let runStart = -1;
  for (let i = 0; i <= coverage.length; i++) {
    const open = i < coverage.length && (coverage[i] ?? 0) <= allowance;
    if (open && runStart < 0) runStart = i;
    if (!open && runStart >= 0) {
      const length = i - runStart;
      if (!best || length > best.length) best = { start: runStart, length };
      runStart = -1;
    }
  }
  if (!best || best.length < Math.max(6, pageWidth * 0.015)) return undefined;
  const gap = from + best.start + best.length / 2;
  const leftCount = items.filter((item) => item.x + item.width / 2 < gap).length;
  const rightCount = items.length - leftCount;
  if (leftCount < items.length * 0.2 || rightCount < items.length * 0.2) return undefined;
  return gap;
}

function toLine(page: number, items: PdfTextItem[], column: number): PdfLine {
  let text = '';
  let lastRight = -Infinity;
  let fontSize = 0;
  for (const item of items) {
    const size = item.fontSize || 10;
    fontSize = Math.max(fontSize, size);
    if (text.length > 0 && item.x - lastRight > size * 0.15 && !/\s$/.test(text) && !/^\s/.test(item.str)) text += ' ';
    text += item.str;
    lastRight = Math.max(lastRight, item.x + item.width);
  }
  const first = items[0] as PdfTextItem;
  return {
    page,
    text: text.replace(/\s+/g, ' ').trim(),
    x: first.x,
    right: lastRight,
    y: items.reduce((y, item) => Math.max(y, item.y), -Infinity),
    fontSize,
    column,
  };
}

// ---------------------------------------------------------------- headers and footers

const RE_PAGE_NUMBER = /^(?:page\s+)?[-–—([]?\s*(?:\d{1,5}|[ivxlcdm]{1,8})\s*[-–—)\]]?(?:\s*(?:\/|of)\s*\d{1,5})?$/i;

function repeatKey(text: string): string {
  return text.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
}

/** Drops running headers/footers and page numbers. `pages` holds each page's lines in reading order. */
export function removePageFurniture(pages: readonly PdfLine[][], heights: readonly number[]): PdfLine[][] {
  const candidates = pages.map((lines, index) => edgeLines(lines, heights[index] ?? 792));
  const keys = candidates.map((lines) => lines.map((line) => ({ line, key: repeatKey(line.text) })));
  const needed = Math.min(2, pages.length - 1);
  return pages.map((lines, index) => {
    const height = heights[index] ?? 792;
    const drop = new Set<PdfLine>();
    for (const { line, key } of keys[index] ?? []) {
      const inBand = line.y < height * EDGE_BAND || line.y > height * (1 - EDGE_BAND);
      if (inBand && RE_PAGE_NUMBER.test(line.text)) {
        drop.add(line);
        continue;
      }
      if (needed < 1 || key.length === 0) continue;
      let repeats = 0;
      for (let other = Math.max(0, index - REPEAT_WINDOW); other <= Math.min(pages.length - 1, index + REPEAT_WINDOW) && repeats < needed; other++) {
        if (other === index) continue;
        if ((keys[other] ?? []).some((entry) => entry.key === key && Math.abs(entry.line.y - line.y) <= 3)) repeats++;
      }
      if (repeats >= needed) drop.add(line);
    }
    return lines.filter((line) => !drop.has(line));
  });
}

/**
 * The two topmost and two bottommost lines of a page, where headers and footers live, when
 * set apart from their neighbours by more than a line's spacing (body text that happens to
 * sit near the edge runs on at the normal leading).
 */
function edgeLines(lines: readonly PdfLine[], height: number): PdfLine[] {
  // Rows by height: a header may be split in parts (left and right) on one baseline.
  const levels = [...new Set(lines.map((line) => Math.round(line.y / 2)))].sort((a, b) => a - b);
  const edge = new Set([...levels.slice(0, 2), ...levels.slice(-2)]);
  const separated = (line: PdfLine): boolean =>
    lines.every((other) => {
      const distance = Math.abs(other.y - line.y);
      return distance <= 0.4 * line.fontSize || distance > 1.4 * Math.max(line.fontSize, other.fontSize);
    });
  return lines.filter((line) => edge.has(Math.round(line.y / 2)) && (line.y < height * 0.2 || line.y > height * 0.8) && separated(line));
}

// ---------------------------------------------------------------- paragraphs

export interface PdfParagraph {
  kind: 'heading' | 'paragraph';
  level?: number;
  text: string;
  page: number;
  /** Index of its first line in the input. */
  firstLine: number;
}

/** Groups lines into paragraphs and headings; `breaks` are line indexes that must start one. */
export function buildParagraphs(lines: readonly PdfLine[], breaks: ReadonlySet<number> = new Set()): PdfParagraph[] {
  if (lines.length === 0) return [];
  const bodySize = dominantFontSize(lines);
  const headingSizes = [...new Set(lines.filter((line) => line.fontSize >= bodySize * 1.2).map((line) => Math.round(line.fontSize)))].sort((a, b) => b - a);
  const levelOf = (line: PdfLine): number | undefined => {
    if (line.fontSize < bodySize * 1.2 || line.text.length > 150) return undefined;
    return Math.min(6, headingSizes.indexOf(Math.round(line.fontSize)) + 1);
  };
  const spacing = typicalSpacing(lines, bodySize);
  const hyphenated = hyphenatedWords(lines);
  const columnRight = new Map<string, number>();
  for (const line of lines) {
    const key = `${line.page}:${line.column}`;
    columnRight.set(key, Math.max(columnRight.get(key) ?? 0, line.right));
  }

  const out: (PdfParagraph & { parts: string[] })[] = [];
  let current: (PdfParagraph & { last: PdfLine; parts: string[] }) | undefined;
  lines.forEach((line, index) => {
    const level = levelOf(line);
    const kind = level === undefined ? 'paragraph' : 'heading';
    let startNew = current === undefined || breaks.has(index) || current.kind !== kind;
    if (!startNew && current) {
      const previous = current.last;
      if (kind === 'heading') {
        startNew = level !== current.level || line.page !== previous.page || line.y - previous.y > line.fontSize * 2;
      } else {
        startNew = paragraphBreak(previous, line, spacing, columnRight);
      }
    }
    if (startNew || !current) {
      current = { kind, text: '', page: line.page, firstLine: index, last: line, parts: [line.text] };
      if (level !== undefined) current.level = level;
      out.push(current);
    } else {
      // The lines are kept apart and joined once at the end: only the paragraph's tail decides
      // how the next line joins, and rebuilding the whole text per line would be quadratic.
      appendLine(current.parts, line.text, hyphenated);
      current.last = line;
    }
  });
  return out.map(({ kind, level, parts, page, firstLine }) => {
    const text = parts.join('');
    return level === undefined ? { kind, text, page, firstLine } : { kind, level, text, page, firstLine };
  });
}

function paragraphBreak(previous: PdfLine, line: PdfLine, spacing: number, columnRight: ReadonlyMap<string, number>): boolean {
  const endsSentence = /[.!?:;"”’)\]。！？]$/.test(previous.text);
  const samePlace = previous.page === line.page && previous.column === line.column && line.y > previous.y;
  if (!samePlace) {
    // Across a column or page: carry on unless the sentence ended there and the next starts anew.
    return endsSentence && !/^[\p{Ll}]/u.test(line.text);
  }
  const gap = line.y - previous.y;
  if (gap > spacing * 1.6) return true;
  if (Math.abs(line.fontSize - previous.fontSize) > 1) return true;
  const right = columnRight.get(`${previous.page}:${previous.column}`) ?? previous.right;
  const shortLine = right - previous.right > Math.max(30, previous.fontSize * 4);
  if (endsSentence && shortLine) return true;
  // A first-line indent after a finished sentence.
  return endsSentence && line.x - previous.x > line.fontSize * 0.8;
}

function dominantFontSize(lines: readonly PdfLine[]): number {
  const weight = new Map<number, number>();
  for (const line of lines) {
    const size = Math.round(line.fontSize * 2) / 2;
    weight.set(size, (weight.get(size) ?? 0) + line.text.length);
  }
  let best = 10;
  let bestWeight = -1;
  for (const [size, count] of weight) {
    if (count > bestWeight) {
      best = size;
      bestWeight = count;
    }
  }
  return best;
}

function typicalSpacing(lines: readonly PdfLine[], bodySize: number): number {
  const gaps: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const a = lines[i - 1] as PdfLine;
    const b = lines[i] as PdfLine;
    if (a.page === b.page && a.column === b.column && b.y > a.y && Math.abs(a.fontSize - bodySize) < 1 && Math.abs(b.fontSize - bodySize) < 1) gaps.push(b.y - a.y);
  }
  if (gaps.length === 0) return bodySize * 1.2;
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)] ?? bodySize * 1.2;
}

function hyphenatedWords(lines: readonly PdfLine[]): Set<string> {
  const words = new Set<string>();
  for (const line of lines) {
    for (const match of line.text.matchAll(/\p{L}+(?:-\p{L}+)+/gu)) words.add(match[0].toLowerCase());
  }
  return words;
}

const JOIN_CONTEXT = 64;

/** How `next` joins text ending in `tail` (its last characters): drop tail's last character?, and the separator. */
function joint(tail: string, next: string, hyphenated: ReadonlySet<string>): { dropLast: boolean; separator: string } {
  if (tail.endsWith('\u00ad')) return { dropLast: true, separator: '' };
  const hyphen = /(\p{L}+)-$/u.exec(tail.slice(-JOIN_CONTEXT));
  if (hyphen && /^\p{Ll}/u.test(next)) {
    const nextWord = /^\p{L}+/u.exec(next)?.[0] ?? '';
    const compound = `${hyphen[1] ?? ''}-${nextWord}`.toLowerCase();
    return { dropLast: !hyphenated.has(compound), separator: '' };
  }
  if (/[-–—/]$/.test(tail.slice(-1))) return { dropLast: false, separator: '' };
  return { dropLast: false, separator: ' ' };
}

export function joinLines(previous: string, next: string, hyphenated: ReadonlySet<string> = new Set()): string {
  const { dropLast, separator } = joint(previous.slice(-JOIN_CONTEXT), next, hyphenated);
  return (dropLast ? previous.slice(0, -1) : previous) + separator + next;
}

/** Appends a line to a paragraph held as parts (joined with ''), looking only at its tail. */
function appendLine(parts: string[], next: string, hyphenated: ReadonlySet<string>): void {
  let tail = '';
  for (let i = parts.length - 1; i >= 0 && tail.length < JOIN_CONTEXT; i--) tail = (parts[i] ?? '') + tail;
  const { dropLast, separator } = joint(tail.slice(-JOIN_CONTEXT), next, hyphenated);
  if (dropLast) {
    while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
    const last = parts.length - 1;
    if (last >= 0) parts[last] = (parts[last] ?? '').slice(0, -1);
  }
  parts.push(separator + next);
}
