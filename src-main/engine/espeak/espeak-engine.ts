import { createRequire } from 'node:module';
import type { ESpeakNGWorker, EspeakEvent } from '@echogarden/espeak-ng-emscripten';
import { AppError } from '../../../src-shared/errors/catalogue';
import { resample } from '../../../src-shared/audio/resample';
import { cleanForSpeech, hasSpeakableContent } from '../../../src-shared/speech/clean-text';
import type { AudioChunk, SpeechSegment, SynthesisRequest, SynthesisSummary, TimedSpan, VoiceInfo } from '../../../src-shared/speech/types';
import { APP_SAMPLE_RATE } from '../../../src-shared/speech/types';
import type { CacheKeyInput } from '../../services/library/audio-cache';
import type { ChunkCache } from '../chunk-cache';
import type { SpeechEngine } from '../speech-engine';

/** Part of the audio cache key: a different eSpeak NG build may sound different. */
const ESPEAK_VERSION = `espeak-ng-emscripten@${(createRequire(import.meta.url)('@echogarden/espeak-ng-emscripten/package.json') as { version: string }).version}`;

/** eSpeak NG's words per minute at speed 1 (its own default). */
const BASE_RATE_WPM = 175;
const MIN_RATE_WPM = 80;
const MAX_RATE_WPM = 450;

/**
 * The built-in fast voice: eSpeak NG compiled to WebAssembly, one warm instance per engine
 * process (about 170 ms to load, then ~25 ms per sentence; a fresh instance per call would
 * cost ~180 ms each time). It speaks at 22,050 Hz; chunks are resampled to the app's 24 kHz.
 */
export class EspeakEngine implements SpeechEngine {
  readonly id = 'espeak' as const;
  private worker: ESpeakNGWorker | undefined;
  private voiceList: VoiceInfo[] | undefined;

  constructor(private readonly cache?: ChunkCache) {}

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

  async synthesize(request: SynthesisRequest, signal: AbortSignal, onChunk: (chunk: AudioChunk) => void): Promise<SynthesisSummary> {
    const worker = await this.load();
    const known = await this.voices();
    if (!known.some((v) => v.id === `espeak:${request.voice}`)) {
      throw AppError.of('UNKNOWN_VOICE', `(${request.voice})`, { voice: request.voice });
    }

    let sequence = 0;
    let total = 0;
    for (const segment of request.segments) {
      // Yield so a cancel message queued behind this request is seen between chunks.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (signal.aborted) break;
      const chunk = this.cachedSegment(segment, request, sequence) ?? this.speakSegment(worker, segment, sequence, request);
      if (!chunk) continue;
      onChunk(chunk);
      sequence++;
      total += chunk.samples.length;
    }
    return { chunks: sequence, samples: total, sampleRate: APP_SAMPLE_RATE };
  }

  /** eSpeak has no phoneme ids: its cache key is the cleaned text itself, as code points. */
  private cacheKeyFor(segment: SpeechSegment, request: SynthesisRequest): CacheKeyInput {
    return { engine: 'espeak', modelVersion: ESPEAK_VERSION, voice: request.voice, speed: request.speed, ids: Array.from(cleanForSpeech(segment.text), (c) => c.codePointAt(0) ?? 0) };
  }

  private cachedSegment(segment: SpeechSegment, request: SynthesisRequest, sequence: number): AudioChunk | undefined {
    const hit = this.cache?.get(this.cacheKeyFor(segment, request));
    if (!hit) return undefined;
    return {
      sequence,
      sampleRate: APP_SAMPLE_RATE,
      samples: hit.samples,
      sentences: [{ sentence: segment.sentence, startSample: 0, endSample: hit.samples.length, start: segment.start, end: segment.end }],
      words: hit.words.map((w) => ({ ...w, start: w.start + segment.start, end: w.end + segment.start })),
      cached: true,
    };
  }

  private speakSegment(worker: ESpeakNGWorker, segment: SpeechSegment, sequence: number, request: SynthesisRequest): AudioChunk | undefined {
    const text = cleanForSpeech(segment.text);
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
    this.cache?.put(this.cacheKeyFor(segment, request), { samples, tokenSpans: new Int32Array(0), words: relativeWords });
    return {
      sequence,
      sampleRate: APP_SAMPLE_RATE,
      samples,
      sentences: [{ sentence: segment.sentence, startSample: 0, endSample: samples.length, start: segment.start, end: segment.end }],
      words: relativeWords.map((w) => ({ ...w, start: w.start + segment.start, end: w.end + segment.start })),
      cached: false,
    };
  }
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
