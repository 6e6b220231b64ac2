import { describe, expect, it } from 'vitest';
import type { VoiceInfo } from '../../src-shared/speech/types';
import { engineReads, groupVoices, languageName } from './voice-groups';

const kokoro = (id: string, name: string, language: string): VoiceInfo => ({ id: `kokoro:${id}`, engine: 'kokoro', name, language });
const espeak = (id: string, name: string, language: string): VoiceInfo => ({ id: `espeak:${id}`, engine: 'espeak', name, language });

const VOICES: VoiceInfo[] = [
  espeak('gmw/en-US', 'English (America) (eSpeak NG)', 'en-us'),
  espeak('gmw/en', 'English (Great Britain) (eSpeak NG)', 'en-gb'),
  espeak('roa/fr', 'French (eSpeak NG)', 'fr-fr'),
  kokoro('bf_emma', 'Emma (British English, female)', 'en-GB'),
  kokoro('af_heart', 'Heart (American English, female)', 'en-US'),
  kokoro('jf_alpha', 'Alpha (Japanese, female)', 'ja-JP'),
  kokoro('af_heart*0.6+bf_emma*0.4', 'Warm narrator (blend)', 'en'),
];

const shape = (groups: ReturnType<typeof groupVoices>) => groups.engines.map((e) => [e.name, e.languages.map((l) => [l.name, l.voices.map((v) => v.id)])]);

describe('groupVoices', () => {
  it('groups by engine (Kokoro first) and language, blends apart, leaving out what Kokoro cannot read', () => {
    const groups = groupVoices(VOICES, []);
    expect(shape(groups)).toEqual([
      [
        'Kokoro (natural voices)',
        [
          ['American English', ['kokoro:af_heart']],
          ['British English', ['kokoro:bf_emma']],
          ['Blends', ['kokoro:af_heart*0.6+bf_emma*0.4']],
        ],
      ],
      [
        'eSpeak NG',
        [
          ['American English', ['espeak:gmw/en-US']],
          ['British English', ['espeak:gmw/en']],
          ['French (France)', ['espeak:roa/fr']],
        ],
      ],
    ]);
    expect(groups.count).toBe(6);
    expect(engineReads(VOICES[5] as VoiceInfo)).toBe(false);
  });

  it('lists starred voices first, once, and filters by every word given (name, id or language)', () => {
    const groups = groupVoices(VOICES, ['espeak:roa/fr', 'kokoro:af_heart'], '');
    expect(groups.starred.map((v) => v.id)).toEqual(['espeak:roa/fr', 'kokoro:af_heart']);
    expect(groups.engines.flatMap((e) => e.languages.flatMap((l) => l.voices.map((v) => v.id)))).not.toContain('kokoro:af_heart');

    const british = groupVoices(VOICES, ['kokoro:af_heart'], 'british');
    expect(british.starred).toEqual([]);
    expect(shape(british)).toEqual([
      ['Kokoro (natural voices)', [['British English', ['kokoro:bf_emma']]]],
      ['eSpeak NG', [['British English', ['espeak:gmw/en']]]],
    ]);
    expect(groupVoices(VOICES, [], 'heart american').count).toBe(1);
    expect(groupVoices(VOICES, [], 'alpha').count).toBe(0);
  });

  it('names languages in words, and keeps a tag Intl does not know', () => {
    expect(languageName('en-GB')).toBe('British English');
    expect(languageName('not a tag!')).toBe('not a tag!');
  });
});
