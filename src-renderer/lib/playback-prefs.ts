import type { SpeechRates } from './reading-time';

/**
 * What playback keeps in the page's storage across starts: the volume, the measured speech rates,
 * and the durations of the sentences heard in library documents (so their times are exact when
 * they open again, as their audio is in the audio cache).
 */
const VOLUME_KEY = 'kokoro-reader:volume';
const RATES_KEY = 'kokoro-reader:speech-rates';
const DURATIONS_KEY = 'kokoro-reader:sentence-durations';
/** Documents (at one voice and speed each) whose durations are kept, the most recently read first. */
const DURATIONS_KEPT = 12;

/** One document's sentence durations at one voice and speed; `fingerprint` says it is still the same text. */
interface StoredDurations {
  key: string;
  fingerprint: string;
  /** [sentence, seconds] pairs. */
  seconds: [number, number][];
}

export function savedVolume(): number {
  try {
    const value = Number(localStorage.getItem(VOLUME_KEY) ?? 'NaN');
    return Number.isFinite(value) && value >= 0 && value <= 1 ? value : 1;
  } catch {
    return 1; // Storage can be off (private windows): full volume, as the audio was made.
  }
}

export function saveVolume(volume: number): void {
  try {
    localStorage.setItem(VOLUME_KEY, String(volume));
  } catch {
    // Not remembered this time; the volume still applies.
  }
}

export function savedRates(): SpeechRates {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(RATES_KEY) ?? '{}');
    if (typeof parsed !== 'object' || parsed === null) return {};
    // Only well-formed samples: a damaged entry must not make every estimate NaN.
    return Object.fromEntries(
      Object.entries(parsed).filter(([, s]: [string, unknown]) => {
        const sample = s as { chars?: unknown; seconds?: unknown };
        return typeof sample?.chars === 'number' && typeof sample.seconds === 'number' && sample.chars > 0 && sample.seconds > 0;
      }),
    ) as SpeechRates;
  } catch {
    return {};
  }
}

export function saveRates(rates: SpeechRates): void {
  try {
    localStorage.setItem(RATES_KEY, JSON.stringify(rates));
  } catch {
    // Estimates start from the default next time.
  }
}

function storedDurations(): StoredDurations[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(DURATIONS_KEY) ?? '[]');
    return Array.isArray(parsed) ? (parsed as StoredDurations[]).filter((entry) => typeof entry?.key === 'string' && Array.isArray(entry.seconds)) : [];
  } catch {
    return [];
  }
}

/** The durations kept for a document at a voice and speed; none when the text changed since. */
export function savedDurations(key: string, fingerprint: string): Map<number, number> {
  const entry = storedDurations().find((e) => e.key === key && e.fingerprint === fingerprint);
  const known = new Map<number, number>();
  for (const pair of entry?.seconds ?? []) {
    const [sentence, seconds] = Array.isArray(pair) ? pair : [];
    if (Number.isInteger(sentence) && typeof seconds === 'number' && seconds > 0) known.set(sentence as number, seconds);
  }
  return known;
}

export function saveDurations(key: string, fingerprint: string, known: ReadonlyMap<number, number>): void {
  if (known.size === 0) return;
  const entry: StoredDurations = { key, fingerprint, seconds: [...known].map(([sentence, seconds]) => [sentence, Math.round(seconds * 1000) / 1000]) };
  const kept = [entry, ...storedDurations().filter((e) => e.key !== key)].slice(0, DURATIONS_KEPT);
  try {
    localStorage.setItem(DURATIONS_KEY, JSON.stringify(kept));
  } catch {
    // Full or off: the times are estimated again next time.
  }
}
