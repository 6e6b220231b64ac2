// Walks a parsed HTML/XHTML tree (linkedom) and keeps only text, as a flat list of blocks.
// Nothing is executed or loaded: linkedom never runs scripts or fetches, and every element
// that could embed or load something (script, iframe, object, img, ...) is dropped whole.
import { InlineText } from '../../../src-shared/document/builder';
import type { BlockInput } from '../../../src-shared/document/builder';
import type { BlockKind, EmphasisKind } from '../../../src-shared/document/model';

/** The slice of the DOM the walker needs; linkedom's nodes satisfy it. */
export interface DomNode {
  nodeType: number;
  nodeValue: string | null;
  childNodes: ArrayLike<DomNode>;
}
export interface DomElement extends DomNode {
  localName: string;
  getAttribute(name: string): string | null;
}

export interface FlowBlock extends BlockInput {
  /** A footnote/endnote: moved to the end of its chapter and not read. */
  footnote?: boolean;
}
/** A position in the flow where an element with a wanted id starts (EPUB TOC targets). */
export interface FlowAnchor {
  anchor: string;
}
export type FlowItem = FlowBlock | FlowAnchor;

export function isAnchor(item: FlowItem): item is FlowAnchor {
  return 'anchor' in item;
}

export interface WalkOptions {
  /** EPUB semantics: <aside> is a footnote. */
  epub?: boolean;
  /** Ids to report as anchors in the flow. */
  anchorIds?: ReadonlySet<string>;
}

const ELEMENT = 1;
const TEXT = 3;
const CDATA = 4;

// Anything that runs, loads, embeds or is not text. Dropped with all its content.
const DROPPED = new Set([
  'script', 'style', 'noscript', 'template', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'param',
  'img', 'image', 'picture', 'video', 'audio', 'source', 'track', 'canvas', 'svg', 'math', 'map', 'area',
  'link', 'meta', 'head', 'title', 'base', 'input', 'select', 'option', 'textarea', 'button', 'datalist',
  'output', 'progress', 'meter', 'dialog', 'portal', 'rt', 'rp', 'nav',
]);

// Elements that cannot have content (their children, if any, come from a lenient parse).
const VOID = new Set(['br', 'hr', 'img', 'image', 'input', 'meta', 'link', 'area', 'base', 'col', 'embed', 'param', 'source', 'track', 'wbr']);

const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'dd', 'details', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup',
  'hr', 'html', 'legend', 'li', 'main', 'menu', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'td',
  'tfoot', 'th', 'thead', 'tr', 'ul',
]);

const EMPHASIS: Record<string, EmphasisKind> = { em: 'emphasis', i: 'emphasis', cite: 'emphasis', dfn: 'emphasis', var: 'emphasis', strong: 'strong', b: 'strong' };

const FOOTNOTE_TYPES = new Set(['footnote', 'footnotes', 'endnote', 'endnotes', 'rearnote', 'rearnotes', 'note']);
const FOOTNOTE_ROLES = new Set(['doc-footnote', 'doc-endnote', 'doc-endnotes']);
const NOTEREF_TYPES = new Set(['noteref', 'backlink']);
const NOTEREF_ROLES = new Set(['doc-noteref', 'doc-backlink']);

interface Context {
  kind: BlockKind;
  level?: number;
  preserve: boolean;
  footnote: boolean;
  listDepth: number;
}

export function localNameOf(element: DomElement): string {
  const name = element.localName.toLowerCase();
  const colon = name.indexOf(':');
  return colon >= 0 ? name.slice(colon + 1) : name;
}

function tokens(value: string | null): string[] {
  return value ? value.toLowerCase().split(/\s+/).filter(Boolean) : [];
}

export function epubTypes(element: DomElement): string[] {
  return tokens(element.getAttribute('epub:type'));
}

function isHidden(element: DomElement): boolean {
  if (element.getAttribute('hidden') !== null || element.getAttribute('aria-hidden') === 'true') return true;
  const style = element.getAttribute('style');
  return style !== null && /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)/i.test(style);
}

function isFootnote(element: DomElement, name: string, options: WalkOptions): boolean {
  if (epubTypes(element).some((type) => FOOTNOTE_TYPES.has(type))) return true;
  if (tokens(element.getAttribute('role')).some((role) => FOOTNOTE_ROLES.has(role))) return true;
  if (options.epub && name === 'aside') return true;
  // Mammoth (DOCX) writes notes as <li id="footnote-1">; Pandoc as <section class="footnotes">.
  if (name === 'li' && /^(?:footnote|endnote)-\d+$/.test(element.getAttribute('id') ?? '')) return true;
  return (name === 'section' || name === 'div') && tokens(element.getAttribute('class')).includes('footnotes');
}

function isNoteReference(element: DomElement, name: string): boolean {
  if (epubTypes(element).some((type) => NOTEREF_TYPES.has(type))) return true;
  if (tokens(element.getAttribute('role')).some((role) => NOTEREF_ROLES.has(role))) return true;
  if (name !== 'a') return false;
  const href = element.getAttribute('href') ?? '';
  if (/^#(?:footnote|endnote)-(?:ref-)?\d+$/.test(href)) return true;
  const classes = tokens(element.getAttribute('class'));
  return classes.includes('footnote-ref') || classes.includes('footnote-back') || classes.includes('footnote-backref');
}

/**
 * A forest's nodes depth first, each before its children, with its depth (roots 0), walked with
 * a stack instead of recursion: hostile documents and tables of contents may nest very deep.
 */
export function* depthFirst<T>(roots: readonly T[], childrenOf: (node: T) => readonly T[]): Generator<{ node: T; depth: number }> {
  // Still to visit, last first, so that they pop in order.
  const pending: { node: T; depth: number }[] = [];
  const pushAll = (nodes: readonly T[], depth: number): void => {
    for (let i = nodes.length - 1; i >= 0; i--) pending.push({ node: nodes[i] as T, depth });
  };
  pushAll(roots, 0);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    yield next;
    pushAll(childrenOf(next.node), next.depth + 1);
  }
}

/** A subtree's nodes in document order (root first). */
export function* inDocumentOrder(root: DomNode): Generator<DomNode> {
  for (const { node } of depthFirst([root], (parent) => Array.from(parent.childNodes))) yield node;
}

/** Puts a node's children on a work list, last first, so that they pop in document order. */
function pushChildren(node: DomNode, onto: { push(node: DomNode): number }): void {
  const children = node.childNodes;
  for (let i = children.length - 1; i >= 0; i--) {
    const child = children[i];
    if (child) onto.push(child);
  }
}

// Markers in the walk's work list for the end of an element entered before its children.
const END_BLOCK = 0;
const END_EMPHASIS = 1;
type Step = DomNode | typeof END_BLOCK | typeof END_EMPHASIS;

/**
 * Turns a subtree into blocks in document order. The walk keeps its own work list instead of
 * recursing, so no nesting depth can overflow the call stack.
 */
export function walkHtml(root: DomNode, options: WalkOptions = {}): FlowItem[] {
  const out: FlowItem[] = [];
  const inline = new InlineText();
  const stack: Context[] = [{ kind: 'paragraph', preserve: false, footnote: false, listDepth: 0 }];
  const current = (): Context => stack[stack.length - 1] as Context;
  // Nodes still to visit, last first, with END markers where an element's children end.
  const steps: Step[] = [root];

  const flush = (): void => {
    if (inline.isEmpty) return;
    const { text, emphasis } = inline.take();
    const ctx = current();
    const block: FlowBlock = { kind: ctx.kind, text };
    if (ctx.level !== undefined) block.level = ctx.level;
    if (emphasis.length > 0) block.emphasis = emphasis;
    if (ctx.kind === 'code' || ctx.footnote) block.skipFromReading = true;
    if (ctx.footnote) block.footnote = true;
    out.push(block);
  };

  const visit = (node: DomNode): void => {
    if (node.nodeType === TEXT || node.nodeType === CDATA) {
      inline.append(node.nodeValue ?? '', current().preserve);
      return;
    }
    if (node.nodeType !== ELEMENT) {
      // Documents and fragments have children; comments and processing instructions do not matter.
      if (node.nodeType === 9 || node.nodeType === 11) pushChildren(node, steps);
      return;
    }
    const element = node as DomElement;
    const name = localNameOf(element);
    // TOC targets count even on elements whose content is dropped (<a id="ch2"/>, an image).
    const id = element.getAttribute('id') ?? (name === 'a' ? element.getAttribute('name') : null);
    if (id !== null && options.anchorIds?.has(id)) {
      flush();
      out.push({ anchor: id });
    }
    if (VOID.has(name)) {
      if (name === 'br') inline.lineBreak();
      else if (name === 'hr') flush();
      // Void elements have no children, except when the lenient XML parse of sloppy XHTML
      // (a bare <br> or <img>) nests the rest of the paragraph inside one: keep that text.
      pushChildren(element, steps);
      return;
    }
    if (DROPPED.has(name) || isHidden(element) || isNoteReference(element, name)) return;
    const footnote = isFootnote(element, name, options);
    if (!BLOCKS.has(name) && !footnote) {
      const emphasis = EMPHASIS[name];
      if (emphasis) {
        inline.openEmphasis(emphasis);
        steps.push(END_EMPHASIS);
      }
      pushChildren(element, steps);
      return;
    }
    flush();
    stack.push(blockContext(current(), name, footnote));
    steps.push(END_BLOCK);
    pushChildren(element, steps);
  };

  for (let step = steps.pop(); step !== undefined; step = steps.pop()) {
    if (step === END_EMPHASIS) {
      inline.closeEmphasis();
    } else if (step === END_BLOCK) {
      flush();
      stack.pop();
    } else {
      visit(step);
    }
  }
  flush();
  return out;
}

function blockContext(parent: Context, name: string, footnote: boolean): Context {
  const ctx: Context = { kind: parent.kind, preserve: parent.preserve, footnote: parent.footnote || footnote, listDepth: parent.listDepth };
  if (parent.level !== undefined) ctx.level = parent.level;
  const heading = /^h([1-6])$/.exec(name);
  if (heading) {
    ctx.kind = 'heading';
    ctx.level = Number(heading[1]);
  } else if (name === 'ul' || name === 'ol' || name === 'menu' || name === 'dl') {
    ctx.listDepth++;
  } else if (name === 'li' || name === 'dt' || name === 'dd') {
    ctx.kind = 'list-item';
    ctx.level = Math.max(1, ctx.listDepth);
  } else if (name === 'blockquote') {
    ctx.kind = 'quote';
    delete ctx.level;
  } else if (name === 'td' || name === 'th') {
    ctx.kind = 'table-cell';
    delete ctx.level;
  } else if (name === 'caption' || name === 'figcaption') {
    ctx.kind = 'caption';
    delete ctx.level;
  } else if (name === 'pre') {
    ctx.kind = 'code';
    ctx.preserve = true;
    delete ctx.level;
  } else if (footnote || name === 'body' || name === 'html') {
    // Notes and whole documents start as plain prose; other containers inherit (a <p> in a <li> is the item).
    ctx.kind = 'paragraph';
    delete ctx.level;
  }
  return ctx;
}
