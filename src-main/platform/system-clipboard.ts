/**
 * Reads the system clipboard, or Linux's PRIMARY selection, from plain Node (the CLI has no
 * Electron) through the platform's own tool: wl-paste (Wayland), xclip or xsel (X11), pbpaste
 * (macOS), PowerShell's Get-Clipboard (Windows). Each way it can fail is a catalogue error.
 *
 * Not clipboardy: it has no PRIMARY selection (so --selection needs these tools anyway), and its
 * one error for everything cannot tell a missing tool from a missing display or an image.
 */
import { spawn } from 'node:child_process';
import { MAX_TEXT_LENGTH } from '../../src-shared/speech/limits';
import type { ErrorCode } from '../../src-shared/errors/catalogue';
import { fail, ok } from '../../src-shared/ipc/result';
import type { Result } from '../../src-shared/ipc/result';

/** `selection`: what is selected (Linux's PRIMARY), without a copy. */
export type ClipboardSource = 'clipboard' | 'selection';

export interface ToolOutput {
  /** The exit code; null when the tool was ended (after `maxBytes`, or the time-out). */
  code: number | null;
  stdout: Buffer;
  stderr: string;
  /** More than `maxBytes` came: stdout holds the first `maxBytes` and the tool was ended. */
  truncated: boolean;
  timedOut: boolean;
}

export interface ToolOptions {
  env: NodeJS.ProcessEnv;
  maxBytes: number;
  timeoutMs: number;
}

/** Runs a program to its end; rejects with the spawn error (`code: 'ENOENT'`: not installed). */
export type RunTool = (command: string, args: readonly string[], options: ToolOptions) => Promise<ToolOutput>;

export interface ClipboardEnvironment {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  run: RunTool;
  /** Read at most this many bytes of text; the rest is left (default MAX_TEXT_LENGTH, so the text fits the reader's limit). */
  maxBytes: number;
  /** A clipboard owner that never answers must not hang the command. */
  timeoutMs: number;
}

export interface ClipboardText {
  text: string;
  /** The tool that read it, for messages. */
  tool: string;
  /** The clipboard held more than `maxBytes`: `text` is its start, cut after the last whole word. */
  truncated: boolean;
}

/** Spawns the tool with no shell; stdout is kept up to `maxBytes`, then the tool is ended. */
export const runTool: RunTool = (command, args, options) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const parts: Buffer[] = [];
    let bytes = 0;
    let stderr = '';
    let truncated = false;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill();
    }, options.timeoutMs);
    child.stdout.on('data', (part: Buffer) => {
      if (truncated) return;
      const room = options.maxBytes - bytes;
      if (part.length > room) {
        parts.push(part.subarray(0, room));
        bytes += room;
        truncated = true;
        child.kill();
        return;
      }
      parts.push(part);
      bytes += part.length;
    });
    child.stderr.on('data', (part: Buffer) => {
      if (stderr.length < 4096) stderr += part.toString('utf8');
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: truncated || timedOut ? null : code, stdout: Buffer.concat(parts), stderr: stderr.trim(), truncated, timedOut });
    });
  });

export function defaultClipboardEnvironment(): ClipboardEnvironment {
  return { platform: process.platform, env: process.env, run: runTool, maxBytes: MAX_TEXT_LENGTH, timeoutMs: 10_000 };
}

const PLATFORM_NAMES: Partial<Record<NodeJS.Platform, string>> = { darwin: 'macOS', win32: 'Windows', linux: 'Linux' };

export function platformName(platform: NodeJS.Platform): string {
  return PLATFORM_NAMES[platform] ?? platform;
}

/** What went wrong, before it becomes a catalogue error. */
type Failure = { code: ErrorCode; detail: string };

/** One way to read: a tool, its arguments, and how it says that it found no text. */
interface Reader {
  tool: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Its own reading of a failed run: empty, not text, no display; undefined for "something else". */
  explain(output: ToolOutput, source: ClipboardSource, environment: ClipboardEnvironment): Promise<Failure | undefined>;
}

const where = (source: ClipboardSource): string => (source === 'selection' ? 'the selection' : 'the clipboard');

/** Reads the clipboard or the selection as text; every failure is a catalogue error with what to do. */
export async function readSystemClipboard(source: ClipboardSource, environment: ClipboardEnvironment = defaultClipboardEnvironment()): Promise<Result<ClipboardText>> {
  const { platform, env } = environment;
  if (source === 'selection' && platform !== 'linux') return fail('SELECTION_UNSUPPORTED', `(this is ${platformName(platform)})`);
  const readers = readersFor(source, platform, env);
  if (readers === 'unsupported') return fail('CLIPBOARD_UNSUPPORTED', `(this is ${platformName(platform)})`);
  if (readers.length === 0) return fail('CLIPBOARD_NO_DISPLAY', '(neither WAYLAND_DISPLAY nor DISPLAY is set)');
  const missing: string[] = [];
  for (const reader of readers) {
    let output: ToolOutput;
    try {
      output = await environment.run(reader.tool, reader.args, { env: reader.env ?? env, maxBytes: environment.maxBytes, timeoutMs: environment.timeoutMs });
    } catch (thrown) {
      if ((thrown as NodeJS.ErrnoException).code === 'ENOENT') {
        missing.push(reader.tool);
        continue;
      }
      return fail('CLIPBOARD_UNREADABLE', `(${reader.tool}: ${(thrown as Error).message})`);
    }
    return textOf(output, reader, source, environment);
  }
  return fail('CLIPBOARD_TOOL_MISSING', `(tried ${listed(missing)})`);
}

function listed(names: string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
}

async function textOf(output: ToolOutput, reader: Reader, source: ClipboardSource, environment: ClipboardEnvironment): Promise<Result<ClipboardText>> {
  if (output.timedOut) return fail('CLIPBOARD_UNREADABLE', `(${reader.tool} got no answer from ${where(source)}'s owner within ${environment.timeoutMs / 1000} s)`);
  if (!output.truncated && output.code !== 0) {
    const failure = (await reader.explain(output, source, environment)) ?? { code: 'CLIPBOARD_UNREADABLE', detail: `(${reader.tool} said: ${output.stderr || `exit code ${String(output.code)}`})` };
    return fail(failure.code, failure.detail);
  }
  // A tool that hands over bytes (no text offered): NULs or broken UTF-8 are not text to read.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let text: string;
  try {
    // `stream` holds back a character cut in two at maxBytes instead of failing on it.
    text = decoder.decode(output.stdout, { stream: output.truncated });
  } catch {
    return fail('CLIPBOARD_NOT_TEXT', `(${where(source)} holds bytes that are not UTF-8 text)`);
  }
  if (text.includes('\0')) return fail('CLIPBOARD_NOT_TEXT', `(${where(source)} holds binary data)`);
  if (!/\S/.test(text)) return fail('CLIPBOARD_EMPTY', `(${where(source)})`);
  return ok({ text: output.truncated ? wholeWords(text) : text, tool: reader.tool, truncated: output.truncated });
}

/** The start of a cut text up to its last whole word, so reading does not end on half a word. */
function wholeWords(text: string): string {
  const end = text.search(/\s\S*$/);
  return end > 0 ? text.slice(0, end) : text;
}

function readersFor(source: ClipboardSource, platform: NodeJS.Platform, env: NodeJS.ProcessEnv): Reader[] | 'unsupported' {
  if (platform === 'darwin') return [pbpaste(env)];
  if (platform === 'win32') return [powershell];
  if (platform !== 'linux') return 'unsupported';
  const readers: Reader[] = [];
  if (env.WAYLAND_DISPLAY) readers.push(wlPaste(source));
  // Under Wayland these still work through XWayland when DISPLAY is set.
  if (env.DISPLAY) readers.push(xclip(source), xsel(source));
  return readers;
}

const NO_DISPLAY = /can't open display|cannot open display|failed to connect to a wayland/i;

function noDisplay(output: ToolOutput, tool: string): Failure | undefined {
  return NO_DISPLAY.test(output.stderr) ? { code: 'CLIPBOARD_NO_DISPLAY', detail: `(${tool}: ${output.stderr})` } : undefined;
}

function wlPaste(source: ClipboardSource): Reader {
  return {
    tool: 'wl-paste',
    // `--type text` takes any textual type, and fails rather than hand over an image.
    args: [...(source === 'selection' ? ['--primary'] : []), '--no-newline', '--type', 'text'],
    explain: (output, from) => {
      if (/nothing is copied|no selection/i.test(output.stderr)) return Promise.resolve({ code: 'CLIPBOARD_EMPTY', detail: `(${where(from)})` });
      if (/no suitable type/i.test(output.stderr)) return Promise.resolve({ code: 'CLIPBOARD_NOT_TEXT', detail: `(${where(from)})` });
      return Promise.resolve(noDisplay(output, 'wl-paste'));
    },
  };
}

/** Targets every X selection owner offers besides its content. */
const X_META_TARGETS = new Set(['TARGETS', 'TIMESTAMP', 'MULTIPLE', 'SAVE_TARGETS', 'DELETE', 'INSERT_PROPERTY', 'INSERT_SELECTION', '']);

function xclip(source: ClipboardSource): Reader {
  const selection = ['-o', '-selection', source === 'selection' ? 'primary' : 'clipboard'];
  return {
    tool: 'xclip',
    args: selection,
    async explain(output, from, environment) {
      const display = noDisplay(output, 'xclip');
      if (display) return display;
      if (!/target .* not available/i.test(output.stderr)) return undefined;
      // No text: an empty selection offers no targets, an image offers its own (image/png).
      const targets = await environment.run('xclip', [...selection, '-t', 'TARGETS'], { env: environment.env, maxBytes: 65_536, timeoutMs: environment.timeoutMs }).catch(() => undefined);
      const offered = targets?.code === 0 ? targets.stdout.toString('utf8').split('\n').map((t) => t.trim()).filter((t) => !X_META_TARGETS.has(t)) : [];
      return offered.length > 0
        ? { code: 'CLIPBOARD_NOT_TEXT', detail: `(${where(from)} offers ${offered.slice(0, 3).join(', ')})` }
        : { code: 'CLIPBOARD_EMPTY', detail: `(${where(from)})` };
    },
  };
}

function xsel(source: ClipboardSource): Reader {
  // xsel prints nothing for an empty selection and for an image alike: both read as "no text".
  return { tool: 'xsel', args: [source === 'selection' ? '--primary' : '--clipboard', '--output'], explain: (output) => Promise.resolve(noDisplay(output, 'xsel')) };
}

function pbpaste(env: NodeJS.ProcessEnv): Reader {
  // pbpaste writes in the locale's encoding: ask for UTF-8 when no locale says otherwise.
  const utf8 = env.LC_ALL || env.LC_CTYPE || env.LANG ? env : { ...env, LANG: 'en_US.UTF-8' };
  return { tool: 'pbpaste', args: ['-Prefer', 'txt'], env: utf8, explain: () => Promise.resolve(undefined) };
}

const powershell: Reader = {
  tool: 'powershell',
  // UTF-8 out, or the console's code page mangles what is not ASCII; -Raw keeps the lines as copied.
  args: ['-NoProfile', '-NonInteractive', '-Command', '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8; Get-Clipboard -Raw'],
  explain: () => Promise.resolve(undefined),
};
