import { AppError } from '../../../src-shared/errors/catalogue';
import type { G2PLang, Phonemizer, Vocab } from '../../../src-shared/g2p/index';
import { chunkTokens, planChunks, splitOverlong } from '../../../src-shared/kokoro/planner';
import type { ChunkPlan } from '../../../src-shared/kokoro/planner';
import type { SynthesisRequest, SynthesisSummary, VoiceInfo } from '../../../src-shared/speech/types';
import { APP_SAMPLE_RATE } from '../../../src-shared/speech/types';
import { cacheFor } from '../chunk-cache';
import type { ChunkCache } from '../chunk-cache';
import type { OnChunk, SpeechEngine } from '../speech-engine';
import { chunkSpans } from './chunk-spans';
import { wordsForSegments } from './frontend';
import type { SpokenWord } from './frontend';
import type { TextReplacer } from '../../../src-shared/lexicon/types';
import { bucketCapacity, synthesizeChunk, vocoderBucketsOf } from './pipeline';
import type { HostSettings, KokoroGraphRunner } from './pipeline';

/** Style vectors of a voice spec ("af_heart", "af_heart*0.6+bf_emma*0.4"). */
export interface VoiceStyles {
  list(): Promise<VoiceInfo[]>;
  /** The 256-value ref_s for an utterance of `phonemeCount` phonemes; throws UNKNOWN_VOICE. */
  style(voice: string, phonemeCount: number): Promise<Float32Array>;
}

/** Everything the engine needs once the model is loaded. */
export interface KokoroResources {
  graphs: KokoroGraphRunner;
  g2p: Phonemizer;
  vocab: Vocab;
  host: HostSettings;
  /** Identifies the model files and host settings, for the audio cache key. */
  modelVersion: string;
}

export interface KokoroEngineHooks {
  cache?: ChunkCache | undefined;
  /** The user's replacement rules, applied before normalisation. */
  replacer?: TextReplacer | undefined;
  log?: (line: string) => void;
}

/** When predicted durations overflow a bucket, aim the re-split below it, since durations move a little with context. */
const RESPLIT_SHARE = 0.9;

/** The language of a Kokoro voice from its prefix: b = British English, else American. */
export function voiceLanguage(voice: string): G2PLang {
  return voice.trim().startsWith('b') ? 'en-gb' : 'en-us';
}

/**
 * Kokoro-82M as a speech engine: the text front-end makes phoneme ids per word, the planner
 * fills the 128-token bucket, and each chunk runs through the three graphs and host steps.
 * The model loads on first use (1.7 GiB of wasm heap at the real size), once per engine process.
 */
export class KokoroEngine implements SpeechEngine {
  readonly id = 'kokoro' as const;
  private resources: Promise<KokoroResources> | undefined;
  private running = 0;
  private retired = false;

  constructor(
    private readonly load: () => Promise<KokoroResources>,
    private readonly voiceStyles: VoiceStyles,
    private readonly hooks: KokoroEngineHooks = {},
  ) {}

  voices(): Promise<VoiceInfo[]> {
    return this.voiceStyles.list();
  }

  private loaded(): Promise<KokoroResources> {
    this.resources ??= this.load();
    // A failed load is retried on the next request (the files may have been repaired).
    this.resources.catch(() => {
      this.resources = undefined;
    });
    return this.resources;
  }

  retire(): void {
    this.retired = true;
    this.freeIfIdle();
  }

  async synthesize(request: SynthesisRequest, signal: AbortSignal, onChunk: OnChunk): Promise<SynthesisSummary> {
    this.running++;
    try {
      return await this.synthesizeLoaded(request, signal, onChunk);
    } finally {
      this.running--;
      this.freeIfIdle();
    }
  }

  /** A retired engine's model is freed after its last request, not under it. */
  private freeIfIdle(): void {
    if (!this.retired || this.running > 0 || !this.resources) return;
    const loaded = this.resources;
    this.resources = undefined;
    loaded.then((resources) => resources.graphs.dispose?.(), () => undefined);
  }

  private async synthesizeLoaded(request: SynthesisRequest, signal: AbortSignal, onChunk: OnChunk): Promise<SynthesisSummary> {
    // Check the voice before loading anything, so a typo fails fast.
    await this.voiceStyles.style(request.voice, 1);
    const { graphs, g2p, vocab, host, modelVersion } = await this.loaded();
    const { words, dropped } = await wordsForSegments(request.segments, voiceLanguage(request.voice), g2p, vocab, this.hooks.replacer);
    if (dropped > 0) this.hooks.log?.(`${dropped} phoneme symbol(s) outside Kokoro's vocabulary were left out`);
    const cache = cacheFor(this.hooks.cache, request);
    let queue: ChunkPlan[] = planChunks(words);
    // Quick start: with more than one vocoder bucket, the first chunk is cut to what the
    // smallest holds, so the first sound comes after a fraction of a full chunk's work; the
    // rest is planned again after it.
    const buckets = vocoderBucketsOf(graphs);
    const fullCapacity = bucketCapacity(buckets.at(-1)!);
    let quickStart = buckets.length > 1 ? bucketCapacity(buckets[0]!) : 0;
    let sequence = 0;
    let total = 0;
    while (queue.length > 0) {
      if (signal.aborted) break;
      const plan = queue.shift();
      if (!plan) break;
      const tokens = chunkTokens(plan);
      const key = { engine: 'kokoro', modelVersion, voice: request.voice, speed: request.speed, ids: tokens.ids };
      let audio = cache?.get(key);
      const cached = audio !== undefined;
      if (!audio) {
        const refS = await this.voiceStyles.style(request.voice, tokens.ids.length - 2);
        const maxFrames = sequence === 0 && quickStart > 0 ? quickStart : fullCapacity;
        const result = await synthesizeChunk(graphs, tokens.ids, refS, request.speed, host, signal, maxFrames);
        if (!result.ok) {
          // A quick start cuts between words only, never inside one.
          const quick = maxFrames < fullCapacity;
          const halves = quick && plan.words.length < 2 ? undefined : splitOverlong(plan, words, framesPerWord(plan, tokens.owner, result.durations), Math.floor(maxFrames * RESPLIT_SHARE));
          if (!halves && quick) {
            // One word too long for the small bucket: the usual way takes it (cut into pieces if need be).
            quickStart = 0;
            queue.unshift(plan);
            continue;
          }
          if (!halves) throw AppError.of('ENGINE_FAILED', `(one sound would last ${result.frames} frames, more than a chunk holds)`);
          const [first, rest] = halves;
          const restFrom = rest.words[0];
          // What follows the cut is planned again, so the next chunk fills up with the words
          // after it instead of running half empty (unless the cut fell inside a word).
          const wholeWord = restFrom !== undefined && restFrom.ids.length === words[restFrom.word]?.ids.length;
          if (wholeWord) queue = [first, ...planChunks(words, undefined, restFrom.word)];
          else queue.unshift(first, rest);
          continue;
        }
        audio = { samples: result.samples, tokenSpans: result.tokenSpans, words: [] };
        cache?.put(key, audio, lexiconEntriesOf(plan, words), request.cacheOwner);
      }
      const spans = chunkSpans(tokens, audio.tokenSpans, words, audio.samples.length);
      await onChunk({ sequence: sequence++, sampleRate: APP_SAMPLE_RATE, samples: audio.samples, sentences: spans.sentences, words: spans.words, cached });
      total += audio.samples.length;
    }
    return { chunks: sequence, samples: total, sampleRate: APP_SAMPLE_RATE };
  }
}

/** The user's lexicon entries that shaped a chunk's words: editing one of them invalidates the chunk's cached audio. */
function lexiconEntriesOf(plan: ChunkPlan, words: readonly SpokenWord[]): Set<number> {
  return new Set(plan.words.flatMap((piece) => words[piece.word]?.lexiconEntryIds ?? []));
}

/** Predicted frames per chunk word; a space or pad counts with the word before it (the first pad with the first word). */
function framesPerWord(plan: ChunkPlan, owner: readonly number[], durations: Int32Array): number[] {
  const frames = new Array<number>(plan.words.length).fill(0);
  let index = -1;
  let previousOwner = -1;
  for (let t = 0; t < owner.length; t++) {
    const o = owner[t] ?? -1;
    if (o >= 0 && o !== previousOwner) index++;
    if (o >= 0) previousOwner = o;
    frames[Math.max(0, index)] = (frames[Math.max(0, index)] ?? 0) + (durations[t] ?? 0);
  }
  return frames;
}

