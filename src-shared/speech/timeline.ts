import type { TimedSpan } from './types';

/**
 * Finds the span that holds a sample position (spans sorted by startSample, not overlapping).
 * Returns -1 before the first span; between spans (a pause) the previous span stays current,
 * so the highlight does not flicker off during silences.
 */
export function spanIndexAt(spans: readonly TimedSpan[], sample: number): number {
  let lo = 0;
  let hi = spans.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const span = spans[mid];
    if (span !== undefined && span.startSample <= sample) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}
