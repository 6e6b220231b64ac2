// Subtitles and timings written beside the exported audio: SRT and WebVTT with one cue per
// sentence, WebVTT with inline word timestamps, and a JSON sidecar of word timings. Pure text
// from the cues' samples (the engine's own spans); nothing here estimates a time.
import type { SentenceCue, WordCue } from '../../../src-shared/export/types';
import { APP_SAMPLE_RATE } from '../../../src-shared/speech/types';

/** A cue's span in whole milliseconds, and its text on one line. */
export interface TimedText {
  startMs: number;
  endMs: number;
  text: string;
}

export interface WordTimings {
  sampleRate: number;
  words: { text: string; sentence: number; startMs: number; endMs: number }[];
  sentences: { sentence: number; chapter: number; text: string; startMs: number; endMs: number }[];
}

/** SubRip: `1\n00:00:01,250 --> 00:00:03,000\nText\n\n` per sentence. */
export function toSrt(cues: readonly SentenceCue[], sampleRate = APP_SAMPLE_RATE): string {
  return timeSentences(cues, sampleRate)
    .map((cue, index) => `${index + 1}\n${clock(cue.startMs, ',')} --> ${clock(cue.endMs, ',')}\n${cue.text}\n`)
    .join('\n');
}

/**
 * WebVTT, one cue per sentence. With word cues, each word the sentence's text contains gets an
 * inline timestamp (`<00:00:01.250>word`) so players can highlight as it is spoken; a word the
 * engine spoke in another form than written (numbers, abbreviations) keeps the timestamp of the
 * word before it, so the cue's text stays the sentence.
 */
export function toVtt(cues: readonly SentenceCue[], words: readonly WordCue[] = [], sampleRate = APP_SAMPLE_RATE): string {
  const wordsBySentence = groupBy(words, (word) => word.sentence);
  const timed = timeSentences(cues, sampleRate);
  const blocks = timed.map((cue, index) => {
    const own = wordsBySentence.get(cue.sentence) ?? [];
    const payload = own.length > 0 ? withWordTimestamps(cue, timeWords(own, sampleRate)) : escapeVtt(cue.text);
    return `${index + 1}\n${clock(cue.startMs, '.')} --> ${clock(cue.endMs, '.')}\n${payload}\n`;
  });
  return ['WEBVTT\n', ...blocks].join('\n');
}

/** The JSON sidecar of word timings (and the sentences they belong to), in ms. */
export function wordTimingsJson(cues: readonly SentenceCue[], words: readonly WordCue[], sampleRate = APP_SAMPLE_RATE): string {
  const timings: WordTimings = {
    sampleRate,
    words: timeWords(words, sampleRate).map(({ text, sentence, startMs, endMs }) => ({ text, sentence, startMs, endMs })),
    sentences: timeSentences(cues, sampleRate).map(({ sentence, chapter, text, startMs, endMs }) => ({ sentence, chapter, text, startMs, endMs })),
  };
  return `${JSON.stringify(timings, null, 2)}\n`;
}

/** Whitespace (line breaks included) collapsed to single spaces: a blank line would end a cue. */
export function cueText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

type Timed<T> = T & TimedText;

function timeSentences(cues: readonly SentenceCue[], sampleRate: number): Timed<SentenceCue>[] {
  return inMilliseconds(
    cues.map((cue) => ({ ...cue, text: cueText(cue.text) })),
    sampleRate,
  );
}

function timeWords(words: readonly WordCue[], sampleRate: number): Timed<WordCue>[] {
  return inMilliseconds(
    words.map((word) => ({ ...word, text: cueText(word.text) })),
    sampleRate,
  );
}

/**
 * Samples to whole milliseconds, in order of start. Rounding is monotonic, so cues that do not
 * overlap in samples do not overlap in ms; the clamps keep that true for input that does (an
 * end past the next start) and never let an end come before its start. Empty texts are dropped:
 * a cue without text would end the file's cue list early.
 */
function inMilliseconds<T extends { text: string; startSample: number; endSample: number }>(items: readonly T[], sampleRate: number): Timed<T>[] {
  const ms = (samples: number): number => Math.round((Math.max(0, samples) * 1000) / sampleRate);
  const sorted = items.filter((item) => item.text !== '').sort((a, b) => a.startSample - b.startSample);
  return sorted.map((item, index) => {
    const startMs = ms(item.startSample);
    const next = sorted[index + 1];
    const endMs = Math.max(startMs, Math.min(ms(item.endSample), next ? ms(next.startSample) : Infinity));
    return { ...item, startMs, endMs };
  });
}

/**
 * The sentence's text with a timestamp before each word found in it, in order. WebVTT wants
 * each timestamp after the cue's start and the one before it, and before the cue's end; others
 * are left out rather than written invalid.
 */
function withWordTimestamps(cue: TimedText, words: readonly TimedText[]): string {
  const parts: string[] = [];
  let cursor = 0; // written up to here
  let search = 0; // words matched up to here
  let last = cue.startMs;
  for (const word of words) {
    const at = word.text === '' ? -1 : cue.text.indexOf(word.text, search);
    if (at < 0) continue;
    search = at + word.text.length;
    if (word.startMs > last && word.startMs < cue.endMs) {
      parts.push(escapeVtt(cue.text.slice(cursor, at)), `<${clock(word.startMs, '.')}>`);
      cursor = at;
      last = word.startMs;
    }
  }
  parts.push(escapeVtt(cue.text.slice(cursor)));
  return parts.join('');
}

/** WebVTT cue text: `&` and `<` start markup, and `-->` may not appear; `>` escaped covers it. */
function escapeVtt(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `HH:MM:SS<separator>mmm`; hours grow past two digits for very long books. */
function clock(ms: number, separator: ',' | '.'): string {
  const pad = (value: number, width: number): string => String(value).padStart(width, '0');
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor(ms / 60_000) % 60;
  const seconds = Math.floor(ms / 1000) % 60;
  return `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}${separator}${pad(ms % 1000, 3)}`;
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const list = groups.get(key(item));
    if (list) list.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
