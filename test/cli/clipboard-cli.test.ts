/**
 * `speak --clipboard` and `speak --selection` through the built CLI, with a fake `xclip` first
 * (and alone) on PATH: the real spawn path, each answer a real xclip gives, no X server needed.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../../src-shared/audio/wav';
import { rms } from '../helpers/engine';
import { CLI_BIN, requireBuild } from '../helpers/paths';

/** Answers as xclip does, by FAKE_XCLIP: text (FAKE_TEXT; PRIMARY gets "Selected words."), empty, image, no display. */
const FAKE_XCLIP = `#!/bin/sh
printf '%s\\n' "$*" >> "$FAKE_LOG"
case "$FAKE_XCLIP" in
  text)
    case "$*" in *primary*) printf 'Selected words.' ;; *) printf '%s' "$FAKE_TEXT" ;; esac ;;
  empty)
    case "$*" in *TARGETS*) echo 'Error: target TARGETS not available' >&2 ;; *) echo 'Error: target UTF8_STRING not available' >&2 ;; esac
    exit 1 ;;
  image)
    case "$*" in *TARGETS*) printf 'TARGETS\\nimage/png\\n' ; exit 0 ;; esac
    echo 'Error: target UTF8_STRING not available' >&2
    exit 1 ;;
  nodisplay)
    echo "Error: Can't open display: :99" >&2
    exit 1 ;;
esac
`;

let dir: string;
let bin: string;
let emptyBin: string;

beforeAll(() => {
  requireBuild();
  dir = mkdtempSync(join(tmpdir(), 'kokoro-clipboard-'));
  bin = join(dir, 'bin');
  emptyBin = join(dir, 'empty-bin');
  mkdirSync(bin);
  mkdirSync(emptyBin);
  writeFileSync(join(bin, 'xclip'), FAKE_XCLIP);
  chmodSync(join(bin, 'xclip'), 0o755);
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The arguments xclip was run with, one line per run. */
  xclip: string[];
}

/** The CLI with PATH holding only the fake xclip (or nothing), and only the display variables given. */
function cli(args: string[], fake: { mode?: string; text?: string; display?: boolean; path?: string } = {}): Run {
  const log = join(dir, `xclip-${Math.random().toString(36).slice(2)}.log`);
  const env: NodeJS.ProcessEnv = {
    PATH: fake.path ?? bin,
    HOME: dir,
    XDG_DATA_HOME: dir,
    FAKE_LOG: log,
    FAKE_XCLIP: fake.mode ?? 'text',
    FAKE_TEXT: fake.text ?? '',
    ...(fake.display === false ? {} : { DISPLAY: ':99' }),
  };
  const result = spawnSync(process.execPath, [CLI_BIN, ...args], { encoding: 'utf8', timeout: 60_000, env });
  const xclip = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, xclip };
}

describe.runIf(process.platform === 'linux')('speak --clipboard / --selection (fake xclip on PATH)', () => {
  it('--clipboard speaks the clipboard into the file, read with xclip -o -selection clipboard', () => {
    const out = join(dir, 'clipboard.wav');
    const run = cli(['speak', '--clipboard', '--out', out, '--voice', 'en-us'], { text: 'Copied from another program. And a second sentence.' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.xclip).toEqual(['-o -selection clipboard']);
    expect(run.stdout).toContain('2 chunks');
    const wav = decodeWav(readFileSync(out));
    expect(wav.samples.length / wav.sampleRate).toBeGreaterThan(1.5);
    expect(rms(wav.samples)).toBeGreaterThan(0.02);
  });

  it('--selection reads the PRIMARY selection', () => {
    const out = join(dir, 'selection.wav');
    const run = cli(['speak', '--selection', '--out', out, '--voice', 'en-us'], { text: 'Not this: the clipboard.' });
    expect(run.code).toBe(0);
    expect(run.xclip).toEqual(['-o -selection primary']);
    // "Selected words." is one chunk; the clipboard's text would be another.
    expect(run.stdout).toContain('1 chunks');
    expect(decodeWav(readFileSync(out)).samples.length).toBeGreaterThan(12_000);
  });

  it('an empty clipboard, an image, no display and no tool each fail in one line with what to do, and write nothing', () => {
    const cases: [Parameters<typeof cli>[1], string][] = [
      [{ mode: 'empty' }, 'kokoro-reader: There is no text to read there: it is empty, or holds something other than text. (the clipboard) Select or copy some text, then try again.'],
      [{ mode: 'image' }, 'kokoro-reader: What was copied is not text (an image or a file, for example), so it cannot be read aloud. (the clipboard offers image/png) Copy the text itself, then run the command again.'],
      [{ mode: 'nodisplay' }, "kokoro-reader: There is no desktop session to read the clipboard from. (xclip: Error: Can't open display: :99) Run it inside your desktop session (where WAYLAND_DISPLAY or DISPLAY is set), or pipe the text in instead."],
      [{ display: false }, 'kokoro-reader: There is no desktop session to read the clipboard from. (neither WAYLAND_DISPLAY nor DISPLAY is set) Run it inside your desktop session (where WAYLAND_DISPLAY or DISPLAY is set), or pipe the text in instead.'],
      [{ path: emptyBin }, 'kokoro-reader: No program to read the clipboard is installed. (tried xclip and xsel) Install wl-clipboard (Wayland) or xclip (X11) with your package manager, for example `sudo apt install wl-clipboard xclip`.'],
    ];
    for (const [fake, message] of cases) {
      const out = join(dir, 'failed.wav');
      const run = cli(['speak', '--clipboard', '--out', out], fake);
      expect(run.stderr, JSON.stringify(fake)).toBe(`${message}\n`);
      expect(run.code, JSON.stringify(fake)).toBe(1);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('needs --out, and one source of text', () => {
    const cases: [string[], string][] = [
      [['speak', '--clipboard'], 'kokoro-reader: speak --clipboard needs --out FILE (.wav, .mp3, .m4b, .opus or .flac): the command line does not play through the speakers'],
      [['speak', '--selection'], 'kokoro-reader: speak --selection needs --out FILE (.wav, .mp3, .m4b, .opus or .flac): the command line does not play through the speakers'],
      [['speak', 'Some text.', '--clipboard', '--out', join(dir, 'x.wav')], 'kokoro-reader: give one of TEXT, --in FILE, --clipboard or --selection, not TEXT and --clipboard'],
      [['speak', '--clipboard', '--selection', '--out', join(dir, 'x.wav')], 'kokoro-reader: give one of TEXT, --in FILE, --clipboard or --selection, not --clipboard and --selection'],
    ];
    for (const [args, message] of cases) {
      const run = cli(args, { text: 'Never read.' });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.split('\n')[0], args.join(' ')).toBe(`${message}. Run \`kokoro-reader speak --help\` for usage.`);
      // The clipboard is not read when the command is used wrongly.
      expect(run.xclip).toEqual([]);
    }
  });

  it('--help lists both options', () => {
    const run = cli(['speak', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {6}--clipboard +Read the text on the clipboard$/m);
    expect(run.stdout).toMatch(/^ {6}--selection +Read the selected text, without a copy \(Linux: the PRIMARY selection\)$/m);
  });
});
