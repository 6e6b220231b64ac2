import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src-shared/errors/catalogue';
import { LIBRARY_FILE, Library, formatBlend, parseBlend } from '../../src-main/services/library';
import type { VoiceSettings } from '../../src-main/services/library';
import { manualClock, useTempDirs } from './helpers';

const tempDir = useTempDirs();
const FALLBACK: VoiceSettings = { voice: 'kokoro:af_heart', speed: 1, engine: 'kokoro' };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (thrown) {
    return thrown instanceof AppError ? thrown.code : 'not an AppError';
  }
  return undefined;
}

describe('voice preferences', () => {
  it('keeps default voice, speed and engine across restarts', () => {
    const dir = tempDir();
    const lib = Library.open({ dataDir: dir, voiceDefaults: FALLBACK });
    expect(lib.preferences.getDefaults()).toEqual(FALLBACK);
    expect(lib.preferences.setDefaults({ speed: 1.25 })).toEqual({ ...FALLBACK, speed: 1.25 });
    lib.preferences.setDefaults({ voice: 'espeak:gmw/en-GB', engine: 'espeak' });
    lib.close();
    const again = Library.open({ dataDir: dir, voiceDefaults: FALLBACK });
    expect(again.preferences.getDefaults()).toEqual({ voice: 'espeak:gmw/en-GB', speed: 1.25, engine: 'espeak' });
    again.close();
  });

  it('applies a per-document override on top of the defaults, and clears it', () => {
    const lib = Library.open({ dataDir: tempDir(), voiceDefaults: FALLBACK });
    const { document } = lib.documents.open({ title: 'T', sourcePath: null, contentHash: 'h', format: 'txt', wordCount: 1 });
    lib.preferences.setOverride(document.id, { voice: 'kokoro:bf_emma', speed: 0.9 });
    expect(lib.preferences.effective(document.id)).toEqual({ voice: 'kokoro:bf_emma', speed: 0.9, engine: 'kokoro', overridden: ['voice', 'speed'] });
    lib.preferences.setDefaults({ speed: 1.5 });
    expect(lib.preferences.effective(document.id).speed).toBe(0.9);
    expect(lib.preferences.effective().speed).toBe(1.5);
    lib.preferences.setOverride(document.id, {});
    expect(lib.preferences.effective(document.id)).toEqual({ ...FALLBACK, speed: 1.5, overridden: [] });
    expect(codeOf(() => lib.preferences.setOverride(404, { speed: 1 }))).toBe('DOCUMENT_NOT_FOUND');
    lib.close();
  });

  it('validates speed, engine and voice', () => {
    const lib = Library.open({ dataDir: tempDir(), voiceDefaults: FALLBACK });
    expect(codeOf(() => lib.preferences.setDefaults({ speed: 3 }))).toBe('INVALID_SPEED');
    expect(codeOf(() => lib.preferences.setDefaults({ engine: 'festival' as 'kokoro' }))).toBe('INVALID_REQUEST');
    expect(codeOf(() => lib.preferences.setDefaults({ voice: 'af_heart*0.6+' }))).toBe('INVALID_VOICE_BLEND');
    expect(codeOf(() => lib.preferences.setDefaults({ voice: 'blend:Nobody' }))).toBe('INVALID_VOICE_BLEND');
    expect(lib.preferences.getDefaults()).toEqual(FALLBACK);
    lib.close();
  });

  it('stores named blends and resolves them to their formula', () => {
    const clock = manualClock();
    const lib = Library.open({ dataDir: tempDir(), now: clock.now });
    const warm = lib.preferences.saveBlend('Warm narrator', 'af_heart * 0.6 + bf_emma*0.4');
    expect(warm).toEqual({
      name: 'Warm narrator',
      spec: 'af_heart*0.6+bf_emma*0.4',
      components: [
        { voice: 'af_heart', weight: 0.6 },
        { voice: 'bf_emma', weight: 0.4 },
      ],
      createdAt: clock.now(),
      updatedAt: clock.now(),
    });
    lib.preferences.saveBlend('Bright', [{ voice: 'af_bella', weight: 1 }, { voice: 'am_adam', weight: 0.25 }]);
    expect(lib.preferences.listBlends().map((b) => b.name)).toEqual(['Bright', 'Warm narrator']);
    expect(lib.preferences.resolveVoice('blend:warm narrator')).toBe('af_heart*0.6+bf_emma*0.4');
    expect(lib.preferences.resolveVoice('kokoro:af_heart')).toBe('kokoro:af_heart');
    lib.preferences.setDefaults({ voice: 'blend:Warm narrator' });
    clock.advance();
    lib.preferences.saveBlend('Warm narrator', 'af_heart*0.5+bf_emma*0.5');
    expect(lib.preferences.getBlend('Warm narrator')).toMatchObject({ spec: 'af_heart*0.5+bf_emma*0.5', updatedAt: clock.now(), createdAt: clock.now() - 1000 });
    expect(lib.preferences.deleteBlend('Bright')).toBe(true);
    expect(lib.preferences.listBlends()).toHaveLength(1);
    lib.close();
  });

  it('refuses a blend whose stored form would not parse, and lists around a bad stored row', () => {
    const dir = tempDir();
    const lib = Library.open({ dataDir: dir });
    lib.preferences.saveBlend('Good', 'af_heart*0.5+bf_emma*0.5');
    expect(codeOf(() => lib.preferences.saveBlend('Tiny', 'af_heart*1+bf_emma*0.0000001'))).toBe('INVALID_VOICE_BLEND');
    expect(codeOf(() => lib.preferences.saveBlend('Huge', [{ voice: 'af_heart', weight: 1e21 }]))).toBe('INVALID_VOICE_BLEND');
    expect(lib.preferences.getBlend('Tiny')).toBeUndefined();
    expect(lib.preferences.listBlends().map((b) => b.name)).toEqual(['Good']);
    // A row stored unreadably (by an older version) is left out, not thrown on.
    const raw = new Database(join(dir, LIBRARY_FILE));
    raw.prepare(`INSERT INTO voice_blends (name, spec, created_at, updated_at) VALUES ('Bad', 'af_heart*0', 1, 1)`).run();
    raw.close();
    expect(lib.preferences.listBlends().map((b) => b.name)).toEqual(['Good']);
    lib.close();
  });

  it('parses and rejects blend formulas', () => {
    expect(parseBlend('af_heart+bf_emma')).toEqual([
      { voice: 'af_heart', weight: 1 },
      { voice: 'bf_emma', weight: 1 },
    ]);
    expect(formatBlend(parseBlend('kokoro:af_heart*.5+kokoro:bf_emma*0.5'))).toBe('kokoro:af_heart*0.5+kokoro:bf_emma*0.5');
    for (const bad of ['', 'af_heart*0', 'af_heart*-1', 'af_heart*0.5+af_heart*0.5', 'af heart', 'af_heart**2']) {
      expect(codeOf(() => parseBlend(bad)), bad).toBe('INVALID_VOICE_BLEND');
    }
  });

  it('stars and unstars voices, in the order they were starred', () => {
    const clock = manualClock();
    const lib = Library.open({ dataDir: tempDir(), now: clock.now });
    for (const v of ['kokoro:bf_emma', 'kokoro:af_heart', 'blend:Warm narrator']) {
      lib.preferences.star(v);
      clock.advance();
    }
    lib.preferences.star('kokoro:bf_emma'); // again: stays where it was
    expect(lib.preferences.starredVoices()).toEqual(['kokoro:bf_emma', 'kokoro:af_heart', 'blend:Warm narrator']);
    lib.preferences.unstar('kokoro:af_heart');
    expect(lib.preferences.isStarred('kokoro:af_heart')).toBe(false);
    expect(lib.preferences.starredVoices()).toEqual(['kokoro:bf_emma', 'blend:Warm narrator']);
    lib.close();
  });
});
