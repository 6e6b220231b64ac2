/**
 * Every command's options and usage text, in one place: the commands parse their arguments
 * from these specs and the help is written from them, so no help can leave out an option.
 */
import { parseArgs } from 'node:util';

/** The command was used wrongly (exit 2); `command` set: show that command's usage after the line. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: CommandSpec,
  ) {
    super(message);
  }
}

interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  default?: string;
  /** What the value is, for the help: FILE, DIR, N. */
  value?: string;
  help: string;
}

export interface CommandSpec<Options extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
  name: string;
  /** What follows the command name in the usage line, besides the options. */
  synopsis: string;
  summary: string;
  /** More lines under the summary in the command's own help. */
  notes?: readonly string[];
  positionals: boolean;
  options: Options;
}

const MODEL_DIR = { type: 'string', value: 'DIR', help: "The Kokoro model folder (default: the app's)" } as const;
const DATA_DIR = { type: 'string', value: 'DIR', help: "The app's data folder: library, your lexicon, audio cache (default: the app's)" } as const;
const JSON_OUTPUT = { type: 'boolean', help: 'Print JSON' } as const;
const LANG = { type: 'string', default: 'en-us', value: 'L', help: 'Accent: en-us or en-gb (default en-us)' } as const;
const PRECISION = { type: 'string', value: 'P', help: "exact (fp32, default) or fast (the vocoder's wide convolutions in int8: about a tenth faster, a slightly different sound)" } as const;
/** The text tools apply the user's lexicon only when asked, so their output stays reproducible. */
const LEXICON_DATA_DIR = { type: 'string', value: 'DIR', help: "Use this data folder's lexicon (default: none)" } as const;

export const COMMANDS = {
  speak: {
    name: 'speak',
    synopsis: '[TEXT] --out FILE',
    summary: 'Speak TEXT (or --in FILE, --clipboard, --selection, or standard input) into an audio file (WAV, MP3, M4B, Opus or FLAC)',
    notes: [
      '--clipboard and --selection read with wl-paste (Wayland), xclip or xsel (X11), pbpaste (macOS)',
      'or PowerShell (Windows); --selection (the PRIMARY selection) is Linux only. A text longer than',
      '20,000,000 bytes is read from its start, with a note on stderr. --out is needed: there is no',
      'playback through the speakers from the command line.',
    ],
    positionals: true,
    options: {
      out: { type: 'string', short: 'o', value: 'FILE', help: 'The file to write, 24 kHz mono; the format follows the ending (.wav, .mp3, .m4b/.m4a/.mp4, .opus/.ogg, .flac)' },
      in: { type: 'string', short: 'i', value: 'FILE', help: 'Read a file: text, Markdown, HTML, EPUB, PDF or DOCX' },
      clipboard: { type: 'boolean', help: 'Read the text on the clipboard' },
      selection: { type: 'boolean', help: 'Read the selected text, without a copy (Linux: the PRIMARY selection)' },
      voice: { type: 'string', value: 'ID', help: "A voice id from `kokoro-reader voices` (default: the app's default)" },
      speed: { type: 'string', value: 'N', help: '0.5 to 2 (default 1)' },
      verbose: { type: 'boolean', short: 'v', help: 'Print progress per chunk on stderr' },
      precision: PRECISION,
      'model-dir': { ...MODEL_DIR, help: 'The Kokoro model folder (default: DATA/models, DATA being --data-dir)' },
      'data-dir': DATA_DIR,
    },
  },
  export: {
    name: 'export',
    synopsis: 'IN --out PATH [--format m4b|mp3|opus|flac|wav|epub]',
    summary: 'Export chapters of a document to audio: an audiobook with chapter marks, subtitles, or a read-along EPUB',
    notes: [
      'The format follows from the ending of --out (book.m4b, book.mp3, …) unless --format says it.',
      'Subtitles go beside the audio with their own ending (book.vtt); word timings to book.words.json.',
      'Progress goes to stderr. Ctrl+C stops the export and leaves no partial file; running it again',
      'takes what was already spoken from the audio cache.',
    ],
    positionals: true,
    options: {
      out: { type: 'string', short: 'o', value: 'PATH', help: 'The file to write' },
      format: { type: 'string', short: 'f', value: 'F', help: 'm4b (AAC with chapters), mp3, opus, flac, wav or epub (read-along)' },
      chapters: { type: 'string', short: 'c', value: 'LIST', help: 'Chapters to export, as `import` numbers them: 1,3-5 (default: all)' },
      subtitles: { type: 'string', value: 'srt|vtt', help: 'Write subtitles, one cue per sentence' },
      'word-timings': { type: 'boolean', help: 'Write word timings (PATH.words.json; inline in a WebVTT)' },
      'mp3-layout': { type: 'string', value: 'L', help: 'MP3: single (one file with ID3 chapters, default) or per-chapter' },
      voice: { type: 'string', value: 'ID', help: "A voice id from `kokoro-reader voices` (default: the app's default)" },
      speed: { type: 'string', value: 'N', help: '0.5 to 2 (default 1)' },
      precision: PRECISION,
      'model-dir': { ...MODEL_DIR, help: 'The Kokoro model folder (default: DATA/models, DATA being --data-dir)' },
      'data-dir': DATA_DIR,
    },
  },
  import: {
    name: 'import',
    synopsis: 'FILE',
    summary: "Show a document's title and chapters with word counts",
    positionals: true,
    options: { json: { type: 'boolean', help: 'Print the whole document model as JSON' } },
  },
  voices: {
    name: 'voices',
    synopsis: '',
    summary: 'List the voices of the engines present',
    positionals: false,
    options: { json: JSON_OUTPUT, 'model-dir': MODEL_DIR },
  },
  models: {
    name: 'models',
    synopsis: 'list|download|import DIR|verify|doctor',
    summary: 'Install and check the Kokoro model files',
    positionals: true,
    options: { 'model-dir': MODEL_DIR, json: { type: 'boolean', help: 'Print JSON (list and verify)' } },
  },
  lexicon: {
    name: 'lexicon',
    synopsis: 'list|add|remove|export|import',
    summary: 'Your pronunciations, kept in the data folder',
    notes: [
      'add WORD PHONEMES, add --replace WORD TEXT, add --regex PATTERN VALUE,',
      'remove ID, export FILE, import FILE [--replace-all]',
      'a FILE ending in .tsv is tab-separated, as list prints; any other is JSON',
    ],
    positionals: true,
    options: {
      lang: { type: 'string', default: 'en-us', value: 'L', help: 'add: en-us, en-gb or all (default en-us)' },
      replace: { type: 'boolean', help: 'add: a replacement text, not phonemes' },
      regex: { type: 'boolean', help: 'add: a regular expression, not a word' },
      'case-sensitive': { type: 'boolean', help: 'add: match the case too' },
      'replace-all': { type: 'boolean', help: 'import: replace every entry, not merge' },
      json: JSON_OUTPUT,
      'data-dir': DATA_DIR,
    },
  },
  normalize: {
    name: 'normalize',
    synopsis: '',
    summary: 'Standard input -> the text as it will be spoken, line by line',
    positionals: false,
    options: { lang: LANG, 'data-dir': LEXICON_DATA_DIR },
  },
  phonemize: {
    name: 'phonemize',
    synopsis: '',
    summary: 'Standard input -> Kokoro phonemes, one line per input line',
    notes: [
      'The phonemes are what Kokoro is given. Each sentence ends with its ? or !, else with "." even',
      'where the text has none (a heading, a list item, a line ending in a comma): Kokoro reads',
      'several sentences in one go, and the "." is where it falls in pitch and pauses.',
    ],
    positionals: false,
    options: {
      lang: LANG,
      lexicon: {
        type: 'string',
        value: 'misaki|cmudict|none',
        help: "Lexicons before the G2P model: misaki's and CMUdict, CMUdict only, or none (default: the app's layers: misaki's when present, the model, then CMUdict for the words it is unsure of)",
      },
      model: { type: 'boolean', help: 'With the neural G2P model (models/g2p) after the lexicons (the default)' },
      'no-model': { type: 'boolean', help: 'Without the neural G2P model: what the lexicons lack goes to eSpeak NG' },
      'model-dir': { type: 'string', value: 'DIR', help: "Where the model files and lexicons are (default: the app's)" },
      'data-dir': LEXICON_DATA_DIR,
      json: { type: 'boolean', help: 'Words with source spans (and ids, when the vocabulary is there)' },
    },
  },
  'dev-web': {
    name: 'dev-web',
    synopsis: '',
    summary: 'Serve the reader UI to a browser on 127.0.0.1 (development)',
    positionals: false,
    options: {
      port: { type: 'string', value: 'N', help: 'The port (default: a free one)' },
      'export-dir': { type: 'string', value: 'DIR', help: 'Where exports from the page go (a browser has no save dialog; default: none)' },
      'clipboard-file': { type: 'string', value: 'FILE', help: "The screen helper's clipboard and selection: this file's text (missing: empty)" },
      'model-dir': MODEL_DIR,
      'data-dir': DATA_DIR,
    },
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;

export function isCommandName(name: string | undefined): name is CommandName {
  return name !== undefined && Object.prototype.hasOwnProperty.call(COMMANDS, name);
}

const COLUMN = 32;

/** A help row: the left part, then the text from COLUMN on (on the next line when the left part is long). */
function row(left: string, text: string): string {
  return left.length < COLUMN - 1 ? left.padEnd(COLUMN) + text : `${left}\n${' '.repeat(COLUMN)}${text}`;
}

function optionRow(name: string, option: OptionSpec): string {
  const flag = `${option.short ? `-${option.short}, ` : '    '}--${name}${option.value ? ` ${option.value}` : ''}`;
  return row(`  ${flag}`, option.help);
}

/** One command's help: its usage line, what it does, and every option it takes. */
export function commandUsage(spec: CommandSpec): string {
  const synopsis = spec.synopsis ? ` ${spec.synopsis}` : '';
  return [
    `Usage: kokoro-reader ${spec.name}${synopsis} [options]`,
    `${spec.summary}.`,
    ...(spec.notes ?? []).map((line) => `  ${line}`),
    '',
    'Options:',
    ...Object.entries(spec.options).map(([name, option]) => optionRow(name, option)),
    optionRow('help', { type: 'boolean', short: 'h', help: 'Show this help' }),
  ].join('\n');
}

/** The overview for `kokoro-reader --help`: each command in a line. */
export function overviewUsage(): string {
  const specs: CommandSpec[] = Object.values(COMMANDS);
  return [
    'Usage: kokoro-reader <command> [options]',
    '',
    'Commands:',
    ...specs.map((spec) => row(`  ${spec.name}${spec.synopsis ? ` ${spec.synopsis}` : ''}`, spec.summary)),
    '',
    'Options: --help, --version',
    'Run `kokoro-reader COMMAND --help` for the options of a command.',
  ].join('\n');
}

/** True when the arguments ask for help (before any `--`, after which all is text). */
export function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/** Parses a command's arguments by its spec; a wrong option is a UsageError that names it. */
export function parseCommand<Options extends Record<string, OptionSpec>>(spec: CommandSpec<Options>, args: string[]) {
  const config = { args, options: spec.options, allowPositionals: spec.positionals };
  try {
    return parseArgs(config);
  } catch (thrown) {
    if (!(thrown as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) throw thrown;
    throw new UsageError(argumentProblem(spec, args) ?? (thrown as Error).message, spec);
  }
}

/** Names the first argument strict parsing refused, in our words rather than Node's. */
function argumentProblem(spec: CommandSpec, args: string[]): string | undefined {
  const { tokens } = parseArgs({ args, options: spec.options, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind === 'positional' && !spec.positionals) return `unexpected argument "${token.value}"`;
    if (token.kind !== 'option') continue;
    const option: OptionSpec | undefined = spec.options[token.name];
    if (!option) return `unknown option ${token.rawName}`;
    if (option.type === 'string' && token.value === undefined) return `${token.rawName} needs a value (${option.value ?? 'a value'})`;
    if (option.type === 'boolean' && token.value !== undefined) return `${token.rawName} takes no value`;
  }
  return undefined;
}
