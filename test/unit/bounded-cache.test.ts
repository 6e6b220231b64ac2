import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../../src-shared/cache/bounded-cache';

describe('BoundedCache', () => {
  it('holds at most its limit, dropping the least recently used entry', () => {
    const cache = new BoundedCache<string, number>(3);
    cache.set('a', 1).set('b', 2).set('c', 3);
    expect(cache.get('a')).toBe(1); // a use: b is now the least recent
    cache.set('d', 4);
    expect(cache.size).toBe(3);
    expect(cache.has('b')).toBe(false);
    expect(['a', 'c', 'd'].map((k) => cache.get(k))).toEqual([1, 3, 4]);
  });

  it('replaces a value in place without dropping another', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1).set('b', 2).set('a', 10);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBe(2);
    cache.set('c', 3); // a was used before b was read: a goes
    expect(cache.has('a')).toBe(false);
    expect(cache.get('c')).toBe(3);
  });

  it('has() does not count as a use', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1).set('b', 2);
    expect(cache.has('a')).toBe(true);
    cache.set('c', 3);
    expect(cache.has('a')).toBe(false);
  });

  it('computes each missing value once, remembering undefined as an answer', () => {
    const cache = new BoundedCache<string, string | undefined>(10);
    let calls = 0;
    const lookup = (key: string): string | undefined => {
      calls++;
      return key === 'known' ? 'value' : undefined;
    };
    expect(cache.getOrCompute('known', lookup)).toBe('value');
    expect(cache.getOrCompute('unknown', lookup)).toBeUndefined();
    expect(cache.getOrCompute('known', lookup)).toBe('value');
    expect(cache.getOrCompute('unknown', lookup)).toBeUndefined();
    expect(calls).toBe(2);
    expect(cache.has('unknown')).toBe(true);
  });

  it('forgets on delete and clear', () => {
    const cache = new BoundedCache<number, string>(4);
    cache.set(1, 'one').set(2, 'two');
    expect(cache.delete(1)).toBe(true);
    expect(cache.delete(1)).toBe(false);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.get(2)).toBeUndefined();
  });

  it('refuses a limit that could hold nothing', () => {
    for (const limit of [0, -1, 1.5, Number.NaN]) expect(() => new BoundedCache(limit), String(limit)).toThrow(RangeError);
  });
});
