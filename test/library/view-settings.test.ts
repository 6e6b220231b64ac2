/** The reading view's settings in the library: kept across a restart, checked at the boundary. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppServices } from '../../src-main/services/app-services';
import type { AppServices } from '../../src-main/services/app-services';
import { childProcessTransport } from '../../src-main/services/engine/child-process-transport';
import type { ClientContext } from '../../src-main/services/handlers';
import { dispatch } from '../../src-main/services/router';
import { applyViewPatch, DEFAULT_VIEW_SETTINGS, parseStoredViewSettings } from '../../src-shared/view-settings';
import { ENGINE_ENTRY, IMPORT_WORKER } from '../helpers/paths';

const opened: AppServices[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const services of opened.splice(0)) services.dispose();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function open(dataDir?: string): AppServices {
  const services = createAppServices({
    engineTransport: childProcessTransport(ENGINE_ENTRY, { stderr: 'ignore' }),
    importWorker: IMPORT_WORKER,
    version: 'test',
    ...(dataDir ? { dataDir } : {}),
    log: () => undefined,
  });
  opened.push(services);
  return services;
}

const client: ClientContext = { id: 'window', emit: () => undefined };

describe('the reading view settings (view:settings, view:configure)', () => {
  it('are kept in the library across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kokoro-view-settings-'));
    dirs.push(dataDir);
    const first = open(dataDir);
    expect(await dispatch(first.handlers, 'view:settings', null, client)).toEqual({ ok: true, value: DEFAULT_VIEW_SETTINGS });
    const changed = await dispatch(first.handlers, 'view:configure', { fontSize: 24, theme: 'dark', highlightWord: false, singleKeyShortcuts: false }, client);
    expect(changed).toEqual({ ok: true, value: { ...DEFAULT_VIEW_SETTINGS, fontSize: 24, theme: 'dark', highlightWord: false, singleKeyShortcuts: false } });
    first.dispose();
    opened.splice(0);
    const again = open(dataDir);
    expect(await dispatch(again.handlers, 'view:settings', null, client)).toMatchObject({ ok: true, value: { fontSize: 24, theme: 'dark', highlightWord: false, singleKeyShortcuts: false } });
  });

  it('refuses a wrong value, naming the setting and what it takes', async () => {
    const services = open();
    const tooSmall = await dispatch(services.handlers, 'view:configure', { fontSize: 3 }, client);
    expect(tooSmall.ok ? '' : tooSmall.error.message).toMatch(/view:configure: fontSize: .*14/);
    const unknownTheme = await dispatch(services.handlers, 'view:configure', { theme: 'sepia' }, client);
    expect(unknownTheme.ok ? '' : unknownTheme.error.message).toMatch(/theme: .*"light"/);
    const unknownSetting = await dispatch(services.handlers, 'view:configure', { fontColour: 'red' }, client);
    expect(unknownSetting.ok ? '' : unknownSetting.error.code).toBe('INVALID_REQUEST');
    // Without a library the settings still work, for the session.
    expect(await dispatch(services.handlers, 'view:configure', { font: 'serif' }, client)).toMatchObject({ ok: true, value: { font: 'serif' } });
  });

  it('read back from a damaged or older row: what is readable is kept, the rest is the default', () => {
    expect(parseStoredViewSettings('{not json')).toEqual(DEFAULT_VIEW_SETTINGS);
    expect(parseStoredViewSettings(JSON.stringify({ fontSize: 99, lineSpacing: 1.73, font: 'comic', focusMode: true }))).toEqual({ ...DEFAULT_VIEW_SETTINGS, fontSize: 32, lineSpacing: 1.7, focusMode: true });
    expect(applyViewPatch(DEFAULT_VIEW_SETTINGS, { highlightColour: 'blue', reduceMotion: 'yes' })).toEqual({ ...DEFAULT_VIEW_SETTINGS, highlightColour: 'blue' });
  });
});
