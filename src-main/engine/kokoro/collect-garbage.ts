import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null | undefined;

/**
 * A full garbage collection, now. V8 leaves large dead ArrayBuffers (a graph file's bytes, a
 * rewritten copy) for some later major collection; at the real size they were 400 MiB of the
 * peak RSS while LiteRT compiled the next graph. Node gives `gc` only with --expose-gc, which can
 * be set at run time and the function taken from a new context (as jest's leak detector does).
 * Where that fails, collection is left to V8.
 */
export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
}
