import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cueText, toSrt, toVtt, wordTimingsJson } from '../../src-main/services/export/subtitles';
import type { WordTimings } from '../../src-main/services/export/subtitles';
import type { SentenceCue } from '../../src-shared/export/types';
import { APP_SAMPLE_RATE } from '../../src-shared/speech/types';
import { sampleDocument, timelineOf } from './timeline';

interface ParsedCue {
  startMs: number;
  endMs: number;
  /** The payload as written (timestamps and entities included). */
  payload: string;
}

/** A small parser of what we write: blocks separated by blank lines, an index line, a timing line, one text line. */
function parseCues(file: string, separator: ',' | '.'): ParsedCue[] {
  const time = `(\\d{2,}):(\\d{2}):(\\d{2})\\${separator}(\\d{3})`;
  const timing = new RegExp(`^${time} --> ${time}$`);
  const toMs = (parts: string[]): number => ((Number(parts[0]) * 60 + Number(parts[1])) * 60 + Number(parts[2])) * 1000 + Number(parts[3]);
  const blocks = file.trimEnd().split('\n\n');
  if (separator === '.') expect(blocks.shift()).toBe('WEBVTT');
  return blocks.map((block, index) => {
    const lines = block.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(String(index + 1));
    const match = timing.exec(lines[1]!);
    expect(match, lines[1]).not.toBeNull();
    return { startMs: toMs(match!.slice(1, 5)), endMs: toMs(match!.slice(5, 9)), payload: lines[2]! };
  });
}

const unescapeVtt = (text: string): string => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const TIMESTAMP = /<(\d{2,}):(\d{2}):(\d{2})\.(\d{3})>/g;

function expectInOrderInsideAudio(parsed: readonly ParsedCue[], totalSamples: number): void {
  const audioMs = (totalSamples * 1000) / APP_SAMPLE_RATE;
  parsed.forEach((cue, index) => {
    expect(cue.endMs).toBeGreaterThanOrEqual(cue.startMs);
    expect(cue.endMs).toBeLessThanOrEqual(Math.ceil(audioMs));
    if (index > 0) expect(cue.startMs).toBeGreaterThanOrEqual(parsed[index - 1]!.endMs);
  });
}

/** ffmpeg reads the file as subtitles and converts it to SRT: the cue count it sees. */
function ffmpegCueCount(path: string): number {
  const srt = execFileSync('ffmpeg', ['-v', 'error', '-xerror', '-i', path, '-f', 'srt', '-'], { encoding: 'utf8' });
  return srt.split('\n').filter((line) => /^\d{2}:\d{2}:\d{2},\d{3} --> \d{2}:\d{2}:\d{2},\d{3}/.test(line)).length;
}

const document = sampleDocument();
const timeline = timelineOf(document, [0, 1, 2]);
const folder = mkdtempSync(join(tmpdir(), 'subtitles-'));

describe('sentence subtitles', () => {
  it('SRT: one cue per sentence, in order, inside the audio, with the sentence as text; ffmpeg reads every cue', () => {
    const srt = toSrt(timeline.cues);
    const parsed = parseCues(srt, ',');
    expect(parsed).toHaveLength(timeline.cues.length);
    expectInOrderInsideAudio(parsed, timeline.totalSamples);
    parsed.forEach((cue, index) => {
      const sentence = timeline.cues[index]!;
      expect(cue.payload).toBe(cueText(document.chapters[sentence.chapter]!.text.slice(sentence.start, sentence.end)));
      expect(cue.startMs).toBe(Math.round((sentence.startSample * 1000) / APP_SAMPLE_RATE));
    });
    const path = join(folder, 'book.srt');
    writeFileSync(path, srt);
    expect(ffmpegCueCount(path)).toBe(timeline.cues.length);
  });

  it('WebVTT: escapes markup and "-->", so the text read back is the sentence; ffmpeg reads every cue', () => {
    const vtt = toVtt(timeline.cues);
    const parsed = parseCues(vtt, '.');
    expect(parsed).toHaveLength(timeline.cues.length);
    expectInOrderInsideAudio(parsed, timeline.totalSamples);
    parsed.forEach((cue, index) => {
      expect(cue.payload).not.toMatch(/<|-->/);
      expect(unescapeVtt(cue.payload)).toBe(cueText(timeline.cues[index]!.text));
    });
    expect(parsed.some((cue) => unescapeVtt(cue.payload).includes('"a --> b" & left'))).toBe(true);
    const path = join(folder, 'book.vtt');
    writeFileSync(path, vtt);
    expect(ffmpegCueCount(path)).toBe(timeline.cues.length);
  });

  it('rounds to ms without a cue ending before it starts or running into the next, even from overlapping or tiny spans', () => {
    const cue = (sentence: number, startSample: number, endSample: number, text = `Sentence ${sentence}.`): SentenceCue => ({ sentence, chapter: 0, start: 0, end: text.length, text, startSample, endSample });
    const cues = [
      cue(0, 0, 11), // 0.46 ms: rounds to an empty cue, never a negative one
      cue(1, 12, 36), // 0.5 -> 1 ms, 1.5 -> 2 ms
      cue(2, 30, 2_400), // starts before the previous ends
      cue(3, 2_399, 2_500), // the previous ends after this starts
      cue(4, 2_600, 2_600, ' \n\t '), // nothing to show: dropped
      cue(5, 3_000, 4_000, 'Two\n\nlines.'),
    ];
    const parsed = parseCues(toSrt(cues), ',');
    expect(parsed.map((each) => [each.startMs, each.endMs])).toEqual([
      [0, 0],
      [1, 1],
      [1, 100],
      [100, 104],
      [125, 167],
    ]);
    expect(parsed.at(-1)!.payload).toBe('Two lines.');
    expectInOrderInsideAudio(parsed, 4_000);
  });
});

describe('word timings', () => {
  it('WebVTT with inline timestamps: increasing, inside their cue, and the text without them is the sentence; ffmpeg reads it', () => {
    const vtt = toVtt(timeline.cues, timeline.words);
    const parsed = parseCues(vtt, '.');
    expect(parsed).toHaveLength(timeline.cues.length);
    let stamps = 0;
    parsed.forEach((cue, index) => {
      expect(unescapeVtt(cue.payload.replace(TIMESTAMP, ''))).toBe(cueText(timeline.cues[index]!.text));
      let last = cue.startMs;
      for (const match of cue.payload.matchAll(TIMESTAMP)) {
        const ms = ((Number(match[1]) * 60 + Number(match[2])) * 60 + Number(match[3])) * 1000 + Number(match[4]);
        expect(ms).toBeGreaterThan(last);
        expect(ms).toBeLessThan(cue.endMs);
        last = ms;
        stamps++;
      }
    });
    // Every word but each sentence's first (which starts with its cue) has a timestamp.
    const sentencesWithWords = new Set(timeline.words.map((word) => word.sentence)).size;
    expect(stamps).toBe(timeline.words.length - sentencesWithWords);
    // A word timestamp stands before its word.
    expect(vtt).toMatch(/<\d{2}:\d{2}:\d{2}\.\d{3}>began/);
    const path = join(folder, 'words.vtt');
    writeFileSync(path, vtt);
    expect(ffmpegCueCount(path)).toBe(timeline.cues.length);
  });

  it('a word spoken in another form than written gets no timestamp, and the text stays the sentence', () => {
    const text = 'It cost 5 dollars.';
    const cues: SentenceCue[] = [{ sentence: 0, chapter: 0, start: 0, end: text.length, text, startSample: 0, endSample: 24_000 }];
    const words = ['It', 'cost', 'five', 'dollars'].map((word, index) => ({ sentence: 0, text: word, startSample: index * 6_000, endSample: (index + 1) * 6_000 }));
    const payload = parseCues(toVtt(cues, words), '.')[0]!.payload;
    expect(payload).toBe('It <00:00:00.250>cost 5 <00:00:00.750>dollars.');
  });

  it('JSON sidecar: every word and sentence in ms, in order', () => {
    const timings = JSON.parse(wordTimingsJson(timeline.cues, timeline.words)) as WordTimings;
    expect(timings.sampleRate).toBe(APP_SAMPLE_RATE);
    expect(timings.words).toHaveLength(timeline.words.length);
    expect(timings.sentences).toHaveLength(timeline.cues.length);
    timings.words.forEach((word, index) => {
      const source = timeline.words[index]!;
      expect(word).toEqual({ text: source.text, sentence: source.sentence, startMs: Math.round((source.startSample * 1000) / APP_SAMPLE_RATE), endMs: Math.round((source.endSample * 1000) / APP_SAMPLE_RATE) });
      if (index > 0) expect(word.startMs).toBeGreaterThanOrEqual(timings.words[index - 1]!.endMs);
    });
    expect(timings.sentences[0]).toMatchObject({ sentence: 0, chapter: 0, text: 'One & only' });
  });
});
