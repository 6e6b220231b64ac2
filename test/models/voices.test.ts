import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src-shared/errors/catalogue';
import type { ErrorCode } from '../../src-shared/errors/catalogue';
import {
  KokoroVoicePacks,
  STYLE_SIZE,
  VOICE_ROWS,
  kokoroVoicesDir,
  listKokoroVoices,
  loadVoice,
  parseVoiceSpec,
  styleFor,
} from '../../src-main/engine/kokoro/voices';

/** Row `row` of a pack read straight from the file, independently of voices.ts. */
function rowFromFile(voice: string, row: number): Float32Array {
  const bytes = readFileSync(join(kokoroVoicesDir(), `${voice}.bin`));
  const out = new Float32Array(STYLE_SIZE);
  for (let i = 0; i < STYLE_SIZE; i++) out[i] = bytes.readFloatLE((row * STYLE_SIZE + i) * 4);
  return out;
}

async function errorCode(work: () => Promise<unknown>): Promise<ErrorCode> {
  try {
    await work();
  } catch (thrown) {
    if (thrown instanceof AppError) return thrown.code;
    throw thrown;
  }
  throw new Error('expected an error');
}

describe('Kokoro voice list', () => {
  const voices = listKokoroVoices();

  it('has the 54 packs of kokoro-js with Kokoro ids', () => {
    expect(voices).toHaveLength(54);
    expect(voices.every((v) => v.engine === 'kokoro' && v.id === `kokoro:${v.voice}`)).toBe(true);
  });

  it('marks a* American and b* British English, and reads the gender from the second letter', () => {
    const american = voices.filter((v) => v.voice.startsWith('a'));
    const british = voices.filter((v) => v.voice.startsWith('b'));
    expect(american.length).toBe(20);
    expect(british.length).toBe(8);
    expect(american.every((v) => v.language === 'en-US')).toBe(true);
    expect(british.every((v) => v.language === 'en-GB')).toBe(true);
    expect(voices.find((v) => v.voice === 'af_heart')).toMatchObject({ name: 'Heart (American English, female)', gender: 'female' });
    expect(voices.find((v) => v.voice === 'bm_george')).toMatchObject({ name: 'George (British English, male)', gender: 'male' });
  });

  it('maps the other prefixes to their languages', () => {
    const language = (voice: string): string | undefined => voices.find((v) => v.voice === voice)?.language;
    expect(language('ef_dora')).toBe('es');
    expect(language('ff_siwis')).toBe('fr-FR');
    expect(language('hf_alpha')).toBe('hi-IN');
    expect(language('if_sara')).toBe('it-IT');
    expect(language('jf_alpha')).toBe('ja-JP');
    expect(language('pf_dora')).toBe('pt-BR');
    expect(language('zf_xiaobei')).toBe('zh-CN');
    expect(voices.every((v) => v.language !== 'und')).toBe(true);
  });
});

describe('Kokoro voice packs', () => {
  it('picks row phonemeCount - 1, clamped to the pack', async () => {
    const heart = await loadVoice('af_heart');
    expect(heart.pack).toHaveLength(VOICE_ROWS * STYLE_SIZE);
    expect(styleFor(heart, 10)).toEqual(rowFromFile('af_heart', 9));
    expect(styleFor(heart, 1)).toEqual(rowFromFile('af_heart', 0));
    expect(styleFor(heart, 0)).toEqual(rowFromFile('af_heart', 0));
    expect(styleFor(heart, 510)).toEqual(rowFromFile('af_heart', 509));
    expect(styleFor(heart, 2000)).toEqual(rowFromFile('af_heart', 509));
    expect(await loadVoice('kokoro:af_heart')).toMatchObject({ spec: 'af_heart', id: 'kokoro:af_heart' });
  });

  it('returns a copy, so a caller cannot change the cached pack', async () => {
    const heart = await loadVoice('af_heart');
    styleFor(heart, 5).fill(0);
    expect(styleFor(heart, 5)).toEqual(rowFromFile('af_heart', 4));
  });

  it('blends packs as the weighted combination of their rows', async () => {
    const blend = await loadVoice('af_heart*0.6+bf_emma*0.4');
    expect(blend.spec).toBe('af_heart*0.6+bf_emma*0.4');
    expect(blend.parts).toEqual([
      { voice: 'af_heart', weight: 0.6 },
      { voice: 'bf_emma', weight: 0.4 },
    ]);
    for (const count of [1, 42, 300]) {
      const a = rowFromFile('af_heart', count - 1);
      const b = rowFromFile('bf_emma', count - 1);
      const style = styleFor(blend, count);
      for (let i = 0; i < STYLE_SIZE; i++) expect(style[i]).toBeCloseTo(0.6 * (a[i] ?? 0) + 0.4 * (b[i] ?? 0), 6);
    }
  });

  it('normalises weights that do not sum to 1 (a 2:1 mix, not a doubled vector)', async () => {
    const blend = await loadVoice('af_heart * 2 + am_adam');
    const a = rowFromFile('af_heart', 19);
    const b = rowFromFile('am_adam', 19);
    const style = styleFor(blend, 20);
    for (let i = 0; i < STYLE_SIZE; i++) expect(style[i]).toBeCloseTo((2 * (a[i] ?? 0) + (b[i] ?? 0)) / 3, 6);
    const mean = styleFor(await loadVoice('af_heart+am_adam'), 20);
    for (let i = 0; i < STYLE_SIZE; i++) expect(mean[i]).toBeCloseTo(((a[i] ?? 0) + (b[i] ?? 0)) / 2, 6);
  });

  it('gives UNKNOWN_VOICE for a name that is not a pack', async () => {
    expect(await errorCode(() => loadVoice('af_nobody'))).toBe('UNKNOWN_VOICE');
    expect(await errorCode(() => loadVoice('af_heart*0.5+xx_foo*0.5'))).toBe('UNKNOWN_VOICE');
    expect(await errorCode(() => loadVoice('../../package'))).toBe('UNKNOWN_VOICE');
  });

  it('gives INVALID_VOICE_BLEND for a malformed spec', async () => {
    for (const spec of ['', '   ', 'af_heart+', '+af_heart', 'af_heart++bf_emma', 'af_heart*', 'af_heart*abc', 'af_heart*-1', 'af_heart*0', 'af_heart*1e3', 'af_heart**2', '*0.5', 'af_heart*0.5*2']) {
      expect(await errorCode(() => loadVoice(spec)), spec).toBe('INVALID_VOICE_BLEND');
    }
    expect(() => parseVoiceSpec('af_heart*')).toThrow(/voice blend is not written correctly.*bad weight/);
  });

  it('serves the engine through KokoroVoicePacks', async () => {
    const packs = new KokoroVoicePacks();
    expect(await packs.list()).toHaveLength(54);
    expect(await packs.style('bf_emma', 7)).toEqual(rowFromFile('bf_emma', 6));
    expect(await errorCode(() => packs.style('nope_x', 7))).toBe('UNKNOWN_VOICE');
  });

  it('keeps the most recently used voices up to its limit, and never a failed one', async () => {
    const packs = new KokoroVoicePacks(undefined, 2);
    const heart = await packs.voice('af_heart');
    const emma = await packs.voice('bf_emma');
    expect(await packs.voice('af_heart')).toBe(heart); // a use: bf_emma is now the least recent
    await packs.voice('am_adam');
    expect(await packs.voice('af_heart')).toBe(heart);
    expect(await packs.voice('bf_emma')).not.toBe(emma);
    const failed = packs.voice('nope_x');
    await expect(failed).rejects.toMatchObject({ code: 'UNKNOWN_VOICE' });
    const again = packs.voice('nope_x');
    expect(again).not.toBe(failed);
    await expect(again).rejects.toMatchObject({ code: 'UNKNOWN_VOICE' });
  });
});

describe('a damaged voice folder', () => {
  it('gives VOICE_PACK_INVALID for a missing folder or a pack of the wrong size', async () => {
    expect(await errorCode(async () => listKokoroVoices('/nonexistent/kokoro-voices'))).toBe('VOICE_PACK_INVALID');
    const dir = await mkdtemp(join(tmpdir(), 'kr-voices-'));
    try {
      await writeFile(join(dir, 'af_short.bin'), Buffer.alloc(1000));
      await writeFile(join(dir, 'notes.txt'), 'not a voice');
      expect(listKokoroVoices(dir).map((v) => v.voice)).toEqual(['af_short']);
      expect(await errorCode(() => loadVoice('af_short', { dir }))).toBe('VOICE_PACK_INVALID');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
