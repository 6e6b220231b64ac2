/**
 * `kokoro-reader`: the command line over the same engine and services as the app.
 * Exit codes: 0 success, 1 the work failed, 2 the command was used wrongly, 130 cancelled,
 * 141 the reader of standard output closed it early (output was lost).
 * User errors print one line on stderr, never a stack trace.
 */
import { documentSentenceTable } from '../../src-shared/document/sentence-table';
import type { SentenceTable } from '../../src-shared/document/sentence-table';
import { AppError, describeError, toErrorData } from '../../src-shared/errors/catalogue';
import { importFile } from '../services/import/import-file';
import { importCommand } from './import-command';
import { SPEECH_FILE_ENDINGS, speakToFile, speechFileFormat } from '../services/speak-to-file';
import { VoiceDirectory, checkTextSize, sentenceTableOf } from '../services/speech-request';
import { modelsCommand } from './models-command';
import { lexiconCommand } from './lexicon-command';
import { join } from 'node:path';
import { defaultDataDir, defaultModelDir } from '../services/paths';
import { startDevWeb } from './dev-web';
import { engineEntry, hintIfNoKokoro, precisionOption, sendUserLexicon, startEngine } from './cli-engine';
import { exportCommand } from './export-command';
import { normalizeCommand, phonemizeCommand } from './text-commands';
import { clipboardText } from './clipboard-input';
import { COMMANDS, UsageError, asksForHelp, commandUsage, isCommandName, overviewUsage, parseCommand } from './usage';


const write = (text: string): void => void process.stdout.write(text);

/** The text piped in; `ways` says how else the command takes text, for the message when nothing is piped. */
async function readStdin(ways = 'pipe text on standard input'): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError(`no text given: ${ways}`);
  const parts: Buffer[] = [];
  for await (const part of process.stdin) parts.push(part as Buffer);
  return decodeText(Buffer.concat(parts), 'standard input');
}

function decodeText(bytes: Uint8Array, name: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw AppError.of('FILE_UNREADABLE', `(${name} is not UTF-8 text)`);
  }
}

/** Any supported document (text, Markdown, HTML, EPUB, PDF, DOCX) as one text to read, chapters joined. */
async function readDocument(path: string): Promise<SentenceTable> {
  const table = documentSentenceTable(await importFile(path));
  checkTextSize(table.text);
  return table;
}

async function speak(args: string[]): Promise<void> {
  const { values, positionals } = parseCommand(COMMANDS.speak, args);
  const clipboard = values.selection ? 'selection' : values.clipboard ? 'clipboard' : undefined;
  const sources = [positionals.length > 0 && 'TEXT', values.in !== undefined && '--in FILE', values.clipboard && '--clipboard', values.selection && '--selection'].filter((s) => typeof s === 'string');
  if (sources.length > 1) throw new UsageError(`give one of TEXT, --in FILE, --clipboard or --selection, not ${sources.join(' and ')}`);
  // No audio output library installs everywhere without a native build: a file is always the output.
  if (!values.out && clipboard) throw new UsageError(`speak --${clipboard} needs --out FILE (.wav, .mp3, .m4b, .opus or .flac): the command line does not play through the speakers`);
  if (!values.out) throw new UsageError('speak needs --out FILE (.wav, .mp3, .m4b, .opus or .flac)');
  // The format follows the name: a file is never written under an ending it does not have.
  if (!speechFileFormat(values.out)) throw new UsageError(`--out must end in ${SPEECH_FILE_ENDINGS} (got "${values.out}")`);
  const speed = values.speed === undefined ? undefined : Number(values.speed);
  if (speed !== undefined && Number.isNaN(speed)) throw new UsageError(`--speed must be a number, got "${values.speed}"`);
  const precision = precisionOption(values.precision);
  const source = values.in
    ? await readDocument(values.in)
    : sentenceTableOf(
        clipboard
          ? await clipboardText(clipboard, (line) => void process.stderr.write(line))
          : positionals.length > 0
            ? positionals.join(' ')
            : await readStdin('pass TEXT, --in FILE, --clipboard, or pipe text on standard input'),
      );

  const dataDir = values['data-dir'] ?? defaultDataDir();
  const engine = startEngine(values['model-dir'] ?? join(dataDir, 'models'), dataDir, precision);
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await sendUserLexicon(engine, dataDir);
    const result = await speakToFile(engine, source, values.out, {
      voice: values.voice,
      speed,
      signal: controller.signal,
      onProgress: values.verbose
        ? (p) =>
            process.stderr.write(
              `chunk ${p.chunk.sequence}: ${p.chunk.samples.length} samples, sentence ${p.sentencesDone}/${p.sentencesTotal}, cache: ${p.chunk.cached ? 'hit' : 'miss'}\n`,
            )
        : undefined,
    });
    const seconds = (result.samples / result.sampleRate).toFixed(2);
    process.stdout.write(`${result.path}: ${seconds} s, ${result.sampleRate} Hz mono, ${result.chunks} chunks\n`);
    if (!values.voice) await hintIfNoKokoro(engine);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    engine.dispose();
  }
}

async function voices(args: string[]): Promise<void> {
  const { values } = parseCommand(COMMANDS.voices, args);
  const engine = startEngine(values['model-dir'] ?? defaultModelDir());
  try {
    const list = await new VoiceDirectory(engine).list();
    if (values.json) process.stdout.write(JSON.stringify(list, null, 2) + '\n');
    else for (const v of list) process.stdout.write(`${v.id}\t${v.language}\t${v.name}\n`);
    await hintIfNoKokoro(engine);
  } finally {
    engine.dispose();
  }
}

/** What a shell reports for a process that SIGPIPE ended (128 + 13). */
const EXIT_CLOSED_PIPE = 141;

let pipesWatched = false;
let stdoutClosed = false;

/**
 * A reader that closes the pipe early (`import --json … | head`) ends our output: further output
 * is dropped instead of dying with Node's stack trace for the unhandled EPIPE. The work goes on
 * to its normal end, so a file being written (speak --out) is still finished or removed; the exit
 * code then says output was lost, as a death by SIGPIPE would (`set -o pipefail` sees it).
 */
function ignoreClosedPipes(): void {
  if (pipesWatched) return;
  pipesWatched = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      // Writes after the close fail with ERR_STREAM_DESTROYED: dropped the same way.
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
      if (stream === process.stdout) stdoutClosed = true;
    });
  }
}

export async function main(argv: string[]): Promise<number> {
  ignoreClosedPipes();
  const code = await runCommand(argv);
  // The last writes may still be under way: a close they run into is known once they are done.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  // A failure says more than the lost output (and is on stderr); a success whose output was cut is not one.
  return code === 0 && stdoutClosed ? EXIT_CLOSED_PIPE : code;
}

async function runCommand(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (isCommandName(command) && asksForHelp(rest)) {
      write(`${commandUsage(COMMANDS[command])}\n`);
      return 0;
    }
    switch (command) {
      case 'speak':
        await speak(rest);
        return 0;
      case 'voices':
        await voices(rest);
        return 0;
      case 'export':
        return await exportCommand(rest);
      case 'models':
        return await modelsCommand(rest, write, defaultModelDir());
      case 'import':
        await importCommand(rest, write);
        return 0;
      case 'lexicon':
        await lexiconCommand(rest, write, defaultDataDir());
        return 0;
      case 'normalize':
        await normalizeCommand(rest, write, readStdin);
        return 0;
      case 'phonemize':
        await phonemizeCommand(rest, write, readStdin, { modelDir: defaultModelDir() });
        return 0;
      case 'dev-web':
        await startDevWeb(rest, engineEntry);
        return 0;
      case '--version':
      case '-V':
        process.stdout.write(`${process.env.npm_package_version ?? '0.1.0'}\n`);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        write(`${overviewUsage()}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (thrown) {
    if (thrown instanceof UsageError) {
      // A wrong option: the command's usage follows. Anything else: where the usage is.
      const after = thrown.command ? `\n${commandUsage(thrown.command)}` : `. Run \`kokoro-reader ${isCommandName(command) ? `${command} ` : ''}--help\` for usage.`;
      process.stderr.write(`kokoro-reader: ${thrown.message}${after}\n`);
      return 2;
    }
    const error = toErrorData(thrown);
    process.stderr.write(`kokoro-reader: ${describeError(error, 'cli')}\n`);
    if (error.code === 'INTERNAL' && process.env.KOKORO_DEBUG) process.stderr.write(`${(thrown as Error).stack ?? ''}\n`);
    return error.code === 'CANCELLED' ? 130 : 1;
  }
}
