// How deep a document's elements nest, measured before it is parsed into a tree. Every parser
// and walker after this point costs more with depth (htmlparser2 and linkedom grow quadratic,
// Readability worse, mammoth and fast-xml-parser recurse), so a document too deep for them is
// refused here with our own message, after reading only as far as the limit.
import { Parser } from 'htmlparser2';
import { AppError } from '../../../src-shared/errors/catalogue';

/** Real books and pages nest a few dozen levels; this is far above any of them. */
export const MAX_NESTING = 1000;

/**
 * The deepest element nesting of `markup` as htmlparser2 builds it (the parser linkedom uses,
 * with HTML's implied end tags and void elements, or none of them in `xml` mode).
 * Throws DOCUMENT_TOO_DEEP as soon as an element opens deeper than `limit`.
 */
export function checkNesting(markup: string, options: { xml?: boolean; limit?: number; name?: string } = {}): number {
  const limit = options.limit ?? MAX_NESTING;
  let depth = 0;
  let deepest = 0;
  const parser = new Parser(
    {
      onopentag() {
        depth++;
        if (depth <= deepest) return;
        deepest = depth;
        // Thrown out of the parser's write, which stops it: what follows is never read.
        if (depth > limit) throw tooDeep(limit, options.name);
      },
      onclosetag() {
        depth--;
      },
    },
    { xmlMode: options.xml ?? false, decodeEntities: false },
  );
  parser.end(markup);
  return deepest;
}

function tooDeep(limit: number, name: string | undefined): AppError {
  const levels = limit.toLocaleString('en-US');
  return AppError.of('DOCUMENT_TOO_DEEP', `(${name ?? 'It'} nests elements more than ${levels} levels deep; the limit is ${levels}.)`);
}
