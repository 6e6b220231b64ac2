// pdf.js finds page N (Catalog.getPageDict, behind every getPage) by walking the page tree
// from its root each time, skipping the kids it has already counted. Most writers put every
// page straight under one /Pages node, so each lookup steps over all the kids before it, and
// reading N pages in order costs N² steps: 44 s of a 74 s import of 10,000 pages. pdf.js's API
// has no way around it: getPage takes a page number only, and none of getDocument's options
// changes the walk.
//
// So the first lookup walks the tree once (without recursion) and keeps every page's ref in
// order; each lookup then fetches its page from that list. The list is used only when the
// tree is well formed, so that it gives the page pdf.js's walk would: every node a dictionary
// reached by reference, no node twice, /Type given directly, /Kids an array of references,
// and each /Count that is an integer equal to the pages under its node (pdf.js skips subtrees
// by /Count). Anything else, or a failure while walking, leaves the lookup to pdf.js's own walk
// (and its own errors: a circular tree says so).
//
// Installed by pdf-decode-budget.ts on the worker classes it loads (pdf.js's worker module is
// not exported). Audited against pdfjs-dist 5.6.205 (pinned); test/import/pdf-page-lookup.test.ts
// fails when an upgrade moves what this relies on.

/** The pdf.js worker classes the lookup needs, as pdf-decode-budget.ts's export line names them. */
export const PAGE_LOOKUP_CLASSES = ['Catalog', 'Dict', 'Ref', 'Name'] as const;

type Class = { prototype: Record<string, unknown> } & (abstract new (...args: never[]) => object);
export type PdfJsPageLookupInternals = Record<(typeof PAGE_LOOKUP_CLASSES)[number], Class>;

/** What the lookup uses of pdf.js's Ref, Dict and Catalog. */
interface PdfRef {
  toString(): string;
}
interface PdfDict {
  objId: string | null;
  getRaw(key: string): unknown;
  has(key: string): boolean;
}
interface PdfCatalog {
  readonly toplevelPagesDict: PdfDict;
  readonly xref: { fetchAsync(ref: PdfRef): Promise<unknown> };
  readonly pageIndexCache: { has(ref: PdfRef): boolean; put(ref: PdfRef, index: number): void };
}
type PageDictResult = [PdfDict, PdfRef | null];
export type GetPageDict = (this: PdfCatalog, pageIndex: number) => Promise<PageDictResult>;

/** One /Pages node being walked: its kids, the next one to visit, and the pages found before it. */
interface Frame {
  kids: readonly unknown[];
  next: number;
  count: number | undefined;
  pagesBefore: number;
}

/**
 * Every page's ref in order, by one walk of the page tree; null when the tree is not one whose
 * pages this list gives as pdf.js's walk would (pdf.js's walk then runs, with its own errors).
 */
function isDict(classes: PdfJsPageLookupInternals, value: unknown): value is PdfDict {
  return value instanceof classes.Dict;
}

async function pageRefs(catalog: PdfCatalog, classes: PdfJsPageLookupInternals): Promise<PdfRef[] | null> {
  const isRef = (value: unknown): value is PdfRef => value instanceof classes.Ref;
  const root = catalog.toplevelPagesDict;
  const visited = new Set<string>();
  if (root.objId) visited.add(root.objId);
  const refs: PdfRef[] = [];
  // A node's /Count, or undefined when it has none (pdf.js then walks into it); NaN when pdf.js would read it otherwise.
  const countOf = (node: PdfDict): number | undefined => {
    const count = node.getRaw('Count');
    if (count === undefined) return undefined;
    return Number.isInteger(count) && (count as number) >= 0 ? (count as number) : Number.NaN;
  };
  const frameOf = (node: PdfDict): Frame | null => {
    const kids = node.getRaw('Kids');
    const count = countOf(node);
    if (!Array.isArray(kids) || Number.isNaN(count)) return null;
    return { kids, next: 0, count, pagesBefore: refs.length };
  };
  const top = frameOf(root);
  if (!top) return null;
  const stack: Frame[] = [top];
  while (stack.length > 0) {
    const frame = stack.at(-1) as Frame;
    if (frame.next === frame.kids.length) {
      if (frame.count !== undefined && frame.count !== refs.length - frame.pagesBefore) return null;
      stack.pop();
      continue;
    }
    const kid = frame.kids[frame.next++];
    if (!isRef(kid) || visited.has(kid.toString())) return null;
    visited.add(kid.toString());
    const node = await catalog.xref.fetchAsync(kid);
    if (!isDict(classes, node)) return null;
    const type = node.getRaw('Type');
    if (type !== undefined && !(type instanceof classes.Name)) return null;
    if ((type as { name?: string } | undefined)?.name === 'Page' || !node.has('Kids')) {
      refs.push(kid);
      continue;
    }
    const child = frameOf(node);
    if (!child) return null;
    stack.push(child);
  }
  return refs;
}

/** Fails loudly when an upgrade of pdf.js renamed or moved what the lookup relies on. */
function requireShape(classes: PdfJsPageLookupInternals): GetPageDict {
  const prototype = classes.Catalog.prototype;
  const original = prototype.getPageDict;
  const getter = (name: string): boolean => typeof Object.getOwnPropertyDescriptor(prototype, name)?.get === 'function';
  if (typeof original !== 'function' || !getter('toplevelPagesDict') || typeof classes.Dict.prototype.getRaw !== 'function') {
    throw new Error('pdf.js Catalog.getPageDict or its page tree has moved: re-check pdf-page-lookup.ts against this pdfjs-dist.');
  }
  return original as GetPageDict;
}

let pdfJsWalk: GetPageDict | undefined;

/** pdf.js's own Catalog.getPageDict, as it was before installPageLookup (for the tests that compare the two). */
export function pdfJsPageWalk(): GetPageDict | undefined {
  return pdfJsWalk;
}

export function installPageLookup(classes: PdfJsPageLookupInternals): void {
  const original = requireShape(classes);
  pdfJsWalk = original;
  const lists = new WeakMap<object, Promise<PdfRef[] | null>>();
  classes.Catalog.prototype.getPageDict = async function getPageDict(this: PdfCatalog, pageIndex: number): Promise<PageDictResult> {
    let list = lists.get(this);
    if (!list) {
      list = pageRefs(this, classes).catch(() => null);
      lists.set(this, list);
    }
    const ref = (await list)?.[pageIndex];
    if (ref) {
      const page = await this.xref.fetchAsync(ref);
      if (isDict(classes, page)) {
        // As pdf.js's walk does: getPageIndex(ref), for outline destinations, looks here first.
        if (!this.pageIndexCache.has(ref)) this.pageIndexCache.put(ref, pageIndex);
        return [page, ref];
      }
    }
    return original.call(this, pageIndex);
  };
}
