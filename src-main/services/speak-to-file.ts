import { AppError } from '../../src-shared/errors/catalogue';
import { batchSegments } from '../../src-shared/speech/plan';
import type { AudioChunk } from '../../src-shared/speech/types';
import { APP_SAMPLE_RATE } from '../../src-shared/speech/types';
import { basename, extname } from 'node:path';
import { FORMAT_EXTENSIONS } from '../../src-shared/export/formats';
import type { ExportFormat } from '../../src-shared/export/types';
import { WavFileWriter } from './audio/wav-file-writer';
import { createAudioSink } from './export/audio-sink';
import type { EngineSupervisor } from './engine/engine-supervisor';
import type { SpeechOptions } from './speech-request';
import type { SentenceTable } from '../../src-shared/document/sentence-table';
import { VoiceDirectory, prepareSpeech } from './speech-request';

export interface SpeakToFileProgress {
  sentencesDone: number;
  sentencesTotal: number;
  chunk: AudioChunk;
}

export interface SpeakToFileResult {
  path: string;
  samples: number;
  sampleRate: number;
  chunks: number;
}

/** What a file of speech is written with: WAV by our own writer, the other formats by the export's. */
interface SampleWriter {
  append(samples: Float32Array): Promise<void>;
  finish(): Promise<{ path: string; samples: number }>;
  abort(): Promise<void>;
}

/** The audio formats a file of speech may be written as, by the ending of its name. */
const SPEECH_FILE_FORMATS = ['wav', 'mp3', 'm4b', 'opus', 'flac'] as const;

/** Every ending `speak --out` takes, for messages: ".wav, .mp3, … or .flac". */
export const SPEECH_FILE_ENDINGS: string = ((endings: string[]) => `${endings.slice(0, -1).join(', ')} or ${endings.at(-1)}`)(
  SPEECH_FILE_FORMATS.flatMap((format) => [...FORMAT_EXTENSIONS[format]]),
);

export function speechFileFormat(path: string): Exclude<ExportFormat, 'epub'> | undefined {
  const ending = extname(path).toLowerCase();
  return SPEECH_FILE_FORMATS.find((format) => (FORMAT_EXTENSIONS[format] as readonly string[]).includes(ending));
}

async function openWriter(outPath: string): Promise<SampleWriter> {
  const format = speechFileFormat(outPath);
  if (!format) throw AppError.of('EXPORT_TARGET_MISMATCH', `(${outPath})`);
  if (format === 'wav') return WavFileWriter.create(outPath, APP_SAMPLE_RATE);
  const sink = await createAudioSink({ format, outPath, metadata: { title: basename(outPath, extname(outPath)) }, chapterCount: 1, sampleRate: APP_SAMPLE_RATE });
  await sink.startChapter(0, basename(outPath, extname(outPath)));
  let samples = 0;
  return {
    append: async (part) => {
      samples += part.length;
      await sink.append(part);
    },
    finish: async () => {
      const [path] = await sink.finish([{ chapter: 0, title: basename(outPath, extname(outPath)), startSample: 0, endSample: samples }]);
      return { path: path ?? outPath, samples };
    },
    abort: () => sink.abort(),
  };
}

/**
 * Speaks a whole text into an audio file at 24 kHz: WAV, or MP3, M4B, Opus or FLAC by the
 * name's ending. Cancelling (the signal) stops the engine within a chunk and removes the
 * partial file.
 */
export async function speakToFile(
  engine: EngineSupervisor,
  table: SentenceTable,
  outPath: string,
  options: SpeechOptions & { signal?: AbortSignal; onProgress?: (progress: SpeakToFileProgress) => void } = {},
): Promise<SpeakToFileResult> {
  const prepared = prepareSpeech(table, options, await new VoiceDirectory(engine).installed());
  const writer = await openWriter(outPath);
  let chunks = 0;
  let done = 0;
  // Progress counts the sentences actually read (skipped ones are not in the plan).
  const position = new Map(prepared.segments.map((segment, i) => [segment.sentence, i]));
  try {
    for (const segments of batchSegments(prepared.segments, 2000)) {
      if (options.signal?.aborted) throw AppError.of('CANCELLED');
      // Chunks are written in arrival order; the write queue keeps them in order without blocking the engine.
      let writes = Promise.resolve();
      let writeFailed = false;
      const handle = engine.request('synthesize', { engine: prepared.engine, voice: prepared.voice, speed: prepared.speed, segments }, (chunk) => {
        if (writeFailed) return;
        chunks++;
        done = Math.max(done, (position.get(chunk.sentences.at(-1)?.sentence ?? -1) ?? -1) + 1);
        writes = writes.then(() => writer.append(chunk.samples));
        // A failed write stops the engine at once; the error itself surfaces at `await writes`.
        writes.catch(() => {
          if (!writeFailed) engine.cancel(handle.id);
          writeFailed = true;
        });
        options.onProgress?.({ sentencesDone: done, sentencesTotal: prepared.segments.length, chunk });
      });
      const abort = (): boolean => engine.cancel(handle.id);
      options.signal?.addEventListener('abort', abort, { once: true });
      try {
        await handle.result.catch(async (thrown: unknown) => {
          // A cancel caused by a failed write reports the write's error, not CANCELLED.
          await writes;
          throw thrown;
        });
      } finally {
        options.signal?.removeEventListener('abort', abort);
        await writes;
      }
    }
    const written = await writer.finish();
    return { ...written, sampleRate: APP_SAMPLE_RATE, chunks };
  } catch (thrown) {
    await writer.abort();
    throw thrown;
  }
}
