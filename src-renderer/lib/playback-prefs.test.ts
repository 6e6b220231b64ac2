import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveDurations, savedDurations, saveRates, savedRates, savedVolume, saveVolume } from './playback-prefs';
import { installMemoryStorage, uninstallMemoryStorage } from './testing/memory-storage';
import type { MemoryStorage } from './testing/memory-storage';

let storage: MemoryStorage;
beforeEach(() => {
  storage = installMemoryStorage();
});
afterEach(() => uninstallMemoryStorage());

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

  it('keeps sentence durations per document, voice and speed, for the same text only, for the latest 12', () => {
    saveDurations('doc:1|v@1.00', '4:40', new Map([[0, 1.23456], [2, 2]]));
    expect([...savedDurations('doc:1|v@1.00', '4:40')]).toEqual([[0, 1.235], [2, 2]]);
    // The file changed (other sentences): nothing is known of it.
    expect(savedDurations('doc:1|v@1.00', '5:52').size).toBe(0);
    expect(savedDurations('doc:1|v@2.00', '4:40').size).toBe(0);
    for (let id = 2; id <= 13; id++) saveDurations(`doc:${id}|v@1.00`, '4:40', new Map([[0, id]]));
    // The oldest went; the newest are there.
    expect(savedDurations('doc:1|v@1.00', '4:40').size).toBe(0);
    expect(savedDurations('doc:13|v@1.00', '4:40').get(0)).toBe(13);
    expect(savedDurations('doc:2|v@1.00', '4:40').get(0)).toBe(2);
    storage.setItem('kokoro-reader:sentence-durations', JSON.stringify([{ key: 'k', fingerprint: 'f', seconds: [[0, 'x'], [1.5, 2], [2, -1], null, [3, 4]] }, 7]));
    expect([...savedDurations('k', 'f')]).toEqual([[3, 4]]);
    storage.setItem('kokoro-reader:sentence-durations', '{not json');
    expect(savedDurations('k', 'f').size).toBe(0);
  });

  it('works without storage (a private window): defaults, and saving is a no-op', () => {
    uninstallMemoryStorage();
    expect(savedVolume()).toBe(1);
    expect(savedRates()).toEqual({});
    expect(() => saveVolume(0.5)).not.toThrow();
    expect(() => saveRates({})).not.toThrow();
    expect(() => saveDurations('k', 'f', new Map([[0, 1]]))).not.toThrow();
    expect(savedDurations('k', 'f').size).toBe(0);
  });
});
