import { describe, expect, it } from 'vitest';
import { cleanForSpeech, hasSpeakableContent } from '../../src-shared/speech/clean-text';
import { batchSegments, planSegments } from '../../src-shared/speech/plan';
import { spanIndexAt } from '../../src-shared/speech/timeline';
import { prepareSpeech, resolveVoice } from '../../src-main/services/speech-request';
import { errorData } from '../../src-shared/errors/catalogue';
import { pastedSentenceTable } from '../../src-shared/document/sentence-table';

describe('planSegments', () => {
  const text = 'Hello there. This is the second sentence. And a third one!';

  it('gives each sentence with its exact source range', () => {
    const segments = planSegments(text);
    expect(segments.map((s) => s.text)).toEqual(['Hello there.', 'This is the second sentence.', 'And a third one!']);
    for (const s of segments) expect(text.slice(s.start, s.end)).toBe(s.text);
    expect(segments.map((s) => s.sentence)).toEqual([0, 1, 2]);
  });

  it('starts at a given sentence', () => {
    expect(planSegments(text, 1).map((s) => s.sentence)).toEqual([1, 2]);
  });

  it('batches by size without splitting a segment', () => {
    const segments = planSegments(text);
    const batches = batchSegments(segments, 30);
    expect(batches.flat()).toEqual(segments);
    expect(batches.map((b) => b.length)).toEqual([1, 1, 1]);
    expect(batchSegments(segments, 1000)).toEqual([segments]);
  });
});

describe('cleanForSpeech', () => {
  it('blanks control characters, emoji and lone surrogates without moving offsets', () => {
    const text = 'a\u0000b 😀 c\uD800d\u202Ee\uDC00';
    const clean = cleanForSpeech(text);
    expect(clean.length).toBe(text.length);
    expect(clean).toBe('a b    c d e ');
  });

  it('keeps letters of every script, and surrogate pairs that are letters', () => {
    const text = 'Ωμέγα 𝒜 日本語 naïve';
    expect(cleanForSpeech(text)).toBe(text);
    expect(hasSpeakableContent(cleanForSpeech('😀 🎉 👍🏽'))).toBe(false);
    expect(hasSpeakableContent(cleanForSpeech('42'))).toBe(true);
  });
});

describe('spanIndexAt', () => {
  const spans = [
    { startSample: 0, endSample: 100, start: 0, end: 5 },
    { startSample: 150, endSample: 300, start: 6, end: 10 },
    { startSample: 300, endSample: 400, start: 11, end: 15 },
  ];
  it('finds the span that holds a sample, keeping the previous one through a pause', () => {
    expect(spanIndexAt(spans, -1)).toBe(-1);
    expect(spanIndexAt(spans, 0)).toBe(0);
    expect(spanIndexAt(spans, 120)).toBe(0);
    expect(spanIndexAt(spans, 150)).toBe(1);
    expect(spanIndexAt(spans, 299)).toBe(1);
    expect(spanIndexAt(spans, 300)).toBe(2);
    expect(spanIndexAt(spans, 10_000)).toBe(2);
    expect(spanIndexAt([], 5)).toBe(-1);
  });
});

describe('resolveVoice', () => {
  const voices = [
    { id: 'espeak:gmw/en-US', engine: 'espeak' as const, name: 'English (America)', language: 'en-us' },
    { id: 'espeak:gmw/en', engine: 'espeak' as const, name: 'English (Great Britain)', language: 'en-gb' },
  ];
  it('takes a full id, the engine-less id, or the last part, ignoring case', () => {
    expect(resolveVoice('espeak:gmw/en-US', voices)).toBe('espeak:gmw/en-US');
    expect(resolveVoice('gmw/en-us', voices)).toBe('espeak:gmw/en-US');
    expect(resolveVoice('EN-US', voices)).toBe('espeak:gmw/en-US');
    expect(resolveVoice('en', voices)).toBe('espeak:gmw/en');
    expect(resolveVoice('en-GB', voices)).toBe('espeak:gmw/en');
  });
  it('refuses an unknown voice with the catalogue error', () => {
    expect(() => resolveVoice('af_heart', voices)).toThrowError(expect.objectContaining({ code: 'UNKNOWN_VOICE' }) as Error);
  });
  it('says what the model folder lacks when a Kokoro voice is asked for and Kokoro could not load', () => {
    const incomplete = [{ engine: 'kokoro', error: errorData('MODEL_INCOMPLETE', '(/m is missing vocab.json)', { dir: '/m', reason: '/m is missing vocab.json' }) }];
    for (const asked of ['af_heart', 'kokoro:af_heart', 'af_heart*0.5+bf_emma*0.5']) {
      expect(() => resolveVoice(asked, voices, incomplete)).toThrowError(
        expect.objectContaining({ code: 'MODEL_INCOMPLETE', message: expect.stringContaining(`(${asked} is a Kokoro voice: /m is missing vocab.json)`) as string }) as Error,
      );
    }
    // Other names are still simply unknown.
    expect(() => resolveVoice('zz', voices, incomplete)).toThrowError(expect.objectContaining({ code: 'UNKNOWN_VOICE' }) as Error);
  });
});

describe('prepareSpeech with ranges to skip', () => {
  const voices = [{ id: 'espeak:gmw/en-US', engine: 'espeak' as const, name: 'English', language: 'en-us' }];
  const text = 'Read this.\n\nconst code = 1;\n\nAnd this. Not this. But this.';
  it('leaves out every sentence that overlaps a skipped range', () => {
    const codeStart = text.indexOf('const');
    const notStart = text.indexOf('Not this');
    const prepared = prepareSpeech({ ...pastedSentenceTable(text), skip: [{ start: notStart, end: notStart + 3 }, { start: codeStart, end: codeStart + 15 }] }, {}, { voices });
    expect(prepared.segments.map((s) => s.text)).toEqual(['Read this.', 'And this.', 'But this.']);
  });
  it('says there is nothing to read when everything is skipped', () => {
    expect(() => prepareSpeech({ ...pastedSentenceTable('Only code.'), skip: [{ start: 0, end: 10 }] }, {}, { voices })).toThrowError(expect.objectContaining({ code: 'NOTHING_SPEAKABLE' }) as Error);
  });
});

describe('resolveVoice with Kokoro blends', () => {
  const voices = [
    { id: 'kokoro:af_heart', engine: 'kokoro' as const, name: 'Heart', language: 'en-US' },
    { id: 'kokoro:bf_emma', engine: 'kokoro' as const, name: 'Emma', language: 'en-GB' },
  ];
  it('accepts a formula of installed voices, with or without the engine prefix', () => {
    expect(resolveVoice('af_heart*0.6+bf_emma*0.4', voices)).toBe('kokoro:af_heart*0.6+bf_emma*0.4');
    expect(resolveVoice('kokoro:af_heart + bf_emma', voices)).toBe('kokoro:af_heart+bf_emma');
  });
  it('names the voice that is missing, or says how to write a blend', () => {
    expect(() => resolveVoice('af_heart*0.5+am_adam*0.5', voices)).toThrowError(expect.objectContaining({ code: 'UNKNOWN_VOICE', message: expect.stringContaining('am_adam') as string }) as Error);
    expect(() => resolveVoice('af_heart*x+bf_emma', voices)).toThrowError(expect.objectContaining({ code: 'INVALID_VOICE_BLEND' }) as Error);
  });
});
