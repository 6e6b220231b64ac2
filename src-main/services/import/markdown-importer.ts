import MarkdownIt from 'markdown-it';
import type { ImportedDocument } from '../../../src-shared/document/model';
import { cleanTitle } from './chapters';
import { extractHtml, htmlToDocument } from './html-importer';
import { decodeTextDocument } from './text-decode';

// Raw HTML in Markdown is allowed through to the same sanitising walker as HTML files
// (scripts and embeds are dropped there); links are never followed.
const markdown = new MarkdownIt({ html: true, linkify: false, typographer: false });

interface FrontMatter {
  title?: string;
  author?: string;
  language?: string;
}

/** YAML front matter ("---" ... "---"): only the simple `key: value` lines we use. */
function splitFrontMatter(text: string): { body: string; meta: FrontMatter } {
  const match = /^---[ \t]*\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/.exec(text);
  if (!match) return { body: text, meta: {} };
  const meta: FrontMatter = {};
  for (const line of (match[1] ?? '').split('\n')) {
    const pair = /^(\w+)\s*:\s*(.+)$/.exec(line);
    if (!pair?.[1] || !pair[2]) continue;
    const value = cleanTitle(pair[2].replace(/^["']|["']$/g, ''));
    const key = pair[1].toLowerCase();
    if (key === 'title') meta.title = value;
    else if (key === 'author') meta.author = value;
    else if (key === 'lang' || key === 'language') meta.language = value;
  }
  return { body: text.slice(match[0].length), meta };
}

export function importMarkdown(bytes: Uint8Array, fileName: string): ImportedDocument {
  const { text, encoding } = decodeTextDocument(bytes);
  const { body, meta } = splitFrontMatter(text);
  const html = markdown.render(body);
  const extracted = extractHtml(`<!doctype html><html><body>${html}</body></html>`, { readability: false });
  if (meta.title) extracted.title = meta.title;
  else delete extracted.title;
  if (meta.author) extracted.author = meta.author;
  if (meta.language) extracted.language = meta.language;
  return { ...htmlToDocument(extracted, 'markdown', fileName), encoding };
}
