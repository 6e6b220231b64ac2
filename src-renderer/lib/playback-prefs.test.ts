import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveRates, savedRates, savedVolume, saveVolume } from './playback-prefs';

/** The page's storage, as a browser has it (the specs run in Node, which has none). */
class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

let storage: MemoryStorage;
beforeEach(() => {
  storage = new MemoryStorage();
  (globalThis as { localStorage?: unknown }).localStorage = storage;
});
afterEach(() => {
  delete (globalThis as { localStorage?: unknown }).localStorage;
});

describe('playback prefs', () => {
  it('keeps the volume, and falls back to full volume for nothing or nonsense', () => {
    expect(savedVolume()).toBe(1);
    saveVolume(0.35);
    expect(savedVolume()).toBe(0.35);
    storage.setItem('kokoro-reader:volume', '7');
    expect(savedVolume()).toBe(1);
    storage.setItem('kokoro-reader:volume', 'loud');
    expect(savedVolume()).toBe(1);
  });

  it('keeps the measured rates and drops damaged entries, so that no estimate becomes NaN', () => {
    saveRates({ 'espeak:gmw/en-US@1.00': { chars: 150, seconds: 10 } });
    expect(savedRates()).toEqual({ 'espeak:gmw/en-US@1.00': { chars: 150, seconds: 10 } });
    storage.setItem('kokoro-reader:speech-rates', JSON.stringify({ good: { chars: 10, seconds: 1 }, text: { chars: 'x', seconds: 1 }, zero: { chars: 10, seconds: 0 }, none: null }));
    expect(savedRates()).toEqual({ good: { chars: 10, seconds: 1 } });
    storage.setItem('kokoro-reader:speech-rates', '{not json');
    expect(savedRates()).toEqual({});
  });

  it('works without storage (a private window): defaults, and saving is a no-op', () => {
    delete (globalThis as { localStorage?: unknown }).localStorage;
    expect(savedVolume()).toBe(1);
    expect(savedRates()).toEqual({});
    expect(() => saveVolume(0.5)).not.toThrow();
    expect(() => saveRates({})).not.toThrow();
  });
});
