import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDevWeb } from '../../src-main/cli/dev-web';
import type { DevWeb } from '../../src-main/cli/dev-web';
import type { ClientContext } from '../../src-main/services/handlers';
import { dispatch } from '../../src-main/services/router';
import type { PushChannel } from '../../src-shared/ipc/contract';
import { ENGINE_ENTRY } from '../helpers/paths';

let web: DevWeb | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await web?.close();
  web = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('dev-web: the screen helper in browser mode', () => {
  it('reads a stand-in clipboard file into the mini page, says when it is missing, and has no shortcuts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kokoro-helper-web-'));
    dirs.push(dir);
    const clipboardFile = join(dir, 'clipboard.txt');
    web = await createDevWeb(ENGINE_ENTRY, { staticDir: dir, clipboardFile });
    const pushes: { event: PushChannel; data: unknown }[] = [];
    const mini: ClientContext = { id: 'mini-page', emit: (event, data) => void pushes.push({ event, data }) };
    const { handlers } = web.services;

    const state = await dispatch(handlers, 'helper:state', null, mini);
    expect(state).toMatchObject({ ok: true, value: { available: false } });
    await dispatch(handlers, 'helper:attach', null, mini);
    writeFileSync(clipboardFile, 'Text on the stand-in clipboard.');
    expect(await dispatch(handlers, 'helper:read-now', { source: 'clipboard' }, mini)).toEqual({ ok: true, value: null });
    rmSync(clipboardFile);
    await dispatch(handlers, 'helper:read-now', { source: 'selection' }, mini);
    expect(pushes).toEqual([
      { event: 'helper:read', data: { text: 'Text on the stand-in clipboard.', source: 'clipboard' } },
      { event: 'helper:notice', data: { error: expect.objectContaining({ code: 'HELPER_SELECTION_EMPTY' }) } },
    ]);
  });
});
