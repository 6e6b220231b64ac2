import type { EngineId, VoiceInfo } from '../../src-shared/speech/types';

export interface LanguageGroup {
  /** A key for the group: the language tag in lower case, or "blends". */
  key: string;
  name: string;
  voices: VoiceInfo[];
}

export interface EngineGroup {
  engine: EngineId;
  name: string;
  languages: LanguageGroup[];
}

export interface VoiceGroups {
  /** The starred voices that match, first and apart (they are not repeated below). */
  starred: VoiceInfo[];
  engines: EngineGroup[];
  /** How many voices match the filter, starred ones included. */
  count: number;
}

const ENGINE_NAMES: Record<EngineId, string> = { kokoro: 'Kokoro (natural voices)', espeak: 'eSpeak NG' };
const ENGINE_ORDER: EngineId[] = ['kokoro', 'espeak'];
const BLENDS = 'blends';

/** A saved blend is listed under its formula, "kokoro:af_heart*0.6+bf_emma*0.4". */
export function isBlend(voice: VoiceInfo): boolean {
  return /[*+]/.test(voice.id);
}

/**
 * Whether the engine can read in the voice's language: Kokoro's pronunciation (its G2P) is
 * English only, so its Japanese or French voices would read English text as if it were theirs.
 * eSpeak NG reads every language it has a voice for.
 */
export function engineReads(voice: VoiceInfo): boolean {
  return voice.engine !== 'kokoro' || /^en(?:-|$)/i.test(voice.language);
}

let displayNames: Intl.DisplayNames | undefined;

/** "en-GB" → "English (United Kingdom)"; a tag Intl does not know is shown as it is. */
export function languageName(tag: string): string {
  try {
    displayNames ??= new Intl.DisplayNames(['en'], { type: 'language' });
    return displayNames.of(tag) ?? tag;
  } catch {
    // eSpeak NG has tags like "en-us-nyc" or "hy-arevmda" that are not BCP 47.
    return tag;
  }
}

/** Every filter word appears in the voice's name, id or language (any case). */
function matches(voice: VoiceInfo, words: readonly string[], language: string): boolean {
  const haystack = `${voice.name} ${voice.id} ${voice.language} ${language}`.toLocaleLowerCase();
  return words.every((word) => haystack.includes(word));
}

/** The voices the engines can read with, grouped by engine and language, starred ones first, filtered. */
export function groupVoices(voices: readonly VoiceInfo[], starred: readonly string[], filter = ''): VoiceGroups {
  const words = filter.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  const byName = (a: VoiceInfo, b: VoiceInfo): number => a.name.localeCompare(b.name);
  const shown: VoiceInfo[] = [];
  const starredShown: VoiceInfo[] = [];
  const groups = new Map<EngineId, Map<string, LanguageGroup>>();
  for (const voice of voices) {
    if (!engineReads(voice)) continue;
    const blend = isBlend(voice);
    const name = blend ? 'Blends' : languageName(voice.language);
    if (!matches(voice, words, name)) continue;
    shown.push(voice);
    if (starred.includes(voice.id)) {
      starredShown.push(voice);
      continue;
    }
    const key = blend ? BLENDS : voice.language.toLowerCase();
    let languages = groups.get(voice.engine);
    if (!languages) groups.set(voice.engine, (languages = new Map()));
    let group = languages.get(key);
    if (!group) languages.set(key, (group = { key, name, voices: [] }));
    group.voices.push(voice);
  }
  const engines = ENGINE_ORDER.filter((engine) => groups.has(engine)).map((engine) => {
    const languages = [...(groups.get(engine)?.values() ?? [])];
    for (const group of languages) group.voices.sort(byName);
    // Blends last; the languages by name.
    languages.sort((a, b) => Number(a.key === BLENDS) - Number(b.key === BLENDS) || a.name.localeCompare(b.name));
    return { engine, name: ENGINE_NAMES[engine], languages };
  });
  return { starred: starredShown.sort(byName), engines, count: shown.length };
}
