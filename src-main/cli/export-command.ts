/**
 * `kokoro-reader export IN --out PATH`: chapters of a document to an audiobook, audio files with
 * subtitles, or a read-along EPUB, through the same export job as the app. Progress goes to
 * stderr: one line that updates on a terminal, plain lines when piped. Ctrl+C stops the job,
 * which removes what it had begun to write.
 */
import { extname, join } from 'node:path';
import { checkDocumentLength } from '../../src-shared/document/reading';
import { toErrorData } from '../../src-shared/errors/catalogue';
import { FORMAT_EXTENSIONS } from '../../src-shared/export/formats';
import { parseChapterList } from '../../src-shared/export/chapter-selection';
import type { ExportFormat, Mp3Layout, SubtitleFormat } from '../../src-shared/export/types';
import { EXPORT_FORMATS, SUBTITLE_FORMATS } from '../../src-shared/export/types';
import { runExport } from '../services/export/export-job';
import type { ExportProgress } from '../services/export/export-job';
import { readEpubCover } from '../services/import/epub-cover';
import { importFile } from '../services/import/import-file';
import { defaultDataDir } from '../services/paths';
import { hintIfNoKokoro, precisionOption, sendUserLexicon, startEngine } from './cli-engine';
import { COMMANDS, UsageError, parseCommand } from './usage';

/** Exit code of a run stopped by Ctrl+C (as a shell reports SIGINT). */
const EXIT_CANCELLED = 130;

export async function exportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommand(COMMANDS.export, args);
  const [input, ...extra] = positionals;
  if (!input) throw new UsageError('export needs the document to export (IN)', COMMANDS.export);
  if (extra.length > 0) throw new UsageError(`export takes one document, got ${positionals.length}`, COMMANDS.export);
  if (!values.out) throw new UsageError('export needs --out PATH', COMMANDS.export);
  const format = formatOf(values.format, values.out);
  const subtitles = oneOf<SubtitleFormat>(values.subtitles, SUBTITLE_FORMATS, '--subtitles');
  const precision = precisionOption(values.precision);
  const mp3Layout = oneOf<Mp3Layout>(values['mp3-layout'], ['single', 'per-chapter'], '--mp3-layout');
  const speed = values.speed === undefined ? undefined : Number(values.speed);
  if (speed !== undefined && Number.isNaN(speed)) throw new UsageError(`--speed must be a number, got "${values.speed}"`);

  const document = await importFile(input);
  checkDocumentLength(document);
  const chapters = values.chapters === undefined ? undefined : parseChapterList(values.chapters, document.chapters.length);
  const isEpub = document.format === 'epub';
  const metadata = { title: document.title, author: document.author, language: document.language, cover: isEpub ? await readEpubCover(input) : undefined };

  const dataDir = values['data-dir'] ?? defaultDataDir();
  const engine = startEngine(values['model-dir'] ?? join(dataDir, 'models'), dataDir, precision);
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const progress = progressPrinter();
  try {
    await sendUserLexicon(engine, dataDir);
    const result = await runExport(
      engine,
      { document, metadata, sourceEpubPath: isEpub ? input : undefined },
      { format, outPath: values.out, chapters, subtitles, wordTimings: values['word-timings'], mp3Layout, voice: values.voice, speed },
      { signal: controller.signal, onProgress: progress.update },
    );
    progress.end();
    const minutes = (result.audioSeconds / 60).toFixed(1);
    process.stderr.write(`${result.chapters.length} chapters, ${minutes} min; ${result.chunksSynthesized} chunks spoken, ${result.chunksFromCache} from the audio cache\n`);
    for (const file of result.files) process.stdout.write(`${file}\n`);
    if (!values.voice) await hintIfNoKokoro(engine);
    return 0;
  } catch (thrown) {
    progress.end();
    if (toErrorData(thrown).code === 'CANCELLED') {
      process.stderr.write('kokoro-reader: export stopped; nothing was written. Run it again to continue from the audio cache.\n');
      return EXIT_CANCELLED;
    }
    throw thrown;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    engine.dispose();
  }
}

/** --format, or the format the ending of --out names. */
function formatOf(given: string | undefined, out: string): ExportFormat {
  if (given !== undefined) return oneOf<ExportFormat>(given, EXPORT_FORMATS, '--format') as ExportFormat;
  const ending = extname(out).toLowerCase();
  const found = EXPORT_FORMATS.find((format) => (FORMAT_EXTENSIONS[format] as readonly string[]).includes(ending));
  if (!found) throw new UsageError(`say --format: "${out}" does not end as an audio or EPUB file does (.m4b, .mp3, .opus, .flac, .wav, .epub)`);
  return found;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], option: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${option} must be ${allowed.join(', ')}; got "${value}"`);
  return value as T;
}

/** On a terminal one line redrawn in place; piped, a line per chapter and per whole percent. */
function progressPrinter(): { update: (progress: ExportProgress) => void; end: () => void } {
  const terminal = process.stderr.isTTY === true;
  let lastLine = '';
  let drawn = false;
  return {
    update(progress) {
      const percent = Math.floor(progress.fraction * 100);
      const left = progress.secondsLeft === undefined ? '' : `, ${formatDuration(progress.secondsLeft)} left`;
      const line = `chapter ${progress.chaptersDone + 1}/${progress.chaptersTotal} (${progress.chapterTitle}): ${percent}%${left}`;
      if (terminal) {
        process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns || 80) - 1)}`);
        drawn = true;
        return;
      }
      // Piped: the time left changes all the time; a new line only when the chapter or the percent does.
      const key = line.replace(left, '');
      if (key !== lastLine) process.stderr.write(`${line}\n`);
      lastLine = key;
    },
    end() {
      if (drawn) process.stderr.write('\n');
      drawn = false;
    },
  };
}

function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
