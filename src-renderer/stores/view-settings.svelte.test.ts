import { beforeEach, describe, expect, it } from 'vitest';
import { fail } from '../../src-shared/ipc/result';
import { applyViewPatch, DEFAULT_VIEW_SETTINGS } from '../../src-shared/view-settings';
import type { ViewSettings } from '../../src-shared/view-settings';
import { StatusStore } from './status.svelte';
import { FakeApi } from './testing/fake-api';
import { ViewSettingsStore } from './view-settings.svelte';

let api: FakeApi;
let kept: ViewSettings;
let store: ViewSettingsStore;

beforeEach(() => {
  kept = { ...DEFAULT_VIEW_SETTINGS, fontSize: 22 };
  api = new FakeApi().answer('view:settings', () => kept).answer('view:configure', (patch) => (kept = applyViewPatch(kept, patch)));
  store = new ViewSettingsStore(api, new StatusStore(api));
});

describe('the view settings store', () => {
  it('loads what main keeps', async () => {
    await store.load();
    expect(store.settings.fontSize).toBe(22);
  });

  it('applies a change at once and has main keep it', async () => {
    await store.load();
    const changing = store.change({ lineSpacing: 2, highlightWord: false });
    expect(store.settings.lineSpacing).toBe(2);
    await changing;
    expect(api.paramsOf('view:configure')).toEqual([{ lineSpacing: 2, highlightWord: false }]);
    expect(kept).toMatchObject({ lineSpacing: 2, highlightWord: false });
  });

  it('cycles the theme light, dark, system as the toolbar button does', async () => {
    await store.load();
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      await store.cycleTheme();
      seen.push(store.settings.theme);
    }
    expect(seen).toEqual(['light', 'dark', 'system']);
  });

  it('puts back what main has when it refuses a change, and says why', async () => {
    const status = new StatusStore(api);
    store = new ViewSettingsStore(api, status);
    api.answer('view:configure', () => fail('INVALID_REQUEST', '(view:configure: fontSize: too big)'));
    await store.load();
    await store.change({ fontSize: 30 });
    expect(store.settings.fontSize).toBe(22);
    expect(status.error?.code).toBe('INVALID_REQUEST');
  });
});
