import type { ReaderApi } from '../../src-shared/ipc/contract';
import { applyViewPatch, DEFAULT_VIEW_SETTINGS } from '../../src-shared/view-settings';
import type { ViewSettings, ViewSettingsPatch } from '../../src-shared/view-settings';
import { nextTheme, savedTheme, saveTheme } from '../lib/theme';
import type { StatusStore } from './status.svelte';

/**
 * The reading view's settings: kept in the library by main (so they survive a restart), shown
 * at once when changed. The theme is also kept in the page's storage, so the first paint of the
 * next start has it before main answers.
 */
export class ViewSettingsStore {
  settings = $state.raw<ViewSettings>({ ...DEFAULT_VIEW_SETTINGS, theme: savedTheme() });

  constructor(
    private readonly api: ReaderApi | undefined,
    private readonly status: StatusStore,
  ) {}

  async load(): Promise<void> {
    const result = await this.api?.invoke('view:settings', null);
    if (!result?.ok) return;
    this.settings = result.value;
    saveTheme(result.value.theme);
  }

  /** Applies a change at once and has main keep it; a refusal puts back what main has, and says why. */
  async change(patch: ViewSettingsPatch): Promise<void> {
    this.settings = applyViewPatch(this.settings, patch);
    if (patch.theme) saveTheme(patch.theme);
    const result = await this.api?.invoke('view:configure', patch);
    if (!result) return;
    if (result.ok) this.settings = result.value;
    else {
      this.status.fail(result.error);
      await this.load();
    }
  }

  /** Loads the settings and follows changes made in any window; returns the function that stops following. */
  watch(): () => void {
    void this.load();
    return (
      this.api?.on('view:changed', (settings) => {
        this.settings = settings;
        saveTheme(settings.theme);
      }) ?? (() => undefined)
    );
  }

  /** The toolbar's theme button: light, dark, system in turn. */
  async cycleTheme(): Promise<void> {
    await this.change({ theme: nextTheme(this.settings.theme) });
  }

  async reset(): Promise<void> {
    await this.change(DEFAULT_VIEW_SETTINGS);
  }
}
