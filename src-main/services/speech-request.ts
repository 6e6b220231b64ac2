import { AppError } from '../../src-shared/errors/catalogue';
import type { ErrorData } from '../../src-shared/errors/catalogue';
import { cleanForSpeech, hasSpeakableContent } from '../../src-shared/speech/clean-text';
import { MAX_TEXT_LENGTH, tableSegments } from '../../src-shared/speech/plan';
import { pastedSentenceTable } from '../../src-shared/document/sentence-table';
import type { SentenceTable } from '../../src-shared/document/sentence-table';
import type { TextRange } from '../../src-shared/text/segment';
import type { SpeechSegment, VoiceInfo } from '../../src-shared/speech/types';
import { MAX_SPEED, MIN_SPEED, splitVoiceId } from '../../src-shared/speech/types';
import type { UnavailableEngine } from '../../src-shared/ipc/engine-protocol';
import type { EngineSupervisor } from './engine/engine-supervisor';

import { DEFAULT_KOKORO_VOICE, DEFAULT_VOICE } from '../../src-shared/speech/default-voices';

export { DEFAULT_KOKORO_VOICE, DEFAULT_VOICE };

/** The voices the engine offers, and the engines it could not offer with the reason (Kokoro's model missing). */
export interface InstalledVoices {
  voices: readonly VoiceInfo[];
  unavailable?: readonly UnavailableEngine[] | undefined;
}

/** Why the Kokoro voices are not offered (model missing or incomplete), with the fix; undefined when they are. */
export function kokoroUnavailable(installed: InstalledVoices): ErrorData | undefined {
  return installed.unavailable?.find((u) => u.engine === 'kokoro')?.error;
}

/** Kokoro when it is installed (it sounds far better), else the built-in eSpeak NG voice. */
export function pickDefaultVoice(voices: readonly VoiceInfo[]): string {
  if (voices.some((v) => v.id === DEFAULT_KOKORO_VOICE)) return DEFAULT_KOKORO_VOICE;
  return voices.find((v) => v.engine === 'kokoro')?.id ?? DEFAULT_VOICE;
}

export interface SpeechOptions {
  voice?: string | undefined;
  speed?: number | undefined;
  /** The first sentence to read, an index into the table's sentences. */
  fromSentence?: number | undefined;
  /** Plan at most this many sentences now (the rest with planWindow later): a book is not planned whole on every Play. */
  maxSentences?: number | undefined;
}

export interface PreparedSpeech {
  voiceId: string;
  engine: string;
  voice: string;
  speed: number;
  segments: SpeechSegment[];
  /** The first sentence not yet planned (the table's length when all are). */
  nextSentence: number;
}

export interface PlannedWindow {
  segments: SpeechSegment[];
  nextSentence: number;
}

/**
 * A text to read as main holds it, after checking its size: a table of its sentences, split
 * once. The CLI and the app build their tables with this, so both refuse the same texts.
 */
export function sentenceTableOf(text: string): SentenceTable {
  checkTextSize(text);
  return pastedSentenceTable(text);
}

export function checkTextSize(text: string): void {
  if (text.length > MAX_TEXT_LENGTH) throw AppError.of('TEXT_TOO_LARGE', `(${text.length} characters; the limit is ${MAX_TEXT_LENGTH})`);
}

/**
 * Checks a request to speak a text and plans it from its sentence table, with one clear error
 * per problem. Shared by the reader (playback) and the CLI (files), so both refuse the same
 * requests the same way.
 */
export function prepareSpeech(table: SentenceTable, options: SpeechOptions, installed: InstalledVoices, defaultVoice = pickDefaultVoice(installed.voices)): PreparedSpeech {
  if (!/\S/.test(table.text)) throw AppError.of('EMPTY_TEXT');
  const speed = options.speed ?? 1;
  if (typeof speed !== 'number' || !(speed >= MIN_SPEED && speed <= MAX_SPEED)) throw AppError.of('INVALID_SPEED', `(got ${String(speed)})`);
  const voiceId = resolveVoice(options.voice ?? defaultVoice, installed.voices, installed.unavailable);
  const planned = planWindow(table, options.fromSentence ?? 0, options.maxSentences);
  if (planned.segments.length === 0) throw AppError.of('NOTHING_SPEAKABLE');
  const { engine, voice } = splitVoiceId(voiceId);
  return { voiceId, engine, voice, speed, ...planned };
}

/**
 * The next sentences to speak from `from` on: at most `maxSentences` of the table, without
 * the skipped and the unspeakable ones. A window with nothing to speak moves on to the next,
 * so an empty answer means the text has nothing left.
 */
export function planWindow(table: SentenceTable, from: number, maxSentences = Infinity): PlannedWindow {
  const skip = [...table.skip].sort((a, b) => a.start - b.start);
  let next = Math.max(0, from);
  while (next < table.sentences.length) {
    const until = Math.min(table.sentences.length, next + maxSentences);
    const segments = outsideRanges(tableSegments(table, next, until), skip).filter((s) => hasSpeakableContent(cleanForSpeech(s.text)));
    next = until;
    if (segments.length > 0) return { segments, nextSentence: next };
  }
  return { segments: [], nextSentence: table.sentences.length };
}

/** Segments (in text order) that overlap none of the sorted ranges; one sweep over both. */
function outsideRanges<T extends TextRange>(segments: readonly T[], ranges: readonly TextRange[]): T[] {
  if (ranges.length === 0) return [...segments];
  const kept: T[] = [];
  let r = 0;
  for (const segment of segments) {
    while (r < ranges.length && (ranges[r]?.end ?? 0) <= segment.start) r++;
    let overlaps = false;
    for (let k = r; k < ranges.length && (ranges[k]?.start ?? Infinity) < segment.end; k++) {
      if ((ranges[k]?.end ?? 0) > segment.start) {
        overlaps = true;
        break;
      }
    }
    if (!overlaps) kept.push(segment);
  }
  return kept;
}

/** A Kokoro voice id or name as people write it: "kokoro:…", "af_heart", or a blend of such names. */
const KOKORO_VOICE_NAME = /^(kokoro:|[a-z][fm]_[a-z0-9]+\s*(\*|\+|$))/i;

/**
 * Finds a voice by its full id ("espeak:gmw/en-US") or a short name a person would type
 * ("gmw/en-US", "en-us") or its language ("en-gb"), ignoring case; an exact id always wins.
 * A Kokoro voice asked for while Kokoro is unavailable fails with the reason (what is missing).
 */
export function resolveVoice(requested: string, voices: readonly VoiceInfo[], unavailable: readonly UnavailableEngine[] = []): string {
  if (voices.some((v) => v.id === requested)) return requested;
  const kokoroProblem = kokoroUnavailable({ voices, unavailable });
  if (kokoroProblem && KOKORO_VOICE_NAME.test(requested.trim())) {
    const reason = typeof kokoroProblem.data?.reason === 'string' ? kokoroProblem.data.reason : kokoroProblem.message;
    throw AppError.of(kokoroProblem.code, `(${requested} is a Kokoro voice: ${reason})`, { ...kokoroProblem.data, voice: requested });
  }
  const blend = resolveBlend(requested, voices);
  if (blend) return blend;
  const wanted = requested.toLowerCase();
  const byId = voices.find((v) => {
    const { voice } = splitVoiceId(v.id);
    return v.id.toLowerCase() === wanted || voice.toLowerCase() === wanted || voice.split('/').at(-1)?.toLowerCase() === wanted;
  });
  const match = byId ?? voices.find((v) => v.language.toLowerCase() === wanted);
  if (!match) throw AppError.of('UNKNOWN_VOICE', `(${requested})`, { voice: requested });
  return match.id;
}

/**
 * A Kokoro blend formula ("af_heart*0.6+bf_emma*0.4", with or without "kokoro:"), when every
 * voice in it is installed: the weighted mean of their style vectors is spoken.
 */
function resolveBlend(requested: string, voices: readonly VoiceInfo[]): string | undefined {
  const formula = requested.replace(/^kokoro:/, '').replace(/\s+/g, '');
  if (!/[*+]/.test(formula)) return undefined;
  const parts = formula.split('+').map((part) => /^([a-z]{2}_[a-z0-9_]+)(?:\*(\d+(?:\.\d+)?))?$/.exec(part));
  if (parts.some((m) => !m)) throw AppError.of('INVALID_VOICE_BLEND', `(${requested}: write it like af_heart*0.6+bf_emma*0.4)`);
  const missing = parts.map((m) => m?.[1] ?? '').find((name) => !voices.some((v) => v.id === `kokoro:${name}`));
  if (missing !== undefined) throw AppError.of('UNKNOWN_VOICE', `(${missing}, in the blend ${requested})`, { voice: missing });
  return `kokoro:${formula}`;
}

/** The engine's voice list, asked again only when what the engine offers changed (a new process, a reload). */
export class VoiceDirectory {
  /** `offeredVersion`: the supervisor's, when the answer came (undefined while asking). */
  private cached: { voices: Promise<VoiceInfo[]>; offeredVersion?: number } | undefined;

  constructor(private readonly engine: EngineSupervisor) {}

  list(): Promise<VoiceInfo[]> {
    const stale = this.cached?.offeredVersion !== undefined && this.cached.offeredVersion !== this.engine.offeredVersion;
    if (!this.cached || stale) {
      const asked: NonNullable<typeof this.cached> = { voices: this.engine.request('voices', null).result };
      asked.voices.then(
        () => (asked.offeredVersion = this.engine.offeredVersion),
        () => {
          if (this.cached === asked) this.cached = undefined;
        },
      );
      this.cached = asked;
    }
    return this.cached.voices;
  }

  /** The voices, and the engines the running process could not offer (known once it answered). */
  async installed(): Promise<InstalledVoices> {
    const voices = await this.list();
    return { voices, unavailable: this.engine.unavailable };
  }
}
