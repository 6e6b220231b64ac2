import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../../src-shared/audio/wav';
import { rms } from '../helpers/engine';
import { CLI_BIN, requireBuild } from '../helpers/paths';

let dir: string;
beforeAll(() => {
  requireBuild();
  dir = mkdtempSync(join(tmpdir(), 'kokoro-cli-'));
});

/** Runs the CLI with its data folder (and so its model folder) in a fresh temp folder: no Kokoro model. */
function cli(args: string[], input?: string | Buffer, home = dir) {
  const env = { ...process.env, XDG_DATA_HOME: home };
  const result = spawnSync(process.execPath, [CLI_BIN, ...args], { input, encoding: 'utf8', timeout: 60_000, env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A temp folder of the test's own. */
function freshDir(): string {
  return mkdtempSync(join(tmpdir(), 'kokoro-cli-'));
}

describe('kokoro-reader CLI', () => {
  it('speak "TEXT" --out writes a 24 kHz mono WAV of speech between 1 and 6 seconds', () => {
    const out = join(dir, 'a.wav');
    const run = cli(['speak', 'Hello there. This is the second sentence.', '--out', out]);
    // Without a Kokoro model the built-in voice speaks, and the CLI says how to get Kokoro.
    expect(run.stderr).toMatch(/^note: The Kokoro voice model is not installed\. .*Run `kokoro-reader models download`.*\n$/);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('24000 Hz mono');
    const wav = decodeWav(readFileSync(out));
    expect(wav.sampleRate).toBe(24000);
    expect(wav.channels).toBe(1);
    const seconds = wav.samples.length / wav.sampleRate;
    expect(seconds).toBeGreaterThan(1);
    expect(seconds).toBeLessThan(6);
    expect(rms(wav.samples)).toBeGreaterThan(0.02);
  });

  it('reads --in FILE and standard input', () => {
    const file = join(dir, 'in.txt');
    writeFileSync(file, 'From a file.\n\nSecond paragraph.');
    const fromFile = cli(['speak', '--in', file, '--out', join(dir, 'f.wav')]);
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout).toContain('2 chunks');
    const fromStdin = cli(['speak', '--out', join(dir, 's.wav')], 'Piped in.');
    expect(fromStdin.code).toBe(0);
    expect(decodeWav(readFileSync(join(dir, 's.wav'))).samples.length).toBeGreaterThan(12000);
  });

  it('reports progress per chunk with --verbose', () => {
    const run = cli(['speak', 'One. Two. Three.', '--out', join(dir, 'v.wav'), '--verbose']);
    expect(run.code).toBe(0);
    expect(run.stderr.trim().split('\n').filter((l) => l.startsWith('chunk'))).toHaveLength(3);
    expect(run.stderr).toMatch(/^chunk 0: \d+ samples/m);
  });

  it('accepts a short voice name', () => {
    const run = cli(['speak', 'Short name.', '--voice', 'en-gb', '--out', join(dir, 'gb.wav')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('replays from the audio cache: the second run hits for every chunk and writes the same bytes', () => {
    const data = join(dir, 'data');
    const chapter = join(dir, 'chapter.txt');
    writeFileSync(chapter, 'The first sentence of the chapter. Then a second one!\n\nA paragraph of its own.');
    const runs = ['c1.wav', 'c2.wav'].map((name) => cli(['speak', '--in', chapter, '--out', join(dir, name), '--data-dir', data, '--voice', 'en-us', '--verbose']));
    const verdicts = runs.map((run) => run.stderr.split('\n').filter((l) => l.startsWith('chunk')).map((l) => l.slice(l.lastIndexOf(' ') + 1)));
    expect(verdicts).toEqual([
      ['miss', 'miss', 'miss'],
      ['hit', 'hit', 'hit'],
    ]);
    expect(Buffer.compare(readFileSync(join(dir, 'c1.wav')), readFileSync(join(dir, 'c2.wav')))).toBe(0);
  });

  it('dev-web serves the reader on 127.0.0.1 with a token, and stops on Ctrl+C', async () => {
    const child = spawn(process.execPath, [CLI_BIN, 'dev-web', '--data-dir', join(dir, 'web')], { env: { ...process.env, XDG_DATA_HOME: dir } });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += String(d);
        const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}/.exec(out);
        if (match) resolve(match[0]);
      });
      child.on('exit', () => reject(new Error(`dev-web exited: ${out}`)));
    });
    expect(await (await fetch(url)).text()).toContain('<div id="app">');
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('lists voices', () => {
    const run = cli(['voices']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^espeak:gmw\/en-US\t/m);
    const json = cli(['voices', '--json']);
    expect((JSON.parse(json.stdout) as { id: string }[]).some((v) => v.id === 'espeak:gmw/en')).toBe(true);
  });

  it('fails with one line and a non-zero code, and leaves no file behind', () => {
    const cases: [string[], string | Buffer | undefined, number, RegExp][] = [
      [['speak', '', '--out', join(dir, 'x1.wav')], undefined, 1, /no text to read/],
      [['speak', '   \n ', '--out', join(dir, 'x2.wav')], undefined, 1, /no text to read/],
      [['speak', '😀🎉', '--out', join(dir, 'x3.wav')], undefined, 1, /nothing that can be spoken/],
      [['speak', 'Hi.', '--voice', 'zz', '--out', join(dir, 'x4.wav')], undefined, 1, /voice is not installed\. \(zz\)/],
      [['speak', 'Hi.', '--speed', '7', '--out', join(dir, 'x5.wav')], undefined, 1, /speed must be/],
      [['speak', 'Hi.'], undefined, 2, /needs --out/],
      [['speak', 'Hi.', '--precision', 'turbo', '--out', join(dir, 'x8.wav')], undefined, 2, /--precision must be exact or fast; got "turbo"/],
      [['speak', '--in', join(dir, 'missing.txt'), '--out', join(dir, 'x6.wav')], undefined, 1, /could not be found/],
      [['speak', '--out', join(dir, 'x7.wav')], Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x80, 0x81, 0xc3]), 1, /not UTF-8 text/],
      [['speak', 'Hi.', '--out', join(dir, 'no-such-dir', 'x.wav')], undefined, 1, /could not be written/],
      [['frobnicate'], undefined, 2, /unknown command "frobnicate"/],
    ];
    for (const [args, input, code, message] of cases) {
      const run = cli(args, input);
      expect(run.code, args.join(' ')).toBe(code);
      expect(run.stderr, args.join(' ')).toMatch(message);
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(run.stderr).not.toMatch(/\bat .*\.js:\d+/);
    }
    expect(readdirSync(dir).filter((f) => f.startsWith('x') || f.includes('partial'))).toEqual([]);
  });

  it('says how to give text on the command line, not in the window, when there is none', () => {
    const home = freshDir();
    for (const [args, input] of [[['speak', '', '--out', join(home, 'a.wav')], undefined], [['speak', '--out', join(home, 'b.wav')], '  \n']] as const) {
      const run = cli([...args], input, home);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe('kokoro-reader: There is no text to read. Pass TEXT, --in FILE, or pipe text on standard input.\n');
    }
  });

  it('names a wrong option in a line of its own, then shows that command\'s usage', () => {
    const home = freshDir();
    const cases: [string[], string][] = [
      [['speak', '--bogus'], 'unknown option --bogus'],
      [['voices', '-q'], 'unknown option -q'],
      [['normalize', '--bogus'], 'unknown option --bogus'],
      [['lexicon', 'list', '--bogus', '--data-dir', home], 'unknown option --bogus'],
      [['dev-web', '--bogus'], 'unknown option --bogus'],
      [['speak', 'Hi.', '--out'], '--out needs a value (FILE)'],
      [['voices', 'extra'], 'unexpected argument "extra"'],
    ];
    for (const [args, problem] of cases) {
      const run = cli(args, '', home);
      expect(run.code, args.join(' ')).toBe(2);
      const [first, ...usage] = run.stderr.trimEnd().split('\n');
      expect(first, args.join(' ')).toBe(`kokoro-reader: ${problem}`);
      expect(usage[0], args.join(' ')).toMatch(new RegExp(`^Usage: kokoro-reader ${args[0] ?? ''} `));
      expect(run.stdout).toBe('');
    }
  });

  it('prints a command\'s own usage, with every option it takes, for COMMAND --help', () => {
    const home = freshDir();
    const help = (...args: string[]) => cli(args, undefined, home);
    const devWeb = help('dev-web', '--help');
    expect(devWeb.code).toBe(0);
    expect(devWeb.stdout).toMatch(/^Usage: kokoro-reader dev-web /);
    for (const option of [/--port N\b/, /--model-dir DIR\b/, /--data-dir DIR\b/]) expect(devWeb.stdout).toMatch(option);
    const speak = help('speak', '-h');
    expect(speak.code).toBe(0);
    for (const option of ['--out FILE', '--in FILE', '--voice ID', '--speed N', '--verbose', '--model-dir DIR', '--data-dir DIR']) expect(speak.stdout).toContain(option);
    const overview = help('--help');
    for (const command of ['speak', 'export', 'import', 'voices', 'models', 'lexicon', 'normalize', 'phonemize', 'dev-web']) expect(overview.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it('refuses an --out name whose ending names no format it writes, rather than mislabel the file', () => {
    const home = freshDir();
    for (const name of ['x.aiff', 'x', 'x.wav.txt']) {
      const run = cli(['speak', 'Hi.', '--out', join(home, name)], undefined, home);
      expect(run.code, name).toBe(2);
      expect(run.stderr, name).toMatch(/^kokoro-reader: --out must end in \.wav, \.mp3, \.m4b, \.m4a, \.mp4, \.opus, \.ogg or \.flac \(got/);
      expect(run.stderr.trim().split('\n'), name).toHaveLength(1);
    }
    expect(readdirSync(home).filter((f) => f.startsWith('x'))).toEqual([]);
    const upper = cli(['speak', 'Hi.', '--out', join(home, 'upper.WAV'), '--voice', 'en-us'], undefined, home);
    expect(upper.code).toBe(0);
    expect(decodeWav(readFileSync(join(home, 'upper.WAV'))).sampleRate).toBe(24000);
  });

  it('speaks replacement entries with the eSpeak voice: "SQL" -> "sequel" sounds as "sequel"', () => {
    const home = freshDir();
    const withRule = join(home, 'with-rule');
    const plain = join(home, 'plain');
    expect(cli(['lexicon', 'add', '--replace', 'SQL', 'sequel', '--data-dir', withRule], undefined, home).code).toBe(0);
    const samples = (text: string, dataDir: string, name: string): number => {
      const run = cli(['speak', text, '--voice', 'en-us', '--data-dir', dataDir, '--out', join(home, name)], undefined, home);
      expect(run.code, run.stderr).toBe(0);
      return decodeWav(readFileSync(join(home, name))).samples.length;
    };
    const replaced = samples('I like SQL.', withRule, 'replaced.wav');
    const sequel = samples('I like sequel.', plain, 'sequel.wav');
    const letters = samples('I like SQL.', plain, 'letters.wav');
    // eSpeak's lengths may vary by a few samples; "S Q L" takes about a tenth longer than "sequel".
    expect(Math.abs(replaced - sequel)).toBeLessThan(sequel * 0.005);
    expect(Math.abs(letters - sequel)).toBeGreaterThan(sequel * 0.05);
  });

  /** The exit of a child whose stdout reader has gone, as `| head` leaves it. */
  function exitOf(child: ReturnType<typeof spawn>): Promise<{ code: number | null; signal: string | null }> {
    return new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  }

  it('ends quietly with 141 (a SIGPIPE death to the shell, so pipefail sees the lost output) when the reader closes its pipe early, as `import --json … | head` does', async () => {
    const home = freshDir();
    const book = join(home, 'long.txt');
    // About 1.5 MB of JSON: far more than a pipe holds, so writes go on after the close.
    writeFileSync(book, Array.from({ length: 8000 }, (_, i) => `Paragraph ${i + 1} of a long text, with a few more words.`).join('\n\n'));
    const child = spawn(process.execPath, [CLI_BIN, 'import', book, '--json'], { env: { ...process.env, XDG_DATA_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    // Read the first piece of output, then close our end, as `head` does.
    const first = await new Promise<string>((resolve) => child.stdout.once('data', (data: Buffer) => resolve(data.toString())));
    child.stdout.destroy();
    const exit = await exitOf(child);
    expect(first.startsWith('{')).toBe(true);
    // No stack trace, nothing at all.
    expect(stderr).toBe('');
    expect(exit).toEqual({ code: 141, signal: null });
  });

  it('finishes the file it writes when its stdout is closed, then exits 141', async () => {
    const home = freshDir();
    const out = join(home, 'closed.wav');
    const child = spawn(process.execPath, [CLI_BIN, 'speak', 'Hello there. The reader of my output has gone.', '--out', out, '--voice', 'en-us'], {
      env: { ...process.env, XDG_DATA_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    // Closed before the command prints its one line.
    child.stdout.destroy();
    expect(await exitOf(child)).toEqual({ code: 141, signal: null });
    expect(stderr).toBe('');
    expect(decodeWav(readFileSync(out)).samples.length / 24000).toBeGreaterThan(1);
    expect(readdirSync(home).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });
});
