import { describe, expect, it } from 'vitest';
import { describeError } from '../../src-shared/errors/catalogue';
import type { ErrorCode } from '../../src-shared/errors/catalogue';
import type { Result } from '../../src-shared/ipc/result';
import { readSystemClipboard, runTool } from '../../src-main/platform/system-clipboard';
import type { ClipboardEnvironment, ClipboardText, RunTool, ToolOutput } from '../../src-main/platform/system-clipboard';
import { clipboardText } from '../../src-main/cli/clipboard-input';

type Call = { command: string; args: readonly string[]; env: NodeJS.ProcessEnv };
/** What a fake tool does: its output, or 'missing' for a tool that is not installed. */
type Answer = Partial<ToolOutput> | 'missing';

/** A clipboard environment whose tools are fakes: each call is recorded and answered by `answer`. */
function fakeEnvironment(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, answer: (command: string, args: readonly string[]) => Answer, maxBytes = 1000) {
  const calls: Call[] = [];
  const run: RunTool = (command, args, options) => {
    calls.push({ command, args, env: options.env });
    const output = answer(command, args);
    if (output === 'missing') return Promise.reject(Object.assign(new Error(`spawn ${command} ENOENT`), { code: 'ENOENT' }));
    return Promise.resolve({ code: 0, stdout: Buffer.alloc(0), stderr: '', truncated: false, timedOut: false, ...output });
  };
  const environment: ClipboardEnvironment = { platform, env, run, maxBytes, timeoutMs: 5000 };
  return { environment, calls };
}

const text = (value: string): Answer => ({ stdout: Buffer.from(value) });
const X11 = { DISPLAY: ':0' };
const WAYLAND = { WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0' };

function failure(result: Result<ClipboardText>): { code: ErrorCode; message: string; cli: string } {
  if (result.ok) throw new Error(`expected a failure, got "${result.value.text}"`);
  return { code: result.error.code, message: result.error.message, cli: describeError(result.error, 'cli') };
}

describe('reading the system clipboard, per platform', () => {
  it('Linux under Wayland: wl-paste for the clipboard, with --primary for the selection, text types only', async () => {
    const { environment, calls } = fakeEnvironment('linux', WAYLAND, () => text('Hello from Wayland.'));
    expect(await readSystemClipboard('clipboard', environment)).toEqual({ ok: true, value: { text: 'Hello from Wayland.', tool: 'wl-paste', truncated: false } });
    expect(await readSystemClipboard('selection', environment)).toMatchObject({ ok: true, value: { tool: 'wl-paste' } });
    expect(calls.map((c) => [c.command, ...c.args])).toEqual([
      ['wl-paste', '--no-newline', '--type', 'text'],
      ['wl-paste', '--primary', '--no-newline', '--type', 'text'],
    ]);
  });

  it('Linux under X11: xclip with -selection clipboard or primary', async () => {
    const { environment, calls } = fakeEnvironment('linux', X11, (_command, args) => text(args.includes('primary') ? 'Selected.' : 'Copied.'));
    expect(await readSystemClipboard('clipboard', environment)).toMatchObject({ ok: true, value: { text: 'Copied.', tool: 'xclip' } });
    expect(await readSystemClipboard('selection', environment)).toMatchObject({ ok: true, value: { text: 'Selected.', tool: 'xclip' } });
    expect(calls.map((c) => [c.command, ...c.args])).toEqual([
      ['xclip', '-o', '-selection', 'clipboard'],
      ['xclip', '-o', '-selection', 'primary'],
    ]);
  });

  it('Linux: falls back from a missing tool to the next one (wl-paste, then xclip, then xsel)', async () => {
    const { environment, calls } = fakeEnvironment('linux', WAYLAND, (command) => (command === 'xsel' ? text('From xsel.') : 'missing'));
    expect(await readSystemClipboard('selection', environment)).toMatchObject({ ok: true, value: { text: 'From xsel.', tool: 'xsel' } });
    expect(calls.map((c) => c.command)).toEqual(['wl-paste', 'xclip', 'xsel']);
    expect(calls.at(-1)?.args).toEqual(['--primary', '--output']);
    // Without a Wayland display wl-paste cannot work, so it is not tried.
    const x11 = fakeEnvironment('linux', X11, (command) => (command === 'xsel' ? text('From xsel.') : 'missing'));
    await readSystemClipboard('clipboard', x11.environment);
    expect(x11.calls.map((c) => [c.command, ...c.args])).toEqual([['xclip', '-o', '-selection', 'clipboard'], ['xsel', '--clipboard', '--output']]);
  });

  it('Linux: no tool installed names the tools tried and the packages to install', async () => {
    const { environment } = fakeEnvironment('linux', WAYLAND, () => 'missing');
    const error = failure(await readSystemClipboard('clipboard', environment));
    expect(error.code).toBe('CLIPBOARD_TOOL_MISSING');
    expect(error.message).toBe('No program to read the clipboard is installed. (tried wl-paste, xclip and xsel)');
    expect(error.cli).toMatch(/Install wl-clipboard \(Wayland\) or xclip \(X11\)/);
  });

  it('Linux: no display, whether no display variable is set or the tool cannot reach it', async () => {
    const none = fakeEnvironment('linux', {}, () => text('never read'));
    const unset = failure(await readSystemClipboard('selection', none.environment));
    expect(unset.code).toBe('CLIPBOARD_NO_DISPLAY');
    expect(unset.message).toContain('neither WAYLAND_DISPLAY nor DISPLAY is set');
    expect(none.calls).toEqual([]);
    const unreachable = [
      fakeEnvironment('linux', X11, () => ({ code: 1, stderr: "Error: Can't open display: :0" })),
      fakeEnvironment('linux', { WAYLAND_DISPLAY: 'wayland-0' }, () => ({ code: 1, stderr: 'Failed to connect to a Wayland server' })),
      fakeEnvironment('linux', X11, (command) => (command === 'xsel' ? { code: 1, stderr: "xsel: Can't open display: :0" } : 'missing')),
    ];
    for (const { environment } of unreachable) {
      const error = failure(await readSystemClipboard('clipboard', environment));
      expect(error.code).toBe('CLIPBOARD_NO_DISPLAY');
      expect(error.cli).toMatch(/inside your desktop session .* or pipe the text in/);
    }
  });

  it('an empty clipboard, as each tool reports it', async () => {
    const cases = [
      fakeEnvironment('linux', { WAYLAND_DISPLAY: 'wayland-0' }, () => ({ code: 1, stderr: 'Nothing is copied' })),
      // xclip: no text target, and the selection offers no targets at all.
      fakeEnvironment('linux', X11, (_command, args) => (args.includes('TARGETS') ? { code: 1, stderr: 'Error: target TARGETS not available' } : { code: 1, stderr: 'Error: target UTF8_STRING not available' })),
      fakeEnvironment('linux', X11, (command) => (command === 'xsel' ? text('') : 'missing')),
      fakeEnvironment('linux', X11, () => text(' \n\t ')),
      fakeEnvironment('darwin', {}, () => text('')),
      fakeEnvironment('win32', {}, () => text('\r\n')),
    ];
    for (const { environment } of cases) {
      const error = failure(await readSystemClipboard('clipboard', environment));
      expect(error.code).toBe('CLIPBOARD_EMPTY');
      expect(error.message).toBe('There is no text to read there: it is empty, or holds something other than text. (the clipboard)');
      expect(error.cli).toContain('Select or copy some text');
    }
  });

  it('an image on the clipboard is "not text", where the tool can tell', async () => {
    const wayland = fakeEnvironment('linux', { WAYLAND_DISPLAY: 'wayland-0' }, () => ({ code: 1, stderr: 'No suitable type of content copied' }));
    const x11 = fakeEnvironment('linux', X11, (_command, args) =>
      args.includes('TARGETS') ? text('TARGETS\nTIMESTAMP\nimage/png\nimage/bmp\n') : { code: 1, stderr: 'Error: target UTF8_STRING not available' },
    );
    const wlError = failure(await readSystemClipboard('clipboard', wayland.environment));
    expect(wlError.code).toBe('CLIPBOARD_NOT_TEXT');
    expect(wlError.cli).toMatch(/^What was copied is not text .* Copy the text itself, then run the command again\.$/);
    const xError = failure(await readSystemClipboard('selection', x11.environment));
    expect(xError.code).toBe('CLIPBOARD_NOT_TEXT');
    expect(xError.message).toContain('(the selection offers image/png, image/bmp)');
    expect(x11.calls.at(-1)?.args).toEqual(['-o', '-selection', 'primary', '-t', 'TARGETS']);
    // Bytes handed over as if text: NULs or broken UTF-8.
    for (const bytes of [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]), Buffer.from('caf\0e'), Buffer.from([0x41, 0xff, 0xfe])]) {
      const { environment } = fakeEnvironment('linux', X11, () => ({ stdout: bytes }));
      expect(failure(await readSystemClipboard('clipboard', environment)).code).toBe('CLIPBOARD_NOT_TEXT');
    }
  });

  it('any other failure of the tool is "unreadable", with what the tool said', async () => {
    const { environment } = fakeEnvironment('linux', { WAYLAND_DISPLAY: 'wayland-0' }, () => ({ code: 1, stderr: 'The compositor does not seem to support primary selection' }));
    const error = failure(await readSystemClipboard('selection', environment));
    expect(error.code).toBe('CLIPBOARD_UNREADABLE');
    expect(error.message).toBe('The clipboard could not be read. (wl-paste said: The compositor does not seem to support primary selection)');
    const hung = fakeEnvironment('darwin', {}, () => ({ code: null, timedOut: true }));
    expect(failure(await readSystemClipboard('clipboard', hung.environment)).message).toContain('pbpaste got no answer from the clipboard');
  });

  it('macOS: pbpaste, in UTF-8 when no locale is set; the selection is refused, naming macOS and --clipboard', async () => {
    const { environment, calls } = fakeEnvironment('darwin', { PATH: '/usr/bin' }, () => text('Grüße aus Köln.'));
    expect(await readSystemClipboard('clipboard', environment)).toMatchObject({ ok: true, value: { text: 'Grüße aus Köln.', tool: 'pbpaste' } });
    expect(calls[0]?.command).toBe('pbpaste');
    expect(calls[0]?.env).toEqual({ PATH: '/usr/bin', LANG: 'en_US.UTF-8' });
    const withLocale = fakeEnvironment('darwin', { LANG: 'de_DE.UTF-8' }, () => text('x'));
    await readSystemClipboard('clipboard', withLocale.environment);
    expect(withLocale.calls[0]?.env).toEqual({ LANG: 'de_DE.UTF-8' });
    const refused = failure(await readSystemClipboard('selection', environment));
    expect(refused.code).toBe('SELECTION_UNSUPPORTED');
    expect(refused.cli).toBe('Reading the selection without a copy works only on Linux. (this is macOS) Copy the text first, then use `kokoro-reader speak --clipboard`.');
    expect(calls).toHaveLength(1);
  });

  it('Windows: Get-Clipboard through PowerShell in UTF-8; the selection is refused, naming Windows', async () => {
    const { environment, calls } = fakeEnvironment('win32', {}, () => text('Line one.\r\nLine two.\r\n'));
    expect(await readSystemClipboard('clipboard', environment)).toMatchObject({ ok: true, value: { text: 'Line one.\r\nLine two.\r\n', tool: 'powershell' } });
    expect(calls[0]?.command).toBe('powershell');
    expect(calls[0]?.args.slice(0, 3)).toEqual(['-NoProfile', '-NonInteractive', '-Command']);
    expect(calls[0]?.args[3]).toMatch(/OutputEncoding = \[System\.Text\.Encoding\]::UTF8; Get-Clipboard -Raw$/);
    const refused = failure(await readSystemClipboard('selection', environment));
    expect(refused.code).toBe('SELECTION_UNSUPPORTED');
    expect(refused.message).toContain('(this is Windows)');
  });

  it('another system: refused, naming it', async () => {
    const { environment, calls } = fakeEnvironment('freebsd', X11, () => text('x'));
    const error = failure(await readSystemClipboard('clipboard', environment));
    expect(error.code).toBe('CLIPBOARD_UNSUPPORTED');
    expect(error.message).toContain('(this is freebsd)');
    expect(error.cli).toContain('Pipe the text in instead');
    expect(calls).toEqual([]);
    expect(failure(await readSystemClipboard('selection', environment)).code).toBe('SELECTION_UNSUPPORTED');
  });

  it('a text over the limit is read from its start, up to its last whole word, and the CLI notes it', async () => {
    // "Grüße" is 7 bytes, so a cut at 18 falls inside the "ö" of "Köln": no broken character, no half word.
    const bytes = Buffer.from('Grüße aus der Köln');
    expect(bytes.subarray(0, 18).toString('utf8')).toMatch(/K\uFFFD$/);
    const { environment } = fakeEnvironment('linux', X11, () => ({ stdout: bytes.subarray(0, 18), truncated: true, code: null }), 18);
    expect(await readSystemClipboard('clipboard', environment)).toEqual({ ok: true, value: { text: 'Grüße aus der', tool: 'xclip', truncated: true } });
    const notes: string[] = [];
    expect(await clipboardText('clipboard', (line) => notes.push(line), environment)).toBe('Grüße aus der');
    expect(notes).toEqual(['note: the clipboard holds more than 18 bytes of text; reading its first 13 characters.\n']);
    // Within the limit: no note.
    const small = fakeEnvironment('linux', X11, () => text('Short.'));
    expect(await clipboardText('selection', (line) => notes.push(line), small.environment)).toBe('Short.');
    expect(notes).toHaveLength(1);
    // A failure becomes the catalogue error the CLI prints.
    const empty = fakeEnvironment('linux', X11, () => text(''));
    await expect(clipboardText('clipboard', () => undefined, empty.environment)).rejects.toMatchObject({ code: 'CLIPBOARD_EMPTY' });
  });
});

describe('runTool, the real runner', () => {
  it('keeps the first maxBytes of a long output and ends the tool', async () => {
    const script = 'const line = "a".repeat(1023) + "\\n"; const write = () => { while (process.stdout.write(line)); }; process.stdout.on("drain", write); write();';
    const output = await runTool(process.execPath, ['-e', script], { env: process.env, maxBytes: 100_000, timeoutMs: 20_000 });
    expect(output).toMatchObject({ truncated: true, timedOut: false, code: null });
    expect(output.stdout.length).toBe(100_000);
  });

  it('reports the exit code and stderr of a tool that fails, and ENOENT for one not installed', async () => {
    const output = await runTool(process.execPath, ['-e', 'process.stderr.write("Error: target UTF8_STRING not available\\n"); process.exit(1)'], { env: process.env, maxBytes: 1000, timeoutMs: 20_000 });
    expect(output).toMatchObject({ code: 1, stderr: 'Error: target UTF8_STRING not available', truncated: false, timedOut: false });
    await expect(runTool('kokoro-no-such-clipboard-tool', [], { env: process.env, maxBytes: 1000, timeoutMs: 20_000 })).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('ends a tool that does not answer within its time', async () => {
    const output = await runTool(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { env: process.env, maxBytes: 1000, timeoutMs: 300 });
    expect(output).toMatchObject({ timedOut: true, code: null });
  });
});
