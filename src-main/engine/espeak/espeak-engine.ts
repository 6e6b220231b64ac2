import { createRequire } from 'node:module';
import type { ESpeakNGWorker, EspeakEvent } from '@echogarden/espeak-ng-emscripten';
import { AppError } from '../../../src-shared/errors/catalogue';
import { resample } from '../../../src-shared/audio/resample';
import { cleanForSpeech, hasSpeakableContent } from '../../../src-shared/speech/clean-text';
import type { AudioChunk, SpeechSegment, SynthesisRequest, SynthesisSummary, TimedSpan, VoiceInfo } from '../../../src-shared/speech/types';
import { APP_SAMPLE_RATE } from '../../../src-shared/speech/types';
import type { G2PLang } from '../../../src-shared/g2p/index';
import type { TextRange } from '../../../src-shared/text/segment';
import type { CacheKeyInput } from '../../../src-shared/speech/cache-key';
import { cacheFor } from '../chunk-cache';
import type { ChunkCache } from '../chunk-cache';
import type { TextReplacer } from '../../../src-shared/lexicon/types';
import type { OnChunk, SpeechEngine } from '../speech-engine';

/** Part of the audio cache key: a different eSpeak NG build may sound different. */
const ESPEAK_VERSION = `espeak-ng-emscripten@${(createRequire(import.meta.url)('@echogarden/espeak-ng-emscripten/package.json') as { version: string }).version}`;

/** eSpeak NG's words per minute at speed 1 (its own default). */
const BASE_RATE_WPM = 175;
const MIN_RATE_WPM = 80;
const MAX_RATE_WPM = 450;

/** What eSpeak is given for a segment: the user's replacements applied, then cleaned; spans map back to the segment. */
interface SpokenText {
  text: string;
  toSegment: (span: TextRange) => TextRange;
  /** The replacement entries applied, recorded with the cached audio. */
  lexiconEntryIds: readonly number[];
}

/** The accent of the user's lexicon that applies to an eSpeak voice language; none outside English, as the lexicon is English. */
function lexiconLang(language: string): G2PLang | undefined {
  if (language.startsWith('en-gb')) return 'en-gb';
  return language === 'en' || language.startsWith('en-') ? 'en-us' : undefined;
}

/**
 * The built-in fast voice: eSpeak NG compiled to WebAssembly, one warm instance per engine
 * process (about 170 ms to load, then ~25 ms per sentence; a fresh instance per call would
 * cost ~180 ms each time). It speaks at 22,050 Hz; chunks are resampled to the app's 24 kHz.
 */
export class EspeakEngine implements SpeechEngine {
  readonly id = 'espeak' as const;
  private worker: ESpeakNGWorker | undefined;
  private voiceList: VoiceInfo[] | undefined;

  constructor(
    private readonly cache?: ChunkCache,
    /** The user's replacement rules ("SQL" -> "sequel"), as the Kokoro engine applies them. */
    private readonly replacer?: TextReplacer,
  ) {}

  private async load(): Promise<ESpeakNGWorker> {
    if (!this.worker) {
      const { default: init } = await import('@echogarden/espeak-ng-emscripten');
      const module = await init();
      this.worker = new module.eSpeakNGWorker();
    }
    return this.worker;
  }

  async voices(): Promise<VoiceInfo[]> {
    if (!this.voiceList) {
      const worker = await this.load();
      this.voiceList = worker.list_voices().map((entry) => ({
        id: `espeak:${entry.identifier}`,
        engine: 'espeak' as const,
        name: `${entry.name} (eSpeak NG)`,
        language: entry.languages[0]?.name ?? entry.identifier,
      }));
    }
    return this.voiceList;
  }

  async synthesize(request: SynthesisRequest, signal: AbortSignal, onChunk: OnChunk): Promise<SynthesisSummary> {
    const worker = await this.load();
    const known = await this.voices();
    const voice = known.find((v) => v.id === `espeak:${request.voice}`);
    if (!voice) throw AppError.of('UNKNOWN_VOICE', `(${request.voice})`, { voice: request.voice });
    const lang = lexiconLang(voice.language);

    let sequence = 0;
    let total = 0;
    for (const segment of request.segments) {
      // Yield so a cancel message queued behind this request is seen between chunks.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (signal.aborted) break;
      const spoken = this.spokenText(segment, lang);
      const chunk = this.cachedSegment(segment, spoken, request, sequence) ?? this.speakSegment(worker, segment, spoken, sequence, request);
      if (!chunk) continue;
      await onChunk(chunk);
      sequence++;
      total += chunk.samples.length;
    }
    return { chunks: sequence, samples: total, sampleRate: APP_SAMPLE_RATE };
  }

  private spokenText(segment: SpeechSegment, lang: G2PLang | undefined): SpokenText {
    const replaced = lang ? this.replacer?.apply(segment.text, lang) : undefined;
    return { text: cleanForSpeech(replaced?.text ?? segment.text), toSegment: replaced?.toOriginal ?? ((span) => span), lexiconEntryIds: replaced?.entryIds ?? [] };
  }

  /** eSpeak has no phoneme ids: its cache key is the text it speaks, as code points. */
  private cacheKeyFor(spoken: SpokenText, request: SynthesisRequest): CacheKeyInput {
    return { engine: 'espeak', modelVersion: ESPEAK_VERSION, voice: request.voice, speed: request.speed, ids: Array.from(spoken.text, (c) => c.codePointAt(0) ?? 0) };
  }

  private cachedSegment(segment: SpeechSegment, spoken: SpokenText, request: SynthesisRequest, sequence: number): AudioChunk | undefined {
    const hit = cacheFor(this.cache, request)?.get(this.cacheKeyFor(spoken, request));
    if (!hit) return undefined;
    return {
      sequence,
      sampleRate: APP_SAMPLE_RATE,
      samples: hit.samples,
      sentences: [{ sentence: segment.sentence, startSample: 0, endSample: hit.samples.length, start: segment.start, end: segment.end }],
      words: wordsInReading(hit.words, spoken, segment),
      cached: true,
    };
  }

  private speakSegment(worker: ESpeakNGWorker, segment: SpeechSegment, spoken: SpokenText, sequence: number, request: SynthesisRequest): AudioChunk | undefined {
    const { text } = spoken;
    if (!hasSpeakableContent(text)) return undefined;
    // The one worker is shared by overlapping requests: set voice and rate for every segment,
    // with no await between here and the synthesis.
    worker.set_voice(request.voice);
    worker.set_rate(Math.round(Math.min(MAX_RATE_WPM, Math.max(MIN_RATE_WPM, BASE_RATE_WPM * request.speed))));
    const pieces: Int16Array[] = [];
    const words: EspeakEvent[] = [];
    worker.synthesize(text, (samples, events) => {
      if (samples && samples.length > 0) pieces.push(samples.slice());
      for (const event of events) if (event.type === 'word') words.push(event);
    });
    const native = int16ToFloat(pieces);
    if (native.length === 0) return undefined;
    const samples = resample(native, worker.samplerate, APP_SAMPLE_RATE);
    const relativeWords = wordSpans(text, 0, words, samples.length);
    // Cached spans stay relative to the spoken text: other readings may speak the same text.
    cacheFor(this.cache, request)?.put(this.cacheKeyFor(spoken, request), { samples, tokenSpans: new Int32Array(0), words: relativeWords }, spoken.lexiconEntryIds, request.cacheOwner);
    return {
      sequence,
      sampleRate: APP_SAMPLE_RATE,
      samples,
      sentences: [{ sentence: segment.sentence, startSample: 0, endSample: samples.length, start: segment.start, end: segment.end }],
      words: wordsInReading(relativeWords, spoken, segment),
      cached: false,
    };
  }
}

/** Word spans in the spoken text, as spans of the text being read (so highlighting lands on what the reader sees). */
function wordsInReading(words: readonly TimedSpan[], spoken: SpokenText, segment: SpeechSegment): TimedSpan[] {
  return words.map((word) => {
    const span = spoken.toSegment(word);
    return { ...word, start: segment.start + span.start, end: segment.start + span.end };
  });
}

function int16ToFloat(pieces: Int16Array[]): Float32Array {
  const length = pieces.reduce((sum, p) => sum + p.length, 0);
  const out = new Float32Array(length);
  let offset = 0;
  for (const piece of pieces) {
    for (let i = 0; i < piece.length; i++) out[offset + i] = (piece[i] ?? 0) / 32768;
    offset += piece.length;
  }
  return out;
}

/** eSpeak reports words by code-point position and milliseconds; the app needs UTF-16 offsets and samples. */
function wordSpans(text: string, baseOffset: number, events: EspeakEvent[], totalSamples: number): TimedSpan[] {
  const utf16At = codePointToUtf16(text);
  const spans: TimedSpan[] = [];
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    if (!event) continue;
    const next = events[i + 1];
    const cpStart = event.text_position - 1;
    const start = utf16At[Math.min(cpStart, utf16At.length - 1)] ?? 0;
    const end = utf16At[Math.min(cpStart + event.word_length, utf16At.length - 1)] ?? text.length;
    const startSample = Math.min(totalSamples, Math.round((event.audio_position * APP_SAMPLE_RATE) / 1000));
    const endSample = next ? Math.min(totalSamples, Math.round((next.audio_position * APP_SAMPLE_RATE) / 1000)) : totalSamples;
    if (endSample > startSample && end > start) spans.push({ startSample, endSample, start: baseOffset + start, end: baseOffset + end });
  }
  return spans;
}

/** utf16At[k] is the UTF-16 offset of code point k; the last entry is the string's length. */
function codePointToUtf16(text: string): number[] {
  const offsets: number[] = [];
  let offset = 0;
  for (const ch of text) {
    offsets.push(offset);
    offset += ch.length;
  }
  offsets.push(offset);
  return offsets;
}
