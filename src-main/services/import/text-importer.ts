import type { ImportedDocument } from '../../../src-shared/document/model';
import { buildChapters, cleanTitle } from './chapters';
import type { DraftChapter } from './chapters';
import { titleFromFileName } from './html-importer';
import type { FlowBlock } from './html-walker';
import { decodeTextDocument } from './text-decode';

// A line on its own such as "CHAPTER IV", "Chapter 12: The Return" or "Part Two" opens a
// chapter in plain text (the usual shape of Project Gutenberg and exported novels).
const NUMBER_WORD = String.raw`(?:[0-9]+|[ivxlcdm]+|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last)(?:-[a-z]+)?)`;
const RE_CHAPTER_LINE = new RegExp(String.raw`^(?:(?:chapter|part|book|kapitel|chapitre|capítulo|capitolo)[ \t]+${NUMBER_WORD}|prologue|epilogue)\b(?:[ \t]*[.:—–-][ \t]*[^\n]{0,80}|[ \t]+[^\n]{1,80})?$`, 'i');
const RE_NOT_A_TITLE = /^\S+\s+\S+\s+(?:is|was|of|and|in|the|to)\b|[,;]$/;

function isChapterLine(paragraph: string): boolean {
  return !paragraph.includes('\n') && paragraph.length <= 100 && RE_CHAPTER_LINE.test(paragraph) && !RE_NOT_A_TITLE.test(paragraph);
}

/**
 * Drops spaces and tabs before each line end (as `/[ \t]+$/gm` would, line ends being \n, \r,
 * U+2028 and U+2029) in linear time: the regex is quadratic on a long run of spaces that is
 * not at a line end.
 */
function trimLineEnds(text: string): string {
  return text
    .split(/(?=[\n\r\u2028\u2029])/)
    .map((line) => {
      let end = line.length;
      while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
      return end === line.length ? line : line.slice(0, end);
    })
    .join('');
}

export function importPlainText(bytes: Uint8Array, fileName: string): ImportedDocument {
  const { text, encoding } = decodeTextDocument(bytes);
  const paragraphs = text.split(/\n[ \t]*\n/).map((paragraph) => trimLineEnds(paragraph).trim()).filter(Boolean);
  const blocks: FlowBlock[] = paragraphs.map((paragraph) =>
    isChapterLine(paragraph) ? { kind: 'heading', level: 1, text: paragraph } : { kind: 'paragraph', text: paragraph },
  );
  const title = titleFromFileName(fileName);
  const chapters: DraftChapter[] = [];
  const headingCount = blocks.filter((block) => block.kind === 'heading').length;
  if (headingCount >= 2) {
    let draft: DraftChapter = { title, blocks: [] };
    for (const block of blocks) {
      if (block.kind === 'heading') {
        if (draft.blocks.length > 0) chapters.push(draft);
        draft = { title: cleanTitle(block.text), blocks: [block] };
      } else {
        draft.blocks.push(block);
      }
    }
    chapters.push(draft);
  } else {
    // One chapter-like line is more likely a sentence than a structure: keep it a paragraph.
    chapters.push({ title, blocks: blocks.map((block) => ({ kind: 'paragraph', text: block.text })) });
  }
  return { title, format: 'text', chapters: buildChapters(chapters), encoding };
}
