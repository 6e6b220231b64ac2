import { describe, expect, it } from 'vitest';
import { findMatches, firstMatchFrom, stepMatch } from '../../src-shared/text/find';

const CHAPTERS = ['The whale. A WHALE!\nwhale\nsong', 'No match here.', 'Whales (and) whale song.'];

describe('find in the open text', () => {
  it('finds every occurrence in reading order, ignoring case', () => {
    expect(findMatches(CHAPTERS, 'whale')).toEqual([
      { chapter: 0, start: 4, end: 9 },
      { chapter: 0, start: 13, end: 18 },
      { chapter: 0, start: 20, end: 25 },
      { chapter: 2, start: 0, end: 5 },
      { chapter: 2, start: 13, end: 18 },
    ]);
  });

  it('matches a phrase across line breaks, and takes regex characters literally', () => {
    expect(findMatches(CHAPTERS, 'whale  song')).toEqual([
      { chapter: 0, start: 20, end: 30 },
      { chapter: 2, start: 13, end: 23 },
    ]);
    expect(findMatches(CHAPTERS, '(and)')).toEqual([{ chapter: 2, start: 7, end: 12 }]);
    expect(findMatches(CHAPTERS, '.*')).toEqual([]);
  });

  it('finds nothing for an empty query, and stops at the limit', () => {
    expect(findMatches(CHAPTERS, '   ')).toEqual([]);
    expect(findMatches(CHAPTERS, 'e', 3)).toHaveLength(3);
  });

  it('starts at the first match from a place, and steps both ways around the ends', () => {
    const matches = findMatches(CHAPTERS, 'whale');
    expect(firstMatchFrom(matches, 0, 10)).toBe(1);
    expect(firstMatchFrom(matches, 1, 0)).toBe(3);
    expect(firstMatchFrom(matches, 2, 30)).toBe(0);
    expect(firstMatchFrom([], 0, 0)).toBe(-1);
    expect(stepMatch(5, 4, 1)).toBe(0);
    expect(stepMatch(5, 0, -1)).toBe(4);
    expect(stepMatch(5, -1, -1)).toBe(4);
    expect(stepMatch(0, 0, 1)).toBe(-1);
  });
});
