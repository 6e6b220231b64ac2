import { describe, expect, it } from 'vitest';
import { StatusStore } from './status.svelte';
import { FakeApi } from './testing/fake-api';

describe('StatusStore', () => {
  it('says why a page without the app cannot work, and shows no engine state then', () => {
    const status = new StatusStore(undefined, 'This page’s address is missing its token.');
    expect(status.connected).toBe(false);
    expect(status.message).toContain('missing its token');
  });

  it('follows the engine status pushed by the app, and shows errors with their fix', () => {
    const api = new FakeApi();
    const status = new StatusStore(api);
    api.push('engine:status', { state: 'restarting', detail: 'crashed' });
    expect(status.engine).toEqual({ state: 'restarting', detail: 'crashed' });
    status.fail({ code: 'EMPTY_TEXT', message: 'There is no text to read.' });
    expect(status.message).toBe('There is no text to read. Paste or type some text, then press Play.');
    expect(status.error?.code).toBe('EMPTY_TEXT');
    status.say('Paused.');
    expect(status.error).toBeUndefined();
  });
});
