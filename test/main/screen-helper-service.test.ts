import { describe, expect, it } from 'vitest';
import { ScreenHelperService } from '../../src-main/services/screen-helper/screen-helper-service';
import type { ScreenHelperOptions, ShortcutRegistrar } from '../../src-main/services/screen-helper/screen-helper-service';
import { DEFAULT_HELPER_SETTINGS, memoryHelperSettings, parseStoredSettings } from '../../src-main/services/screen-helper/settings';
import { HELPER_MAX_CHARS, cutForHelper } from '../../src-main/services/screen-helper/text-cut';
import { textRead } from '../../src-main/services/screen-helper/text-source';
import type { TextRead, TextSource } from '../../src-main/services/screen-helper/text-source';
import type { WatchTimers } from '../../src-main/services/screen-helper/clipboard-watch';
import type { ClientContext } from '../../src-main/services/handlers';
import { dispatch } from '../../src-main/services/router';
import type { PushChannel, PushMap } from '../../src-shared/ipc/contract';
import { HELPER_ACTIONS } from '../../src-shared/screen-helper/types';
import type { HelperAction, ShortcutStatus } from '../../src-shared/screen-helper/types';

interface RecordingClient extends ClientContext {
  pushes: { event: PushChannel; data: unknown }[];
  last<E extends PushChannel>(event: E): PushMap[E] | undefined;
}

function client(id: string): RecordingClient {
  const pushes: RecordingClient['pushes'] = [];
  return {
    id,
    pushes,
    emit(event, data) {
      pushes.push({ event, data });
    },
    last<E extends PushChannel>(event: E) {
      return pushes.filter((p) => p.event === event).at(-1)?.data as PushMap[E] | undefined;
    },
  };
}

/** A clipboard and a selection the test sets. */
function fakeSource(): TextSource & { clipboard: TextRead; selection: TextRead } {
  const source = {
    clipboard: { kind: 'empty' } as TextRead,
    selection: { kind: 'empty' } as TextRead,
    readSelection: () => Promise.resolve(source.selection),
    readClipboard: () => Promise.resolve(source.clipboard),
  };
  return source;
}

/** Timers the test ticks by hand. */
function manualTimers(): WatchTimers & { tick(): void; running: number } {
  const runs = new Map<number, () => void>();
  let next = 1;
  return {
    setInterval(run) {
      runs.set(next, run);
      return next++;
    },
    clearInterval(handle) {
      runs.delete(handle as number);
    },
    tick() {
      for (const run of [...runs.values()]) run();
    },
    get running() {
      return runs.size;
    },
  };
}

function helperWith(options: Partial<ScreenHelperOptions> = {}) {
  const source = fakeSource();
  const shown: string[] = [];
  const helper = new ScreenHelperService({
    settings: memoryHelperSettings(),
    textSource: source,
    showMiniPlayer: () => shown.push('mini'),
    ...options,
  });
  helper.start();
  return { helper, source, shown };
}

describe('screen helper settings', () => {
  it('starts off, with a shortcut for every action, the cache on and the watch off', () => {
    expect(DEFAULT_HELPER_SETTINGS.enabled).toBe(false);
    expect(DEFAULT_HELPER_SETTINGS.clipboardWatch).toBe(false);
    expect(DEFAULT_HELPER_SETTINGS.cacheAudio).toBe(true);
    for (const action of HELPER_ACTIONS) expect(DEFAULT_HELPER_SETTINGS.shortcuts[action]).toMatch(/^CommandOrControl\+Alt\+./);
    expect(new Set(Object.values(DEFAULT_HELPER_SETTINGS.shortcuts)).size).toBe(HELPER_ACTIONS.length);
  });

  it('reads a damaged or partial stored row as the defaults plus what is readable', () => {
    expect(parseStoredSettings('{not json')).toEqual(DEFAULT_HELPER_SETTINGS);
    expect(parseStoredSettings('"a string"')).toEqual(DEFAULT_HELPER_SETTINGS);
    const partial = parseStoredSettings(JSON.stringify({ enabled: true, keepInTray: 'yes', shortcuts: { stop: 'F8', faster: 7 } }));
    expect(partial.enabled).toBe(true);
    expect(partial.keepInTray).toBe(false);
    expect(partial.shortcuts.stop).toBe('F8');
    expect(partial.shortcuts.faster).toBe(DEFAULT_HELPER_SETTINGS.shortcuts.faster);
  });

  it('configure saves the settings, registers the shortcuts when enabled, and tells every window', async () => {
    const store = memoryHelperSettings();
    const registered: Record<HelperAction, string>[] = [];
    const registrar: ShortcutRegistrar = {
      register(shortcuts) {
        registered.push(shortcuts);
        return Object.fromEntries(HELPER_ACTIONS.map((a) => [a, { accelerator: shortcuts[a], state: 'registered' }])) as Record<HelperAction, ShortcutStatus>;
      },
      unregisterAll: () => registered.push({} as Record<HelperAction, string>),
    };
    const states: boolean[] = [];
    const { helper } = helperWith({ settings: store, shortcuts: registrar, onState: (state) => states.push(state.settings.enabled) });
    expect(helper.state().shortcuts.stop.state).toBe('off');
    const asker = client('wc1');
    const result = await dispatch(helper.handlers as never, 'helper:configure', { enabled: true, shortcuts: { stop: 'F8' } }, asker);
    expect(result.ok).toBe(true);
    expect(store.load().shortcuts.stop).toBe('F8');
    expect(registered.at(-1)?.stop).toBe('F8');
    expect(helper.state()).toMatchObject({ available: true, shortcuts: { stop: { accelerator: 'F8', state: 'registered' } } });
    expect(states).toEqual([true]);
  });

  it('is not available without global shortcuts (browser mode), and every shortcut is off', () => {
    const { helper } = helperWith();
    helper.configure({ enabled: true });
    expect(helper.state().available).toBe(false);
    expect(Object.values(helper.state().shortcuts).map((s) => s.state)).toEqual(HELPER_ACTIONS.map(() => 'off'));
  });
});

describe('screen helper reading', () => {
  it('sends the clipboard to the mini player once it attaches, after asking for it to be shown', async () => {
    const { helper, source, shown } = helperWith();
    source.clipboard = textRead('Hello from the clipboard.');
    await helper.read('clipboard');
    expect(shown).toEqual(['mini']);
    const mini = client('mini');
    helper.attach(mini);
    expect(mini.last('helper:read')).toEqual({ text: 'Hello from the clipboard.', source: 'clipboard' });
    source.selection = textRead('The selection.');
    helper.run('read-selection');
    await expect.poll(() => mini.last('helper:read')).toEqual({ text: 'The selection.', source: 'selection' });
  });

  it('says why nothing is read: empty clipboard, an image, no selection; never throws', async () => {
    const { helper, source } = helperWith();
    const mini = client('mini');
    helper.attach(mini);
    source.clipboard = textRead('  \n\t ');
    await dispatch(helper.handlers as never, 'helper:read-now', { source: 'clipboard' }, mini);
    expect(mini.last('helper:notice')?.error.code).toBe('HELPER_CLIPBOARD_EMPTY');
    source.clipboard = { kind: 'not-text', formats: ['image/png'] };
    await helper.read('clipboard');
    expect(mini.last('helper:notice')?.error).toMatchObject({ code: 'HELPER_CLIPBOARD_NOT_TEXT', message: expect.stringContaining('no text') });
    await helper.read('selection');
    expect(mini.last('helper:notice')?.error.code).toBe('HELPER_SELECTION_EMPTY');
    expect(mini.pushes.filter((p) => p.event === 'helper:read')).toEqual([]);
    // A clipboard another program holds locked reads as empty, not as a failure.
    const locked = helperWith({ textSource: { readSelection: () => Promise.reject(new Error('busy')), readClipboard: () => Promise.reject(new Error('busy')) } });
    locked.helper.attach(mini);
    await locked.helper.read('clipboard');
    expect(mini.last('helper:notice')?.error.code).toBe('HELPER_CLIPBOARD_EMPTY');
  });

  it('reads the start of 5 MB of text at once, cut at a sentence end, with its full length', async () => {
    const { helper, source } = helperWith();
    const mini = client('mini');
    helper.attach(mini);
    const sentence = 'This is one sentence of a very long clipboard. ';
    const huge = sentence.repeat(Math.ceil((5 * 1024 * 1024) / sentence.length));
    source.clipboard = textRead(huge);
    const started = performance.now();
    await helper.read('clipboard');
    const elapsed = performance.now() - started;
    const read = mini.last('helper:read');
    expect(read?.truncatedFrom).toBe(huge.length);
    expect(read?.text.length).toBeLessThanOrEqual(HELPER_MAX_CHARS);
    expect(read?.text.length).toBeGreaterThan(HELPER_MAX_CHARS - 2_000);
    expect(read?.text.endsWith('clipboard.')).toBe(true);
    expect(huge.startsWith(read?.text ?? 'x')).toBe(true);
    // Linear in the cut, not the text: far below anything a person would notice.
    expect(elapsed).toBeLessThan(250);
  });

  it('cuts a text without sentence ends at a space, and never splits a surrogate pair', () => {
    const words = cutForHelper('word '.repeat(100), 42);
    expect(words.text).toBe('word '.repeat(8).trim());
    expect(words.truncatedFrom).toBe(500);
    const emoji = cutForHelper('😀'.repeat(30), 11);
    expect(emoji.text).toBe('😀'.repeat(5));
    expect(cutForHelper('short', 42)).toEqual({ text: 'short' });
  });

  it('sends the controls of shortcuts to the mini player, and nothing when there is none', () => {
    const { helper } = helperWith();
    helper.run('pause-resume');
    const mini = client('mini');
    helper.attach(mini);
    helper.run('faster');
    helper.control('next');
    expect(mini.pushes).toEqual([
      { event: 'helper:control', data: { action: 'faster' } },
      { event: 'helper:control', data: { action: 'next' } },
    ]);
    helper.disconnect(mini);
    helper.run('stop');
    expect(mini.pushes).toHaveLength(2);
  });

  it('opens the text in the reader window, or says it could not', async () => {
    const reader = client('reader');
    const mini = client('mini');
    const { helper } = helperWith({ showReaderWindow: () => Promise.resolve(reader) });
    helper.attach(mini);
    await dispatch(helper.handlers as never, 'helper:open-in-reader', { text: 'A text.', fromSentence: 0 }, mini);
    expect(reader.last('helper:open-text')).toEqual({ text: 'A text.', fromSentence: 0 });
    const alone = helperWith().helper;
    alone.attach(mini);
    await dispatch(alone.handlers as never, 'helper:open-in-reader', { text: 'A text.', fromSentence: 0 }, mini);
    expect(mini.last('helper:notice')?.error.code).toBe('HELPER_NO_READER_WINDOW');
  });
});

describe('clipboard watch', () => {
  it('polls only while on, reads what is copied after it starts, never what was there before', async () => {
    const timers = manualTimers();
    const reads: string[] = [];
    const { helper, source } = helperWith({ timers });
    const mini = client('mini');
    helper.attach(mini);
    const watched = () => mini.pushes.filter((p) => p.event === 'helper:read').map((p) => p.data);
    /** Until the watch has read the clipboard this many times, and dealt with the last read. */
    const readsDone = async (count: number) => {
      await expect.poll(() => reads.length).toBe(count);
      await new Promise((resolve) => setImmediate(resolve));
    };
    const tick = async () => {
      const before = reads.length;
      timers.tick();
      await readsDone(before + 1);
    };
    const readClipboard = source.readClipboard;
    source.readClipboard = () =>
      readClipboard().then((read) => {
        reads.push('read');
        return read;
      });
    source.clipboard = textRead('Copied before the watch.');
    expect(timers.running).toBe(0);
    helper.configure({ clipboardWatch: true });
    expect(timers.running).toBe(1);
    // The watch notes what is on the clipboard when it starts, and does not read it.
    await readsDone(1);
    await tick();
    source.clipboard = textRead('Copied while watching.');
    await tick();
    await tick();
    expect(watched()).toEqual([{ text: 'Copied while watching.', source: 'watch' }]);
    // An image copied meanwhile is passed over quietly; the next text is read.
    source.clipboard = { kind: 'not-text', formats: ['image/png'] };
    await tick();
    source.clipboard = textRead('Copied after the image.');
    await tick();
    expect(mini.last('helper:read')?.text).toBe('Copied after the image.');
    expect(mini.last('helper:notice')).toBeUndefined();
    helper.configure({ clipboardWatch: false });
    expect(timers.running).toBe(0);
    helper.configure({ clipboardWatch: true });
    helper.dispose();
    expect(timers.running).toBe(0);
  });
});
