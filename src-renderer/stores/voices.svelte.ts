import type { ReaderApi } from '../../src-shared/ipc/contract';
import type { VoiceInfo } from '../../src-shared/speech/types';
import type { StatusStore } from './status.svelte';

/** The speeds the reader offers (the toolbar's slider and the speed keys). */
export const SPEED_MIN = 0.5;
export const SPEED_MAX = 2;
/** One press of a speed key (or the helper's faster/slower): a change that is heard. */
export const SPEED_KEY_STEP = 0.1;

/** The voices to choose from and the settings to read with: voice, speed, starred voices, per-book settings. */
export class VoicesStore {
  voices = $state<VoiceInfo[]>([]);
  voice = $state('');
  speed = $state(1);
  starred = $state<string[]>([]);
  /** The voice and speed are the open document's own, not the defaults. */
  forDocument = $state(false);
  /** The app's default voice (Kokoro's when installed), for when a saved voice is gone. */
  private defaultVoice = '';

  constructor(
    private readonly api: ReaderApi | undefined,
    private readonly status: StatusStore,
  ) {}

  /** Loads the voices, the app's advice and the saved settings; returns what to tell the user, or ''. */
  async init(): Promise<string> {
    if (!this.api) return '';
    const [info, voices, prefs] = await Promise.all([this.api.invoke('app:info', null), this.api.invoke('voices:list', null), this.api.invoke('prefs:get', null)]);
    if (voices.ok) this.voices = sortedByName(voices.value);
    if (prefs.ok) this.starred = prefs.value.starred;
    if (!info.ok) {
      this.status.fail(info.error);
      return '';
    }
    this.status.engine = { state: 'ready' };
    this.status.hint = info.value.hint ?? '';
    this.status.notices = info.value.notices ?? [];
    this.defaultVoice = info.value.defaultVoice;
    this.voice = this.defaultVoice;
    return prefs.ok ? this.apply(prefs.value.voice, prefs.value.speed) : '';
  }

  /** Remembers the voice and speed for next time: for the given document only, or as the defaults. */
  save(documentId: number | undefined): void {
    const forDocument = this.forDocument && documentId !== undefined ? { documentId } : {};
    void this.api?.invoke('prefs:set', { voice: this.voice, speed: this.speed, ...forDocument });
  }

  /** Stars or unstars a voice (the chosen one unless named); stars are kept in the library. */
  async toggleStar(voice = this.voice): Promise<void> {
    const result = await this.api?.invoke('prefs:set', this.starred.includes(voice) ? { unstar: voice } : { star: voice });
    if (result?.ok) this.starred = result.value.starred;
  }

  /** Lists the voices again (after a blend was made or deleted). */
  private async refreshList(): Promise<void> {
    const voices = await this.api?.invoke('voices:list', null);
    if (voices?.ok) this.voices = sortedByName(voices.value);
  }

  /** Saves a named blend of Kokoro voices and chooses it; false (with the reason shown) when refused. */
  async createBlend(name: string, formula: string): Promise<boolean> {
    const result = await this.api?.invoke('voices:blend', { name, formula });
    if (!result) return false;
    if (!result.ok) {
      this.status.fail(result.error);
      return false;
    }
    await this.refreshList();
    this.voice = result.value.id;
    this.status.say(`Saved the blend “${name}”.`);
    return true;
  }

  /** Deletes a saved blend; when it was the voice, the default voice reads instead. False (with the reason shown) when refused. */
  async deleteBlend(id: string): Promise<boolean> {
    const name = this.voices.find((v) => v.id === id)?.name ?? id;
    const result = await this.api?.invoke('voices:blend-delete', { id });
    if (!result) return false;
    if (!result.ok) {
      this.status.fail(result.error);
      return false;
    }
    await this.refreshList();
    if (this.starred.includes(id)) await this.toggleStar(id);
    if (this.voice === id) this.voice = this.defaultVoice;
    this.status.say(result.value.removed ? `Deleted the blend “${name.replace(/ \(blend\)$/, '')}”.` : `There was no blend “${name}” to delete.`);
    return result.value.removed;
  }

  /** Takes a document's own settings, if it has them; returns what to tell the user, or ''. */
  async loadForDocument(documentId: number): Promise<string> {
    const prefs = await this.api?.invoke('prefs:get', { documentId });
    if (!prefs?.ok) return '';
    this.forDocument = prefs.value.forDocument;
    return prefs.value.forDocument ? this.apply(prefs.value.voice, prefs.value.speed) : '';
  }

  /** Gives a document its own voice and speed, or goes back to the defaults; true when the voice or speed changed. */
  async setForDocument(documentId: number, own: boolean): Promise<boolean> {
    if (!this.api) return false;
    // At once, not after the answer: a voice or speed chosen meanwhile is saved for the book too.
    const before = this.forDocument;
    this.forDocument = own;
    const result = await this.api.invoke('prefs:set', own ? { documentId, voice: this.voice, speed: this.speed } : { documentId, clearDocument: true });
    if (!result.ok) {
      this.forDocument = before;
      return false;
    }
    this.forDocument = result.value.forDocument;
    if (own) return false;
    const settings = [this.voice, this.speed];
    const note = this.apply(result.value.voice, result.value.speed);
    if (note) this.status.say(note);
    return settings[0] !== this.voice || settings[1] !== this.speed;
  }

  /** One step faster (+1) or slower (-1), within the offered speeds; false when already at the end. */
  stepSpeed(direction: 1 | -1): boolean {
    // Rounded to the slider's 0.05 steps: repeated steps do not drift into 1.2000000001.
    const next = Math.round(Math.min(SPEED_MAX, Math.max(SPEED_MIN, this.speed + direction * SPEED_KEY_STEP)) * 20) / 20;
    if (next === this.speed) return false;
    this.speed = next;
    return true;
  }

  /** Leaves a document's own settings (its text is no longer read). */
  leaveDocument(): void {
    this.forDocument = false;
  }

  /**
   * Lists the voices again after the engine changed what it offers (the Kokoro model was
   * installed): the app's new default voice is taken unless the user had chosen another.
   */
  async reload(): Promise<void> {
    if (!this.api) return;
    const [info, voices] = await Promise.all([this.api.invoke('app:info', null), this.api.invoke('voices:list', null)]);
    if (voices.ok) this.voices = sortedByName(voices.value);
    if (!info.ok) return;
    const keptOwnChoice = this.voice !== this.defaultVoice && this.voices.some((v) => v.id === this.voice);
    this.status.hint = info.value.hint ?? '';
    this.defaultVoice = info.value.defaultVoice;
    if (!keptOwnChoice) this.voice = this.defaultVoice;
  }

  /** Takes saved settings; returns what to tell the user when the saved voice is not installed. */
  private apply(voice: string, speed: number): string {
    this.speed = speed;
    if (!voice) {
      this.voice = this.defaultVoice || this.voice;
      return '';
    }
    if (this.voices.some((v) => v.id === voice)) {
      this.voice = voice;
      return '';
    }
    this.voice = this.defaultVoice || this.voice;
    const instead = this.voices.find((v) => v.id === this.voice)?.name ?? 'the default voice';
    // The hint says what is missing (the Kokoro model, or a file of it) and how to fix it.
    const kokoro = voice.startsWith('kokoro:') && this.status.hint ? ` ${this.status.hint}` : '';
    return `Your voice “${voice.replace(/^kokoro:/, '')}” is not available, so ${instead} reads instead.${kokoro}`;
  }
}

function sortedByName(voices: readonly VoiceInfo[]): VoiceInfo[] {
  return [...voices].sort((a, b) => a.name.localeCompare(b.name));
}
